"""The manuscript's Markdown: CommonMark 0.31.2 + GFM (tables, strikethrough, autolinks), the
CJK rules and what a book adds, read by markdown-it-py into HTML for the tree passes.

The parser's HTML carries marks the passes turn into final markup: `data-ebook-note` (a note
reference, and the <aside> of its definition, where the author wrote it), `data-ebook-math`
(the index of a TeX source), `data-ebook-page` (a print page) and `data-ebook-line` (the source
line of an image, a link, a note reference or a formula, from the parser's line map).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from html import escape

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from ..core.markdown_syntax import REFERENCE as NOTE_REFERENCE
from ..core.mending import MAX_DEPTH
from ..core.xhtml import LINE_ATTR
from .cjk import cjk_plugin, joins_without_space
from .syntax import (
    CITE_ATTR,
    LABEL_ATTR,
    PAGE_ATTR,
    XREF_ATTR,
    attributes_of,
    book_syntax_plugin,
    label_id,
)

NOTE_ATTR = "data-ebook-note"
MATH_ATTR = "data-ebook-math"


@dataclass
class Parsed:
    """One chapter as the parser read it."""

    html: str
    raw_html: bool = False  # whether the author wrote HTML (it needs the HTML parser's mending)
    math: list[tuple[str, bool, int]] = field(default_factory=list)  # TeX, display, line
    # Raw HTML as written, with its first line: each HTML block, and each paragraph's inline
    # HTML joined (what the XHTML mending changes in it is reported at that line).
    html_blocks: list[tuple[int, str]] = field(default_factory=list)
    html_inline: list[tuple[int, str]] = field(default_factory=list)


_ATTRIBUTE_SPACE = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


class _Renderer(RendererHTML):
    """markdown-it's HTML, well-formed XML too: a line break inside an attribute value (a
    link title over two lines) is written as a character reference, which an XML parser keeps
    (it would read a bare one as a space)."""

    @staticmethod
    def renderAttrs(token: Token) -> str:  # noqa: N802 (markdown-it's name)
        return RendererHTML.renderAttrs(token).translate(_ATTRIBUTE_SPACE)


def make_parser() -> MarkdownIt:
    # Past maxNesting markdown-it reads inline marks as text and stops reading nested blocks.
    # The limit stands above MAX_DEPTH, so whatever reaches it is nested too deep for XHTML
    # already and refused (S006) instead of dropped; below it, Python's recursion suffices.
    md = MarkdownIt(
        "commonmark",
        {"html": True, "xhtmlOut": True, "maxNesting": MAX_DEPTH + 36},
        renderer_cls=_Renderer,
    )
    md.enable(["table", "strikethrough"])
    md.use(gfm_autolink_plugin)
    # Every link is kept: one a reader cannot follow (data:, file:, javascript:) is a finding
    # at its line and loses its href (render/links.py), instead of silently becoming text.
    md.validateLink = lambda url: True
    md.use(cjk_plugin)
    # Definitions from the plugin; references by the rule below: every `[^label]`, defined or
    # not (an undefined one is a finding, N001).
    md.use(footnote_plugin, inline=False, move_to_end=False)
    md.inline.ruler.at("footnote_ref", _note_reference_rule)
    # Display formulas from the plugin (they may hold blank lines); `$…$` by the rule below.
    md.use(dollarmath_plugin, allow_labels=False, allow_blank_lines=True)
    md.inline.ruler.at("math_inline", _inline_math)
    md.use(attrs_plugin, spans=True)
    md.use(deflist_plugin)
    md.use(book_syntax_plugin)
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "plain_paragraph", _plain_paragraph)
    md.inline.ruler.after("text", "unclosable_bracket", _unclosable_bracket)
    md.inline.ruler.after("text", "inert_text", _inert_text)
    md.core.ruler.push("email_local_parts", _email_local_parts)
    md.core.ruler.push("source_lines", _source_lines)
    md.core.ruler.push("cjk_line_breaks", _cjk_line_breaks)
    for name, rule in _RULES.items():
        md.add_render_rule(name, rule)
    return md


# Blocks whose lines are code or TeX, not text of a language.
_CODE_BLOCKS = frozenset({"fence", "code_block", "math_block"})


@functools.cache
def _checks_parser() -> MarkdownIt:
    return make_parser()


def code_lines(text: str) -> frozenset[int]:
    """The 0-based lines of `text` that are code or TeX (fenced, indented, `$$` blocks), fences
    included, as the parser reads the blocks: what the text checks leave alone."""
    md = _checks_parser()
    tokens: list[Token] = []
    # The block stage alone: where code is needs no inline parsing.
    md.block.parse(text, md, {}, tokens)
    return frozenset(
        line
        for token in tokens
        if token.type in _CODE_BLOCKS and token.map
        for line in range(*token.map)
    )


def parse(md: MarkdownIt, text: str, block_lines: bool = False) -> Parsed:
    """The chapter's HTML and what the passes need to know of it; with `block_lines`, every
    block element carries the line it starts on (for `ebook diff`, which says where a change
    is; a build has no use for them)."""
    env: dict = {"ebook_block_lines": block_lines}
    tokens = md.parse(text, env)
    parsed = Parsed("")
    env["ebook"] = parsed
    for token in tokens:
        if block_lines and token.map and token.nesting >= 0 and token.type != "inline":
            token.attrSet(LINE_ATTR, str(token.map[0]))
        if token.type == "html_block":
            parsed.raw_html = True
            if token.map:
                parsed.html_blocks.append((token.map[0], token.content))
        elif token.type == "inline" and token.children:
            raw = [c.content for c in token.children if c.type == "html_inline"]
            if raw:
                parsed.raw_html = True
                if token.map:
                    parsed.html_inline.append((token.map[0], "".join(raw)))
    parsed.html = md.renderer.render(tokens, md.options, env)
    return parsed


# `$x$` as pandoc reads it: no space just inside the dollars, no digit right after (so `$5 and
# $10` stays text), on one line; and no backtick inside, since a code span binds tighter
# (`` `$x$` `` is code).
_INLINE_MATH = re.compile(r"\$(?=[^\s$])([^$\n`]+?)(?<=\S)\$(?!\d)")


def _inline_math(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "$" or (state.pos and state.src[state.pos - 1] == "$"):
        return False
    found = _INLINE_MATH.match(state.src, state.pos, state.posMax)
    if not found:
        return False
    if not silent:
        state.push("math_inline", "math", 0).content = found.group(1)
    state.pos = found.end()
    return True


def _note_reference_rule(state: StateInline, silent: bool) -> bool:
    """`[^label]` by the same bounded pattern the checks use: the plugin's rule looks for the
    `]` as far as the line goes, once for every `[^` (quadratic on a line of them)."""
    if not state.src.startswith("[^", state.pos):
        return False
    found = NOTE_REFERENCE.match(state.src, state.pos, state.posMax)
    if not found:
        return False
    if not silent:
        state.push("footnote_ref", "", 0).meta = {"label": found.group(1)}
    state.pos = found.end()
    return True


# What a line may start with that no block but a paragraph starts with: CJK ideographs, CJK
# and full-width punctuation and letters (not full-width digits), curly quotes, the dash and
# the ellipsis.
_PLAIN_START = re.compile(
    "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff5e"
    "\u2018\u2019\u201c\u201d\u2014\u2026]"
)


def _plain_paragraph(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A one-line paragraph of Chinese text before a blank line, taken at once.

    Nearly every block of a Chinese book is one; markdown-it would first offer it to each of
    fifteen block rules, none of which can start with such a character. What follows decides
    nothing else: a table or a setext heading needs its second line right below, a definition
    list its `:` after the blank (then this rule steps aside), and a longer paragraph goes to
    markdown-it's own rule. The same tokens, only sooner (tested with hypothesis)."""
    if silent or state.sCount[start] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not _PLAIN_START.match(state.src, begin, state.eMarks[start]):
        return False
    following = start + 1
    if following < end and not state.isEmpty(following):
        return False
    after = state.skipEmptyLines(following)
    if after < end and state.src[state.bMarks[after] + state.tShift[after]] in ":~":
        return False
    state.line = following
    token = state.push("paragraph_open", "p", 1)
    token.map = [start, following]
    token = state.push("inline", "", 0)
    token.content = state.src[begin : state.eMarks[start]].strip()
    token.map = [start, following]
    token.children = []
    state.push("paragraph_close", "p", -1)
    return True


# Characters markdown-it stops its text at (for extensions) that start no rule of this parser,
# then what may follow them up to the next character some rule starts at.
# (`]` is no such character: a link's label counts its brackets one by one.)
_INERT_RUN = re.compile(r"[#%+\-=>^}][^\n!$&*:<@\[\]\\_`{~w]*")


def _inert_text(state: StateInline, silent: bool) -> bool:
    """`互联网+`, `-`, `=`: text at once, instead of after every inline rule has declined it
    (the same tokens, tested with hypothesis)."""
    found = _INERT_RUN.match(state.src, state.pos, state.posMax)
    if not found:
        return False
    if not silent:
        state.pending += found.group(0)
    state.pos = found.end()
    return True


def _unclosable_bracket(state: StateInline, silent: bool) -> bool:
    """A `[` (or `![`) with no `]` after it is text: no link, image, note reference or span
    can start there, and the rules that would look for its `]` from every `[` of a long line
    are not asked."""
    src, pos = state.src, state.pos
    width = 2 if src.startswith("![", pos) else 1 if src[pos] == "[" else 0
    if not width:
        return False
    # The last `]` of each inline text, found once (a str keeps its hash).
    last = state.env.setdefault("ebook_last_bracket", {})
    end = last.get(src)
    if end is None:
        end = last[src] = src.rfind("]")
    if pos < end:
        return False
    if not silent:
        state.pending += src[pos : pos + width]
    state.pos += width
    return True


def _line(token: Token) -> str:
    line = token.meta.get("line") if token.meta else None
    return f' {LINE_ATTR}="{line}"' if line is not None else ""


def _note_reference(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return f'<a {NOTE_ATTR}="{escape(token.meta["label"])}"{_line(token)}></a>'


def _note_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    line = f' {LINE_ATTR}="{token.map[0]}"' if token.map and env.get("ebook_block_lines") else ""
    return f'<aside {NOTE_ATTR}="{escape(token.meta["label"])}"{line}>'


def _note_close(self, tokens, idx, options, env) -> str:
    return "</aside>\n"


def _math(display: bool):
    def render(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        sources = env["ebook"].math
        line = token.map[0] if token.map else (token.meta or {}).get("line", 0)
        sources.append((token.content.strip(), display, line))
        index = len(sources) - 1
        if display:
            named = token.attrGet("id") if token.attrs else None
            lined = f' {LINE_ATTR}="{line}"' if env.get("ebook_block_lines") else ""
            if named:
                label = escape(str(token.attrGet(LABEL_ATTR) or ""))
                lined += f' id="{escape(str(named))}" {LABEL_ATTR}="{label}"'
            return f'<div class="math-display" {MATH_ATTR}="{index}"{lined}></div>\n'
        return f'<span class="math" {MATH_ATTR}="{index}"></span>'

    return render


def _fence(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    # The info string's first word names the language; mdBook's `rust,ignore` and
    # `python{3-4}` attributes are the site's business, pandoc's `{#lst:x .python
    # caption="…"}` a numbered listing.
    info = token.info.strip()
    listing = _LISTING.search(info)
    attributes = (listing and attributes_of(listing.group(0))) or {}
    language = re.split(r"[\s,{]", info, maxsplit=1)[0]
    classes = attributes.get("class", "").split()
    if not language and classes:
        language = classes[0]
    if language.lower() == "math":
        return _DISPLAY_MATH(self, tokens, idx, options, env)
    token.info = language
    code = self.fence(tokens, idx, options, env)
    name = attributes.get("id", "")
    if not name.startswith("lst:"):
        return code
    caption = attributes.get("caption", "")
    line = f' {LINE_ATTR}="{token.map[0]}"' if token.map and env.get("ebook_block_lines") else ""
    return (
        f'<figure class="listing" id="{label_id(name)}" {LABEL_ATTR}="{escape(name)}"{line}>'
        f"<figcaption>{escape(caption)}</figcaption>{code}</figure>\n"
    )


# The attribute list in a fence's info string.
_LISTING = re.compile(r"\{[^{}]*#lst:[^{}]*\}")


def _cross_reference(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return f'<a {XREF_ATTR}="{escape(token.meta["names"])}"{_line(token)}></a>'


def _citation(self, tokens, idx, options, env) -> str:
    """The citation as data for render/citations.py; its text is the citation as written,
    which stays when the book has no bibliography."""
    token = tokens[idx]
    cited = json.dumps(token.meta["cited"], ensure_ascii=False)
    mode = "narrative" if token.meta["narrative"] else "bracketed"
    return (
        f'<a {CITE_ATTR}="{escape(cited)}" {CITE_ATTR}-mode="{mode}"{_line(token)}>'
        f"{escape(token.meta['written'])}</a>"
    )


def _page(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return f'<span {PAGE_ATTR}="{token.meta["page"]}"{_line(token)}></span>'


def _softbreak(self, tokens, idx, options, env) -> str:
    return "" if tokens[idx].meta.get("join") else "\n"


_DISPLAY_MATH = _math(True)
_RULES = {
    "footnote_ref": _note_reference,
    "footnote_reference_open": _note_open,
    "footnote_reference_close": _note_close,
    "math_inline": _math(False),
    "math_block": _DISPLAY_MATH,
    "fence": _fence,
    "page_mark": _page,
    "cross_reference": _cross_reference,
    "citation": _citation,
    "softbreak": _softbreak,
    # GFM writes struck text as <del> (deleted text), not <s> (no longer accurate).
    "s_open": lambda self, tokens, idx, options, env: "<del>",
    "s_close": lambda self, tokens, idx, options, env: "</del>",
}
_LINED = frozenset(
    {
        "image",
        "link_open",
        "footnote_ref",
        "math_inline",
        "page_mark",
        "cross_reference",
        "citation",
    }
)
# What one of those starts with (a link, an image, a note, a formula, a page mark, an
# autolink): a text without any holds none of them.
_MAY_HOLD_LINED = re.compile(r"[\[!${<@:w]")


# What GFM allows before the @ of an e-mail address it links.
_LOCAL_PART_END = re.compile(r"[A-Za-z0-9._+-]+$")


def _email_local_parts(state: StateCore) -> None:
    """An address like `first_last@example.com` is linked whole: the autolink scanner sees
    only what follows the `_` (the emphasis rule took that character first)."""
    for block in state.tokens:
        children = block.children or []
        if "@" not in block.content:
            continue
        for index, token in enumerate(children[1:-1], start=1):
            href = token.attrGet("href") or ""
            before, text = children[index - 1], children[index + 1]
            if token.markup != "autolink" or not href.startswith("mailto:"):
                continue
            found = _LOCAL_PART_END.search(before.content) if before.type == "text" else None
            if found is None or "_" not in found.group(0):
                continue
            token.attrSet("href", f"mailto:{found.group(0)}{href[7:]}")
            text.content = found.group(0) + text.content
            before.content = before.content[: found.start()]


def _source_lines(state: StateCore) -> None:
    """Each image, link, note reference, formula and page mark learns its source line: its
    block's first line from the parser's map, plus the line breaks before it in the block."""
    for block in state.tokens:
        if block.type != "inline" or not block.map or not _MAY_HOLD_LINED.search(block.content):
            continue
        line = block.map[0]
        for token in block.children:
            if token.type in _LINED:
                if token.type in ("image", "link_open"):
                    token.attrSet(LINE_ATTR, str(line))
                else:
                    token.meta = {**(token.meta or {}), "line": line}
            if token.type in ("softbreak", "hardbreak"):
                line += 1
            elif token.type == "html_inline":
                line += token.content.count("\n")
            elif token.type == "image" and token.children:
                line += sum(c.type in ("softbreak", "hardbreak") for c in token.children)


def _cjk_line_breaks(state: StateCore) -> None:
    """A soft line break between two Chinese characters adds no space (render/cjk.py)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children or "\n" not in block.content:
            continue
        children = block.children
        for index, token in enumerate(children):
            if token.type != "softbreak":
                continue
            before = next((c.content[-1] for c in reversed(children[:index]) if _text(c)), "")
            after = next((c.content[0] for c in children[index + 1 :] if _text(c)), "")
            token.meta = {"join": joins_without_space(before, after)}


def _text(token: Token) -> bool:
    return token.type in ("text", "code_inline") and bool(token.content)
