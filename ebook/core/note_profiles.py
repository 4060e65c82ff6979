"""Note profiles: how a book's notes are marked up for a family of reading systems.

Every note starts as the standard EPUB 3 popup markup the Markdown extension writes (a bare
`a[epub:type=noteref]`, an `aside[epub:type=footnote]` per note at the chapter's end, back-link
first). A profile owns what it changes from there: the chapter's markup, the files and assets
it adds to the book, and how its notes are found again in a published EPUB (for `diff` and
`check --previous`). A new profile is one class here, its entry in PROFILES and its tests.
"""

from __future__ import annotations

from lxml import etree

from .assets import style_file
from .labels import labels_for
from .model import Book, Chapter, Options, RenderedChapter
from .xhtml import EPUB, XHTML, document, element, text_of

NOTES_FILE = "notes.xhtml"
DUOKAN_ICON = "images/note-icon.png"
_FOOTNOTE = f"{{{EPUB}}}type"


class NoteProfile:
    """Notes at the end of each chapter, as the Markdown extension writes them."""

    name = "chapter-end"

    def finish(self, holder: etree._Element, chapter: Chapter) -> bytes | None:
        """Change a rendered chapter's note markup; return notes moved out of it, if any."""
        return None

    def assets(self) -> list[tuple[str, str, str, bytes]]:
        """(manifest id, href, media type, bytes) of files the profile's markup uses."""
        return []

    def documents(
        self, book: Book, rendered: list[RenderedChapter], stylesheets: list[str]
    ) -> list[tuple[str, bytes]]:
        """(href, XHTML) of pages the profile adds at the back of the book."""
        return []

    @staticmethod
    def notes_in(section: etree._Element) -> list[etree._Element]:
        """The note elements (each with the note's id) of a chapter's section."""
        return [
            el for el in section.iter(f"{{{XHTML}}}aside") if el.get(_FOOTNOTE) == "footnote"
            and el.get("id")
        ]  # fmt: skip

    @staticmethod
    def endnotes_in(section: etree._Element) -> dict[str, list[etree._Element]]:
        """Notes kept outside their chapters, by chapter id (none in this profile)."""
        return {}


class BookEndProfile(NoteProfile):
    """All notes in one notes file at the back, grouped by chapter, still popups."""

    name = "book-end"

    def finish(self, holder: etree._Element, chapter: Chapter) -> bytes | None:
        """Take the chapter's notes out and point its references at the notes file."""
        notes = next((d for d in holder.iter(f"{{{XHTML}}}div") if d.get("class") == "notes"), None)
        if notes is None:
            return None
        for a in holder.iter(f"{{{XHTML}}}a"):
            if a.get(_FOOTNOTE) == "noteref":
                a.set("href", NOTES_FILE + a.get("href"))
        for back in notes.iter(f"{{{XHTML}}}a"):
            if back.get("role") == "doc-backlink":
                back.set("href", f"{chapter.id}.xhtml" + back.get("href"))
        notes.getparent().remove(notes)
        return etree.tostring(notes)

    def documents(
        self, book: Book, rendered: list[RenderedChapter], stylesheets: list[str]
    ) -> list[tuple[str, bytes]]:
        if not any(r.endnotes is not None for r in rendered):
            return []
        return [(NOTES_FILE, notes_page(book, rendered, stylesheets))]

    @staticmethod
    def endnotes_in(section: etree._Element) -> dict[str, list[etree._Element]]:
        if section.get(_FOOTNOTE) != "endnotes":
            return {}
        return {
            group.get("id", "").removeprefix("notes-"): [
                li for li in group.iter(f"{{{XHTML}}}li") if li.get(_FOOTNOTE) == "endnote"
            ]
            for group in section.iterfind(f"{{{XHTML}}}section")
        }


class DuokanProfile(NoteProfile):
    """Notes at the chapter's end with the popup markup Duokan (多看) documents, which
    微信读书 and 掌阅 also read.

    Duokan's extension (多看电子书规范扩展开放计划, as Duokan-targeted EPUBs apply it; the
    document itself was not at hand when this was written) pops up a note when a link of
    class `duokan-footnote`, holding a small icon image, points to an
    `li.duokan-footnote-item` of an `ol.duokan-footnote-content` in the same file. The
    standard markup stays: the list sits inside the `aside` (epub:type footnote), the item
    carries the note's id and epub:type endnote, and the link keeps epub:type
    noteref and its role, so EPUB 3 readers still find the note.
    """

    name = "duokan"

    def finish(self, holder: etree._Element, chapter: Chapter) -> bytes | None:
        notes = {a.get("id"): a for a in holder.iter(f"{{{XHTML}}}aside")}
        for a in holder.iter(f"{{{XHTML}}}a"):
            if a.get(_FOOTNOTE) != "noteref":
                continue
            aside = notes.get(a.get("href", "")[1:])
            if aside is None:
                continue
            text = " ".join(
                text_of(child) for child in aside if child.get("role") != "doc-backlink"
            )
            a.set("class", "noteref duokan-footnote")
            a.text = None
            # The icon's alt text is the note itself, which Duokan shows when images are off.
            element("img", {"class": "duokan-note-icon", "src": DUOKAN_ICON, "alt": text}, parent=a)
        for note_id, aside in notes.items():
            ol = element("ol", {"class": "duokan-footnote-content"})
            li = element(
                "li",
                {
                    "class": "duokan-footnote-item",
                    "id": note_id,
                    # Not footnote: an <li> may not take the matching role doc-footnote (ARIA
                    # in HTML) and Ace wants a role matching epub:type; endnote needs none (its
                    # role doc-endnote is deprecated). Kobo pops up either.
                    "epub:type": "endnote",
                },
                parent=ol,
            )
            for child in list(aside):
                li.append(child)
            del aside.attrib["id"]
            aside.append(ol)
        return None

    def assets(self) -> list[tuple[str, str, str, bytes]]:
        return [("note-icon", DUOKAN_ICON, "image/png", style_file("note-icon.png"))]

    @staticmethod
    def notes_in(section: etree._Element) -> list[etree._Element]:
        # epub:type footnote: as editions before the role was added wrote it.
        return [
            li for li in section.iter(f"{{{XHTML}}}li")
            if li.get(_FOOTNOTE) in ("footnote", "endnote") and li.get("id")
            and "duokan-footnote-item" in li.get("class", "")
        ]  # fmt: skip


PROFILES: tuple[type[NoteProfile], ...] = (NoteProfile, BookEndProfile, DuokanProfile)


def profile_for(options: Options) -> NoteProfile:
    """The profile book.yaml's `notes:` chooses (the loader refuses duokan with book-end)."""
    if options.note_compat == "duokan":
        return DuokanProfile()
    if options.note_placement == "book-end":
        return BookEndProfile()
    return NoteProfile()


def notes_page(book: Book, rendered: list[RenderedChapter], stylesheets: list[str]) -> bytes:
    """Book-end notes: every chapter's notes, under its title, as EPUB endnotes.

    Each note is a list item with epub:type endnote (Kobo pops up only notes whose target
    carries footnote or endnote), its back-link first (Kindle), one note per element.
    """
    title = labels_for(book.language)["notes"]
    section = element(
        "section",
        {"id": "notes", "epub:type": "endnotes", "role": "doc-endnotes", "class": "endnotes"},
    )
    element("h1", text=title, parent=section)
    for chapter in rendered:
        if chapter.endnotes is None:
            continue
        group = element("section", {"id": f"notes-{chapter.chapter.id}"}, parent=section)
        element("h2", text=chapter.title, parent=group)
        ol = element("ol", {"class": "notes"}, parent=group)
        for aside in etree.fromstring(chapter.endnotes).iter(f"{{{XHTML}}}aside"):
            li = element(
                "li", {"id": aside.get("id"), "epub:type": "endnote", "class": "note"}, parent=ol
            )
            li.text = aside.text
            for child in list(aside):
                li.append(child)
    return document(title, book.language, "backmatter", [section], stylesheets)
