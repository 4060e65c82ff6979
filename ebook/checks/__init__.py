"""Checks over a loaded Book: findings as data, never printed, never raised.

Each module checks one area and returns a list of Diagnostics; `check_book` runs them all.
Checks that need the rendered XHTML (links, images, ids) run in the render stage.
"""

from __future__ import annotations

from ..core.errors import Diagnostic, has_errors
from ..core.model import Book, Chapter
from . import config, source, structure
from .source import SourceHeading


def check_book(book: Book) -> list[Diagnostic]:
    """Return every finding about the book: load-time ones first, then the checks'."""
    findings = check_book_level(book, [first_heading(c) for c in book.chapters])
    for chapter in book.chapters:
        findings += check_chapter(chapter)
    return findings


def check_book_level(book: Book, first_headings: list[SourceHeading | None]) -> list[Diagnostic]:
    """The checks that look across files; `first_headings` are each chapter's '#' heading."""
    findings = list(book.findings)
    findings += config.check_config(book)
    findings += structure.check_ids(book)
    findings += structure.check_chapter_numbers(book.chapters, first_headings)
    return findings


def check_chapter(chapter: Chapter) -> list[Diagnostic]:
    """The checks of one file alone (they can run in parallel and be cached per file)."""
    # Imported here: a build whose chapters all come from the cache never needs them.
    from . import html, notes, text

    return (
        structure.check_structure(chapter)
        + notes.check_notes(chapter)
        + text.check_text(chapter)
        + html.check_html(chapter)
    )


def first_heading(chapter: Chapter) -> SourceHeading | None:
    return next((h for h in source.headings(chapter) if h.level == 1), None)


__all__ = ["check_book", "check_book_level", "check_chapter", "first_heading", "has_errors"]
