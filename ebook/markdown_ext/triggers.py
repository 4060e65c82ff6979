"""Only the inline patterns a text can match: each needs a character the text may lack.

Python-Markdown tries every inline pattern on every piece of text, and most of a Chinese book's
paragraphs contain none of the characters those patterns start from (`` ` $ \\ [ { ! < & * _``).
Twice over, the output the same, only sooner (tested against every pattern tried on every
text, with hypothesis):
- per document: the characters of the source and of what the preprocessors made of it are
  known before any inline text is, and a pattern whose characters are in neither is left out.
  Every inline text comes from those texts (block processors split them, they do not invent
  any);
- per text: a text holding none of the characters the document's patterns need is left as it
  is, without trying each pattern in turn.
Patterns this table does not know are always kept, and a document with one of them tries every
pattern on every text.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import Registry

# Inline pattern -> the characters one of which every match contains (a string of one or more
# of them, or a tuple of longer strings).
NEEDS: dict[str, str | tuple[str, ...]] = {
    "backtick": "`",
    "ebook_math": "$",
    "escape": "\\",
    "ebook_noteref": "[",
    "reference": "[",
    "ebook_lang": "[",
    "ebook_page": "{",
    "link": "[",
    "image_link": "!",
    "image_reference": "!",
    "short_reference": "[",
    "short_image_ref": "!",
    "autolink": "<",
    "automail": "<",
    "html": "<",
    "entity": "&",
    "em_strong": "*_",
    "linebreak": ("  \n",),
}
TRIGGERS = frozenset(t for needs in NEEDS.values() for t in needs)


def _present(lines: list[str]) -> set[str]:
    text = "\n".join(lines)
    return {t for t in TRIGGERS if t in text}


class _Source(Preprocessor):
    """Runs first: notes which trigger characters the source has (preprocessors take some
    text out to render it later, note definitions for one)."""

    def __init__(self, md: Markdown, choose: _Choose) -> None:
        super().__init__(md)
        self.choose = choose

    def run(self, lines: list[str]) -> list[str]:
        self.choose.source = _present(lines)
        return lines


class _Choose(Preprocessor):
    """Runs last: gives the inline processor the patterns this document's text can match,
    the source's as well as what the preprocessors made of it."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.source: set[str] = set(TRIGGERS)
        self.chosen: dict[frozenset[str], tuple[Registry, re.Pattern | None]] = {}

    def run(self, lines: list[str]) -> list[str]:
        present = frozenset(self.source | _present(lines))
        chosen = self.chosen.get(present)
        if chosen is None:
            registry = Registry()
            patterns = self.md.inlinePatterns
            needed: set[str] | None = set()
            # A copy: looking an item up sorts the registry's list in place.
            for item in list(patterns._priority):
                needs = NEEDS.get(item.name)
                if needs is None:
                    needed = None  # a pattern of unknown needs: every text tries every one
                elif any(t in present for t in needs):
                    if needed is not None:
                        needed.update(needs)
                else:
                    continue
                registry.register(patterns[item.name], item.name, item.priority)
            may_match = re.compile("|".join(map(re.escape, sorted(needed)))) if needed else None
            chosen = self.chosen[present] = (registry, may_match)
        inline = self.md.treeprocessors["inline"]
        inline.inlinePatterns, inline.may_match = chosen
        self.source = set(TRIGGERS)  # a conversion without _Source first keeps everything
        return lines


class _TextsThatMayMatch(InlineProcessor):
    """Python-Markdown's inline processor, which leaves a text none of the document's patterns
    can match as it is."""

    may_match: re.Pattern | None = None

    # The name Python-Markdown's private __handleInline has in its class: every text goes
    # through it. Were it renamed, this would not be called and every text tried, as before.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if self.may_match is not None and not self.may_match.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


class TriggersExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        choose = _Choose(md)
        priority = next(i.priority for i in md.treeprocessors._priority if i.name == "inline")
        md.treeprocessors.register(_TextsThatMayMatch(md), "inline", priority)
        md.preprocessors.register(_Source(md, choose), "ebook_trigger_source", 1000)
        md.preprocessors.register(choose, "ebook_triggers", -1000)
