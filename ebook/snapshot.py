"""What an edition contains, read back from its EPUB: the common ground for `diff` and
`check --previous`. A manuscript is compared by building it in memory first, so both sides
are read by the same code."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from .cip import PRINTED_APPROVAL, printed_number
from .errors import EbookError
from .model import KINDS
from .note_profiles import PROFILES
from .xhtml import EPUB, XHTML, text_of

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "h": XHTML,
    "epub": EPUB,
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
CHAPTER_TYPES = {semantic for _, semantic, _ in KINDS.values()}


class SnapshotError(EbookError):
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
class ChapterSnapshot:
    id: str
    file: str
    title: str
    sections: tuple[Section, ...]
    notes: tuple[Note, ...]
    paragraphs: tuple[str, ...]
    source: str = ""  # the manuscript file, when the edition was read from a manuscript


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
            raise ValueError(f"the EPUB holds more than {MAX_TOTAL_SIZE >> 20} MiB of text")
        return etree.fromstring(bytes(data), _XML_PARSER)


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
            chapters.append(_chapter(href, section))
        else:
            for profile in PROFILES:
                for chapter_id, items in profile.endnotes_in(section).items():
                    endnotes[chapter_id] = tuple(_note(li) for li in items)
    # Book-end notes live in one notes file; each belongs to the chapter that cites it.
    chapters = [replace(c, notes=c.notes + endnotes.get(c.id, ())) for c in chapters]
    return BookSnapshot(_metadata(opf, documents), tuple(chapters), anchors, aliases)


def _chapter(href: str, section: etree._Element) -> ChapterSnapshot:
    headings = [
        el
        for el in section.iter()
        if isinstance(el.tag, str) and re.fullmatch(r"h[1-6]", etree.QName(el).localname)
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
    notes = tuple(_note(el) for profile in PROFILES for el in profile.notes_in(section))
    in_notes = {el for aside in section.iterfind(".//h:aside", NS) for el in aside.iter()}
    paragraphs = tuple(text_of(p) for p in section.iter(f"{{{XHTML}}}p") if p not in in_notes)
    return ChapterSnapshot(Path(href).stem, href, title, sections, notes, paragraphs)


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
    cip_number = ""
    if copyright_doc is not None:
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
        "printing": printing,
        "publisher": md.findtext("dc:publisher", default="", namespaces=NS),
        "language": md.findtext("dc:language", default="", namespaces=NS),
        "contributors": "; ".join(people),
    }
