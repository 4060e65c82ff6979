"""Markdown syntax the checks and `adopt` read from the source line by line: notes, and code
fences."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# A label is short and holds no space or bracket, as the renderer reads it (render/parser.py):
# bounded, a line of `[^` costs linear time.
REFERENCE = re.compile(r"\[\^([^\]\[\s]{1,100})\]")
# At a line's start, or inside a list item or a quote (indentation and '>' markers before it).
DEFINITION = re.compile(r"^(?:[ \t]*>)*[ \t]*\[\^([^\]\[\s]{1,100})\]:[ \t]?(.*)$")

# Also inside a quote (`> ```console`).
CODE_FENCE = re.compile(r"^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})[ \t]*([^\s`,{]*)")


def fenced(lines: Iterable[str]) -> Iterator[tuple[str, str | None, bool]]:
    """Each line with the language of the code block it belongs to ("" when the fence names
    none; None outside code blocks, fences counting as inside), and whether it opens the block.
    A block closes at a fence of its character, as long or longer, with nothing after it."""
    fence = ""
    language: str | None = None
    for line in lines:
        mark = CODE_FENCE.match(line)
        if mark and not fence:
            fence, language = mark.group(1), mark.group(2)
            yield line, language, True
            continue
        yield line, language, False
        if (
            mark
            and mark.group(1)[0] == fence[0]
            and len(mark.group(1)) >= len(fence)
            and not line[mark.end(1) :].strip()
        ):
            fence, language = "", None


# An inline code span: a run of backticks, up to the same run.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")


def outside_code_spans(line: str, rewrite) -> str:
    """`rewrite` applied to the line with its code spans held back: `handlers[0](event)` in
    code is code, not a link; a link whose text holds code (`[将 `Rc<T>` 变为](x.md)`) and an
    <img> whose alt does are still a link and an image."""
    spans: list[str] = []

    def hold(span: re.Match) -> str:
        spans.append(span.group(0))
        return f"\0{len(spans) - 1}\0"

    rewritten = rewrite(_CODE_SPAN.sub(hold, line))
    return re.sub(r"\0(\d+)\0", lambda m: spans[int(m.group(1))], rewritten) if spans else rewritten


def plain(text: str, tags: bool = False) -> str:
    """A line of Markdown as a reader sees its words (and the renderer names a heading): no
    link targets, code marks or emphasis marks; with `tags`, no HTML tags either (a caption's
    `<i>K</i>`; not a heading's, where `Rc<T>` is text)."""
    # (`[^[\]]`, not `[^\]]`: a line of `[[[…` costs linear time, not quadratic.)
    text = re.sub(r"!?\[([^[\]]*)\]\([^()]*\)", r"\1", text).replace("`", "")
    if tags:
        text = re.sub(r"<[^<>]+>", "", text)
    return re.sub(r"(\*\*|__|\*|\b_)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
