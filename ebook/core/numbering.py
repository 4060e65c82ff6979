"""The numbers of a book's figures, tables, equations and listings, from the labels its
chapters hold: by chapter (图1-2, 图A-1 in an appendix) or through the book (图12).

A pure function of the rendered chapters' labels, so the renderer's book-wide pass (which
writes the numbers in) and the packager (which lists them) agree without passing state.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from .labels import is_chinese, labels_for
from .model import Book, Label, RenderedChapter

NUMBERED_KINDS = ("fig", "tbl", "eq", "lst")
# A number typed at a caption's start: `图 1-1`, `表2.3：`, `Figure 1.2.`, `Table A-1`.
TYPED_NUMBER = re.compile(
    r"^(?:图|表|式|代码|清单|Figure|Fig\.|Table|Listing|Equation)\s*"
    r"([0-9A-Z]{1,3}(?:\s*[-.．－–]\s*[0-9]{1,3})?)(?![0-9])[\s:：.．、]*"
)


@dataclass(frozen=True)
class Numbered:
    label: Label
    file: str  # the XHTML file it stands in
    number: str  # "1-2", "A-1", "12"; "" for a section (it is known by its heading)
    reference: str  # how the text refers to it: 图1-2, 式（1-2）, or a section's heading

    @property
    def href(self) -> str:
        return f"{self.file}#{self.label.id}"


@dataclass(frozen=True)
class Numbering:
    by_name: dict[str, Numbered]
    # Per chapter (in book order), what it numbers, in document order.
    by_chapter: tuple[tuple[Numbered, ...], ...]
    duplicates: tuple[tuple[int, Label], ...]  # (chapter index, the label met again)
    # Captions numbered by hand whose number is not the one a reader expects there:
    # (chapter index, label, the number expected).
    out_of_order: tuple[tuple[int, Label, str], ...]

    def of_kind(self, kind: str) -> list[Numbered]:
        return [n for chapter in self.by_chapter for n in chapter if n.label.kind == kind]


def chapter_marks(rendered: list[RenderedChapter]) -> list[str | None]:
    """What each document's numbers start with: "1", "2"… for chapters, "A", "B"… for
    appendices; a `section` file continues the chapter before it; other documents (a
    preface, a part) number on their own, without a prefix (None)."""
    marks: list[str | None] = []
    chapters = appendices = 0
    for r in rendered:
        kind = r.chapter.kind
        if kind == "chapter":
            chapters += 1
            marks.append(str(chapters))
        elif kind == "appendix":
            appendices += 1
            marks.append(_letters(appendices))
        elif kind == "section" and marks:
            marks.append(marks[-1])
        else:
            marks.append(None)
    return marks


def number_labels(book: Book, rendered: list[RenderedChapter]) -> Numbering:
    words = labels_for(book.language)
    separator = book.options.number_separator
    if separator == "auto":
        separator = "-" if is_chinese(book.language) else "."
    through_book = book.options.numbering == "book"
    marks = chapter_marks(rendered)
    counters: dict[str, int] = {}
    by_name: dict[str, Numbered] = {}
    by_chapter: list[tuple[Numbered, ...]] = []
    duplicates: list[tuple[int, Label]] = []
    out_of_order: list[tuple[int, Label, str]] = []
    for index, r in enumerate(rendered):
        mark = None if through_book else marks[index]
        continues = index > 0 and r.chapter.kind == "section" and marks[index] is not None
        if not through_book and not continues:
            counters = {}
        numbered: list[Numbered] = []
        for label in r.labels:
            if label.kind == "sec":
                entry = Numbered(label, r.file_name, "", label.caption)
            else:
                counters[label.kind] = counters.get(label.kind, 0) + 1
                count = str(counters[label.kind])
                number = f"{mark}{separator}{count}" if mark else count
                if not label.name:
                    if _normal(typed_number(label.typed)[1]) != _normal(number):
                        expected = words[f"number_{label.kind}"].format(number)
                        out_of_order.append((index, label, expected))
                    continue
                entry = Numbered(
                    label, r.file_name, number, words[f"number_{label.kind}"].format(number)
                )
            if label.name in by_name:
                duplicates.append((index, label))
                continue
            by_name[label.name] = entry
            numbered.append(entry)
        by_chapter.append(tuple(numbered))
    return Numbering(by_name, tuple(by_chapter), tuple(duplicates), tuple(out_of_order))


def typed_number(caption: str) -> tuple[str, str, str]:
    """What a caption's start typed by hand: as written, its number, and the caption without
    it: ("表 1-2", "1-2", "系统架构"); ("", "", caption) when it typed none."""
    found = TYPED_NUMBER.match(caption)
    if not found:
        return "", "", caption
    written = found.group(0).rstrip(" \t:：.．、")
    return written, found.group(1), caption[found.end() :]


def _normal(number: str) -> str:
    """A number as compared: without spaces, every separator one (`图 1.2` and `图1-2` are
    the same figure, written in two house styles)."""
    return re.sub(r"[\s]", "", number).translate(str.maketrans("．－–.", "----"))


def _letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (appendices past Z are rare, but must stay distinct)."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = string.ascii_uppercase[rest] + out
    return out
