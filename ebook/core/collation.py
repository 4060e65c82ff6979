"""The orders of a Chinese index: by pinyin (the reading of each character in its word, then
its tone) or by strokes (the stroke count, then the order of the strokes), with the group
each term is listed under (A, B, … or 一画, 二画, …).

Terms in Latin letters file under their letter among the pinyin; digits and symbols come
first, in a group of their own.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from .chinese import format_numeral
from .labels import labels_for

SYMBOLS = ""  # the group of terms that start with a digit or a symbol


# A reading given by hand (`sort="chang2 san1 jiao3"`): a pinyin syllable, its tone optional.
_SYLLABLE = re.compile(r"^([a-zü]+)([1-5]?)$")


def sort_key(term: str, order: str, reading: str = "") -> tuple:
    """What `term` sorts by in an index of `order` ("pinyin" or "strokes"); `reading`, when
    the author gave one, is how the term reads (for a word pypinyin reads wrongly)."""
    return _key(term, order, reading) + (term,)


def pinyin_order(text: str) -> tuple:
    """What `text` sorts by among other texts in pinyin order (a list of references by author):
    each character's reading and tone, Latin letters among them (a tuple of like tuples, so
    that texts of which one begins the other compare)."""
    return _pinyin_key(text)


def group_of(key: tuple, order: str) -> str:
    """The group a term of this sort `key` is listed under: "A"…"Z", a stroke count ("7"), or
    SYMBOLS; by the reading its first character has in the term (重庆 under C, not Z)."""
    first = key[0]
    if not isinstance(first, tuple) or first[0] == 0:
        return SYMBOLS
    if order == "strokes" and first[0] == 2:
        return str(first[1])
    return first[1][:1].upper()


def group_heading(group: str, order: str, language: str) -> str:
    words = labels_for(language)
    if group == SYMBOLS:
        return words["index_symbols"]
    if order == "strokes" and group.isdigit():
        count = int(group)
        number = format_numeral(count) if words["index_strokes"].endswith("画") else str(count)
        return words["index_strokes"].format(number)
    return group


def _key(term: str, order: str, reading: str) -> tuple:
    if order == "strokes":
        return _strokes_key(term)
    if reading:
        return tuple(_reading_key(part) for part in reading.split())
    return _pinyin_key(term)


def _reading_key(part: str) -> tuple:
    found = _SYLLABLE.match(part.lower())
    if not found:
        return _pinyin_key(part)[0] if part else (0, "", 0, (0, 0), "")
    return (1, found.group(1), int(found.group(2) or 5), (0, 0), "")


def _latin_or_symbol(char: str) -> tuple:
    if char.isascii() and char.isalpha():
        return (1, char.lower(), 0, (0, 0), char)
    return (0, char, 0, (0, 0), char)


def _pinyin_key(term: str) -> tuple:
    # Imported here: only a book with an index needs it (its phrase dictionary is large).
    from pypinyin import Style, lazy_pinyin

    def readings(text: str) -> list[str]:
        return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=list)

    found = readings(term)
    if len(found) != len(term):  # (pypinyin keeps one reading per character; never else)
        found = [reading for char in term for reading in readings(char)[:1]]
    key = []
    order = _stroke_order()
    for reading, char in zip(found, term, strict=False):
        if reading != char and reading[-1:].isdigit():
            # Characters of one reading by their strokes (治 before 智), as dictionaries do.
            key.append((1, reading[:-1], int(reading[-1]), order.get(char, (99, 0)), char))
        else:
            key.append(_latin_or_symbol(char))
    return tuple(key)


def _strokes_key(term: str) -> tuple:
    order = _stroke_order()
    key = []
    for char in term:
        if char in order:
            key.append((2, *order[char], char))
        else:
            key.append(_latin_or_symbol(char))
    return tuple(key)


@functools.cache
def _stroke_order() -> dict[str, tuple[int, int]]:
    """Character -> (stroke count, place among the characters of that count), from
    data/strokes.txt (see scripts/stroke_order.py for its source)."""
    text = resources.files(__package__).joinpath("data/strokes.txt").read_text("utf-8")
    order = {}
    for line in text.splitlines():
        count, _, chars = line.partition("\t")
        for place, char in enumerate(chars):
            order[char] = (int(count), place)
    return order
