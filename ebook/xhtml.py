"""HTML in, well-formed XHTML out: parse what Markdown and raw HTML produced, repair it,
and write EPUB-valid XHTML documents."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
XML = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: XHTML, "epub": EPUB}

# HTML elements a book may contain; anything else that parses as a tag was text.
ELEMENTS = frozenset(
    """a abbr address article aside b bdi bdo blockquote br caption cite code col colgroup
    data dd del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup
    hr i img ins kbd li main mark nav ol p pre q rp rt ruby s samp section small span strong
    sub summary sup table tbody td tfoot th thead time tr u ul var wbr""".split()
)
# Elements that would need scripting or plugins: dropped, and reported by the checks.
FORBIDDEN = frozenset("script iframe form object embed applet frame frameset input button".split())
# Wrappers the HTML parser adds around a fragment.
_IMPLIED = frozenset({"html", "body", "head"})
_ATTR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]*$")
# libxml2 predates HTML5 and calls its new elements invalid; those are not repairs.
_HTML5_NOISE = re.compile(r"Tag (\w+) invalid")


@dataclass(frozen=True)
class Repair:
    """Something the HTML parser had to fix in the input."""

    message: str
    html_line: int


def parse_fragment(html: str) -> tuple[etree._Element, list[Repair]]:
    """Parse an HTML fragment into the children of an XHTML <div>, reporting repairs."""
    parser = etree.HTMLParser(recover=True, remove_comments=True, remove_pis=True)
    doc = etree.fromstring(f"<html><body>{html}</body></html>", parser)
    repairs = []
    for entry in parser.error_log:
        noise = _HTML5_NOISE.match(entry.message)
        if noise and noise.group(1) in ELEMENTS:
            continue
        repairs.append(Repair(entry.message.strip(), entry.line))
    holder = etree.Element(f"{{{XHTML}}}div", nsmap=NSMAP)
    body = doc.find("body") if doc is not None else None
    if body is not None:
        holder.text = body.text
        for child in body:
            _convert_into(holder, child, repairs)
    return holder, repairs


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
    if tag in _IMPLIED:
        _append_text(parent, node.text)
        for child in node:
            _convert_into(parent, child, repairs)
        _append_text(parent, node.tail)
        return
    if tag not in ELEMENTS:
        # Text that merely looks like a tag (e.g. "<名>") stays text.
        attrs = "".join(f' {k}="{v}"' if v else f" {k}" for k, v in node.attrib.items())
        _append_text(parent, f"<{node.tag}{attrs}>")
        _append_text(parent, node.text)
        for child in node:
            _convert_into(parent, child, repairs)
        if len(node) or node.text:
            _append_text(parent, f"</{node.tag}>")
        _append_text(parent, node.tail)
        return
    el = etree.SubElement(parent, f"{{{XHTML}}}{tag}")
    for name, value in node.attrib.items():
        key = _attribute_name(name)
        if key is None:
            repairs.append(Repair(f"attribute '{name}' removed from <{tag}>", node.sourceline or 0))
            continue
        if name.lower() in ("href", "src") and value.strip().lower().startswith("javascript:"):
            repairs.append(Repair(f"javascript: URL removed from <{tag}>", node.sourceline or 0))
            continue
        el.set(key, value)
    el.text = node.text
    for child in node:
        _convert_into(el, child, repairs)
    el.tail = node.tail


def _attribute_name(name: str) -> str | None:
    lower = name.lower()
    if lower == "epub:type":
        return f"{{{EPUB}}}type"
    if lower == "xml:lang":
        return f"{{{XML}}}lang"
    if lower.startswith("on") or ":" in name or not _ATTR_NAME.match(name):
        return None
    return lower


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def element(
    tag: str,
    attrib: dict[str, str] | None = None,
    text: str | None = None,
    parent: etree._Element | None = None,
) -> etree._Element:
    """Make an XHTML element; `epub:type` in `attrib` goes to the EPUB namespace."""
    attrs = {}
    for key, value in (attrib or {}).items():
        attrs[f"{{{EPUB}}}type" if key == "epub:type" else key] = value
    if parent is None:
        el = etree.Element(f"{{{XHTML}}}{tag}", attrs, nsmap=NSMAP)
    else:
        el = etree.SubElement(parent, f"{{{XHTML}}}{tag}", attrs)
    el.text = text
    return el


def document(
    title: str,
    language: str,
    body_type: str,
    content: list[etree._Element],
    stylesheets: list[str],
    body_class: str | None = None,
) -> bytes:
    """Return a complete XHTML content document."""
    html = etree.Element(f"{{{XHTML}}}html", nsmap=NSMAP)
    html.set("lang", language)
    html.set(f"{{{XML}}}lang", language)
    head = element("head", parent=html)
    element("meta", {"charset": "utf-8"}, parent=head)
    element("title", text=title, parent=head)
    for href in stylesheets:
        element("link", {"rel": "stylesheet", "type": "text/css", "href": href}, parent=head)
    body = element("body", {"epub:type": body_type}, parent=html)
    if body_class:
        body.set("class", body_class)
    for node in content:
        body.append(node)
    return serialize(html)


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>")


def text_of(el: etree._Element) -> str:
    """Return the text of an element without note reference markers, spaces folded."""

    def walk(node: etree._Element) -> str:
        out = node.text or ""
        for child in node:
            if isinstance(child.tag, str) and child.get(f"{{{EPUB}}}type") != "noteref":
                out += walk(child)
            out += child.tail or ""
        return out

    return re.sub(r"\s+", " ", walk(el)).strip()
