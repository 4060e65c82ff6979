"""Checks of raw HTML in the Markdown source: anything scripted. (What the renderer had to
repair comes back with the rendered chapter: checks/rendered.py.)"""

from __future__ import annotations

import html
import re

from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.i18n import N_
from ..core.mending import FORBIDDEN
from ..core.model import Chapter
from . import source

_FORBIDDEN_TAG = re.compile(rf"<({'|'.join(sorted(FORBIDDEN))})\b", re.I)
_EVENT_HANDLER = re.compile(r"<[A-Za-z][^<>]*?\s(on[a-z]+)\s*=", re.I)
_JAVASCRIPT_URL = re.compile(r"(?:(?:href|src)\s*=\s*[\"']?|\]\()\s*(javascript:)", re.I)


def check_html(chapter: Chapter) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    for line in source.lines(chapter):
        if not ("<" in line.text or "&" in line.text or "script" in line.text.lower()):
            continue
        for pattern, code, what, hint in (
            (
                _FORBIDDEN_TAG,
                "H002",
                N_("<{found}> needs scripting or plugins: a book must not need scripting"),
                N_("remove it"),
            ),
            (
                _EVENT_HANDLER,
                "H003",
                N_("event-handler attribute '{found}': a book must not need scripting"),
                N_("remove the attribute"),
            ),
            (
                _JAVASCRIPT_URL,
                "H004",
                N_("'{found}' URL: a book must not need scripting"),
                N_("link to a chapter or a web page instead"),
            ),
        ):
            for match in pattern.finditer(line.text):
                findings.append(
                    finding(
                        code,
                        what,
                        chapter.path,
                        line.number,
                        match.start(1) + 1 - (code == "H002"),
                        hint,
                        found=match.group(1),
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
    return findings
