"""Raw HTML mended into the XHTML an EPUB allows: elements renamed or unwrapped, content models
and nesting repaired, attribute values checked, each repair reported as data (H001)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

from .attributes import problem as value_problem
from .xhtml import EPUB, HEADING_ALIASES, NSMAP, XHTML, XML

# HTML elements a book may contain; anything else that parses as a tag was text.
ELEMENTS = frozenset(
    """a abbr article aside b bdi bdo blockquote br caption cite code col colgroup data dd del
    dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark nav ol p pre
    q rp rt ruby s samp section small span strong sub sup table tbody td tfoot th thead time tr
    u ul var wbr""".split()
)
# HTML elements with content rules too strict to keep from arbitrary input: kept as a <div>.
AS_DIV = frozenset("main header footer hgroup details summary address center".split())
# Elements only valid inside certain parents; elsewhere they become a <div>.
REQUIRED_PARENTS = {
    "li": {"ul", "ol"},
    "dt": {"dl"},
    "dd": {"dl"},
    "tr": {"table", "thead", "tbody", "tfoot"},
    # Cells directly in a table or row group are wrapped in a row later, not turned into divs.
    "td": {"tr", "table", "thead", "tbody", "tfoot"},
    "th": {"tr", "table", "thead", "tbody", "tfoot"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "caption": {"table"},
    "colgroup": {"table"},
    "col": {"colgroup"},
    "figcaption": {"figure"},
    "rt": {"ruby"},
    "rp": {"ruby"},
}
PHRASING = frozenset(
    """a abbr b bdi bdo br cite code data del dfn em i img ins kbd mark q rp rt ruby s samp
    small span strong sub sup time u var wbr""".split()
)
# Elements whose content may only be phrasing content.
PHRASING_ONLY = frozenset(
    "p h1 h2 h3 h4 h5 h6 pre dt summary caption figcaption legend".split()
) | (PHRASING - {"del", "ins"})
GLOBAL_ATTRIBUTES = frozenset("id class title lang dir hidden role translate".split())
ELEMENT_ATTRIBUTES = {
    **{f"h{n}": {HEADING_ALIASES} for n in range(1, 7)},
    # A note's earlier ids, on its paragraph (render/notes.py takes them; elsewhere dropped).
    "p": {HEADING_ALIASES},
    "a": {"href", "hreflang", "rel", "type"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "col": {"span"},
    "colgroup": {"span"},
}
# Elements that would need scripting or plugins: dropped, and reported by the checks.
FORBIDDEN = frozenset("script iframe form object embed applet frame frameset input button".split())
# Wrappers the HTML parser adds around a fragment.
_IMPLIED = frozenset({"html", "body", "head"})
_ATTR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]*$")
# libxml2 predates HTML5 and calls its new elements invalid; those are not repairs.
_HTML5_NOISE = re.compile(r"Tag (\w+) invalid")
# Deeper nesting than this is refused (S006) before any of the recursive mending below sees
# it: no book needs it, and past libxml2's own limit its parser silently drops content.
MAX_DEPTH = 64


class TooDeep(Exception):
    """The fragment nests elements deeper than MAX_DEPTH."""


@dataclass(frozen=True)
class Repair:
    """Something the HTML parser had to fix in the input."""

    message: str
    html_line: int


def parse_fragment(html: str) -> tuple[etree._Element, list[Repair]]:
    """Parse an HTML fragment into the children of an XHTML <div>, reporting repairs."""
    # huge_tree: without it libxml2 empties a text node over 10 MB and drops what follows.
    parser = etree.HTMLParser(recover=True, remove_comments=True, remove_pis=True, huge_tree=True)
    escaped: list[tuple[str, str]] = []
    # Outside comments only: a tag written inside one (`<!--<Demo/>-->`) is no tag.
    html = _outside_comments(
        html, lambda part: _TAG.sub(lambda m: _escape_unknown_tag(m, escaped), part)
    )
    doc = etree.fromstring(f"<html><body>{html}</body></html>", parser)
    repairs = [
        Repair(f"<{name}> left as text: a book must not need scripting", 0)
        if name in FORBIDDEN
        else Repair(f"'{written}' is not an HTML tag; it is kept as text", 0)
        for name, written in escaped
    ]
    for entry in parser.error_log:
        noise = _HTML5_NOISE.match(entry.message)
        if noise and noise.group(1) in ELEMENTS:
            continue
        repairs.append(Repair(_plain_message(entry.message.strip()), entry.line))
    if doc is not None and _depth(doc) > MAX_DEPTH + 2:  # + <html><body>
        raise TooDeep()
    holder = etree.Element(f"{{{XHTML}}}div", nsmap=NSMAP)
    body = doc.find("body") if doc is not None else None
    if body is not None:
        holder.text = body.text
        for child in body:
            _convert_into(holder, child, repairs)
    _fix_content_models(holder, repairs)
    return holder, repairs


def _depth(root: etree._Element) -> int:
    """How deep elements nest below `root` (counted without recursion)."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


# Only tags that are not known elements: the known ones, nearly all of a chapter, pass at the
# speed of the regex engine instead of a Python call each.
_KNOWN = "|".join(sorted(ELEMENTS | AS_DIV | {"html", "body", "head"}, key=len, reverse=True))
_TAG = re.compile(
    rf"<(/?)(?!(?:{_KNOWN})(?![A-Za-z0-9-]))([A-Za-z][A-Za-z0-9-]*)([^<>]*)>", re.IGNORECASE
)


def _outside_comments(html: str, change) -> str:
    """`change` applied to the text between comments (found with str.find: linear time
    however many comments are left open)."""
    out, at = [], 0
    while (start := html.find("<!--", at)) >= 0:
        end = html.find("-->", start + 4)
        out.append(change(html[at:start]))
        if end < 0:
            out.append(html[start:])
            return "".join(out)
        out.append(html[start : end + 3])
        at = end + 3
    out.append(change(html[at:]))
    return "".join(out)


def _escape_unknown_tag(match: re.Match, escaped: list[tuple[str, str]]) -> str:
    """Text that merely looks like a tag (`<foo bar>`) stays text; `<名>` never parses as one.

    Forbidden tags are escaped too: an unclosed `<script>` would swallow the rest of the file.
    """
    name = match.group(2).lower()
    if match.group(3).startswith(":") or "@" in match.group(0):
        return match.group(0)  # a Markdown autolink, <https://…> or <name@host>
    if name in ELEMENTS or name in _IMPLIED or name in AS_DIV:
        return match.group(0)
    escaped.append((name, match.group(0)))
    return "&lt;" + match.group(0)[1:]


_MISMATCH = re.compile(r"Opening and ending tag mismatch: (\w+) and (\w+)")
_STRAY = re.compile(r"Unexpected end tag : (\w+)")


def _plain_message(message: str) -> str:
    """Say what libxml2's parser found in the words of the person who wrote the HTML."""
    mismatch = _MISMATCH.match(message)
    if mismatch:
        outer, inner = mismatch.groups()
        if outer in _IMPLIED:
            return f"<{inner}> is not closed"
        return f"</{outer}> closes <{outer}> while <{inner}> is still open"
    stray = _STRAY.match(message)
    if stray:
        return f"</{stray.group(1)}> has no matching <{stray.group(1)}>"
    return message


def _local(el: etree._Element) -> str:
    return el.tag.rpartition("}")[2]


def _fix_content_models(root: etree._Element, repairs: list[Repair]) -> None:
    """Mend nesting the HTML parser lets through but XHTML forbids (a <div> in a <p>...)."""
    containers = ("ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr")

    # Top-down: a parent is mended before its children look at it.
    def walk(parent: etree._Element, phrasing_only: bool, in_link: bool) -> None:
        for el in parent:
            if not isinstance(el.tag, str):
                continue
            name = _local(el)
            required = REQUIRED_PARENTS.get(name)
            if required and _local(parent) not in required:
                repairs.append(Repair(f"<{name}> is not allowed inside <{_local(parent)}>", 0))
                name = _rename(el, "div")
            if (phrasing_only and name not in PHRASING) or (name == "a" and in_link):
                repairs.append(Repair(f"<{name}> is not allowed inside <{_local(parent)}>", 0))
                name = _rename(el, "span")
            walk(el, phrasing_only or name in PHRASING_ONLY, in_link or name == "a")

    walk(root, False, False)
    for el in list(root.iter(*(f"{{{XHTML}}}{c}" for c in containers))):
        _wrap_strays(el, repairs)
    _fix_particular_rules(root, repairs)


def _fix_particular_rules(root: etree._Element, repairs: list[Repair]) -> None:
    """The rules of single elements EPUBCheck holds a book to: a <dl> is made of terms and
    their definitions, a figure has one caption (first or last), <bdo> needs a direction, a
    cell's headers name header cells of its table."""
    for dl in list(root.iter(f"{{{XHTML}}}dl")):
        if dl.find(f"{{{XHTML}}}dt") is None and len(dl):
            repairs.append(Repair("<dl> without a term (<dt>) kept as a <div>", 0))
            for child in dl:
                _rename(child, "div")
            _rename(dl, "div")
    for figure in root.iter(f"{{{XHTML}}}figure"):
        captions = figure.findall(f"{{{XHTML}}}figcaption")
        for caption in captions:
            if caption is not captions[0] or caption not in (figure[0], figure[-1]):
                repairs.append(Repair("a second or misplaced <figcaption> kept as a <div>", 0))
                _rename(caption, "div")
    for bdo in list(root.iter(f"{{{XHTML}}}bdo")):
        if bdo.get("dir") not in ("ltr", "rtl"):
            repairs.append(Repair('<bdo> without dir="ltr" or "rtl" kept as a <span>', 0))
            _rename(bdo, "span")
    for table in root.iter(f"{{{XHTML}}}table"):
        headers = {th.get("id") for th in table.iter(f"{{{XHTML}}}th") if th.get("id")}
        for cell in table.iter(f"{{{XHTML}}}td", f"{{{XHTML}}}th"):
            named = cell.get("headers")
            if named is not None and not (named.split() and set(named.split()) <= headers):
                repairs.append(Repair(f'headers="{named}" names no header cell of its table', 0))
                del cell.attrib["headers"]


def _rename(el: etree._Element, tag: str) -> str:
    """Turn an element into a plain <div> or <span>, keeping only global attributes."""
    el.tag = f"{{{XHTML}}}{tag}"
    for key in list(el.attrib):
        if key not in GLOBAL_ATTRIBUTES and not key.startswith(("data-", "aria-", "{")):
            del el.attrib[key]
    return tag


_ALLOWED_CHILDREN = {
    "ul": ({"li"}, "li"),
    "ol": ({"li"}, "li"),
    "dl": ({"dt", "dd"}, "dd"),
    "tr": ({"td", "th"}, "td"),
    "table": ({"caption", "colgroup", "thead", "tbody", "tfoot", "tr"}, "tr"),
    "tbody": ({"tr"}, "tr"),
    "thead": ({"tr"}, "tr"),
    "tfoot": ({"tr"}, "tr"),
}


def _wrap_strays(el: etree._Element, repairs: list[Repair]) -> None:
    """Wrap children (and text) a list, table or row may not hold in the element it needs."""
    allowed, wrapper = _ALLOWED_CHILDREN[_local(el)]
    if el.text and el.text.strip():
        stray = etree.Element(f"{{{XHTML}}}span")
        stray.text, el.text = el.text, None
        el.insert(0, stray)
    else:
        el.text = None
    for child in list(el):
        if child.tail and not child.tail.strip():
            child.tail = None
        if _local(child) in allowed and not (child.tail and child.tail.strip()):
            continue
        if _local(child) in allowed:
            # Text after an allowed child goes into a wrapper of its own.
            stray = etree.Element(f"{{{XHTML}}}span")
            stray.text, child.tail = child.tail, None
            child.addnext(stray)
            child = stray
        repairs.append(Repair(f"<{_local(child)}> is not allowed directly in <{_local(el)}>", 0))
        box = etree.Element(f"{{{XHTML}}}{wrapper}")
        child.addprevious(box)
        tail, child.tail = child.tail, None
        box.append(child)
        box.tail = tail
        if wrapper == "tr" and _local(child) not in ("td", "th"):
            # A row holds cells, so the stray goes into a cell of the new row.
            etree.SubElement(box, f"{{{XHTML}}}td").append(child)
    if _local(el) == "table":
        _group_rows(el)


def _group_rows(table: etree._Element) -> None:
    """A table holds either rows or row groups, never both: rows go into a <tbody>."""
    sections = {"thead", "tbody", "tfoot"}
    if not any(_local(c) in sections for c in table) or not any(_local(c) == "tr" for c in table):
        return
    group = None
    for child in list(table):
        if _local(child) == "tr":
            if group is None:
                group = etree.Element(f"{{{XHTML}}}tbody")
                child.addprevious(group)
            group.append(child)
        else:
            group = None


def _convert_into(parent: etree._Element, node: etree._Element, repairs: list[Repair]) -> None:
    if not isinstance(node.tag, str):
        _append_text(parent, node.tail)
        return
    tag = node.tag.lower()
    if tag in FORBIDDEN:
        repairs.append(
            Repair(f"<{tag}> removed: a book must not need scripting", node.sourceline or 0)
        )
        _append_text(parent, node.tail)
        return
    if tag in AS_DIV:
        tag = "div"
    if tag in _IMPLIED:
        _append_text(parent, node.text)
        for child in node:
            _convert_into(parent, child, repairs)
        _append_text(parent, node.tail)
        return
    if tag not in ELEMENTS:
        # Unknown tags were escaped before parsing; whatever else the parser invents is unwrapped.
        _append_text(parent, node.text)
        for child in node:
            _convert_into(parent, child, repairs)
        _append_text(parent, node.tail)
        return
    attributes = _allowed_attributes(tag, dict(node.attrib), node.sourceline or 0, repairs)
    el = etree.SubElement(parent, f"{{{XHTML}}}{tag}", attributes)
    el.text = node.text
    for child in node:
        _convert_into(el, child, repairs)
    el.tail = node.tail


def _allowed_attributes(
    tag: str, attributes: dict[str, str], line: int, repairs: list[Repair]
) -> dict[str, str]:
    """The attributes XHTML allows of `attributes` (an HTML element's), by their XHTML names;
    what is dropped is a repair."""
    if tag in ("td", "th", "tr", "col", "p", "div") and (
        "align" in attributes or "style" in attributes
    ):
        # Column alignment (Markdown's `---:`, written as style; raw HTML's align=): XHTML 5
        # has no align, and our sanitiser keeps no style, so it becomes a class the
        # stylesheet aligns.
        found = _ALIGN.search(attributes.get("style", "")) or _ALIGN_VALUE.match(
            attributes.get("align", "")
        )
        if found:
            attributes.pop("align", None)
            style = _ALIGN.sub("", attributes.pop("style", "")).strip(" ;")
            if style:
                attributes["style"] = style
            classes = attributes.get("class", "").split() + [f"align-{found.group(1).lower()}"]
            attributes["class"] = " ".join(classes)
    allowed = {}
    for name, value in attributes.items():
        key = _attribute_name(tag, name)
        if key is None:
            repairs.append(Repair(f"attribute '{name}' removed from <{tag}>", line))
            continue
        if name.lower() in ("href", "src") and value.strip().lower().startswith("javascript:"):
            repairs.append(Repair(f"javascript: URL removed from <{tag}>", line))
            continue
        wrong = value_problem(tag, key, value)
        if wrong:
            shown = value if len(value) <= 40 else value[:40] + "…"
            repairs.append(Repair(f'{name}="{shown}" removed from <{tag}>: it {wrong}', line))
            continue
        allowed[key] = value
    return allowed


_ALIGN = re.compile(r"text-align\s*:\s*(left|right|center|justify)\s*;?", re.I)
_ALIGN_VALUE = re.compile(r"^\s*(left|right|center|justify)\s*$", re.I)


@functools.lru_cache(maxsize=1024)
def _attribute_name(tag: str, name: str) -> str | None:
    """The XHTML attribute for an HTML one, or None where XHTML would not allow it."""
    lower = name.lower()
    if lower == "epub:type":
        return f"{{{EPUB}}}type"
    if lower == "xml:lang":
        return f"{{{XML}}}lang"
    if not _ATTR_NAME.match(name):
        return None
    if lower in GLOBAL_ATTRIBUTES or lower in ELEMENT_ATTRIBUTES.get(tag, ()):
        return lower
    if re.fullmatch(r"(data|aria)-[a-z0-9_.-]+", lower):
        return lower
    return None


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


_XML_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True, remove_comments=True)
# Asked of the whole tree in C, not by a walk in Python: an element deeper than MAX_DEPTH
# below the holder, and the elements that have attributes.
_TOO_DEEP = etree.XPath("boolean(/*" + "/*" * (MAX_DEPTH + 1) + ")")
_WITH_ATTRIBUTES = etree.XPath("//*[@*]")


def from_markup(html: str) -> etree._Element:
    """Markup the Markdown parser made itself (no raw HTML in it) into an XHTML <div>: read as
    XML, which it is, instead of by the HTML parser and a copy of every element; attributes
    and nesting mended as parse_fragment mends them (tested equal). TooDeep as there."""
    try:
        holder = etree.fromstring(f'<div xmlns="{XHTML}">{html}</div>', _XML_PARSER)
    except etree.XMLSyntaxError:
        return parse_fragment(html)[0]
    if _TOO_DEEP(holder):
        raise TooDeep()
    repairs: list[Repair] = []
    for el in _WITH_ATTRIBUTES(holder):
        attributes = _allowed_attributes(_local(el), dict(el.attrib), 0, repairs)
        if len(attributes) != len(el.attrib) or any(k not in attributes for k in el.attrib):
            el.attrib.clear()
            el.attrib.update(attributes)
    holder = _with_nsmap(holder)
    _fix_content_models(holder, repairs)
    return holder


def _with_nsmap(holder: etree._Element) -> etree._Element:
    """The holder with the epub: prefix declared, as element() makes elements."""
    mapped = etree.Element(f"{{{XHTML}}}div", nsmap=NSMAP)
    mapped.text = holder.text
    mapped.extend(list(holder))
    return mapped
