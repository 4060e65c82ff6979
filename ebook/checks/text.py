"""Checks of Chinese text: half-width punctuation, unpaired marks, print leftovers."""

from __future__ import annotations

import re

from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.model import Chapter
from . import source

CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# Half-width punctuation with Chinese on both sides (a space may follow it). The look-behind
# comes after the mark: a pattern that starts with a character set is searched for quickly.
HALF_WIDTH = re.compile(rf"([,;:?!()])(?<={CJK}[,;:?!()])(?= ?{CJK})")
PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}
_MARKS = re.compile("[" + "".join(PAIRS) + "".join(CLOSERS) + "]")
PRINT_MARKER = re.compile(r"\^\{?[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]+\}?")
PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*)?\d{1,4}(?:\s*[-—–])?\s*$")


def check_text(chapter: Chapter) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    for paragraph in source.paragraphs(chapter):
        findings += _unpaired(chapter, paragraph)
        for line in paragraph:
            for match in HALF_WIDTH.finditer(line.text):
                char = match.group(1)
                findings.append(
                    finding(
                        "T001",
                        "half-width '{char}' between Chinese characters",
                        chapter.path,
                        line.number,
                        match.start(1) + 1,
                        "use the full-width '{FULL_WIDTH}'",
                        char=char,
                        FULL_WIDTH=FULL_WIDTH[char],
                    )
                )
            for match in PRINT_MARKER.finditer(line.text):
                findings.append(
                    finding(
                        "T003",
                        "print note marker '{value}' left in the text",
                        chapter.path,
                        line.number,
                        match.start() + 1,
                        "make it a Markdown note: [^label] here and '[^label]: text' below",
                        value=match.group(0),
                    )
                )
        if len(paragraph) == 1 and PAGE_NUMBER.match(paragraph[0].text):
            findings.append(
                finding(
                    "T004",
                    "a line with only '{value}': a print page number?",
                    chapter.path,
                    paragraph[0].number,
                    1,
                    "delete it if it is one",
                    value=paragraph[0].text.strip(),
                )
            )
    return findings


_PAIRED = re.compile("|".join(re.escape(open_ + close) for open_, close in PAIRS.items()))


def _balanced(marks: str) -> bool:
    """True when the marks pair up, properly nested: innermost pairs removed until none is
    left (most paragraphs; far quicker than the walk that says where they do not)."""
    while marks:
        fewer = _PAIRED.sub("", marks)
        if fewer == marks:
            return False
        marks = fewer
    return True


def _unpaired(chapter: Chapter, paragraph: list[source.SourceLine]) -> list[Diagnostic]:
    """Opening and closing marks must pair up, properly nested, within a paragraph."""
    if _balanced("".join(m for line in paragraph for m in _MARKS.findall(line.text))):
        return []
    stack: list[tuple[str, int, int]] = []
    findings = []
    for line in paragraph:
        for match in _MARKS.finditer(line.text):
            char, column = match.group(), match.start() + 1
            if char in PAIRS:
                stack.append((char, line.number, column))
            elif char in CLOSERS:
                if stack and stack[-1][0] == CLOSERS[char]:
                    stack.pop()
                else:
                    findings.append(
                        finding(
                            "T002",
                            "'{char}' closes nothing opened in this paragraph",
                            chapter.path,
                            line.number,
                            column,
                            "add the opening '{CLOSERS}' or remove this mark",
                            char=char,
                            CLOSERS=CLOSERS[char],
                        )
                    )
    for char, line_number, column in stack:
        findings.append(
            finding(
                "T002",
                "'{char}' is not closed in this paragraph",
                chapter.path,
                line_number,
                column,
                "add the closing '{PAIRS}'",
                char=char,
                PAIRS=PAIRS[char],
            )
        )
    return findings
