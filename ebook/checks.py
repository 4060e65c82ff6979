"""Checks over a loaded Book: findings as data, never printed, never raised."""

from __future__ import annotations

import re
from collections import Counter

from .errors import Diagnostic
from .markdown_ext.notes import DEFINITION, REFERENCE
from .model import Book, Chapter

_FENCE = re.compile(r"^(```|~~~)")


def check_book(book: Book) -> list[Diagnostic]:
    """Return every finding about the book: load-time ones first, then structural ones."""
    findings = list(book.findings)
    findings += _duplicate_ids(book)
    for chapter in book.chapters:
        findings += check_notes(chapter)
    return findings


def has_errors(findings: list[Diagnostic]) -> bool:
    return any(f.severity == "error" for f in findings)


def _duplicate_ids(book: Book) -> list[Diagnostic]:
    seen: dict[str, Chapter] = {}
    findings = []
    for chapter in book.chapters:
        if chapter.id in seen:
            line = chapter.front_matter_lines.get(("id",), (1, 1))
            findings.append(
                Diagnostic(
                    "F004",
                    "error",
                    f"id '{chapter.id}' is already used by {seen[chapter.id].path.name}",
                    chapter.path,
                    line[0],
                    line[1],
                    "give each file its own 'id:' in the front matter",
                )
            )
        seen.setdefault(chapter.id, chapter)
    return findings


def source_lines(chapter: Chapter):
    """Yield (line number in the file, text) of the body, skipping fenced code blocks."""
    fence = None
    for offset, text in enumerate(chapter.body.splitlines()):
        match = _FENCE.match(text.lstrip())
        if fence is None and match:
            fence = match.group(1)
            continue
        if fence is not None:
            if text.lstrip().startswith(fence):
                fence = None
            continue
        yield chapter.body_line + offset, text


def check_notes(chapter: Chapter) -> list[Diagnostic]:
    """Note references without definition, unused and duplicate definitions."""
    definitions: dict[str, tuple[int, int]] = {}
    references: dict[str, tuple[int, int]] = {}
    findings = []
    for number, text in source_lines(chapter):
        definition = DEFINITION.match(text)
        if definition:
            label = definition.group(1)
            if label in definitions:
                findings.append(
                    Diagnostic(
                        "N003",
                        "error",
                        f"note '{label}' is defined twice (first on line {definitions[label][0]})",
                        chapter.path,
                        number,
                        1,
                        "give the second note its own label, or remove it",
                    )
                )
            definitions.setdefault(label, (number, 1))
            text = text[definition.end(1) + 2 :]
            offset = definition.end(1) + 2
        else:
            offset = 0
        for ref in REFERENCE.finditer(text):
            references.setdefault(ref.group(1), (number, offset + ref.start() + 1))
    for label, (line, col) in references.items():
        if label not in definitions:
            findings.append(
                Diagnostic(
                    "N001",
                    "error",
                    f"note reference [^{label}] has no definition",
                    chapter.path,
                    line,
                    col,
                    f"add a line '[^{label}]: note text' to this file (labels are local to a file)",
                )
            )
    for label, (line, col) in definitions.items():
        if label not in references:
            findings.append(
                Diagnostic(
                    "N002",
                    "warning",
                    f"note [^{label}] is never referenced",
                    chapter.path,
                    line,
                    col,
                    f"cite it with [^{label}] in the text, or delete it",
                )
            )
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0))


def count_by_severity(findings: list[Diagnostic]) -> Counter:
    return Counter(f.severity for f in findings)
