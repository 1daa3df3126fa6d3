"""Where things are: the checkout's root, whatever folder a test or helper lives in."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SESSIONS = ROOT / "templates" / "sessions"
