"""Checks of notes: references and definitions that do not pair up, notes in headings."""

from __future__ import annotations

import re

from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.markdown_syntax import DEFINITION, REFERENCE
from ..core.model import Chapter
from . import source

# Kobo opens a popup only for notes of 9 to 5,000 characters (Kobo's EPUB guidelines).
KOBO_MIN, KOBO_MAX = 9, 5000
# A note that only points to the one before it; in a popup there is no "before".
DITTO = re.compile(r"^\s*(同上|同前注|同前|Ibid\b|ibid\b)")


def check_notes(chapter: Chapter) -> list[Diagnostic]:
    definitions: dict[str, tuple[int, int]] = {}
    references: dict[str, tuple[int, int]] = {}
    findings: list[Diagnostic] = []
    in_definition = False
    for line in source.lines(chapter):
        text, offset = line.text, 0
        definition = DEFINITION.match(text)
        # A note's text: its definition line and the indented lines that continue it.
        in_definition = definition is not None or (
            in_definition and (not text.strip() or text.startswith(("    ", "\t")))
        )
        if definition:
            findings += _definition(chapter, line.number, definition, definitions)
            definitions.setdefault(definition.group(1), (line.number, 1))
            offset = definition.start(2)
            text = text[offset:]
        in_heading = source.ATX_HEADING.match(line.text) is not None
        for ref in REFERENCE.finditer(text):
            column = offset + ref.start() + 1
            references.setdefault(ref.group(1), (line.number, column))
            if in_definition or in_heading:
                findings.append(
                    _misplaced(chapter, line.number, column, ref.group(1), in_definition)
                )
    findings += _unpaired(chapter, references, definitions)
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0))


def _definition(
    chapter: Chapter, number: int, definition: re.Match, earlier: dict[str, tuple[int, int]]
) -> list[Diagnostic]:
    """What is wrong with one note's definition: defined before (N003), too short or long for
    Kobo's popups (N006), only a ditto (N005)."""
    label, findings = definition.group(1), []
    if label in earlier:
        findings.append(
            finding(
                "N003",
                "note [^{label}] is defined twice (first on line {value})",
                chapter.path,
                number,
                1,
                "give the second note its own label, or remove it",
                label=label,
                value=earlier[label][0],
            )
        )
    length = len(_note_text(chapter, number, definition.group(2)))
    if not KOBO_MIN <= length <= KOBO_MAX:
        findings.append(
            finding(
                "N006",
                "note [^{label}] has {length} characters: Kobo pops up only notes of "
                "{KOBO_MIN} to {KOBO_MAX:,}",
                chapter.path,
                number,
                definition.start(2) + 1,
                "Kobo shows it only at the chapter's end;"
                " lengthen or split the note if that matters",
                label=label,
                length=length,
                KOBO_MIN=KOBO_MIN,
                KOBO_MAX=KOBO_MAX,
            )
        )
    if DITTO.match(definition.group(2)):
        findings.append(
            finding(
                "N005",
                "note [^{label}] says only '{value}'",
                chapter.path,
                number,
                definition.start(2) + 1,
                "a popup shows this note alone: repeat the full reference",
                label=label,
                value=definition.group(2).strip(),
            )
        )
    return findings


def _misplaced(chapter: Chapter, number: int, column: int, label: str, in_note: bool) -> Diagnostic:
    """A reference inside a note (N007), else in a heading (N004)."""
    if in_note:
        return finding(
            "N007",
            "note reference [^{value}] inside a note",
            chapter.path,
            number,
            column,
            "a popup cannot open another popup: write the reference out in the"
            " note's text, or cite the note from the main text",
            value=label,
        )
    return finding(
        "N004",
        "note reference [^{value}] in a heading",
        chapter.path,
        number,
        column,
        "it would land in the contents: put it in the text after the heading",
        value=label,
    )


def _unpaired(
    chapter: Chapter,
    references: dict[str, tuple[int, int]],
    definitions: dict[str, tuple[int, int]],
) -> list[Diagnostic]:
    """References without a note (N001) and notes without a reference (N002)."""
    findings = []
    for label, (line_number, column) in references.items():
        if label not in definitions:
            findings.append(
                finding(
                    "N001",
                    "note reference [^{label}] has no definition",
                    chapter.path,
                    line_number,
                    column,
                    "add a line '[^{label}]: note text' to this file (labels are local to a file)",
                    label=label,
                )
            )
    for label, (line_number, column) in definitions.items():
        if label not in references:
            findings.append(
                finding(
                    "N002",
                    "note [^{label}] is never referenced",
                    chapter.path,
                    line_number,
                    column,
                    "cite it with [^{label}] in the text, or delete it",
                    label=label,
                )
            )
    return findings


def _note_text(chapter: Chapter, line_number: int, first: str) -> str:
    """A definition's text: its first line and the indented lines that continue it."""
    parts = [first.strip()]
    lines = source.lines(chapter)
    # Line numbers count up from the body's first line, one per entry: index directly.
    start = line_number - lines[0].number + 1
    for line in lines[start:]:
        if line.text.startswith(("    ", "\t")):
            parts.append(line.text.strip())
        elif line.text.strip():
            break
    return "".join(parts)
