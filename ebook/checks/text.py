"""Checks of Chinese text: half-width punctuation, unpaired marks, print leftovers."""

from __future__ import annotations

import re

from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.i18n import N_
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
# GB/T 15834 marks typed with a keyboard's stand-ins, next to Chinese (the mark in group 1):
# straight double quotes, `...`/`。。。`/a lone `…` for 省略号, `--`/a lone `—` for 破折号,
# and a space between Chinese and full-width punctuation.
_NEAR = rf"(?<={CJK}){{mark}}|{{mark}}(?={CJK})"
TYPESETTING = (
    (
        "T006",
        re.compile(_NEAR.format(mark='(")')),
        N_("straight quote '\"' in Chinese text"),
        N_("use the Chinese quotation marks “ ”"),
    ),
    (
        "T007",
        re.compile(_NEAR.format(mark=r"(\.{3,}|。{3,}|(?<!…)…(?!…))")),
        N_("'{mark}' used as 省略号"),
        N_("write the ellipsis as …… (two U+2026)"),
    ),
    (
        "T008",
        re.compile(_NEAR.format(mark=r"(-{2,}|(?<![—-])—(?![—-]))")),
        N_("'{mark}' used as 破折号"),
        N_("write the dash as —— (two U+2014)"),
    ),
    (
        "T010",
        re.compile(
            rf"(?<={CJK})([ \t]+)(?=[，。、；：？！）」』”》])|(?<=[（「『“《])([ \t]+)(?={CJK})"
        ),
        N_("space between Chinese text and full-width punctuation"),
        N_("delete the space: full-width punctuation carries its own"),
    ),
)
# A pair of brackets of mixed widths: （…) or (…）.
_MIXED_PAIR = re.compile(r"（[^（）()\n]*(\))|\([^（）()\n]*(）)")


def check_text(chapter: Chapter) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    written = chapter.body.split("\n")
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
            findings += _typesetting(chapter, line, written[line.number - chapter.body_line])
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


# Markup whose quotes are not the text's: raw HTML tags, a link's title, attribute lists
# (`## 标题 {aliases="旧"}`).
_MARKUP = re.compile(
    r"</?[A-Za-z][^<>\n]*>|\]\([^()\s]*\s+(?:\"[^\"]*\"|'[^']*')\)|\{:?\s*[#.A-Za-z_][^{}\n]*\}"
)


def _typesetting(chapter: Chapter, line: source.SourceLine, raw: str) -> list[Diagnostic]:
    """Keyboard stand-ins for Chinese punctuation (T006-T010), each at its column; `raw` is
    the line as written (code blanked in `line.text` is no space of the text's)."""
    findings = []
    text = line.text
    if "<" in text or "](" in text or "{" in text:
        text = _MARKUP.sub(lambda found: " " * len(found.group(0)), text)
    for code, pattern, message, hint in TYPESETTING:
        for match in pattern.finditer(text):
            group = next(n for n in range(1, (pattern.groups or 0) + 1) if match.group(n))
            if code == "T010" and raw[match.start(group) : match.end(group)].strip():
                continue  # blanked code or markup, not a space the author typed
            findings.append(
                finding(
                    code,
                    message,
                    chapter.path,
                    line.number,
                    match.start(group) + 1,
                    hint,
                    mark=match.group(group),
                )
            )
    for match in _MIXED_PAIR.finditer(text):
        group = 1 if match.group(1) else 2
        findings.append(
            finding(
                "T009",
                "'{mark}' closes a bracket of the other width",
                chapter.path,
                line.number,
                match.start(group) + 1,
                "close （ with ） and ( with )",
                mark=match.group(group),
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
