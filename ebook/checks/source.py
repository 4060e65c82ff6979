"""Reading a chapter's Markdown source line by line, as the checks need it."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from ..core.model import Chapter

_BACKTICKS = re.compile(r"`+")
# A link's destination and its closing parenthesis: text of no language.
_DESTINATION = re.compile(r"(?<=\]\()[^()\s]*\)")
# A span's attributes (`[互联网+]{.index term="治理!政府治理"}`): markup, not text.
_SPAN_ATTRIBUTES = re.compile(r"(?<=\])\{[^{}\n]*\}")
ATX_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_ATTR_LIST = re.compile(r"\s*\{[^}]*\}\s*$")
HEADING_ID = re.compile(r"\{[^}]*#([^\s}]+)[^}]*\}\s*$")


class SourceLine(NamedTuple):  # a tuple: a chapter has thousands, made on every render
    number: int  # line in the user's file, front matter included
    text: str  # with inline code blanked out (same length, so columns still match)


def lines(chapter: Chapter) -> tuple[SourceLine, ...]:
    """The body's lines, code blocks and formulas blanked (where the parser finds them) and
    inline code and link destinations (`](ch02.md#第一节)`) replaced by spaces.

    Every check reads them, so they are scanned once per chapter.
    """
    return _scan(chapter)


# A body without these can hold no code, formula or link: its lines are checked as they are.
_MAYBE_CODE = re.compile(r"[`~$\t]|\]\(|\]\{|\\<|^ {4}|\n {4}")


@functools.lru_cache(maxsize=64)
def _scan(chapter: Chapter) -> tuple[SourceLine, ...]:
    if not _MAYBE_CODE.search(chapter.body):
        return tuple(map(SourceLine, itertools.count(chapter.body_line), _split(chapter.body)))
    return _scan_lines(chapter)


def _scan_lines(chapter: Chapter) -> tuple[SourceLine, ...]:
    # Imported here: a check whose chapters hold no code reads them without the parser.
    from ..render.parser import code_lines

    code = code_lines(chapter.body)
    return tuple(
        SourceLine(chapter.body_line + offset, "" if offset in code else _without_code_spans(raw))
        for offset, raw in enumerate(_split(chapter.body))
    )


def _split(body: str) -> list[str]:
    """The body's lines as the parser counts them: split at '\n' only."""
    return body.removesuffix("\n").split("\n") if body else []


def _without_code_spans(raw: str) -> str:
    """Inline code, an escaped `<`, span attributes and link destinations blanked (same
    length, so columns still match)."""
    text = _blank_code_spans(raw).replace("\\<", "  ")
    text = _SPAN_ATTRIBUTES.sub(_blank, text)
    return _DESTINATION.sub(_blank, text)


def _blank(found: re.Match) -> str:
    return " " * len(found.group(0))


def _blank_code_spans(line: str) -> str:
    """Code spans replaced by spaces: a run of backticks opens one that the next run of the
    same length closes (CommonMark 6.1). One pass over the runs, so a line of backticks costs
    linear time (a backtracking pattern took minutes on one)."""
    if "`" not in line:
        return line
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    blanked = list(line)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        following = bisect.bisect_right(same, index)
        if following == len(same):
            index += 1  # no closing run: the backticks are text
            continue
        close = runs[same[following]][1]
        blanked[start:close] = " " * (close - start)
        index = same[following] + 1
    return "".join(blanked)


@dataclass(frozen=True)
class SourceHeading:
    line: int
    level: int
    text: str  # without {attribute list}
    explicit_id: str | None


def headings(chapter: Chapter) -> list[SourceHeading]:
    """ATX headings ('## Title {#id}') of the body, with their lines."""
    return list(_headings(chapter))


@functools.lru_cache(maxsize=64)
def _headings(chapter: Chapter) -> tuple[SourceHeading, ...]:
    found = []
    for line in lines(chapter):
        # The test first: most lines are not headings, and the pattern is slow to say so.
        if not line.text.startswith("#"):
            continue
        match = ATX_HEADING.match(line.text)
        if not match:
            continue
        title = match.group(2)
        explicit = HEADING_ID.search(title)
        found.append(
            SourceHeading(
                line.number,
                len(match.group(1)),
                _ATTR_LIST.sub("", title).strip(),
                explicit.group(1) if explicit else None,
            )
        )
    return tuple(found)


def paragraphs(chapter: Chapter) -> Iterator[list[SourceLine]]:
    """Yield runs of non-blank lines (paragraphs, quotes, headings, note definitions)."""
    block: list[SourceLine] = []
    for line in lines(chapter):
        if line.text.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block
