"""Plain paragraphs go straight to Python-Markdown's paragraph processor.

Python-Markdown offers each block to every block processor in turn, fourteen here, before the
paragraph processor takes it; in a Chinese book nearly every block is a paragraph. Each of
those processors wants a line (or the block) to start with its own mark: `#`, `>`, `|`, `:`,
`[`, a digit, one of `-*+_=`, four spaces, a blank, an HTML placeholder. A block whose every
line starts with a Chinese character or a full-width mark has none of them, so it goes to the
paragraph processor at once: the same tree, only sooner (tested with hypothesis against every
processor tried). With a block processor this module does not know (another extension's), it
steps aside.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

# What a plain line may start with: CJK ideographs, CJK and full-width punctuation (not the
# full-width digits: `\d` matches them), curly quotes, the dash and the ellipsis.
_PLAIN = (
    "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff5e"
    "\u2018\u2019\u201c\u201d\u2014\u2026"
)
_NOT_PLAIN_LINE = re.compile(rf"(?:\A|\n)(?![{_PLAIN}])")

# The block processors whose marks _PLAIN leaves out (Python-Markdown's own, and those of the
# tables, def_list, fenced_code and md_in_html extensions).
KNOWN = frozenset(
    "empty indent defindent code table hashheader setextheader hr olist ulist deflist quote"
    " reference paragraph markdown_block".split()
)
NAME = "ebook_plain_paragraphs"


class _PlainParagraphs(BlockProcessor):
    def __init__(self, parser) -> None:
        super().__init__(parser)
        self.known: bool | None = None

    def test(self, parent, block: str) -> bool:
        if self.known is None:  # every extension has registered its processors by now
            processors = self.parser.blockprocessors
            self.known = len(processors) == len(KNOWN) + 1 and all(n in processors for n in KNOWN)
        return self.known and not _NOT_PLAIN_LINE.search(block)

    def run(self, parent, blocks: list[str]) -> None:
        self.parser.blockprocessors["paragraph"].run(parent, blocks)


class PlainParagraphsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.parser.blockprocessors.register(_PlainParagraphs(md.parser), NAME, 200)
