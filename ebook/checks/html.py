"""Checks of raw HTML in the Markdown: what the parser must repair, and anything scripted."""

from __future__ import annotations

import html
import re

from ..codes import finding
from ..errors import Diagnostic
from ..model import Chapter
from ..xhtml import FORBIDDEN, TooDeep, parse_fragment
from . import source

_TAG_START = re.compile(r"</?[A-Za-z]")
_FORBIDDEN_TAG = re.compile(rf"<({'|'.join(sorted(FORBIDDEN))})\b", re.I)
_EVENT_HANDLER = re.compile(r"<[A-Za-z][^<>]*?\s(on[a-z]+)\s*=", re.I)
_JAVASCRIPT_URL = re.compile(r"(?:(?:href|src)\s*=\s*[\"']?|\]\()\s*(javascript:)", re.I)
_BLOCK_OPEN = re.compile(r"<(div|table|ul|ol|dl|section|aside|blockquote|figure)\b", re.I)
_BLOCK_CLOSE = re.compile(r"</(div|table|ul|ol|dl|section|aside|blockquote|figure)\s*>", re.I)


def check_html(chapter: Chapter) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    for line in source.lines(chapter):
        if not ("<" in line.text or "&" in line.text or "script" in line.text.lower()):
            continue
        for pattern, code, what, hint in (
            (_FORBIDDEN_TAG, "H002", "<{}> needs scripting or plugins", "remove it"),
            (_EVENT_HANDLER, "H003", "event-handler attribute '{}'", "remove the attribute"),
            (_JAVASCRIPT_URL, "H004", "'{}' URL", "link to a chapter or a web page instead"),
        ):
            for match in pattern.finditer(line.text):
                findings.append(
                    finding(
                        code,
                        what.format(match.group(1)) + ": a book must not need scripting",
                        chapter.path,
                        line.number,
                        match.start(1) + 1 - (code == "H002"),
                        hint,
                    )
                )
        # A javascript: URL written with character references (&#106;avascript:) or split by
        # tabs is still one once parsed.
        if "&" in line.text or "\t" in line.text:
            plain = html.unescape(line.text).replace("\t", "")
            hidden = len(_JAVASCRIPT_URL.findall(plain)) - len(_JAVASCRIPT_URL.findall(line.text))
            if hidden > 0:
                findings.append(
                    finding(
                        "H004",
                        "'javascript:' URL written with character references or tabs:"
                        " a book must not need scripting",
                        chapter.path,
                        line.number,
                        line.text.find("&") + 1 if "&" in line.text else 1,
                        "link to a chapter or a web page instead",
                    )
                )
    for block in _html_blocks(chapter):
        text = "\n".join(line.text for line in block)
        try:
            _, repairs = parse_fragment(text)
        except TooDeep:
            continue  # the renderer reports it (S006)
        for repair in repairs:
            if "scripting" in repair.message or "javascript:" in repair.message:
                continue  # reported above as H002 or H004
            index = max(repair.html_line, 1) - 1
            findings.append(
                finding(
                    "H001",
                    f"raw HTML repaired: {repair.message}",
                    chapter.path,
                    block[min(index, len(block) - 1)].number,
                    1,  # the parser reports lines of the block, not columns of the source
                    "write well-formed HTML (or Markdown); `\\<` writes a literal '<'",
                )
            )
    return findings


def _html_blocks(chapter: Chapter):
    """Paragraphs that hold raw HTML, joined while a block element is still open."""
    pending: list[source.SourceLine] = []
    depth = 0
    for paragraph in source.paragraphs(chapter):
        text = "\n".join(line.text for line in paragraph)
        if not pending and not _TAG_START.search(text):
            continue
        pending += paragraph
        depth += len(_BLOCK_OPEN.findall(text)) - len(_BLOCK_CLOSE.findall(text))
        if depth <= 0:
            yield pending
            pending, depth = [], 0
    if pending:
        yield pending
