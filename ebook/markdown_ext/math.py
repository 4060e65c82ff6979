"""TeX math: `$…$` in the text, `$$…$$` and ```` ```math ```` blocks, marked here and turned
into MathML by the renderer (latex2mathml), after the HTML of the chapter has been mended:
MathML is not HTML, so it must not go through the HTML parser.

The marks are empty elements carrying the index of their TeX source in `MathExtension.sources`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

MATH_ATTR = "data-ebook-math"
# Inline: `$x$` with no space just inside the dollars and no digit right after (so that
# "$5 and $10" stays text, as pandoc reads it).
INLINE = re.compile(r"(?<![\\$])\$(?=\S)([^$\n]+?)(?<=\S)\$(?!\d)")
_DISPLAY_ONE_LINE = re.compile(r"^\s*\$\$(.+)\$\$\s*$")
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*math\s*$")


class MathExtension(Extension):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.reset()

    def reset(self) -> None:
        self.sources: list[tuple[str, bool]] = []  # (TeX, display)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown API)
        md.registerExtension(self)
        # Before fenced code (25) takes ```math blocks as code.
        md.preprocessors.register(_DisplayMath(md, self), "ebook_math_blocks", 27)
        # Before escapes (180) and code spans (190) would read the TeX's backslashes: after.
        md.inlinePatterns.register(_InlineMath(INLINE.pattern, md, self), "ebook_math", 185)

    def mark(self, tex: str, display: bool) -> str:
        self.sources.append((tex.strip(), display))
        return str(len(self.sources) - 1)


class _DisplayMath(Preprocessor):
    def __init__(self, md: Markdown, ext: MathExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            one_line = _DISPLAY_ONE_LINE.match(line)
            fence = _FENCE.match(line)
            if one_line:
                out += self._block(one_line.group(1))
                i += 1
            elif line.strip() == "$$" or fence:
                closing = "$$" if line.strip() == "$$" else fence.group(1)
                end = next(
                    (j for j in range(i + 1, len(lines)) if lines[j].strip() == closing), None
                )
                if end is None:
                    out.append(line)
                    i += 1
                    continue
                out += self._block("\n".join(lines[i + 1 : end]))
                i = end + 1
            else:
                out.append(line)
                i += 1
        return out

    def _block(self, tex: str) -> list[str]:
        index = self.ext.mark(tex, display=True)
        return ["", f'<div class="math-display" {MATH_ATTR}="{index}"></div>', ""]


class _InlineMath(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, ext: MathExtension) -> None:
        super().__init__(pattern, md)
        self.ext = ext

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 (Python-Markdown API)
        span = ET.Element("span", {"class": "math", MATH_ATTR: self.ext.mark(m.group(1), False)})
        return span, m.start(0), m.end(0)
