"""Plain text of a printed book as numbered lines and paragraphs."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CIRCLED = "\u2460-\u2473"  # ①-⑳: markers restart on each page, so twenty are plenty
_CJK_END = re.compile(rf"[{CJK}，。、；：！？“”‘’（）《》…—]$")
_CJK_START = re.compile(rf"^[{CJK}，。、；：！？“”‘’（）《》…—]")


@dataclass
class Paragraph:
    """Consecutive non-blank lines: `line` is the first one's number in the text (1-based)."""

    line: int
    lines: list[str]

    @functools.cached_property
    def text(self) -> str:
        """The lines joined; no space where a CJK line was broken (read once the paragraph
        is complete: it is computed once, in time linear in its length)."""
        pieces: list[str] = []
        for part in (line.strip() for line in self.lines):
            if pieces and not (_CJK_END.search(pieces[-1][-1:]) and _CJK_START.search(part)):
                pieces.append(" ")
            if part:
                pieces.append(part)
        return "".join(pieces)


def paragraphs(text: str) -> list[Paragraph]:
    result: list[Paragraph] = []
    current: Paragraph | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if current is None:
                current = Paragraph(number, [])
                result.append(current)
            current.lines.append(line)
        else:
            current = None
    return result


def squash(text: str) -> str:
    """Text without any white space, for comparing what OCR spaced differently."""
    return re.sub(r"\s+", "", text)


def join_cjk(before: str, after: str) -> str:
    """Join the two halves of a paragraph a page break cut; no space between CJK."""
    if _CJK_END.search(before) or _CJK_START.search(after):
        return before + after
    return before + " " + after
