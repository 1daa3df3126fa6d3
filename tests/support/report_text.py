"""A report's text as a reader sees it, in each format: HTML as a browser shows it,
Markdown as a renderer shows it, PDF as its pages hold it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import mistune
from pypdf import PdfReader


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def flat(text: str) -> str:
    return " ".join(text.split())


def shows(text: str, needle: str) -> bool:
    """Whether ``needle`` is in ``text`` wherever lines wrap (a PDF breaks long words)."""
    return re.sub(r"\s+", "", needle) in re.sub(r"\s+", "", text)


def html_text(page: str) -> str:
    """The text a browser shows for ``page`` (markup dropped, entities decoded)."""
    parser = _Text()
    parser.feed(page)
    return flat(" ".join(parser.parts))


def md_text(md: str) -> str:
    """The text a Markdown renderer shows (raw HTML passes through mistune, as in many)."""
    return html_text(mistune.html(md))


def pdf_text(path: Path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))

