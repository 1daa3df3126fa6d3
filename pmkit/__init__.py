"""pmkit: a facilitation workbook for project managers between the customer and management."""

from __future__ import annotations

__version__ = "0.1.0"

from pmkit.errors import (  # noqa: E402
    AccessDenied,
    ConflictError,
    InputError,
    InvalidSession,
    NotFound,
    PmkitError,
    StorageError,
)

__all__ = [
    "AccessDenied",
    "ConflictError",
    "InputError",
    "InvalidSession",
    "NotFound",
    "PmkitError",
    "StorageError",
    "__version__",
]
