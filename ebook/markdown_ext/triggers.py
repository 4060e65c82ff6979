"""Only the inline patterns a document can match: each needs a character the text may lack.

Python-Markdown tries every inline pattern on every piece of text, and most of a Chinese book's
paragraphs contain none of the characters those patterns start from (`` ` $ \\ [ { ! < & * _``).
The characters of the source and of what the preprocessors made of it are known before any
inline text is: a pattern whose character is in neither cannot match anywhere, so it is left
out for that document. Every inline text comes from those texts (block processors split them,
they do not invent any), so the output is the same, only sooner (tested against every pattern
tried, with hypothesis); patterns this table does not know are always kept.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.util import Registry

# Inline pattern -> the characters one of which every match contains.
NEEDS = {
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
}
TRIGGERS = "".join(sorted(set("".join(NEEDS.values()))))


def _present(lines: list[str]) -> set[str]:
    text = "\n".join(lines)
    return {c for c in TRIGGERS if c in text}


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
        self.chosen: dict[str, Registry] = {}

    def run(self, lines: list[str]) -> list[str]:
        present = "".join(sorted(self.source | _present(lines)))
        registry = self.chosen.get(present)
        if registry is None:
            registry = Registry()
            patterns = self.md.inlinePatterns
            # A copy: looking an item up sorts the registry's list in place.
            for item in list(patterns._priority):
                needs = NEEDS.get(item.name)
                if needs is None or any(c in present for c in needs):
                    registry.register(patterns[item.name], item.name, item.priority)
            self.chosen[present] = registry
        self.md.treeprocessors["inline"].inlinePatterns = registry
        self.source = set(TRIGGERS)  # a conversion without _Source first keeps everything
        return lines


class TriggersExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        choose = _Choose(md)
        md.preprocessors.register(_Source(md, choose), "ebook_trigger_source", 1000)
        md.preprocessors.register(choose, "ebook_triggers", -1000)
