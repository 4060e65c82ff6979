"""Code fences as CommonMark reads them: the info string's first word is the language, the
rest (mdBook's ```` ```rust,ignore ````, a title, line numbers) is the site's business.

Python-Markdown's fenced_code takes only a bare word after the fence; anything more and the
fence is not one, so the code spills into the text and the next fence pairs wrongly.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .syntax import fenced

_OPENING = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^\s`{,]*)[\s,].*$")


class FencesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown API)
        # Before math (27) and fenced code (25) read the fences.
        md.preprocessors.register(_InfoStrings(md), "ebook_fence_info", 28)


class _InfoStrings(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line, _, opening in fenced(lines):
            info = _OPENING.match(line) if opening else None
            if info and not line.strip().startswith(info.group(2) + "{"):
                line = info.group(1) + info.group(2) + info.group(3)
            out.append(line)
        return out
