"""Checks of book.yaml's values: identifiers, classification, dates, language, file list."""

from __future__ import annotations

import re

from stdnum import isbn as stdisbn

from ..codes import finding
from ..errors import Diagnostic
from ..i18n import N_
from ..manuscript import VALUE, is_w3c_date
from ..model import Book

# 中图法: class letters, digits with '.' groups, then subdivisions: -digits (总论复分),
# =digits (时代), (digits) (地区), "digits" (民族), <digits> (通用时间地点), :class (组配).
CLC = re.compile(
    r"^[A-Z]{1,2}(?:\d+(?:\.\d+)*)?"
    r"(?:-\d+(?:\.\d+)*|=\d+(?:\.\d+)*|\(\d+(?:\.\d+)*\)|\"\d+\"|<\d+>|:[A-Z]{1,2}\d+(?:\.\d+)*)*$"
)
CIP_NUMBER = re.compile(r"^\d{4}-\d{6}$")
LANGUAGE = re.compile(
    r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*$"
)


def check_config(book: Book) -> list[Diagnostic]:
    findings: list[Diagnostic] = []

    def add(code: str, message: str, key: tuple, hint: str, **arguments) -> None:
        line, col = book.config_lines.get(key + (VALUE,), book.config_lines.get(key, (1, 1)))
        findings.append(finding(code, message, book.config_path, line, col, hint, **arguments))

    for key in ("isbn", "eisbn"):
        value = getattr(book, key)
        if value and not stdisbn.is_valid(value):
            try:
                stdisbn.validate(value)
                reason = "is not valid"
            except Exception as exc:  # stdnum's ValidationError subclasses say what is wrong
                reason = str(exc).rstrip(".").lower() or "is not valid"
            add(
                "B005",
                "{key_} '{value}': {reason}",
                (key,),
                "copy the ISBN from the copyright page; the last digit is a check digit",
                key_=key,
                value=value,
                reason=reason,
            )
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
    if book.cip.number and not CIP_NUMBER.match(book.cip.number):
        add(
            "B010",
            "CIP number '{number}' is malformed",
            ("cip", "number"),
            "write （2017）第 035467 号 as 2017-035467",
            number=book.cip.number,
        )
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
    if book.language and not LANGUAGE.match(book.language):
        add(
            "B012",
            "'{language}' is not a language tag",
            ("language",),
            "e.g. zh-CN, zh-Hans, zh-TW, en",
            language=book.language,
        )
    return findings
