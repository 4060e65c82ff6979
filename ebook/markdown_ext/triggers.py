"""Python-Markdown's work left out where it cannot change the output.

Python-Markdown tries every inline pattern on every piece of text, and most of a Chinese book's
paragraphs contain none of the characters those patterns start from (`` ` $ \\ [ { ! < & * _``).
What a document's text contains is known before any inline text is (the source, and what the
preprocessors made of it: every inline text comes from those, block processors split them but
invent none), and so:
- a pattern whose characters the document lacks is left out (NEEDS);
- a text holding none of the characters the document's patterns need is left as it is,
  without trying each pattern in turn;
- a whole pass with nothing to find is not run (PASS_NEEDS): the raw HTML and fenced code
  preprocessors on a text without their marks, the attribute-list and unescape tree passes on
  a document without `{` or a backslash.
The output is the same, only sooner (tested against every pattern tried on every text and every
pass run, with hypothesis). Patterns this table does not know are always kept, and a document
with one of them tries every pattern on every text.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor
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
# A whole pass (preprocessor or tree processor) -> what the text must contain for it to
# change anything: the raw HTML extractor finds nothing without '<', the fenced code
# preprocessor nothing without a fence; attribute lists are written in braces, and only the
# escape and backtick patterns leave what the unescape pass restores, from a backslash.
PASS_NEEDS: dict[str, tuple[str, ...]] = {
    "html_block": ("<",),
    "fenced_code_block": ("```", "~~~"),
    "attr_list": ("{",),
    "unescape": ("\\",),
}
TRIGGERS = frozenset(t for needs in (*NEEDS.values(), *PASS_NEEDS.values()) for t in needs)


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
        self.present: frozenset[str] = TRIGGERS  # the last document's, for the tree passes
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
        self.present = present
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


class _LinesThatNeed(Preprocessor):
    """A preprocessor run only on lines that hold one of `needs`."""

    def __init__(self, md: Markdown, inner: Preprocessor, needs: tuple[str, ...]) -> None:
        super().__init__(md)
        self.inner, self.needs = inner, needs

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        return self.inner.run(lines) if any(n in text for n in self.needs) else lines


class _DocumentsThatNeed(Treeprocessor):
    """A tree processor run only on documents whose text holds one of `needs`."""

    def __init__(self, md: Markdown, inner: Treeprocessor, needs: tuple[str, ...], choose: _Choose):
        super().__init__(md)
        self.inner, self.needs, self.choose = inner, needs, choose

    def run(self, root):
        if any(n in self.choose.present for n in self.needs):
            return self.inner.run(root)
        return None

    def __getattr__(self, name: str):
        # Python-Markdown's inline HTML pattern uses the unescape pass's own methods.
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)


def _replace(registry: Registry, name: str, item) -> None:
    """Put `item` in the place (and priority) of the registry's item `name`."""
    priority = next(i.priority for i in registry._priority if i.name == name)
    registry.register(item, name, priority)


class TriggersExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        choose = _Choose(md)
        _replace(md.treeprocessors, "inline", _TextsThatMayMatch(md))
        md.preprocessors.register(_Source(md, choose), "ebook_trigger_source", 1000)
        md.preprocessors.register(choose, "ebook_triggers", -1000)
        for name, needs in PASS_NEEDS.items():
            if name in md.preprocessors:
                _replace(md.preprocessors, name, _LinesThatNeed(md, md.preprocessors[name], needs))
            elif name in md.treeprocessors:
                inner = md.treeprocessors[name]
                _replace(md.treeprocessors, name, _DocumentsThatNeed(md, inner, needs, choose))
