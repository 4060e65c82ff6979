"""Chinese numerals and heading labels (第一章, 第二节, 一、, （一）)."""

from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
_VALUES = {c: i for i, c in enumerate(DIGITS)} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = "[零〇一二两三四五六七八九十百千]+"

# (kind, pattern): the label a heading starts with, its number in group 1.
LABELS = [
    ("第章", re.compile(rf"^第({NUMERAL})章")),
    ("第节", re.compile(rf"^第({NUMERAL})节")),
    ("一、", re.compile(rf"^({NUMERAL})、")),
    ("（一）", re.compile(rf"^[（(]({NUMERAL})[）)]")),
]


def parse_numeral(text: str) -> int | None:
    """'十二' -> 12, '一百零五' -> 105, '二〇' -> 20 (digit by digit); None if not a numeral."""
    if not text or any(c not in _VALUES and c not in _UNITS for c in text):
        return None
    if not any(c in _UNITS for c in text):
        return int("".join(str(_VALUES[c]) for c in text))
    total, current = 0, 0
    for char in text:
        if char in _VALUES:
            current = _VALUES[char]
        else:
            total += (current or 1) * _UNITS[char]
            current = 0
    return total + current


def format_numeral(number: int) -> str:
    """12 -> '十二', 20 -> '二十', 105 -> '一百零五' (as headings write them)."""
    if number < 10:
        return DIGITS[number]
    if number < 20:
        return "十" + (DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        return DIGITS[number // 10] + "十" + (DIGITS[number % 10] if number % 10 else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        return DIGITS[hundreds] + "百"
    tail = (
        ("零" + DIGITS[rest])
        if rest < 10
        else ("一" + format_numeral(rest) if rest < 20 else format_numeral(rest))
    )
    return DIGITS[hundreds] + "百" + tail


def heading_label(text: str) -> tuple[str, int] | None:
    """Return (label kind, number) for a numbered Chinese heading, else None."""
    for kind, pattern in LABELS:
        match = pattern.match(text.strip())
        if match:
            number = parse_numeral(match.group(1))
            if number is not None:
                return kind, number
    return None


def make_label(kind: str, number: int) -> str:
    numeral = format_numeral(number)
    return {
        "第章": f"第{numeral}章",
        "第节": f"第{numeral}节",
        "一、": f"{numeral}、",
        "（一）": f"（{numeral}）",
    }[kind]


def circled(number: int) -> str:
    """Return ① … ㊿ for 1-50; plain digits beyond what Unicode encodes."""
    if 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if 21 <= number <= 35:
        return chr(0x3251 + number - 21)
    if 36 <= number <= 50:
        return chr(0x32B1 + number - 36)
    return str(number)
