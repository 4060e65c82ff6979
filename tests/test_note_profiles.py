"""The note markup of each profile: standard (tested on the seed book), Duokan, book-end."""

from __future__ import annotations

import shutil

import pytest

from conftest import EPUB_TYPE, NS, REPO, assert_epubcheck_clean, open_epub
from ebook.build import build_epub
from ebook.editions.snapshot import snapshot_epub


def build_with(tmp_path, notes: str):
    book = tmp_path / "book"
    shutil.copytree(REPO / "manuscript", book)
    with (book / "book.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"\nnotes: {notes}\n")
    out = tmp_path / "book.epub"
    build_epub(book, out)
    return out


@pytest.mark.slow
def test_duokan_profile(tmp_path):
    out = build_with(tmp_path, "{compat: duokan}")
    assert_epubcheck_clean(out)
    epub = open_epub(out)
    doc = epub.doc("ch01.xhtml")
    refs = doc.findall(".//h:a[@epub:type='noteref']", NS)
    assert len(refs) == 15
    items = {
        li.get("id"): li
        for li in doc.iterfind(".//h:ol[@class='duokan-footnote-content']/h:li", NS)
    }
    assert len(items) == 14
    for ref in refs:
        assert ref.get("class") == "noteref duokan-footnote" and ref.get("role") == "doc-noteref"
        (icon,) = ref  # the link holds the icon only
        assert icon.tag == f"{{{NS['h']}}}img" and icon.get("src") == "images/note-icon.png"
        item = items[ref.get("href")[1:]]  # same file, an li.duokan-footnote-item
        assert item.get("class") == "duokan-footnote-item" and item.get(EPUB_TYPE) == "endnote"
        note_text = "".join(item.find("h:p", NS).itertext())
        assert icon.get("alt") == note_text
        aside = item.getparent().getparent()
        assert aside.tag == f"{{{NS['h']}}}aside" and aside.get("role") == "doc-footnote"
        assert item[0].get("role") == "doc-backlink"
    assert "EPUB/images/note-icon.png" in epub.names()


@pytest.mark.slow
def test_book_end_profile(tmp_path):
    out = build_with(tmp_path, "{placement: book-end}")
    assert_epubcheck_clean(out)
    epub = open_epub(out)
    spine = [i.get("idref") for i in epub.opf.findall("opf:spine/opf:itemref", NS)]
    assert spine[-1] == "notes.xhtml"
    chapter = epub.doc("ch01.xhtml")
    assert chapter.find(".//h:aside", NS) is None
    refs = chapter.findall(".//h:a[@epub:type='noteref']", NS)
    assert len(refs) == 15 and all(r.get("href").startswith("notes.xhtml#ch01-fn-") for r in refs)
    notes = epub.doc("notes.xhtml")
    assert notes.find("h:body", NS).get(EPUB_TYPE) == "backmatter"
    section = notes.find("h:body/h:section", NS)
    assert (section.get(EPUB_TYPE), section.get("role")) == ("endnotes", "doc-endnotes")
    items = section.findall(".//h:li[@epub:type='endnote']", NS)
    assert len(items) == 14
    ids = {li.get("id") for li in items}
    for ref in refs:
        assert ref.get("href").split("#")[1] in ids
    for li in items:
        back = li[0]
        assert back.get("role") == "doc-backlink" and back.get("href").startswith(
            "ch01.xhtml#ch01-fnref-"
        )
    toc = [a.text for a in epub.doc("nav.xhtml").iterfind(".//h:nav[@id='toc']/h:ol/h:li/h:a", NS)]
    assert toc[-1] == "注释"
    # The notes still belong to their chapter when editions are compared.
    snapshot = snapshot_epub(out.read_bytes())
    assert len(next(c for c in snapshot.chapters if c.id == "ch01").notes) == 14


def test_duokan_needs_notes_in_the_chapter(tmp_path):
    from ebook.core.errors import BookHasErrors

    with pytest.raises(BookHasErrors) as caught:
        build_with(tmp_path, "{compat: duokan, placement: book-end}")
    assert [f.code for f in caught.value.findings] == ["B004"]


# The note popups of foliate-js (the reading engine of Foliate), driven as its own reader
# drives them: a click on a link goes to its FootnoteHandler, which decides whether the target
# is a note and, if so, renders it for the popup ('render').
def popup_harness() -> str:
    from test_apparatus import harness

    return harness(
        """import { FootnoteHandler } from './foliate/footnotes.js'
const notes = new FootnoteHandler()
window.popups = []
// What the popup shows: the note, moved into the popup view's document.
notes.addEventListener('render', e => window.popups.push({
  type: e.detail.type,
  text: e.detail.view.renderer.getContents()[0]?.doc.body.textContent ?? '' }))
// As Foliate does, the popup's own view is put on the page before the note is rendered in it.
notes.addEventListener('before-render', e => {
  e.detail.view.style.cssText = 'display:block;width:400px;height:200px'
  document.body.append(e.detail.view)
})
view.addEventListener('link', e => notes.handle(view.book, e))"""
    )


def first_note_popup(site, epub, chapter: str) -> dict:
    """What foliate-js pops up for the first note reference of `chapter`: its type and text."""
    from test_apparatus import foliate_page

    with foliate_page(site, epub, popup_harness()) as page:
        page.evaluate(f"view.goTo('EPUB/{chapter}')")
        page.wait_for_function(
            "view.renderer.getContents()[0]?.doc.querySelector(\"a[role='doc-noteref']\")"
        )
        page.evaluate(
            "view.renderer.getContents()[0].doc.querySelector(\"a[role='doc-noteref']\").click()"
        )
        page.wait_for_function("window.popups.length > 0", timeout=15_000)
        (popup,) = page.evaluate("window.popups")
    return popup


@pytest.mark.slow
@pytest.mark.parametrize(
    "notes, target_type",
    [(None, "footnote"), ("{placement: book-end}", "endnote"), ("{compat: duokan}", "endnote")],
)
def test_foliate_pops_up_the_notes_of_every_profile(tmp_path, notes, target_type):

    out = build_with(tmp_path, notes) if notes else tmp_path / "book.epub"
    if not notes:
        build_epub(REPO / "manuscript", out)
    popup = first_note_popup(tmp_path / "site", out, "ch01.xhtml")
    assert popup["type"] == target_type
    assert "东方平：《拥抱互联网时代" in popup["text"]
