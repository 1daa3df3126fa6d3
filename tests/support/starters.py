"""The starters (the bundled example sessions) as one data set for the tests."""

from __future__ import annotations

from pmkit.formats.yaml_file import read_session_file
from pmkit.model import Session
from pmkit.resources import starter_names, starter_path

# The starters of a customer and management's meeting; a negotiation case (two sides named by
# the case, option issues only) has tests of its own (tests/unit/formats/test_genius_case.py).
CASES = ("itex-cypress",)
STARTERS = [name for name in starter_names() if name not in CASES]


def starter(name: str) -> Session:
    """The starter ``name``, read from its file."""
    return read_session_file(starter_path(name))
