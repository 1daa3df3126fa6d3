"""A validation error becomes a user's message in one place: pmkit.errors.invalid (and, for a
whole session file with every problem listed, pmkit.model.parse_session)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import BaseModel, Field, ValidationError

from pmkit.errors import InputError, invalid

PKG = Path(__file__).resolve().parents[3] / "pmkit"
WHOLE_SESSION = {"pmkit/model/session.py"}  # InvalidSession: every problem of a session document


def _handlers() -> list[tuple[str, int, ast.ExceptHandler]]:
    out = []
    for path in sorted(PKG.rglob("*.py")):
        rel = str(path.relative_to(PKG.parent))
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                if "ValidationError" in names:
                    out.append((rel, node.lineno, node))
    return out


def test_every_validation_error_is_put_into_words_by_invalid() -> None:
    found = _handlers()
    assert len(found) >= 8  # the scan sees them
    wrong = []
    for rel, line, node in found:
        calls = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        if "invalid" not in calls and rel not in WHOLE_SESSION:
            wrong.append(f"{rel}:{line}")
    assert not wrong, "ValidationError turned into a message outside pmkit.errors.invalid:\n" + "\n".join(wrong)


def test_no_handler_catches_everything_to_make_a_message() -> None:
    """`except Exception` only at the edges (logged, one line), never to word a validation."""
    for path in sorted(PKG.rglob("*.py")):
        text = path.read_text()
        for n, line in enumerate(text.splitlines(), 1):
            if "except Exception" in line:
                assert "noqa: BLE001" in line, f"{path}:{n}: say why this edge catches everything"


class _Thing(BaseModel):
    size: int = Field(ge=0)


@pytest.mark.parametrize(("data", "kwargs", "expected"), [
    ({"size": -1}, {}, "thing: size: Input should be greater than or equal to 0"),
    ({"size": "x"}, {"got": "'x'"}, "thing: size: Input should be a valid integer, unable to parse string as an "
                                     "integer (got 'x')"),
    ({"size": -1}, {"then": "; nothing was saved"}, "thing: size: Input should be greater than or equal to 0; "
                                                     "nothing was saved"),
    ({"size": -1}, {"located": False}, "thing: Input should be greater than or equal to 0"),
])
def test_the_one_message_shape(data: dict[str, object], kwargs: dict[str, object], expected: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _Thing.model_validate(data)
    err = invalid(caught.value, "thing", **kwargs)  # type: ignore[arg-type]
    assert isinstance(err, InputError) and str(err) == expected
