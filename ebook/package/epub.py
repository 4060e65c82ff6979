"""Package files and metadata into an EPUB 3 container."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from stdnum.isbn import compact as isbn_compact

from ..core.assets import STYLESHEET_HREF
from ..core.cip import clc_printed, edition_statement
from ..core.model import Book
from ..core.version import __version__
from ..core.xhtml import XML
from ..incremental.cache import code_digest, read_entry, write_entry
from .nav import nav_document, ncx_document
from .ocfzip import DeflateCache, Deflater, Packed, deflate, write_ocf
from .opf import CONTAINER, FOLDER, IDENTIFIER_ID, Metadata, package_document
from .plan import CONTENTS_HREF, XHTML_TYPE, Document, Publication


def write_epub(
    publication: Publication,
    modified: datetime.datetime,
    deflater: Deflater = deflate,
    cache: Path | None = None,
) -> bytes:
    """The EPUB of a publication plan (see packaged_files and package)."""
    files = packaged_files(publication, cache)
    return package(publication.book, files, modified, publication.accessibility, deflater)


def packaged_files(publication: Publication, cache: Path | None = None) -> list[Document]:
    """The files of the package, in manifest order: the plan's documents, the navigation
    document written into the contents page's place, and toc.ncx (for EPUB 2 readers) after
    the XHTML documents. With a `cache` folder, both navigation files are kept there and
    reused while the contents are unchanged (a long book's contents take longer to write
    than to look up)."""
    book = publication.book
    css = [STYLESHEET_HREF]
    toc = list(publication.toc)
    landmarks, pages = list(publication.landmarks), list(publication.pages)
    contents = json.dumps([toc, landmarks, pages, css, book.language], ensure_ascii=False)
    navigation = _Navigation(cache, contents)
    files: list[Document] = []
    for doc in publication.documents:
        # An XHTML document's manifest id is its file name: file names are unique in the
        # container and no id the package makes up (metadata, stylesheet, images) ends in
        # .xhtml, so whatever a manuscript names its chapters, no two ids of content.opf can be
        # the same.
        doc = replace(doc, id=doc.id or doc.href)
        if doc.href == CONTENTS_HREF:
            nav = navigation.get(
                "nav", lambda: nav_document(toc, landmarks, book.language, css, pages)
            )
            doc = replace(doc, data=nav, reader=None, digest="")
        files.append(doc)
    last_page = max(i for i, f in enumerate(files) if f.media_type == XHTML_TYPE)
    ncx = navigation.get(
        f"ncx {book.uid} {book.title}", lambda: ncx_document(toc, book.uid, book.title)
    )
    navigation.prune()
    files.insert(last_page + 1, Document("toc.ncx", "application/x-dtbncx+xml", ncx, "ncx"))
    return files


class _Navigation:
    """nav.xhtml and toc.ncx from the cache folder, by a hash of the contents they list."""

    def __init__(self, folder: Path | None, contents: str) -> None:
        self.folder = folder
        self.contents = contents
        self.used: set[Path] = set()

    def get(self, kind: str, make: Callable[[], bytes]) -> bytes:
        if self.folder is None:
            return make()
        digest = hashlib.sha256(f"{code_digest()}\0{kind}\0{self.contents}".encode())
        path = self.folder / f"nav-{digest.hexdigest()}.xml"
        self.used.add(path)
        data = read_entry(path)
        if data is None:
            data = make()
            write_entry(path, data)
        return data

    def prune(self) -> None:
        """Forget the contents of earlier versions of the book."""
        if self.folder is not None:
            for path in self.folder.glob("nav-*.xml"):
                if path not in self.used:
                    path.unlink(missing_ok=True)


def package(
    book: Book,
    files: list[Document],
    modified: datetime.datetime,
    accessibility: dict[str, list[str]],
    deflater: Deflater = deflate,
) -> bytes:
    """Return the bytes of a reproducible EPUB: spine in the order of `files`.

    The container and the package document (opf.py) are written from the files' names and
    types alone; the files' contents go straight from `files` into the zip writer, which
    reuses what a cache holds compressed.
    """
    metadata = Metadata()
    _metadata(metadata, book, accessibility)
    for f in files:
        if "cover-image" in f.properties:
            # EPUB 2 readers (and Kindle) find the cover through this meta.
            metadata.meta("", {"name": "cover", "content": f.id})
    opf = package_document(metadata, files, book.language, modified, f"ebook {__version__}")
    parts = {"META-INF/container.xml": CONTAINER, f"{FOLDER}/content.opf": opf}
    entries = [("mimetype", b"application/epub+zip"), *parts.items()]
    # A document at hand compressed is not even inflated (a chapter, from its renderer or the
    # chapter cache), nor one the deflate cache holds: its compressed form, checksum and size
    # are all the zip needs.
    cache = deflater if isinstance(deflater, DeflateCache) else None
    for f in files:
        name = f"{FOLDER}/{f.href}"
        packed = Packed(*f.packed) if f.packed else None
        if packed is None and cache and f.digest:
            packed = cache.lookup(f.digest)
        entries.append((name, packed) if packed else (name, f.content, f.digest))
    return write_ocf(entries, modified, deflater)


def _metadata(metadata: Metadata, book: Book, accessibility: dict[str, list[str]]) -> None:
    metadata.dc("identifier", book.uid, {"id": IDENTIFIER_ID})
    if book.isbn and not book.eisbn:
        # Library tools read an ISBN only from dc:identifier (calibre's OPF 3 reader, stores'
        # ingestion): the print ISBN is one more identifier, typed, beside the unique one
        # (EPUB 3.3 allows any number); it stays dc:source too, the edition this one is
        # made from. With an e-ISBN, that is the identifier they find.
        metadata.dc("identifier", f"urn:isbn:{isbn_compact(book.isbn)}", {"id": "isbn"})
        metadata.meta(
            "15", {"refines": "#isbn", "property": "identifier-type", "scheme": "onix:codelist5"}
        )
    metadata.dc("title", book.title, {"id": "title"})
    metadata.meta("main", {"refines": "#title", "property": "title-type"})
    metadata.meta(book.title_file_as or book.title, {"refines": "#title", "property": "file-as"})
    titles = [("subtitle", book.subtitle, "subtitle")]
    titles.append(("edition", edition_statement(book.edition), "edition"))
    titles.append(("series-title", book.series.title if book.series else "", "collection"))
    for title_id, text, title_type in titles:
        if text:
            metadata.dc("title", text, {"id": title_id})
            metadata.meta(title_type, {"refines": f"#{title_id}", "property": "title-type"})
    _people(metadata, book)
    _subjects_and_more(metadata, book, accessibility)


def _people(metadata: Metadata, book: Book) -> None:
    """The parallel title, the language, the contributors with their roles, the publisher."""
    if book.parallel_title:
        # The same title in another language (并列书名): EPUB has no title-type for it.
        metadata.dc("title", book.parallel_title, {"id": "parallel-title"})
    metadata.dc("language", book.language)
    for n, person in enumerate(book.contributors, start=1):
        # Translators stand in the CIP statement of responsibility, but they are not the
        # work's creators.
        element = "creator" if person.primary and person.role != "trl" else "contributor"
        metadata.dc(element, person.name, {"id": f"{element}{n}"})
        metadata.meta(
            person.file_as or person.name,
            {"refines": f"#{element}{n}", "property": "file-as"},
        )
        metadata.meta(
            person.role,
            {"refines": f"#{element}{n}", "property": "role", "scheme": "marc:relators"},
        )
    metadata.dc("publisher", book.publisher.name, {"id": "publisher"})
    metadata.meta(
        "pbl",
        {"refines": "#publisher", "property": "role", "scheme": "marc:relators"},
    )


def _subjects_and_more(metadata: Metadata, book: Book, accessibility: dict[str, list[str]]) -> None:
    """Date, print ISBN, subjects and CLC numbers, edition, collections, original, rights and
    the accessibility metadata."""
    metadata.dc("date", book.date)
    if book.isbn:
        # The print edition this e-book is made from (ONIX code list 5: 15 = ISBN-13).
        metadata.dc("source", f"urn:isbn:{isbn_compact(book.isbn)}", {"id": "print-isbn"})
        metadata.meta(
            "15",
            {"refines": "#print-isbn", "property": "identifier-type", "scheme": "onix:codelist5"},
        )
    if book.description:
        metadata.dc("description", book.description)
    for subject in (*book.cip.subjects, *book.keywords):
        metadata.dc("subject", subject)
    for n, number in enumerate(book.cip.classifications, start=1):
        metadata.dc("subject", clc_printed(number), {"id": f"clc{n}"})
        metadata.meta("CLC", {"refines": f"#clc{n}", "property": "authority"})
        metadata.meta(number, {"refines": f"#clc{n}", "property": "term"})
    if book.edition:
        metadata.meta(str(book.edition.number), {"property": "schema:bookEdition"})
    _collections(metadata, book)
    if book.original:
        attributes = {"property": "schema:translationOfWork"}
        if book.original.language:
            attributes[f"{{{XML}}}lang"] = book.original.language
        metadata.meta(book.original.title, attributes)
    if book.colophon.rights:
        metadata.dc("rights", book.colophon.rights)
    for prop, values in accessibility.items():
        for value in values:
            metadata.meta(value, {"property": prop})


def _collections(metadata: Metadata, book: Book) -> None:
    """The series (丛书) and the multi-volume set a book belongs to, with its place in each."""
    groups = []
    if book.series:
        groups.append(("series", book.series.title, book.series.number, book.series.issn, "issn"))
    if book.volume:
        groups.append(("set", book.title, str(book.volume.number), book.volume.set_isbn, "isbn"))
    for kind, title, position, identifier, scheme in groups:
        collection = f"collection-{kind}"
        metadata.meta(title, {"property": "belongs-to-collection", "id": collection})
        metadata.meta(kind, {"refines": f"#{collection}", "property": "collection-type"})
        # group-position is a number; a series number printed as 第5辑 gives its digits.
        digits = re.search(r"\d+(?:\.\d+)?", position or "")
        if digits:
            metadata.meta(
                digits.group(),
                {"refines": f"#{collection}", "property": "group-position"},
            )
        if identifier:
            compact = re.sub(r"[^\dXx]", "", identifier).upper()
            metadata.meta(
                f"urn:{scheme}:{compact}",
                {"refines": f"#{collection}", "property": "dcterms:identifier"},
            )
