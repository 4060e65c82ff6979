"""Checks over a loaded Book: findings as data, never printed, never raised.

Each module checks one area and returns a list of Diagnostics; `check_book` runs them all.
Checks that need the rendered XHTML (links, images, ids) run in the render stage.
"""

from __future__ import annotations

from ..errors import Diagnostic
from ..model import Book
from . import config, html, notes, structure, text


def check_book(book: Book) -> list[Diagnostic]:
    """Return every finding about the book: load-time ones first, then the checks'."""
    findings = list(book.findings)
    findings += config.check_config(book)
    findings += structure.check_ids(book)
    findings += structure.check_chapter_numbers(book)
    for chapter in book.chapters:
        findings += structure.check_structure(chapter)
        findings += notes.check_notes(chapter)
        findings += text.check_text(chapter)
        findings += html.check_html(chapter)
    return findings


def has_errors(findings: list[Diagnostic], strict: bool = False) -> bool:
    """True when the findings stop a build (under strict, warnings too)."""
    return any(f.severity == "error" or strict for f in findings)


__all__ = ["check_book", "has_errors"]
