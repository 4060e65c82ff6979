"""What a book adds to CommonMark + GFM, as markdown-it-py rules (its public ruler API):

- `{page=12}`: where page 12 of the print edition begins (an inline mark, anywhere);
- `## Title {#id .class aliases="old"}` and a paragraph's last line `{: .signature }`
  (Python-Markdown's attribute lists, kept so that manuscripts written for them still read);
- GitHub's alerts (`> [!TIP] title`) and `::: tip title` … `:::` containers, as labelled
  boxes;
- `Table: …` captions and figures are made from the tree (render/blocks.py).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attributes

# Arabic page numbers, or roman ones (front matter is often paged i, ii, iii).
PAGE_BREAK = re.compile(r"\{\s*page\s*=\s*([0-9]{1,5}|[ivxlcdmIVXLCDM]{1,8})\s*\}")
# Marks the renderer turns into the page-break markup once it knows the chapter's id.
PAGE_ATTR = "data-ebook-page"
ALERT_ATTR = "data-ebook-alert"
ALERT_KINDS = ("note", "tip", "important", "warning", "caution")
ALERT_OPEN = re.compile(r"^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*([^\n]*)(?:\n|$)", re.I)
CONTAINER_KINDS = {
    "note": "note",
    "info": "note",
    "details": "note",
    "tip": "tip",
    "important": "important",
    "warning": "warning",
    "caution": "caution",
    "danger": "caution",
}
# A trailing attribute list: `{#id .class key=value}`, or Python-Markdown's `{: …}`.
_TRAILING_ATTRIBUTES = re.compile(r"[ \t]*(\{:?[ \t]*[#.A-Za-z][^{}\n]*\})[ \t]*$")


def _page_mark(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    found = PAGE_BREAK.match(state.src, state.pos, state.posMax)
    if not found:
        return False
    if not silent:
        token = state.push("page_mark", "", 0)
        token.meta = {"page": found.group(1)}
    state.pos = found.end()
    return True


def attributes_of(written: str) -> dict[str, str] | None:
    """`{#id .a key="v"}` (or `{: …}`) as attributes; None for what is not one."""
    if written.startswith("{:"):
        written = "{" + written[2:]
    try:
        length, found = parse_attributes(written)
    except ParseError:
        return None
    # parse() gives the index of the closing brace.
    return found if length >= len(written) - 1 else None


def _trailing_attributes(state: StateCore) -> None:
    """A heading's `{…}` at its end, and a paragraph's last line that is only `{…}`, set the
    attributes of that heading or paragraph (before the inline text is parsed)."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type not in ("heading_open", "paragraph_open"):
            continue
        inline = tokens[index + 1]
        if inline.type != "inline" or "{" not in inline.content:
            continue
        content = inline.content
        if token.type == "paragraph_open":
            head, _, last = content.rpartition("\n")
            found = _TRAILING_ATTRIBUTES.fullmatch(last) if head else None
        else:
            found = _TRAILING_ATTRIBUTES.search(content)
            head = content[: found.start()] if found else ""
        if found is None or PAGE_BREAK.fullmatch(found.group(1)):
            continue
        attributes = attributes_of(found.group(1))
        if attributes is None:
            continue
        for key, value in attributes.items():
            if key == "class" and token.attrGet("class"):
                value = f"{token.attrGet('class')} {value}"
            token.attrSet(key, value)
        inline.content = head.rstrip()


def _alerts(state: StateCore) -> None:
    """`> [!TIP] title` opening a quote makes the quote a labelled box."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-2]):
        if token.type != "blockquote_open" or tokens[index + 1].type != "paragraph_open":
            continue
        inline = tokens[index + 2]
        found = ALERT_OPEN.match(inline.content)
        if not found:
            continue
        close = _closing(tokens, index)
        _make_box(token, found.group(1).lower(), found.group(2).strip())
        close.type, close.tag = "alert_close", "div"
        inline.content = inline.content[found.end() :]
        if not inline.content.strip():
            # The marker was the paragraph's only line: the paragraph goes.
            del tokens[index + 1 : index + 4]


def _make_box(token: Token, kind: str, title: str) -> None:
    token.type, token.tag = "alert_open", "div"
    token.attrs = {"class": f"alert alert-{kind}", ALERT_ATTR: title}


def _closing(tokens: list[Token], index: int) -> Token:
    depth = 0
    for token in tokens[index:]:
        depth += token.nesting if token.tag == tokens[index].tag else 0
        if depth == 0:
            return token
    raise ValueError("unbalanced token stream")  # markdown-it always closes what it opens


def _container(md: MarkdownIt) -> None:
    from mdit_py_plugins.container import container_plugin

    def render(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        if token.nesting == 1:
            name, _, title = token.info.strip().partition(" ")
            _make_box(token, CONTAINER_KINDS[name.lower()], title.strip())
        return self.renderToken(tokens, idx, options, env)

    # One container rule whose validator takes every kind.
    container_plugin(
        md,
        "box",
        validate=lambda params, *_: params.strip().split(" ", 1)[0].lower() in CONTAINER_KINDS,
        render=render,
    )


def book_syntax_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.after("text", "page_mark", _page_mark)
    md.core.ruler.after("block", "trailing_attributes", _trailing_attributes)
    md.core.ruler.after("trailing_attributes", "alerts", _alerts)
    _container(md)
