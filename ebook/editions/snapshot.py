"""What an edition contains, read back from its EPUB: the common ground for `diff` and
`check --previous`. A manuscript is compared by building it in memory first, so both sides
are read by the same code."""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from ..core.cip import PRINTED_APPROVAL, printed_number
from ..core.errors import EditionError
from ..core.model import KINDS
from ..core.note_profiles import PROFILES
from ..core.xhtml import EPUB, LINE_ATTR, XHTML, text_of

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "h": XHTML,
    "epub": EPUB,
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
CHAPTER_TYPES = {semantic for _, semantic, _ in KINDS.values()}


class SnapshotError(EditionError):
    """An edition to compare cannot be read."""


@dataclass(frozen=True)
class Section:
    id: str
    level: int
    title: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    id: str
    text: str
    marker: str = ""  # as readers see it: ①, or 1

    @property
    def name(self) -> str:
        """How a person recognises the note: its marker and the start of its text."""
        start = self.text if len(self.text) <= 24 else self.text[:24] + "…"
        return f"{self.marker} {start}".strip()


@dataclass(frozen=True)
class Block:
    """One thing a reader reads, outside headings and notes: a paragraph, a list item, a table
    cell, a caption, a term or definition, a quotation, a code block, a formula (its TeX), an
    image (its alternative text; `targets` holds a hash of its bytes)."""

    kind: str
    text: str
    targets: tuple[str, ...] = ()  # where its links lead, in order
    # The line of the manuscript file it starts on, when read from a manuscript; not part of
    # what the block is (the same paragraph one line lower is unchanged).
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ChapterSnapshot:
    id: str
    file: str
    title: str
    sections: tuple[Section, ...]
    notes: tuple[Note, ...]
    blocks: tuple[Block, ...]
    source: str = ""  # the manuscript file, when the edition was read from a manuscript
    title_anchors: tuple[str, ...] = ()  # the chapter title's id, then its aliases
    # What the tool numbered: (id, number as shown, caption), e.g. ("fig-arch", "图1-1", "架构").
    numbers: tuple[tuple[str, str, str], ...] = ()

    def headings(self) -> tuple[Section, ...]:
        """The title (level 1) and the sections: every heading an anchor may belong to."""
        if not self.title_anchors:
            return self.sections
        first, *aliases = self.title_anchors
        return (Section(first, 1, self.title, tuple(aliases)), *self.sections)


@dataclass(frozen=True)
class BookSnapshot:
    metadata: dict[str, str]
    chapters: tuple[ChapterSnapshot, ...]
    anchors: dict[str, frozenset[str]]  # every XHTML file -> its ids
    aliases: dict[str, str]  # an earlier chapter id -> the chapter id that replaced it


# An EPUB to compare is untrusted input: a few MB of zip can claim gigabytes (a "zip bomb").
# No real book's XHTML file or package document comes near these.
MAX_ENTRY_SIZE = 64 * 1024 * 1024
MAX_TOTAL_SIZE = 512 * 1024 * 1024
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class _Archive:
    """Entries of an untrusted zip, read with a limit on each and on all together."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.total = 0

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.read(name), _XML_PARSER)

    def digest(self, name: str) -> str:
        """A short hash of an entry's bytes ("" when the EPUB has no such entry)."""
        try:
            self.zip.getinfo(name)
        except KeyError:
            return ""
        return hashlib.sha256(self.read(name)).hexdigest()[:12]

    def read(self, name: str) -> bytes:
        too_large = ValueError(
            f"{name} is larger than any book's file ({MAX_ENTRY_SIZE >> 20} MiB)"
        )
        if self.zip.getinfo(name).file_size > MAX_ENTRY_SIZE:
            raise too_large
        data = bytearray()
        with self.zip.open(name) as entry:
            # In pieces, counting: the size in the header may lie.
            while chunk := entry.read(1 << 20):
                data += chunk
                if len(data) > MAX_ENTRY_SIZE:
                    raise too_large
        self.total += len(data)
        if self.total > MAX_TOTAL_SIZE:
            raise ValueError(f"the EPUB holds more than {MAX_TOTAL_SIZE >> 20} MiB")
        return bytes(data)


def snapshot_epub(data: bytes, name: str = "EPUB") -> BookSnapshot:
    """Read an EPUB's metadata, chapters, sections, notes, paragraphs and anchors."""
    try:
        return _snapshot(_Archive(data))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        AttributeError,
        ValueError,
        TypeError,
        IndexError,
        OSError,
        EOFError,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an encrypted entry
        etree.XMLSyntaxError,
    ) as exc:
        raise SnapshotError(
            "{name} is not an EPUB this tool can read: {exc}",
            Path(name),
            code="D001",
            name=name,
            exc=exc,
        ) from exc


def _snapshot(archive: _Archive) -> BookSnapshot:
    container = archive.xml("META-INF/container.xml")
    opf_path = container.find(".//c:rootfile", NS).get("full-path")
    opf = archive.xml(opf_path)
    base = posixpath.dirname(opf_path)
    manifest = {
        i.get("id"): i.get("href")
        for i in opf.iterfind("opf:manifest/opf:item", NS)
        if i.get("media-type") == "application/xhtml+xml"
    }
    anchors: dict[str, frozenset[str]] = {}
    chapters: list[ChapterSnapshot] = []
    endnotes: dict[str, tuple[Note, ...]] = {}
    aliases: dict[str, str] = {}
    documents = {}

    def image_digest(document: str, src: str) -> str:
        folder = posixpath.dirname(posixpath.join(base, document))
        return archive.digest(posixpath.normpath(posixpath.join(folder, src)))

    for href in manifest.values():
        doc = archive.xml(posixpath.join(base, href) if base else href)
        documents[href] = doc
        anchors[href] = frozenset(el.get("id") for el in doc.iter() if el.get("id"))
    for itemref in opf.iterfind("opf:spine/opf:itemref", NS):
        href = manifest.get(itemref.get("idref"))
        if href is None:
            continue
        section = documents[href].find("h:body/h:section", NS)
        if section is None:
            continue
        if section.get("class") == "alias":
            target = section.find("h:p/h:a", NS)
            if target is not None:
                aliases[section.get("id")] = Path(target.get("href")).stem
        elif section.get(f"{{{EPUB}}}type") in CHAPTER_TYPES:
            chapters.append(_chapter(href, section, image_digest))
        else:
            for profile in PROFILES:
                for chapter_id, items in profile.endnotes_in(section).items():
                    endnotes[chapter_id] = tuple(_note(li) for li in items)
    # Book-end notes live in one notes file; each belongs to the chapter that cites it.
    chapters = [replace(c, notes=c.notes + endnotes.get(c.id, ())) for c in chapters]
    return BookSnapshot(_metadata(opf, documents), tuple(chapters), anchors, aliases)


def _chapter(
    href: str, section: etree._Element, image_digest: Callable[[str, str], str]
) -> ChapterSnapshot:
    headings = [
        el
        for el in section.iter()
        if isinstance(el.tag, str) and etree.QName(el).localname in _HEADINGS
    ]
    title = next((text_of(h) for h in headings if etree.QName(h).localname == "h1"), "")
    sections = tuple(
        Section(
            h.get("id", ""),
            int(etree.QName(h).localname[1]),
            text_of(h),
            tuple(s.get("id") for s in h.iterfind("h:span[@class='alias']", NS)),
        )
        for h in headings
        if etree.QName(h).localname != "h1"
    )
    # Each note profile knows where its notes are (an aside, a Duokan list item…).
    note_elements = [el for profile in PROFILES for el in profile.notes_in(section)]
    notes = tuple(_note(el) for el in note_elements)
    asides = section.iterfind(".//h:aside", NS)
    moved = section.iterfind("h:div[@class='moved']", NS)  # anchors of sections moved away
    # Headings are compared as sections and notes as notes, not again as blocks.
    skipped = {el for top in (*note_elements, *headings, *asides, *moved) for el in top.iter()}
    blocks = tuple(_blocks(section, skipped, lambda src: image_digest(href, src)))
    h1 = next((h for h in headings if etree.QName(h).localname == "h1"), None)
    title_anchors = ()
    if h1 is not None and h1.get("id"):
        spans = h1.iterfind("h:span[@class='alias']", NS)
        title_anchors = (h1.get("id"), *(s.get("id") for s in spans))
    return ChapterSnapshot(
        Path(href).stem,
        href,
        title,
        sections,
        notes,
        blocks,
        title_anchors=title_anchors,
        numbers=tuple(_numbers(section)),
    )


# The numbers the tool writes (render/apparatus.py): a caption's, an equation's, and the
# text of a reference to either. The text of a block leaves them out, and a reference reads
# as what it points to, so that renumbering changes no block: it is reported as such.
_NUMBER_CLASSES = {"label-number", "equation-number"}


def _numbers(section: etree._Element) -> Iterator[tuple[str, str, str]]:
    for span in section.iter(f"{{{XHTML}}}span"):
        if span.get("class") not in _NUMBER_CLASSES:
            continue
        owner = next((a for a in span.iterancestors() if a.get("id")), None)
        caption = span.getparent()
        text = _reader_text(caption) if caption is not owner else ""
        yield (owner.get("id", "") if owner is not None else "", text_of(span), text)


_HEADINGS = {f"h{level}" for level in range(1, 7)}
# Elements whose own text is one block (a paragraph's kind comes from where it stands).
_TEXT_BLOCKS = {
    "p": "paragraph",
    "li": "list item",
    "td": "table cell",
    "th": "table cell",
    "caption": "caption",
    "figcaption": "caption",
    "dt": "term",
    "dd": "definition",
    "pre": "code",
    "summary": "paragraph",
}
_PARAGRAPH_IN = {
    "li": "list item",
    "td": "table cell",
    "th": "table cell",
    "dd": "definition",
    "blockquote": "quote",
    "figcaption": "caption",
}
# What a block's own text leaves to blocks of their own.
_NOT_OWN = {*_TEXT_BLOCKS, "ul", "ol", "dl", "table", "blockquote", "figure", "div", "aside"}


def _blocks(
    section: etree._Element, skipped: set, image_digest: Callable[[str], str]
) -> Iterator[Block]:
    for el in section.iter(etree.Element):
        if el in skipped:
            continue
        name = etree.QName(el).localname
        if name == "img":
            digest = image_digest(el.get("src", ""))
            yield Block("image", el.get("alt", ""), (digest,), _line(el))
        elif name == "div" and "math-display" in el.get("class", "").split():
            yield Block("formula", _reader_text(el, own=False), line=_line(el))
        elif name in _TEXT_BLOCKS:
            text, targets = _reader_text(el), _targets(el)
            if text or targets:
                yield Block(_kind(el, name), text, targets, _line(el))


def _line(el: etree._Element) -> int | None:
    """The manuscript line the renderer marked on the block or the nearest block around it
    (a code block's mark is on its <code>)."""
    for node in (*el.iterfind(f"{{{XHTML}}}code"), el, *el.iterancestors()):
        if node.get(LINE_ATTR, "").isdigit():
            return int(node.get(LINE_ATTR))
    return None


def _kind(el: etree._Element, name: str) -> str:
    if name == "p":
        for ancestor in el.iterancestors(etree.Element):
            local = etree.QName(ancestor).localname
            if local in _PARAGRAPH_IN:
                return _PARAGRAPH_IN[local]
            if local == "section":
                break
    return _TEXT_BLOCKS[name]


def _reader_text(el: etree._Element, own: bool = True) -> str:
    """The text a reader reads in `el`: note markers left out, a formula as its TeX (`$…$`),
    and with `own`, nothing of the blocks inside it (they are blocks of their own)."""

    def walk(node: etree._Element) -> str:
        out = node.text or ""
        for child in node:
            if isinstance(child.tag, str):
                local = etree.QName(child).localname
                if local == "math":
                    out += f"${child.get('alttext', '')}$"
                elif child.get("class") in _NUMBER_CLASSES:
                    pass
                elif local == "a" and child.get("class") == "xref":
                    out += f"[→{child.get('href', '').rpartition('#')[2]}]"
                elif child.get(f"{{{EPUB}}}type") == "noteref" or (own and local in _NOT_OWN):
                    pass
                else:
                    out += walk(child)
            out += child.tail or ""
        return out

    return re.sub(r"\s+", " ", walk(el)).strip()


def _targets(el: etree._Element) -> tuple[str, ...]:
    """Where the block's own links lead (not note markers, not links of blocks inside it)."""
    return tuple(
        a.get("href", "")
        for a in el.iter(f"{{{XHTML}}}a")
        if a.get(f"{{{EPUB}}}type") != "noteref" and a.get("role") != "doc-backlink" and _own(a, el)
    )


def _own(node: etree._Element, block: etree._Element) -> bool:
    """Whether `node` is part of `block`'s own text, not of a block inside it."""
    for parent in node.iterancestors():
        if parent is block:
            return True
        if etree.QName(parent).localname in _NOT_OWN:
            return False
    return False


def _note(el: etree._Element) -> Note:
    back = next((a for a in el.iter(f"{{{XHTML}}}a") if a.get("role") == "doc-backlink"), None)
    return Note(el.get("id"), _note_text(el), text_of(back) if back is not None else "")


def _note_text(note: etree._Element) -> str:
    parts = [text_of(child) for child in note if child.get("role") != "doc-backlink"]
    return " ".join(p for p in parts if p)


def _metadata(opf: etree._Element, documents: dict[str, etree._Element]) -> dict[str, str]:
    md = opf.find("opf:metadata", NS)

    def refined(el_id: str | None, prop: str) -> str:
        found = md.find(f"opf:meta[@refines='#{el_id}'][@property='{prop}']", NS)
        return found.text if found is not None else ""

    people = []
    for el in [*md.iterfind("dc:creator", NS), *md.iterfind("dc:contributor", NS)]:
        people.append(f"{el.text} ({refined(el.get('id'), 'role')})")
    source = md.findtext("dc:source", default="", namespaces=NS)
    edition = md.find("opf:meta[@property='schema:bookEdition']", NS)
    printing = ""
    copyright_doc = next(
        (
            d
            for d in documents.values()
            if d.find(".//h:section[@epub:type='copyright-page']", NS) is not None
        ),
        None,
    )
    cip_number = cip_description = cip_data = ""
    if copyright_doc is not None:
        # The CIP block as printed: its description, then its retrieval and classification
        # data (subjects, CLC number, approval number).
        cip = copyright_doc.find(".//h:div[@class='cip']", NS)
        if cip is not None:
            description = cip.find("h:p[@class='cip-description']", NS)
            cip_description = text_of(description) if description is not None else ""
            cip_data = " ".join(text_of(p) for p in cip.iterfind("h:p[@class='cip-data']", NS))
        for row in copyright_doc.iterfind(".//h:tr", NS):
            if row.findtext("h:th", namespaces=NS) == "版次":
                printing = text_of(row.find("h:td", NS))
        approval = PRINTED_APPROVAL.search(text_of(copyright_doc))
        cip_number = printed_number(approval) if approval else ""
    uid = opf.get("unique-identifier")
    return {
        "title": md.findtext("dc:title", default="", namespaces=NS),
        "identifier": md.findtext(f"dc:identifier[@id='{uid}']", default="", namespaces=NS),
        "isbn": source.removeprefix("urn:isbn:"),
        "date": md.findtext("dc:date", default="", namespaces=NS),
        "edition": edition.text if edition is not None else "",
        "cip_number": cip_number,
        "cip_description": cip_description,
        "cip_data": cip_data,
        "printing": printing,
        "publisher": md.findtext("dc:publisher", default="", namespaces=NS),
        "language": md.findtext("dc:language", default="", namespaces=NS),
        "contributors": "; ".join(people),
    }
