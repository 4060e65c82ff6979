"""XHTML as the book writes it: the namespaces, an element, a whole content document, its
bytes, and the text a reader sees in an element."""

from __future__ import annotations

import re

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
XML = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: XHTML, "epub": EPUB}
# Earlier anchors of a heading (`## Title {aliases="old-id"}`): the renderer turns them into
# empty anchors inside the heading and removes the attribute.
HEADING_ALIASES = "aliases"
# The line of the chapter's file where the parser met an element: on what a finding may be
# about, popped by the pass that reads it; on every block when `ebook diff` asks (never in a
# book).
LINE_ATTR = "data-ebook-line"


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


# HTML's void elements: every other element is written with an end tag, as HTML parsers in
# some readers misread `<span/>`.
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def parse_document(data: bytes) -> etree._Element:
    """A content document read back for a change, to be written by `serialize` as the book
    first wrote it (empty elements keep their end tags)."""
    root = etree.fromstring(data)
    for el in root.iter(f"{{{XHTML}}}*"):
        if el.text is None and not len(el) and etree.QName(el).localname not in VOID:
            el.text = ""
    return root


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
