"""A chapter between the parser and its XHTML document: the tree the passes work on and what
they collect from it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..core.model import (
    Book,
    Chapter,
    CrossReference,
    Heading,
    IndexMark,
    Label,
    Link,
    MovedAnchor,
    PageBreak,
    Problem,
)
from ..core.references import Citation
from .parser import LINE_ATTR, Parsed


def problem(code: str, message: str, line: int, column: int, hint: str, **arguments) -> Problem:
    """What the manuscript got wrong: an English template and its arguments (the checks make
    it a finding)."""
    return Problem(code, message, line, column, hint, tuple(arguments.items()))


@dataclass
class Draft:
    book: Book
    chapter: Chapter
    holder: etree._Element  # the body's content, in an XHTML <div>
    parsed: Parsed
    files: dict[str, str]  # manuscript file name -> XHTML file name
    chapter_ids: frozenset[str] = frozenset()  # every chapter's id, this one's included
    problems: list[Problem] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    pages: list[PageBreak] = field(default_factory=list)
    images: list[tuple[Path, str]] = field(default_factory=list)
    image_alts_complete: bool = True
    links: list[Link] = field(default_factory=list)
    moved: list[MovedAnchor] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    note_count: int = 0
    noteref_count: int = 0
    endnotes: bytes | None = None
    labels: list[Label] = field(default_factory=list)
    references: list[CrossReference] = field(default_factory=list)
    index_marks: list[IndexMark] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    refs_block: bool = False  # holds `::: {#refs}`, where the list of references goes
    hand_index_marks: int = 0  # of them, those the author marked (not from options.index_terms)

    def problem(
        self, code: str, message: str, line: int, column: int, hint: str, **arguments
    ) -> None:
        """Record what the manuscript got wrong (an English template and its arguments); the
        checks make it a finding."""
        self.problems.append(problem(code, message, line, column, hint, **arguments))

    def line_of(self, el: etree._Element) -> int:
        """The line in the chapter's file where the parser met `el` (its mark removed)."""
        written = el.attrib.pop(LINE_ATTR, None)
        offset = int(written) if written and written.isdigit() else 0
        return self.chapter.body_line + offset

    @functools.cached_property
    def lines(self) -> list[str]:
        """The body's lines, split once for every finding that asks for a column."""
        return self.chapter.body.split("\n")

    def column_of(self, line: int, needle: str) -> int:
        """Where `needle` first stands on the file's `line` (1 when it is not found there, as
        for text the parser normalised)."""
        index = line - self.chapter.body_line
        text = self.lines[index] if 0 <= index < len(self.lines) else ""
        return text.find(needle) + 1 if needle and needle in text else 1

    def find(self, needle: str, occurrence: int = 1) -> tuple[int, int] | None:
        """The line and column in the chapter's file where `needle` is written for the n-th
        time, or None: for what has no place in the parser's map (an id, a table's label)."""
        for index, text in enumerate(self.lines):
            start = 0
            while needle and (found := text.find(needle, start)) >= 0:
                occurrence -= 1
                if occurrence == 0:
                    return self.chapter.body_line + index, found + 1
                start = found + 1
        return None

    @property
    def start(self) -> tuple[int, int]:
        """The body's first line: where a finding goes that the text does not place."""
        return self.chapter.body_line, 1
