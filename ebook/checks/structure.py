"""Checks of a book's structure: ids, heading levels, numbering, empty chapters."""

from __future__ import annotations

from ..core.chinese import heading_label, make_label
from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.markdown_syntax import DEFINITION
from ..core.model import Book, Chapter
from ..load import VALUE
from . import source


def check_ids(book: Book) -> list[Diagnostic]:
    """Two files with one id would be written to one XHTML file."""
    # Case-folded: ch01 and CH01 would be one file on many systems, and OCF forbids it.
    seen: dict[str, Chapter] = {}
    ids = {c.id.casefold() for c in book.chapters}
    findings = []
    for chapter in book.chapters:
        for alias in chapter.aliases:
            if alias.casefold() in seen or alias.casefold() in ids:
                line, col = chapter.front_matter_lines.get(("aliases", VALUE), (1, 1))
                findings.append(
                    finding(
                        "F004",
                        "alias '{alias}' is also the id of another file",
                        chapter.path,
                        line,
                        col,
                        "an alias is an id no file has any more",
                        alias=alias,
                    )
                )
            seen.setdefault(alias.casefold(), chapter)
        key = chapter.id.casefold()
        if key in seen:
            line, col = chapter.front_matter_lines.get(("id", VALUE), (1, 1))
            findings.append(
                finding(
                    "F004",
                    "id '{id}' is already used by {name} (ids differing only in letter case count"
                    " as one)",
                    chapter.path,
                    line,
                    col,
                    "give each file its own 'id:' in the front matter",
                    id=chapter.id,
                    name=seen[key].path.name,
                )
            )
        seen.setdefault(key, chapter)
    return findings


def check_chapter_numbers(
    chapters: tuple[Chapter, ...], first_headings: list[source.SourceHeading | None]
) -> list[Diagnostic]:
    """第一章, 第二章 … across the book's files (their first '#' headings)."""
    return _sequence([(c, h) for c, h in zip(chapters, first_headings, strict=True) if h])


def check_structure(chapter: Chapter) -> list[Diagnostic]:
    headings = source.headings(chapter)
    findings: list[Diagnostic] = []
    previous = 0
    top_level = [h for h in headings if h.level == 1]
    for extra in top_level[1:]:
        findings.append(
            finding(
                "S002",
                "second top-level heading '{text}' (first on line {line_})",
                chapter.path,
                extra.line,
                1,
                "one file holds one chapter: split the file, or make this heading '##'",
                text=extra.text,
                line_=top_level[0].line,
            )
        )
    for heading in headings:
        if previous and heading.level > previous + 1:
            findings.append(
                finding(
                    "S001",
                    "heading level skips from {value} to {value2}",
                    chapter.path,
                    heading.line,
                    1,
                    "make it {value3}, or add the missing level above it",
                    value="#" * previous,
                    value2="#" * heading.level,
                    value3="#" * (previous + 1),
                )
            )
        previous = heading.level
    ids: dict[str, int] = {}
    for heading in headings:
        if heading.explicit_id is None:
            continue
        if heading.explicit_id in ids:
            findings.append(
                finding(
                    "S005",
                    "heading id '{explicit_id}' is already used on line {ids}",
                    chapter.path,
                    heading.line,
                    1,
                    "give each heading its own {{#id}}",
                    explicit_id=heading.explicit_id,
                    ids=ids[heading.explicit_id],
                )
            )
        ids.setdefault(heading.explicit_id, heading.line)
    findings += _sequence([(chapter, h) for h in headings if h.level > 1], nested=True)
    # A part's page is its title alone, as in print; the tool writes an index page's entries.
    if not _has_text(chapter) and chapter.kind not in ("part", "index"):
        findings.append(
            finding(
                "S003",
                "the chapter has no text",
                chapter.path,
                headings[0].line if headings else chapter.body_line,
                1,
                "write its text, or remove the file from chapters",
            )
        )
    return findings


def _has_text(chapter: Chapter) -> bool:
    for line in source.lines(chapter):
        text = line.text.strip()
        if text and not source.ATX_HEADING.match(line.text) and not DEFINITION.match(line.text):
            return True
    return False


def _sequence(items: list, nested: bool = False) -> list[Diagnostic]:
    """Numbered headings must count 1, 2, 3 within their parent heading."""
    findings = []
    expected: dict[tuple[int, str], int] = {}  # (level, label kind) -> next number
    for chapter, heading in items:
        if nested:
            # A heading restarts the numbering of every level below it.
            for key in [k for k in expected if k[0] > heading.level]:
                del expected[key]
        label = heading_label(heading.text)
        if label is None:
            continue
        kind, number = label
        want = expected.get((heading.level, kind), 1)
        if number != want:
            findings.append(
                finding(
                    "S004",
                    "'{value}' is out of sequence: expected '{value2}'",
                    chapter.path,
                    heading.line,
                    heading_column(heading),
                    "renumber it '{value2}', or add the missing heading",
                    value=make_label(kind, number),
                    value2=make_label(kind, want),
                )
            )
        expected[(heading.level, kind)] = number + 1
    return findings


def heading_column(heading: source.SourceHeading) -> int:
    return heading.level + 2  # after '## '
