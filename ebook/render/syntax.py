"""What a book adds to CommonMark + GFM, as markdown-it-py rules (its public ruler API):

- `{page=12}`: where page 12 of the print edition begins (an inline mark, anywhere);
- `## Title {#id .class aliases="old"}` and a paragraph's last line `{: .signature }`
  (Python-Markdown's attribute lists, kept so that manuscripts written for them still read);
- GitHub's alerts (`> [!TIP] title`) and `::: tip title` … `:::` containers, as labelled
  boxes;
- `Table: …` captions and figures are made from the tree (render/blocks.py);
- pandoc-crossref's labels and references: `{#fig:x}` on an image, `: caption {#tbl:x}`,
  `$$ … $$ {#eq:x}`, a fence's `{#lst:x caption="…"}`, `## Title {#sec:x}`; `@fig:x`,
  `[@fig:x]`, `[-@fig:x]` (the number alone), `[@fig:a; @tbl:b]` (render/apparatus.py);
- citations as pandoc writes them: `[@key]`, `[见@key, 第12页; @b]`, `[-@key]`, `@key` in the
  text, and `::: {#refs}` where the list of references goes (render/citations.py).
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
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
# Where the list of references goes (`::: {#refs}`), with the keys it lists uncited.
REFS_ATTR = "data-ebook-refs"
# Marks a cross-reference for render/apparatus.py: the labels it names, space-separated, each
# with a leading "-" when the text asks for the number alone.
XREF_ATTR = "data-ebook-xref"
XREF_KINDS = ("fig", "tbl", "eq", "lst", "sec")
_KIND = "(?:" + "|".join(XREF_KINDS) + "):"
# In brackets a label may hold any character but space and the brackets' own punctuation; bare
# in the text (`如@fig:arch所示`) it is ASCII, so the text after it is not taken for it.
_BRACKETED_NAME = _KIND + r"[^\s;；\[\]@]+"
_BRACKETED = re.compile(rf"\[(-?@{_BRACKETED_NAME}(?:\s*[;；]\s*-?@{_BRACKETED_NAME})*)\]")
_BARE = re.compile(rf"@({_KIND}[A-Za-z0-9_-]+(?:[.:][A-Za-z0-9_-]+)*)")
# A label's name (`fig:arch`) on the element it labels; its id is the name without the colon
# (`fig-arch`), as ids may not hold colons (EPUBCheck RSC-005).
LABEL_ATTR = "data-ebook-label"
_LABEL_NAME = re.compile(_KIND)


# An index term's `term`, `see`, `seealso` and `sort`, kept as data-ebook-index-term etc.
INDEX_ATTR = "data-ebook-index"
INDEX_ATTRIBUTES = ("term", "see", "seealso", "sort")


def label_id(name: str) -> str:
    return name.replace(":", "-", 1)


# What may stand right before the `@` of an e-mail address: not a reference there.
_ADDRESS_CHARACTER = re.compile(r"[A-Za-z0-9._%+-]")
# `$$ … $$ {#eq:x}`: the closing dollars with a label after them.
_LABELLED_MATH_END = re.compile(r"^(.*?)\$\$[ \t]*(\{[^{}\n]*\})[ \t]*$")

# A trailing attribute list: `{#id .class key=value}`, or Python-Markdown's `{: …}`.
TRAILING_ATTRIBUTES = re.compile(r"[ \t]*(\{:?[ \t]*[#.A-Za-z][^{}\n]*\})[ \t]*$")


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
            found = TRAILING_ATTRIBUTES.fullmatch(last) if head else None
        else:
            found = TRAILING_ATTRIBUTES.search(content)
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

    # pandoc's place for the list of references: `::: {#refs}` … `:::` (render/citations.py).
    def refs(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        if token.nesting == -1:
            return "</div>\n"
        attributes = attributes_of(token.info.strip()) or {}
        nocite = escape(attributes.get("nocite", ""))
        return f'<div {REFS_ATTR}="{nocite}">\n'

    container_plugin(
        md,
        "refs",
        validate=lambda params, *_: (attributes_of(params.strip()) or {}).get("id") == "refs",
        render=refs,
    )
    # One container rule whose validator takes every kind.
    container_plugin(
        md,
        "box",
        validate=lambda params, *_: params.strip().split(" ", 1)[0].lower() in CONTAINER_KINDS,
        render=render,
    )


def _cross_reference(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] == "[":
        found = _BRACKETED.match(src, pos, state.posMax)
        names = found and re.findall(r"(-?)@(\S+?)\s*(?:[;；]|$)", found.group(1))
    elif src[pos] == "@" and not (pos and _ADDRESS_CHARACTER.match(src[pos - 1])):
        found = _BARE.match(src, pos, state.posMax)
        names = found and [("", found.group(1))]
    else:
        return False
    if not found:
        return False
    if not silent:
        token = state.push("cross_reference", "", 0)
        token.meta = {"names": " ".join(dash + name for dash, name in names)}
    state.pos = found.end()
    return True


# Citations in pandoc's syntax (render/citations.py): `[见@key, 第12页; @b]`, `[-@key]`, and
# `@key` in the running text. A key in brackets may hold any letter; bare in the text it is
# ASCII, so `如@zhang2017所述` ends where the Chinese begins. Internal punctuation must be
# followed by a letter or digit, so `@zhang2017.` ends before its full stop.
CITE_ATTR = "data-ebook-cite"
_KEY = r"[\w][\w]*(?:[:.#$%&+?<>~/-][\w]+)*"
_BARE_KEY = r"[A-Za-z0-9_]+(?:[:.#$%&+?<>~/-][A-Za-z0-9_]+)*"
_BRACKETED_CITATION = re.compile(r"\[([^\[\]\n]*@[^\[\]\n]*)\](?![(\[{])")
_CITED_ITEM = re.compile(
    rf"^(?P<prefix>.*?)(?P<minus>-?)@(?:\{{(?P<braced>[^{{}}]+)\}}|(?P<key>{_KEY}))"
    r"(?P<suffix>.*)$",
    re.S,
)
_BARE_CITATION = re.compile(rf"@(?:\{{([^{{}}\s]+)\}}|({_BARE_KEY}))(?:[ \t]?\[([^\[\]@\n]+)\])?")


def _citation(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] == "[":
        found = _BRACKETED_CITATION.match(src, pos, state.posMax)
        cited = found and _cited_items(found.group(1))
        narrative = False
    elif src[pos] == "@" and not (pos and _ADDRESS_CHARACTER.match(src[pos - 1])):
        found = _BARE_CITATION.match(src, pos, state.posMax)
        suffix = (found.group(3) or "") if found else ""
        cited = found and [("", "", found.group(1) or found.group(2), suffix)]
        narrative = True
    else:
        return False
    if not found or not cited:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"cited": cited, "narrative": narrative, "written": found.group(0)}
    state.pos = found.end()
    return True


def _cited_items(inside: str) -> list[tuple[str, str, str, str]] | None:
    """`见@a, 第12页; -@b` as (prefix, "-" or "", key, suffix) per item; None when an item
    names no key, or the @ belongs to an e-mail address (then it is no citation)."""
    items = []
    for part in re.split(r"[;；]", inside):
        found = _CITED_ITEM.match(part.strip())
        if not found:
            return None
        prefix = found.group("prefix")
        if prefix and _ADDRESS_CHARACTER.match(prefix[-1]) and not found.group("minus"):
            return None
        key = found.group("braced") or found.group("key")
        suffix = found.group("suffix").strip().lstrip(",，").strip()
        items.append((prefix.strip(), found.group("minus"), key, suffix))
    return items


def _labelled_math(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`$$ … $$ {#eq:x}` on one line or several: a display formula with attributes (the
    dollarmath plugin's own rule reads no attributes)."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("$$", begin):
        return False
    for line in range(start, end):
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        if line == start:
            text = text[2:]
        found = _LABELLED_MATH_END.match(text)
        if found:
            attributes = attributes_of(found.group(2))
            if attributes is None:
                return False
            break
        if text.rstrip().endswith("$$") or not text.strip() and line > start:
            return False  # an unlabelled formula (or none): the plugin's rule reads it
    else:
        return False
    if silent:
        return True
    inner = [found.group(1)]
    if line > start:
        first = state.src[begin + 2 : state.eMarks[start]]
        middle = state.getLines(start + 1, line, state.tShift[start], False).rstrip("\n")
        inner = [first, middle, *inner]
    token = state.push("math_block", "math", 0)
    token.content = "\n".join(part for part in inner if part.strip())
    token.map = [start, line + 1]
    token.markup = "$$"
    token.attrs = dict(attributes)
    state.line = line + 1
    return True


def display_math_ends_paragraphs(md: MarkdownIt) -> None:
    """Register _display_math_interrupts where a paragraph, a quote or a list item asks
    whether its next line ends it (after the dollarmath plugin)."""
    md.block.ruler.before(
        "math_block",
        "display_math_interrupts",
        _display_math_interrupts,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )


def _display_math_interrupts(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A `$$` line ends the paragraph (list item, quote) above it when a display formula
    starts there, as VS Code's and Typora's previews read it (`…贝尔曼方程：` then `$$` on the
    next line): CommonMark's paragraph would take the formula in as text, and its `_` as
    emphasis. Only asked whether to end a paragraph; the formula itself is read by the
    dollarmath rule (or _labelled_math) once the paragraph has ended."""
    if not silent or state.sCount[start] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("$$", begin):
        return False
    rest = state.src[begin + 2 : state.eMarks[start]]
    if "$$" in rest:
        return True
    for line in range(start + 1, end):  # the formula must close before a blank line
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        if not text.strip():
            return False
        if "$$" in text:
            return True
    return False


def _labels(state: StateCore) -> None:
    """`{#fig:x}` and its kind: the element keeps the name, under an id it may hold."""

    def relabel(token: Token) -> None:
        name = token.attrGet("id") if token.attrs else None
        if isinstance(name, str) and _LABEL_NAME.match(name):
            token.attrSet("id", label_id(name))
            token.attrSet(LABEL_ATTR, name)

    for token in state.tokens:
        relabel(token)
        for child in token.children or ():
            relabel(child)
            if child.type == "span_open" and "index" in str(child.attrGet("class")).split():
                # An index term's own attributes, under names the XHTML keeps until the
                # renderer reads them (render/apparatus.py).
                for name in INDEX_ATTRIBUTES:
                    if name in child.attrs:
                        child.attrs[f"{INDEX_ATTR}-{name}"] = child.attrs.pop(name)


def book_syntax_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.after("text", "page_mark", _page_mark)
    md.inline.ruler.before("link", "cross_reference", _cross_reference)
    md.inline.ruler.after("cross_reference", "citation", _citation)
    md.block.ruler.before("math_block", "labelled_math", _labelled_math)
    display_math_ends_paragraphs(md)
    md.core.ruler.push("labels", _labels)
    md.core.ruler.after("block", "trailing_attributes", _trailing_attributes)
    md.core.ruler.after("trailing_attributes", "alerts", _alerts)
    _container(md)
