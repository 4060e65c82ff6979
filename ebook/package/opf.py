"""The container file (META-INF/container.xml) and the package document (content.opf):
metadata, manifest and spine, written with lxml.

The metadata is written in a fixed order, so the same book gives the same bytes: the
modification date and the generator, then the Dublin Core elements grouped by name in the
order each name was first used, then every `meta` in the order it was added.
"""

from __future__ import annotations

import datetime

from lxml import etree

from ..core.xhtml import XML
from .plan import Document

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
FOLDER = "EPUB"
CONTAINER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">\n'
    "  <rootfiles>\n"
    f'    <rootfile media-type="application/oebps-package+xml" full-path="{FOLDER}/content.opf"/>\n'
    "  </rootfiles>\n"
    "</container>\n"
).encode()
IDENTIFIER_ID = "id"
# Scripts written right to left (ISO 15924 defaults of these languages).
_RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"})


class Metadata:
    """The package's metadata as it is gathered: Dublin Core elements and `meta` elements, each
    with its text and attributes."""

    def __init__(self) -> None:
        self.dublin_core: dict[str, list[tuple[str, dict[str, str]]]] = {}
        self.metas: list[tuple[str, dict[str, str]]] = []

    def dc(self, name: str, text: str, attributes: dict[str, str] | None = None) -> None:
        self.dublin_core.setdefault(name, []).append((text, attributes or {}))

    def meta(self, text: str, attributes: dict[str, str]) -> None:
        self.metas.append((text, attributes))


def package_document(
    metadata: Metadata,
    files: list[Document],
    language: str,
    modified: datetime.datetime,
    generator: str,
) -> bytes:
    """content.opf: `metadata`, a manifest item for every file and the spine of the files in
    it, in order; the package states its language (EPUB 3.3 recommends it, Ace reports its
    absence) and, for a right-to-left script, its direction."""
    root = etree.Element(f"{{{OPF}}}package", nsmap={None: OPF})
    root.set("unique-identifier", IDENTIFIER_ID)
    root.set("version", "3.0")
    root.set("prefix", "rendition: http://www.idpf.org/vocab/rendition/#")
    root.set(f"{{{XML}}}lang", language)
    if language.split("-")[0].lower() in _RTL_LANGUAGES:
        root.set("dir", "rtl")
    holder = etree.SubElement(root, f"{{{OPF}}}metadata", nsmap={"dc": DC})
    _element(
        holder,
        f"{{{OPF}}}meta",
        modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        {"property": "dcterms:modified"},
    )
    _element(holder, f"{{{OPF}}}meta", "", {"name": "generator", "content": generator})
    for name, values in metadata.dublin_core.items():
        for text, attributes in values:
            _element(holder, f"{{{DC}}}{name}", text, attributes)
    for text, attributes in metadata.metas:
        _element(holder, f"{{{OPF}}}meta", text, attributes)
    manifest = etree.SubElement(root, f"{{{OPF}}}manifest")
    for f in files:
        item = {"href": f.href, "id": f.id, "media-type": f.media_type}
        if f.properties:
            item["properties"] = " ".join(f.properties)
        etree.SubElement(manifest, f"{{{OPF}}}item", item)
    spine = etree.SubElement(root, f"{{{OPF}}}spine", {"toc": "ncx"})
    for f in files:
        if f.in_spine:
            itemref = etree.SubElement(spine, f"{{{OPF}}}itemref", {"idref": f.id})
            if not f.linear:
                itemref.set("linear", "no")
    return etree.tostring(root, pretty_print=True, encoding="utf-8", xml_declaration=True)


def _element(parent: etree._Element, tag: str, text: str, attributes: dict[str, str]) -> None:
    el = etree.SubElement(parent, tag, attributes)
    if text:
        el.text = text
