"""The CIP block (GB/T 12451) and the colophon (版本记录), as text lines from a Book."""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby

from stdnum import isbn as stdisbn

from .chinese import circled
from .labels import year_month
from .model import Book, Contributor, Impression

CIP_HEADING = "图书在版编目（CIP）数据"
ROMAN = "ⅠⅡⅢⅣ"
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


def format_isbn(value: str) -> str:
    """Return an ISBN hyphenated by its registration groups, as printed."""
    try:
        return stdisbn.format(value)
    except Exception:  # an invalid ISBN is reported by the checks; print it as given
        return value


def clc_printed(number: str) -> str:
    """CLC numbers print their subdivision hyphen as a dash: D63-39 -> D63—39."""
    return number.replace("-", "—")


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


def responsibility(people: tuple[Contributor, ...]) -> str:
    """'闫建，高华丽著；张三译': names joined per role, each group followed by its term."""
    groups = [
        "，".join(c.name for c in group) + label
        for label, group in groupby(people, key=lambda c: c.label)
    ]
    return "；".join(groups)


def cip_lines(book: Book) -> list[str]:
    """The CIP block: heading, description, ISBN, retrieval data, approval number."""
    title = book.title + (f"：{book.subtitle}" if book.subtitle else "")
    description = f"{title} / {responsibility(book.primary_contributors)}"
    if book.edition and book.edition.number > 1:
        # 版本项 (GB/T 12451-2001): the edition statement between responsibility and imprint.
        description += f". —{book.edition.number}版"
    imprint = "：".join(p for p in (book.publisher.place, book.publisher.name) if p)
    description += f". —{imprint}，{cip_date(book.date)}"
    lines = [CIP_HEADING, description]
    if book.isbn:
        lines.append(f"ISBN {format_isbn(book.isbn)}")
    lines.append(retrieval_line(book))
    if book.cip.number:
        year, _, serial = book.cip.number.partition("-")
        lines.append(f"中国版本图书馆 CIP 数据核字（{year}）第 {serial} 号")
    return lines


# What a line of the CIP block must never break inside: an ISBN, a classification number with
# its circled number (④D63—39), the approval number's year and serial.
UNBROKEN = re.compile(r"ISBN [0-9X-]+|[①-⑳]?[A-Z]{1,2}\d[\d.]*(?:—[\d.]+)*|（\d{4}）第 ?\d+ ?号")


def retrieval_line(book: Book) -> str:
    """Ⅰ. title Ⅱ. authors Ⅲ. subject headings Ⅳ. CLC numbers, each item circled-numbered."""
    sections = [
        [first_character(book.title) + "…"],
        [first_character(c.name) + "…" for c in book.primary_contributors],
        list(book.cip.subjects),
        [clc_printed(n) for n in book.cip.classifications],
    ]
    parts = []
    for numeral, items in zip(ROMAN, sections, strict=True):
        if items:
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
