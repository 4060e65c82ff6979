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

_OPENING = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^\s`{,]*)[\s,].*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


class FencesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown API)
        # Before math (27) and fenced code (25) read the fences.
        md.preprocessors.register(_InfoStrings(md), "ebook_fence_info", 28)


class _InfoStrings(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fence = ""  # the fence of the open code block
        for line in lines:
            mark = _FENCE.match(line)
            if mark and not fence:
                fence = mark.group(1)
                opening = _OPENING.match(line)
                if opening and not line.strip().startswith(fence + "{"):
                    line = opening.group(1) + opening.group(2) + opening.group(3)
            elif mark and mark.group(1).startswith(fence[0]) and len(mark.group(1)) >= len(fence):
                if not line.strip()[len(mark.group(1)) :].strip():
                    fence = ""
            out.append(line)
        return out
