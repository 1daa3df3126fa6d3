"""Files a user names: written atomically, read with a size limit. Errors are one line that
names the file (:class:`~pmkit.errors.StorageError` for writing, :class:`~pmkit.errors.InputError`
for reading).

* :func:`atomic_write` writes to a temporary file in the same folder and renames it over
  the target: a crash leaves the old file or the new one, never half a file. The file is
  readable by its owner only (reports and exports can be confidential).
* :func:`read_bounded` refuses a file over its limit before reading it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pmkit.errors import InputError, StorageError
from pmkit.i18n import _
from pmkit.text import count

__all__ = ["atomic_write", "read_bounded"]


def atomic_write(target: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` (text is written as UTF-8) to ``target`` atomically; returns the path."""
    path = Path(target)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise StorageError(_("cannot write in {parent}: {strerror}").format(
            parent=path.parent, strerror=exc.strerror)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(_("cannot write {path}: {strerror}").format(path=path, strerror=exc.strerror)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_bounded(path: str | os.PathLike[str], kind: str, limit: int) -> bytes:
    """The bytes of the ``kind`` file at ``path`` (e.g. "session file"), at most ``limit``."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limit:
            raise InputError(_("{path}: {size} bytes is larger than the {limit} allowed").format(
                path=p, size=count(size), limit=count(limit)))
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError(_("{path}: no such file").format(path=p)) from None
    except IsADirectoryError:
        raise InputError(_("{path}: is a folder, not a {kind}").format(path=p, kind=_(kind))) from None
    except PermissionError:
        raise InputError(_("{path}: permission denied").format(path=p)) from None
    if len(data) > limit:  # it grew after the check
        raise InputError(_("{path}: larger than the {limit} bytes allowed").format(path=p, limit=count(limit)))
    return data
