"""The publication plan: which documents the book has, in which order, with which contents,
landmarks and accessibility facts. Decided here once, from the model and the rendered
chapters, for any output format; `epub.py` packages a plan as EPUB."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from stdnum.isbn import compact as isbn_compact

from ..core.assets import STYLESHEET_HREF, stylesheet
from ..core.labels import labels_for
from ..core.model import IMAGE_TYPES, Book, MovedAnchor, RenderedChapter, deferred
from ..core.note_profiles import profile_for
from ..core.numbering import number_labels
from .nav import NavNode, build_toc
from .pages import (
    alias_page,
    copyright_page,
    cover_page,
    list_page,
    revision_page,
    title_page,
    with_moved_anchors,
)

XHTML_TYPE = "application/xhtml+xml"
# Where the contents page (the EPUB navigation document) stands in the reading order.
CONTENTS_HREF = "nav.xhtml"


@dataclass(frozen=True)
class Document:
    """One file of the publication: a page in the reading order, or a resource."""

    href: str
    media_type: str
    data: bytes | None  # None: `content` asks `reader` (a chapter the cache holds)
    id: str = ""  # the manifest id; "" for the href itself (see epub.py)
    properties: tuple[str, ...] = ()
    in_spine: bool = False
    linear: bool = True
    digest: str = ""  # SHA-256 of `content` (hex), when known already
    reader: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)
    packed: tuple[int, int, bytes] | None = field(default=None, compare=False, repr=False)

    @property
    def content(self) -> bytes:
        return deferred(self, self.data, b"")


@dataclass(frozen=True)
class Publication:
    book: Book
    # In manifest order; the pages in the spine, in reading order, with the contents page
    # (content b"", written by the packager from `toc` and `landmarks`) at CONTENTS_HREF.
    documents: tuple[Document, ...]
    toc: tuple[NavNode, ...]
    landmarks: tuple[tuple[str, str], ...]
    # The print edition's pages (label, href), in reading order: the page list.
    pages: tuple[tuple[str, str], ...]
    accessibility: dict[str, list[str]]


# The back matter a reader's "go to" menu (the landmarks) offers: the 参考文献 and the 索引.
_LOOKED_FOR = ("bibliography", "index")


def plan_publication(book: Book, rendered: list[RenderedChapter]) -> Publication:
    """Every document of the book in order: generated pages, chapters, notes, revisions."""
    css = [STYLESHEET_HREF]
    labels = labels_for(book.language)
    profile = profile_for(book.options)
    moved = _moved_anchors(rendered)
    documents, landmarks = _opening(book, css)
    body = [r for r in rendered if r.chapter.matter == "body"]
    if body:
        landmarks.append(("bodymatter", body[0].file_name))
    documents += [
        Document(href, media_type, content, asset_id)
        for asset_id, href, media_type, content in profile.assets()
    ]
    front = [r for r in rendered if r.chapter.matter == "front"]
    rest = [r for r in rendered if r.chapter.matter != "front"]
    toc = build_toc(front, book.options.toc_depth)
    front_pages = [_chapter_page(r, moved, book.language) for r in front]
    back_pages = [_chapter_page(r, moved, book.language) for r in rest]
    extra_back: list[NavNode] = []
    for href, content in profile.documents(book, rendered, css):
        back_pages.append(_page(href, content))
        extra_back.append(NavNode(labels["notes"], href))
    # The lists of figures and tables follow the contents page.
    lists = _lists(book, rendered, css)
    landmarks += [(semantic, page.href) for page, _, semantic in lists]
    landmarks += [(r.chapter.kind, r.file_name) for r in rest if r.chapter.kind in _LOOKED_FOR]
    rest_toc = [NavNode(title, page.href) for page, title, _ in lists]
    rest_toc += build_toc(rest, book.options.toc_depth) + extra_back
    if book.revisions or any(c.aliases for c in book.chapters):
        at_front = book.options.revision_history == "front"
        matter = "frontmatter" if at_front else "backmatter"
        titles = {r.chapter.id: r.title for r in rendered}
        revisions = _page("revisions.xhtml", revision_page(book, css, matter, titles))
        entry = NavNode(labels["revisions"], "revisions.xhtml")
        if at_front:
            front_pages.append(revisions)
            toc += [entry] + rest_toc
        else:
            back_pages.append(revisions)
            toc += rest_toc + [entry]
    else:
        toc += rest_toc
    contents = _page(CONTENTS_HREF, b"", properties=("nav",))
    documents += front_pages + [contents] + [page for page, _, _ in lists] + back_pages
    # Files earlier editions had: out of the reading order, reached from the revision page.
    for r in rendered:
        for alias in r.chapter.aliases:
            content = alias_page(book, alias, r, css, moved.get(f"{alias}.xhtml", []))
            documents.append(_page(f"{alias}.xhtml", content, linear=False))
    documents += _images(rendered)
    pages = tuple((p.label, f"{r.file_name}#{p.id}") for r in front + rest for p in r.pages)
    return Publication(
        book,
        tuple(documents),
        tuple(toc),
        tuple(landmarks),
        pages,
        accessibility(book, rendered),
    )


def _moved_anchors(rendered: list[RenderedChapter]) -> dict[str, list[MovedAnchor]]:
    """Sections that moved between chapters: their old anchors, by the file that keeps them."""
    moved: dict[str, list[MovedAnchor]] = {}
    for r in rendered:
        for anchor in r.moved:
            moved.setdefault(anchor.file, []).append(anchor)
    return moved


def _lists(
    book: Book, rendered: list[RenderedChapter], css: list[str]
) -> list[tuple[Document, str, str]]:
    """The 图目录 and 表目录 the book asks for (and has items for): each page, its title and
    its landmark."""
    asked = [
        kind
        for kind, wanted in (
            ("fig", book.options.list_of_figures),
            ("tbl", book.options.list_of_tables),
        )
        if wanted
    ]
    if not asked:
        return []
    numbering = number_labels(book, rendered)
    gap = labels_for(book.language)["caption_gap"]
    lists = []
    for kind in asked:
        entries = [
            (f"{n.reference}{gap}{n.label.caption}", n.href) for n in numbering.of_kind(kind)
        ]
        if entries:
            name = "figures" if kind == "fig" else "tables"
            page = _page(f"{name}.xhtml", list_page(book, css, name, entries))
            semantic = "loi" if kind == "fig" else "lot"
            lists.append((page, labels_for(book.language)[f"list_of_{name}"], semantic))
    return lists


def _page(href: str, content: bytes, **extra) -> Document:
    return Document(href, XHTML_TYPE, content, in_spine=True, **extra)


def _opening(book: Book, css: list[str]) -> tuple[list[Document], list[tuple[str, str]]]:
    """The stylesheet, the cover, the title page and the copyright page, and their landmarks."""
    documents = [Document(STYLESHEET_HREF, "text/css", stylesheet(book), id="css")]
    landmarks: list[tuple[str, str]] = []
    if book.options.cover:
        cover = book.options.cover
        href = f"images/cover{cover.suffix.lower()}"
        documents.append(
            Document(href, _image_type(cover), cover.read_bytes(), "cover-image", ("cover-image",))
        )
        documents.append(_page("cover.xhtml", cover_page(book, href, css)))
        landmarks.append(("cover", "cover.xhtml"))
    documents.append(_page("titlepage.xhtml", title_page(book, css)))
    documents.append(_page("copyright.xhtml", copyright_page(book, css)))
    landmarks += [
        ("titlepage", "titlepage.xhtml"),
        ("copyright-page", "copyright.xhtml"),
        ("toc", f"{CONTENTS_HREF}#toc"),
    ]
    return documents, landmarks


def _chapter_page(
    r: RenderedChapter, moved: dict[str, list[MovedAnchor]], language: str
) -> Document:
    # EPUB 3.3 requires the mathml property on a document that holds MathML; a generated
    # index is declared one (EPUB Indexes 1.0), which has EPUBCheck check its markup.
    mathml = ("mathml",) if r.mathml else ()
    if r.holds_index:
        mathml += ("index",)
    kept = [a for a in moved.get(r.file_name, ()) if a.id not in r.ids]
    if kept:
        return _page(r.file_name, with_moved_anchors(r.body, kept, language), properties=mathml)
    # When not at hand (kept compressed, or left in the cache), read only if the packager
    # needs it: it may have the compressed form.
    reader = functools.partial(getattr, r, "body")
    return _page(
        r.file_name,
        r.content,
        properties=mathml,
        digest=r.digest,
        reader=reader,
        packed=r.packed,
    )


def _images(rendered: list[RenderedChapter]) -> list[Document]:
    """Every image the chapters show, once, in the order they first show it."""
    documents: list[Document] = []
    seen: set[str] = set()
    for r in rendered:
        for path, href in r.images:
            if href not in seen:
                seen.add(href)
                documents.append(
                    Document(href, _image_type(path), path.read_bytes(), f"img-{len(seen)}")
                )
    return documents


def _image_type(path: Path) -> str:
    # The manuscript checks (L003, L008) only let EPUB image types through.
    return IMAGE_TYPES[path.suffix.lower()]


# The conformance claim of EPUB Accessibility 1.1 (its section 2.1's exact form).
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def conforms(rendered: list[RenderedChapter]) -> bool:
    """Whether every accessibility requirement the tool can check holds. What a build writes
    is valid, structured, navigable and marked up for assistive technology by construction;
    what depends on the author is that every image has a text alternative (or is marked
    decorative): checks/accessibility.py says so when one has not."""
    return all(r.image_alts_complete for r in rendered)


def accessibility(book: Book, rendered: list[RenderedChapter]) -> dict[str, list[str]]:
    """Accessibility metadata (schema.org, EPUB Accessibility 1.1) from what the book holds."""
    images = any(r.images for r in rendered) or book.options.cover is not None
    alts = all(r.image_alts_complete for r in rendered)
    notes = sum(r.note_count for r in rendered)
    mathml = any(r.mathml for r in rendered)
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ]
    if images and alts:
        features.append("alternativeText")
    if mathml:
        features.append("MathML")
    paged = any(r.pages for r in rendered)
    if paged:
        features += ["pageBreakMarkers", "pageNavigation"]
    labels = labels_for(book.language)
    summary = labels["a11y_text"]
    if notes:
        summary += labels["a11y_notes"].format(count=notes)
    if images:
        summary += labels["a11y_alts"] if alts else labels["a11y_no_alts"]
    if any(r.pages for r in rendered):
        summary += labels["a11y_pages"]
    claim = conforms(rendered)
    summary += labels["a11y_end"]
    summary += labels["a11y_conforms"] if claim else labels["a11y_no_claim"]
    metadata = {
        "schema:accessMode": ["textual"] + (["visual"] if images else []),
        "schema:accessModeSufficient": ["textual"] if not images or alts else ["textual,visual"],
        "schema:accessibilityFeature": features,
        "schema:accessibilityHazard": ["none"],
        "schema:accessibilitySummary": [summary],
    }
    if paged:
        # Where the page breaks come from: the print edition (the W3C pageBreakSource
        # property, which EPUBCheck accepts in the default vocabulary while it incubates).
        source = f"urn:isbn:{isbn_compact(book.isbn)}" if book.isbn else "print edition"
        metadata["pageBreakSource"] = [source]
    if claim:
        metadata["dcterms:conformsTo"] = [CONFORMANCE]
        if book.options.certified_by:
            metadata["a11y:certifiedBy"] = [book.options.certified_by]
    return metadata
