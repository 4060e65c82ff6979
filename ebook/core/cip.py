"""The CIP block (GB/T 12451) and the colophon (版本记录), as text lines from a Book.

Real copyright pages show three layouts of the CIP block; every difference between them is a
field of `Layout`, so nothing else asks which one a book has:

- 2001 (GB/T 12451-2001): the areas on lines, 检索数据 Ⅰ–Ⅳ (title, persons, subjects,
  classes), "中国版本图书馆 CIP 数据核字（2017）第 035467 号".
- transitional (approved 2023–2024, before books followed the new standard): the 2001 layout,
  but the agency is 中国国家版本馆, which took over the CIP centre.
- 2023 (GB/T 12451-2023, in force since 2024-04-01): one paragraph
  "书名/责任者.--出版地：出版者，2024.7.--（丛书名）.--ISBN …", 检索数据 reduced to the
  classification ("I. TP311"), approval number "2024AB1234" (year, two letters, four digits).

What the layouts print was taken from the standard's public table of contents (书名和责任说明项,
版本项, 出版项, 载体形态项, 丛书项, 附注项, 标准书号和获得方式项; 检索数据) and from the copyright
pages in tests/data/cip/ (their sources are in SOURCE.md). 载体形态项 and 获得方式 (pages, size,
price) appear in none of those printed blocks, so the tool prints neither.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import groupby

from stdnum import isbn as stdisbn

from .chinese import circled
from .labels import year_month
from .model import Book, Cip, Contributor, Impression

CIP_HEADING = "图书在版编目（CIP）数据"
ROMAN = "ⅠⅡⅢⅣ"
# The approval number as book.yaml writes it: YEAR-SERIAL (2001 form), or the 2023 form.
OLD_NUMBER = re.compile(r"^(\d{4})-(\d{6})$")
NEW_NUMBER = re.compile(r"^(\d{4})[A-Z]{2}\d{4}$")
# The approval number as pages print it, in either form and with either agency.
PRINTED_APPROVAL = re.compile(
    r"中国(?P<national>国家)?版本(?:图书)?馆\s*CIP\s*数据核字\s*"
    r"(?:[（(]\s*(?P<year>\d{4})\s*[)）]\s*第\s*(?P<serial>\d+)|第\s*(?P<new>\d{4}[A-Z]{2}\d{4}))"
    r"\s*号"
)
# The colophon's label for the people named in the statement of responsibility.
PRIMARY_LABELS = {
    "著": "著者",
    "编著": "编著者",
    "撰": "撰者",
    "主编": "主编",
    "编": "编者",
    "译": "译者",
    "编译": "编译者",
    "校": "校者",
    "绘": "绘者",
}
# Staff the colophon lists, in the order the book gives them.
STAFF_LABELS = ("责任编辑", "特约编辑", "美术编辑", "封面设计", "版式设计", "责任校对", "责任印制")


@dataclass(frozen=True)
class Layout:
    """How one standard lays out the block."""

    name: str
    agency: str
    separator: str  # between areas: ". —" (2001 pages), ".--" (2023 pages)
    one_paragraph: bool  # description, series, notes and ISBN as one paragraph
    retrieval: tuple[int, ...]  # printed sections: 0 titles, 1 persons, 2 subjects, 3 classes
    circle_single: bool  # a one-item section numbered ① (2001 pages) or not (2023 pages)
    clc_dash: str  # the printed subdivision sign: D63—39 (2001 pages), TP316.89-62 (2023)
    # 书名原文 as a note: 2001 pages print it; the 2023 translation in tests/data/cip does not.
    original_title_note: bool


LAYOUTS = {
    "2001": Layout("2001", "中国版本图书馆", ". —", False, (0, 1, 2, 3), True, "—", True),
    "transitional": Layout(
        "transitional", "中国国家版本馆", ". —", False, (0, 1, 2, 3), True, "—", True
    ),
    "2023": Layout("2023", "中国国家版本馆", ".--", True, (3,), False, "-", False),
}


def layout_for(cip: Cip) -> Layout:
    """cip.standard if given, else what the approval number says: the 2023 form, or a number
    of 2023 or later in the old form (transitional), or 2001."""
    if cip.standard in LAYOUTS:
        return LAYOUTS[cip.standard]
    if NEW_NUMBER.match(cip.number):
        return LAYOUTS["2023"]
    old = OLD_NUMBER.match(cip.number)
    if old and int(old.group(1)) >= 2023:
        return LAYOUTS["transitional"]
    return LAYOUTS["2001"]


def printed_number(match: re.Match) -> str:
    """The approval number a PRINTED_APPROVAL match names, as book.yaml writes it."""
    if match.group("new"):
        return match.group("new")
    return f"{match.group('year')}-{int(match.group('serial')):06}"


def approval_year(number: str) -> int | None:
    match = OLD_NUMBER.match(number) or NEW_NUMBER.match(number)
    return int(match.group(1)) if match else None


def format_isbn(value: str) -> str:
    """Return an ISBN hyphenated by its registration groups, as printed."""
    try:
        return stdisbn.format(value)
    except Exception:  # an invalid ISBN is reported by the checks; print it as given
        return value


def clc_printed(number: str, dash: str = "—") -> str:
    """CLC numbers print their subdivision hyphen as a dash on 2001 pages: D63-39 -> D63—39."""
    return number.replace("-", dash)


def first_character(text: str) -> str:
    """The first letter of a title or name, skipping quotation marks and other punctuation."""
    for char in text:
        if unicodedata.category(char)[0] in "LN":
            return char
    return text[:1]


def cip_date(date: str) -> str:
    """'2017-02' -> '2017.2' (year.month as the CIP description prints it)."""
    parts = date.split("-")
    return ".".join([parts[0]] + [str(int(p)) for p in parts[1:2]])


def person(c: Contributor) -> str:
    """'（英）利兹·赖斯（Liz Rice）': nationality, name, name in the original language."""
    nationality = f"（{c.nationality}）" if c.nationality else ""
    original = f"（{c.original_name}）" if c.original_name else ""
    return nationality + c.name + original


# More people of one role than this print as the first and 等 (GB/T 12451: 张三等著).
MOST_NAMED = 3


def named(people: tuple[Contributor, ...]) -> list[tuple[str, list[Contributor], bool]]:
    """Per role, in order: (its term, the people the block names, whether 等 follows them).
    Four or more of a role print as the first and 等, as does one the data marks `et_al`."""
    groups = []
    for label, group in groupby(people, key=lambda c: c.label):
        members = list(group)
        others = len(members) > MOST_NAMED or any(c.et_al for c in members)
        groups.append((label, members[:1] if others else members, others))
    return groups


def responsibility(people: tuple[Contributor, ...]) -> str:
    """'闫建，高华丽著；张三译', '谢型果等著': names joined per role, each group followed by
    its term."""
    return "；".join(
        "，".join(person(c) for c in members) + ("等" if others else "") + label
        for label, members, others in named(people)
    )


def marked(text: str, *parts: tuple[str, str]) -> str:
    """`text`, then each part that has a value after the mark GB/T 12451 prescribes for it."""
    return text + "".join(mark + value for mark, value in parts if value)


def title_area(book: Book) -> str:
    """Title：other title information. volume, volume title = parallel title：statement. The
    subtitle is the whole work's (UNIX网络编程：第2版. 第2卷, 进程间通信); a volume's own words
    are its title."""
    volume = book.volume
    return marked(
        book.title,
        ("：", book.subtitle),
        (". ", volume.label if volume else ""),
        (", ", volume.title if volume else ""),
        (" = ", book.parallel_title),
        ("：", book.title_statement),
    )


def edition_statement(edition: Impression | None) -> str:
    """版本项: as book.yaml states it, else "2版" for any edition after the first."""
    if edition is None:
        return ""
    statement = edition.statement or (f"{edition.number}版" if edition.number > 1 else "")
    if statement and edition.responsibility:
        statement += f" / {edition.responsibility}"
    return statement


def series_text(book: Book) -> str:
    """丛书项: （title = parallel title / editor，ISSN；number）."""
    series = book.series
    if series is None:
        return ""
    return "（{}）".format(
        marked(
            series.title,
            (" = ", series.parallel_title),
            (" / ", series.editor),
            ("，ISSN ", series.issn),
            ("；", series.number),
        )
    )


def isbn_texts(book: Book) -> list[str]:
    texts = [f"ISBN {format_isbn(book.isbn)}"] if book.isbn else []
    if book.volume and book.volume.set_isbn:
        # The set's ISBN beside the volume's, qualified as the set's (全套). No page of
        # tests/data/cip shows a set, so the qualifier follows catalogue practice.
        texts.append(f"ISBN {format_isbn(book.volume.set_isbn)}（全套）")
    return texts


def cip_notes(book: Book, layout: Layout) -> list[str]:
    notes = list(book.cip.notes)
    if book.original and layout.original_title_note:
        notes.insert(0, f"书名原文：{book.original.title}")
    return notes


def cip_lines(book: Book) -> list[str]:
    """The CIP block as printed lines: heading, description, (notes, ISBN,) retrieval data,
    approval number."""
    layout = layout_for(book.cip)
    areas = [f"{title_area(book)} / {responsibility(book.primary_contributors)}"]
    if statement := edition_statement(book.edition):
        areas.append(statement)
    imprint = "：".join(p for p in (book.publisher.place, book.publisher.name) if p)
    areas.append(f"{imprint}，{cip_date(book.date)}{reprint_text(book)}")
    series, notes = series_text(book), cip_notes(book, layout)
    if layout.one_paragraph:
        areas += ([series] if series else []) + notes + isbn_texts(book)
        lines = [CIP_HEADING, layout.separator.join(areas)]
    else:
        description = layout.separator.join(areas) + (f" {series}" if series else "")
        lines = [CIP_HEADING, description, *notes, *isbn_texts(book)]
    if retrieval := retrieval_line(book, layout):
        lines.append(retrieval)
    if book.cip.number:
        lines.append(approval_text(book.cip.number, layout))
    return lines


def reprint_text(book: Book) -> str:
    """'（2021.2重印）' in the block of a later printing, unless cip.reprint says no."""
    printing = book.printing
    if book.cip.reprint == "no" or printing is None or printing.number < 2 or not printing.date:
        return ""
    return f"（{cip_date(printing.date)}重印）"


def approval_text(number: str, layout: Layout) -> str:
    old = OLD_NUMBER.match(number)
    if old:
        return f"{layout.agency} CIP 数据核字（{old.group(1)}）第 {old.group(2)} 号"
    return f"{layout.agency} CIP 数据核字第 {number} 号"


# What a line of the CIP block must never break inside: an ISBN or ISSN, a classification
# number with its circled number (④D63—39), the approval number's year and serial, and any
# other circled number with the first character it numbers (②电子政务: never ② alone at a
# line's end).
UNBROKEN = re.compile(
    r"IS[BS]N [0-9X-]+|[①-⑳]?[A-Z]{1,2}\d[\d.]*(?:[—-][\d.]+)*"
    r"|（\d{4}）第 ?\d+ ?号|第 ?\d{4}[A-Z]{2}\d{4} ?号|[①-⑳][^\s①-⑳]"
)


def retrieval_points(book: Book, layout: Layout) -> list[list[str]]:
    """Ⅰ titles, Ⅱ persons (each the statement of responsibility names), Ⅲ subject
    headings, Ⅳ CLC numbers: the sections the layout prints, in order."""
    people = [c for _, members, _ in named(book.primary_contributors) for c in members]
    sections = [
        [first_character(book.title) + "…"],
        [first_character(c.name) + "…" for c in people],
        list(book.cip.subjects),
        [clc_printed(n, book.cip.class_dash or layout.clc_dash) for n in book.cip.classifications],
    ]
    return [sections[i] for i in layout.retrieval]


def retrieval_line(book: Book, layout: Layout) -> str:
    """'Ⅰ.①互… Ⅱ.①闫… ②高… Ⅲ.… Ⅳ.…', or 'Ⅰ.TP311' in the 2023 layout."""
    circle_single = {"circled": True, "plain": False}.get(
        book.cip.single_points, layout.circle_single
    )
    parts = []
    for numeral, items in zip(ROMAN, retrieval_points(book, layout), strict=False):
        if not items:
            continue
        if len(items) == 1 and not circle_single:
            parts.append(f"{numeral}.{items[0]}")
        else:
            numbered = " ".join(circled(i) + item for i, item in enumerate(items, start=1))
            parts.append(f"{numeral}.{numbered}")
    return " ".join(parts)


def impression_text(edition: Impression | None, printing: Impression | None) -> str:
    """'2017年2月第1版 2017年2月第1次印刷'."""
    parts = []
    if edition:
        parts.append(f"{year_month(edition.date)}第{edition.number}版")
    if printing:
        parts.append(f"{year_month(printing.date)}第{printing.number}次印刷")
    return " ".join(parts)


def colophon_rows(book: Book) -> list[tuple[str, list[str]]]:
    """The 版本记录 rows: (label, lines of the value), in print order; empty ones left out."""
    title = book.title + (f"：{book.subtitle}" if book.subtitle else "")
    rows: list[tuple[str, list[str]]] = [
        (
            "书名",
            [title] + ([book.colophon.title_romanized] if book.colophon.title_romanized else []),
        )
    ]
    for label, group in groupby(book.primary_contributors, key=lambda c: c.label):
        rows.append((PRIMARY_LABELS.get(label, label), ["　".join(c.name for c in group)]))
    for label in STAFF_LABELS:
        names = [c.name for c in book.contributors if not c.primary and c.label == label]
        if names:
            rows.append((label, ["　".join(names)]))
    publisher = book.publisher.name
    if book.publisher.address:
        publisher += f"（{book.publisher.address}）"
    colo = book.colophon
    characters = f"{colo.characters:,}".replace(",", " ") if colo.characters else ""
    isbns = [f"ISBN {format_isbn(book.isbn)}"] if book.isbn else []
    if book.eisbn:
        isbns.append(f"ISBN {format_isbn(book.eisbn)}（电子书）")
    rows += [
        ("出版发行", [publisher]),
        ("印刷", [colo.printer]),
        ("开本", [colo.format]),
        ("印张", [colo.sheets]),
        ("字数", [characters]),
        ("版次", [impression_text(book.edition, book.printing)]),
        ("书号", isbns),
        ("定价", [colo.price]),
    ]
    return [(label, [v for v in values if v]) for label, values in rows if any(values)]
