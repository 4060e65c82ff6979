"""What the XHTML mending changes in the manuscript's raw HTML, at its line in the file.

The raw HTML is parsed as the author wrote it (the parser's HTML blocks and each paragraph's
inline HTML): the whole chapter's parse sees the parser's output, whose lines are not the
file's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..core.mending import TooDeep, parse_fragment
from ..core.model import Chapter, Repair
from .parser import Parsed

_BLOCK_OPEN = re.compile(r"<(div|table|ul|ol|dl|section|aside|blockquote|figure)\b", re.I)
_BLOCK_CLOSE = re.compile(r"</(div|table|ul|ol|dl|section|aside|blockquote|figure)\s*>", re.I)


def html_repairs(chapter: Chapter, parsed: Parsed) -> tuple[Repair, ...]:
    repairs: list[Repair] = []
    for lines in _fragments(parsed):
        try:
            _, found = parse_fragment("\n".join(text for _, text in lines))
        except TooDeep:
            continue  # reported as S006
        for repair in found:
            if "scripting" in repair.message or "javascript:" in repair.message:
                continue  # the checks report these from the source (H002, H004)
            index = min(max(repair.html_line, 1) - 1, len(lines) - 1)
            repairs.append(Repair(chapter.body_line + lines[index][0], repair.message))
    return tuple(repairs)


def _fragments(parsed: Parsed) -> Iterator[list[tuple[int, str]]]:
    """Raw HTML as one fragment each, line by line: inline HTML per paragraph; HTML blocks
    joined while a block element they open is still open (Markdown may stand between a
    `<div>` and its `</div>`)."""
    for line, html in parsed.html_inline:
        yield [(line + n, text) for n, text in enumerate(html.split("\n"))]
    pending: list[tuple[int, str]] = []
    depth = 0
    for line, html in parsed.html_blocks:
        pending += [(line + n, text) for n, text in enumerate(html.rstrip("\n").split("\n"))]
        depth += len(_BLOCK_OPEN.findall(html)) - len(_BLOCK_CLOSE.findall(html))
        if depth <= 0:
            yield pending
            pending, depth = [], 0
    if pending:
        yield pending
