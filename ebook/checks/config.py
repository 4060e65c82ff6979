"""Checks of book.yaml's values: identifiers, classification, dates, language, file list."""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum import ean
from stdnum import isbn as stdisbn
from stdnum import issn as stdissn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from ..core.attributes import LANGUAGE_TAG
from ..core.cip import LAYOUTS, approval_year, layout_for
from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.i18n import N_
from ..core.model import Book
from ..load import VALUE, is_w3c_date

# 中图法: class letters, digits with '.' groups, then subdivisions: -digits (总论复分),
# =digits (时代), (digits) (地区), "digits" (民族), <digits> (通用时间地点), :class (组配).
CLC = re.compile(
    r"^[A-Z]{1,2}(?:\d+(?:\.\d+)*)?"
    r"(?:-\d+(?:\.\d+)*|=\d+(?:\.\d+)*|\(\d+(?:\.\d+)*\)|\"\d+\"|<\d+>|:[A-Z]{1,2}\d+(?:\.\d+)*)*$"
)


def _isbn_problem(value: str) -> tuple[str, str, str]:
    """What is wrong with an ISBN, in our words (python-stdnum's are English only), a hint,
    and, when only the check digit is wrong, the number with the digit the others give."""
    copy = N_("copy the ISBN from the copyright page; the last digit is a check digit")
    try:
        stdisbn.validate(value)
    except InvalidChecksum:
        digits = stdisbn.compact(value)
        body = digits[:-1]
        if len(digits) == 13:
            digit = ean.calc_check_digit(body)
        else:  # ISBN-10: weights 10…2, modulo 11, 10 written X
            digit = "0123456789X"[-sum((10 - i) * int(d) for i, d in enumerate(body)) % 11]
        fixed = value[:-1] + digit
        return (
            N_("{key_} '{value}': its check digit does not fit the other digits"),
            N_(
                "if the other digits are right it is {fixed}; else copy the ISBN from the"
                " copyright page"
            ),
            fixed,
        )
    except InvalidLength:
        return N_("{key_} '{value}': an ISBN has 10 or 13 digits"), copy, ""
    except InvalidComponent:
        return N_("{key_} '{value}': an ISBN-13 starts with 978 or 979"), copy, ""
    except ValidationError:
        pass
    return N_("{key_} '{value}': not an ISBN (digits, hyphens, and X last in an ISBN-10)"), copy, ""


def check_config(book: Book) -> list[Diagnostic]:
    findings: list[Diagnostic] = []

    def add(code: str, message: str, key: tuple, hint: str, **arguments) -> None:
        line, col = book.config_lines.get(key + (VALUE,), book.config_lines.get(key, (1, 1)))
        findings.append(finding(code, message, book.config_path, line, col, hint, **arguments))

    _check_numbers(book, add)
    _check_cip(book, add)
    _check_dates_and_names(book, add)
    return findings


def _check_numbers(book: Book, add) -> None:
    """ISBNs (B005, B008), CLC numbers (B009) and the CIP approval number (B010)."""
    isbns = [(("isbn",), book.isbn), (("eisbn",), book.eisbn)]
    isbns.append((("volume", "set_isbn"), book.volume.set_isbn if book.volume else ""))
    for key, value in isbns:
        if value and not stdisbn.is_valid(value):
            message, hint, fixed = _isbn_problem(value)
            add("B005", message, key, hint, key_=".".join(key), value=value, fixed=fixed)
    if book.isbn and book.eisbn and stdisbn.compact(book.isbn) == stdisbn.compact(book.eisbn):
        add(
            "B008",
            "eisbn is the same as the print isbn",
            ("eisbn",),
            "an e-book has its own ISBN; leave eisbn out if it has none",
        )
    for n, number in enumerate(book.cip.classifications):
        if not CLC.match(number):
            fixed = number.replace("—", "-").replace("－", "-")
            add(
                "B009",
                "CLC number '{number}' is malformed",
                ("cip", "classifications", n),
                N_("write it as '{fixed}'") if CLC.match(fixed) else N_("e.g. D630.1 or D63-39"),
                number=number,
                fixed=fixed,
            )
    number = book.cip.number
    if number and approval_year(number) is None:
        add(
            "B010",
            "CIP number '{number}' is malformed",
            ("cip", "number"),
            "write （2017）第 035467 号 as 2017-035467, and 第2024AB1234号 as 2024AB1234",
            number=number,
        )


def _check_dates_and_names(book: Book, add) -> None:
    """Dates (B011), language tags (B012) and the identifier (B018)."""
    dates = [(("date",), book.date)]
    dates += [
        ((k, "date"), getattr(book, k).date) for k in ("edition", "printing") if getattr(book, k)
    ]
    for key, value in dates:
        if value and not is_w3c_date(value):
            add(
                "B011",
                "'{value}' is not a W3C date",
                key,
                "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2017-02",
                value=value,
            )
    languages = [(("language",), book.language)]
    if book.original and book.original.language:
        languages.append((("original", "language"), book.original.language))
    for key, language in languages:
        if language and not LANGUAGE_TAG.match(language):
            add(
                "B012",
                "'{language}' is not a language tag",
                key,
                "e.g. zh-CN, zh-Hans, zh-TW, en",
                language=language,
            )
    if book.uid and not _usable_identifier(book.uid):
        add(
            "B018",
            "'{value}' cannot be the book's identifier",
            ("uid",),
            "write a URI such as urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e (or leave uid out)",
            value=book.uid[:60],
        )


# What a URI may hold (RFC 3986: no space, quote, angle bracket or control character).
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\"<>\\^`{|}\x00-\x1f\x7f]+$")


def _usable_identifier(uid: str) -> bool:
    """A URI, and a urn:uuid: one with a real UUID (EPUBCheck OPF-085)."""
    if not _URI.match(uid):
        return False
    if uid.lower().startswith("urn:uuid:"):
        import uuid

        try:
            uuid.UUID(uid[9:])
        except ValueError:
            return False
        return len(uid) == 45
    return True


def _check_cip(book: Book, add: Callable[..., None]) -> None:
    """The CIP data against itself and the rest of book.yaml (C001–C008 but C003, which needs
    the previous edition)."""
    cip = book.cip
    for key, value, allowed in (
        ("standard", cip.standard, tuple(LAYOUTS)),
        ("single_points", cip.single_points, ("circled", "plain")),
    ):
        if value and value not in allowed:
            add(
                "C001",
                "cip.{key_} '{value}' is not one of {allowed}",
                ("cip", key),
                "write one of {allowed}, or leave it out",
                key_=key,
                value=value,
                allowed=", ".join(allowed),
            )
    edition = book.edition.number if book.edition else 1
    for n, revision in enumerate(book.revisions):
        if revision.edition > edition:
            add(
                "C002",
                "revisions describe edition {revision} but edition.number is {edition}: the CIP "
                "block prints no statement of edition {revision}",
                ("revisions", n, "edition"),
                "set edition: {{number: {revision}, date: …}}",
                revision=revision.edition,
                edition=edition,
            )
            break
    year = approval_year(cip.number)
    published = int(book.date[:4]) if book.date[:4].isdigit() else None
    if year and published and not published - 1 <= year <= published:
        add(
            "C004",
            "CIP approval year {year} does not fit publication year {published}",
            ("cip", "number"),
            "copy the approval number this book's CIP data was given",
            year=year,
            published=published,
        )
    layout = layout_for(cip)
    if cip.number and 2 in layout.retrieval and not cip.subjects:
        add(
            "C005",
            "the CIP data has no subject headings (cip.subjects)",
            ("cip",),
            "copy the subject headings (检索数据 Ⅲ) of the CIP data: subjects: [主题—复分]",
        )
    translator = next((n for n, c in enumerate(book.contributors) if c.role == "trl"), None)
    if translator is not None and not book.original:
        add(
            "C006",
            "the book names a translator but no original title",
            ("contributors", translator),
            "add original: {{title: …, language: en}}",
        )
    if book.series and book.series.issn and not stdissn.is_valid(book.series.issn):
        add(
            "C007",
            "series ISSN '{value}' is not valid",
            ("series", "issn"),
            "copy the ISSN as NNNN-NNNC; the last character is a check digit",
            value=book.series.issn,
        )
    if cip.standard == "2001" and (year or 0) >= 2024:
        add(
            "C008",
            "cip.standard is 2001 but the CIP data was approved in {year}",
            ("cip", "standard"),
            "leave cip.standard out: the approval number gives the layout",
            year=year,
        )
