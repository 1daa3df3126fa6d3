"""The starters (the bundled example sessions) as one data set for the tests."""

from __future__ import annotations

from pmkit.formats.yaml_file import read_session_file
from pmkit.model import Session
from pmkit.resources import starter_names, starter_path

STARTERS = starter_names()


def starter(name: str) -> Session:
    """The starter ``name``, read from its file."""
    return read_session_file(starter_path(name))
