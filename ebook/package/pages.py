"""Pages the tool generates from book.yaml: cover, title page (扉页), copyright page."""

from __future__ import annotations

from itertools import groupby

from lxml import etree

from ..core.cip import UNBROKEN, cip_lines, colophon_rows
from ..core.labels import format_date, labels_for
from ..core.model import BODY_TYPES, Book, MovedAnchor, RenderedChapter
from ..core.xhtml import XHTML, document, element, serialize


def cover_page(book: Book, image_href: str, stylesheets: list[str]) -> bytes:
    labels = labels_for(book.language)
    section = element("section", {"epub:type": "cover", "class": "cover"})
    element("img", {"src": image_href, "alt": book.title, "role": "doc-cover"}, parent=section)
    return document(labels["cover"], book.language, "frontmatter", [section], stylesheets)


def title_page(book: Book, stylesheets: list[str]) -> bytes:
    labels = labels_for(book.language)
    section = element(
        "section", {"epub:type": "titlepage", "id": "titlepage", "class": "titlepage"}
    )
    element("h1", {"class": "title"}, book.title, parent=section)
    if book.subtitle:
        element("p", {"class": "subtitle"}, book.subtitle, parent=section)
    for label, group in groupby(book.primary_contributors, key=lambda c: c.label):
        names = "　".join(c.name for c in group)
        element("p", {"class": "author"}, f"{names}　{label}", parent=section)
    element("p", {"class": "publisher"}, book.publisher.name, parent=section)
    return document(labels["titlepage"], book.language, "frontmatter", [section], stylesheets)


def _unbroken(paragraph, text: str) -> None:
    """`text` into `paragraph`, each number that must not break across lines in a nowrap span."""
    last = None
    position = 0
    for match in UNBROKEN.finditer(text):
        before = text[position : match.start()]
        if last is None:
            paragraph.text = before
        else:
            last.tail = before
        last = element("span", {"class": "nowrap"}, match.group(0), parent=paragraph)
        position = match.end()
    if last is None:
        paragraph.text = text
    else:
        last.tail = text[position:]


def copyright_page(book: Book, stylesheets: list[str]) -> bytes:
    """The CIP block laid out as GB/T 12451 prescribes, then the colophon and rights line."""
    labels = labels_for(book.language)
    section = element(
        "section", {"epub:type": "copyright-page", "id": "copyright", "class": "copyright-page"}
    )
    cip = element("div", {"class": "cip"}, parent=section)
    heading, description, *rest = cip_lines(book)
    element("h1", {"class": "cip-heading"}, heading, parent=cip)
    _unbroken(element("p", {"class": "cip-description"}, parent=cip), description)
    for line in rest:
        _unbroken(element("p", {"class": "cip-data"}, parent=cip), line)
    table = element("table", {"class": "colophon"}, parent=section)
    tbody = element("tbody", parent=table)
    for label, values in colophon_rows(book):
        tr = element("tr", parent=tbody)
        element("th", {"scope": "row"}, label, parent=tr)
        td = element("td", text=values[0], parent=tr)
        for value in values[1:]:
            element("br", parent=td).tail = value
    if book.colophon.rights:
        element("p", {"class": "rights"}, book.colophon.rights, parent=section)
    return document(labels["copyright-page"], book.language, "frontmatter", [section], stylesheets)


def revision_page(book: Book, stylesheets: list[str], matter: str, titles: dict[str, str]) -> bytes:
    """修订说明: every revision of book.yaml's `revisions:`, the newest first.

    It also lists the files earlier editions had (chapter aliases): they stay reachable from
    here, as EPUB requires of files outside the reading order (EPUBCheck OPF-096).
    """
    labels = labels_for(book.language)
    title = labels["revisions"]
    section = element("section", {"id": "revisions", "class": "revisions"})
    element("h1", text=title, parent=section)
    for revision in sorted(book.revisions, key=lambda r: (r.edition, r.date), reverse=True):
        heading = labels["revision_edition"].format(
            edition=revision.edition, date=format_date(book.language, revision.date)
        )
        element("h2", text=heading, parent=section)
        if revision.summary:
            element("p", text=revision.summary, parent=section)
        if revision.changes:
            ul = element("ul", parent=section)
            for change in revision.changes:
                element("li", text=change, parent=ul)
    renamed = [(alias, c) for c in book.chapters for alias in c.aliases]
    if renamed:
        element("h2", text=labels["earlier_addresses"], parent=section)
        ul = element("ul", parent=section)
        for alias, chapter in renamed:
            # Readers see titles, never file names or ids.
            li = element("li", parent=ul)
            link = element("a", {"href": f"{alias}.xhtml"}, titles[chapter.id], parent=li)
            link.tail = labels["earlier_place"]
    return document(title, book.language, matter, [section], stylesheets)


def list_page(
    book: Book, stylesheets: list[str], kind: str, entries: list[tuple[str, str]]
) -> bytes:
    """图目录 (`kind` "figures", epub:type loi) or 表目录 ("tables", lot): each numbered item
    with its caption, linked to it."""
    labels = labels_for(book.language)
    title = labels[f"list_of_{kind}"]
    semantic = "loi" if kind == "figures" else "lot"
    section = element("section", {"id": kind, "epub:type": semantic, "class": "list-of"})
    element("h1", text=title, parent=section)
    ol = element("ol", parent=section)
    for text, href in entries:
        element("a", {"href": href}, text, parent=element("li", parent=ol))
    return document(title, book.language, "frontmatter", [section], stylesheets)


def _anchor_label(anchor: str, labels: dict[str, str]) -> str:
    """What a reader is shown for an earlier anchor that is not a heading."""
    return labels["note_place"] if "-fn" in anchor else labels["earlier_position"]


def alias_page(
    book: Book,
    alias: str,
    chapter: RenderedChapter,
    stylesheets: list[str],
    moved: list[MovedAnchor] = (),
) -> bytes:
    """The file an earlier edition called `alias`: every old anchor links to its new place.

    Readers' bookmarks and links into the old file land here instead of nowhere.
    """
    labels = labels_for(book.language)
    section = element("section", {"id": alias, "class": "alias"})
    p = element("p", text=labels["chapter_is_now"], parent=section)
    element("a", {"href": chapter.file_name}, chapter.title, parent=p)
    headings = {h.id: h.text for h in chapter.headings}
    ul = element("ul", parent=section)
    prefix = chapter.chapter.id
    taken = {alias}
    for anchor in chapter.ids:
        if anchor == prefix:
            continue
        old = alias + anchor[len(prefix) :] if anchor.startswith(prefix + "-") else anchor
        li = element("li", parent=ul)
        element(
            "a",
            {"id": old, "href": f"{chapter.file_name}#{anchor}"},
            headings.get(anchor) or _anchor_label(anchor, labels),
            parent=li,
        )
        taken.add(old)
    # Anchors of the old file that moved elsewhere than this chapter, or that no id of the
    # chapter gives (a heading's old slug): each as its own link.
    for anchor in moved:
        if anchor.id not in taken:
            li = element("li", parent=ul)
            element("a", {"id": anchor.id, "href": anchor.target}, anchor.title, parent=li)
            taken.add(anchor.id)
    return document(
        chapter.title, book.language, BODY_TYPES[chapter.chapter.matter], [section], stylesheets
    )


def with_moved_anchors(body: bytes, anchors: list[MovedAnchor], language: str) -> bytes:
    """A chapter's document with the anchors of sections that moved to other chapters: each
    old id, at the end of the chapter, a link to the heading's new place, so that bookmarks
    and links into this file still lead to the section."""
    root = etree.fromstring(body)
    section = root.find(f"{{{XHTML}}}body/{{{XHTML}}}section")
    labels = labels_for(language)
    moved = element("div", {"class": "moved"}, parent=section)
    by_target: dict[str, list[MovedAnchor]] = {}
    for anchor in anchors:
        by_target.setdefault(anchor.target, []).append(anchor)
    # One line per place moved to; the heading's other old ids are anchors on that line.
    for target, same in by_target.items():
        p = element("p", {"id": same[0].id}, labels["section_moved_to"], parent=moved)
        for other in same[1:]:
            element("span", {"id": other.id, "class": "alias"}, "", parent=p)
        element("a", {"href": target}, same[0].title, parent=p)
    return serialize(root)
