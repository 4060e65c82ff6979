"""Writing citations and lists of references into a chapter's XHTML, in the book's style
(render/bibliography.py decides what each list holds and where it stands)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from lxml import etree

from ..core import gbt7714
from ..core.labels import labels_for
from ..core.model import Book, RenderedChapter
from ..core.references import Citation, Reference
from ..core.xhtml import EPUB, XHTML, element
from .citations import CITATION_ATTR, NOTE_LABEL
from .syntax import REFS_ATTR

# A locator that is a page or a range of pages: `29`, `p. 12`, `pp. 12-15`, `第12页`.
_PAGES = re.compile(
    r"^(?:pp?\.\s*|第\s*)?([0-9ivxlcdm]+(?:\s*[-–—~]\s*[0-9ivxlcdm]+)?"
    r"(?:\s*[,，]\s*[0-9]+(?:\s*[-–—]\s*[0-9]+)?)*)\s*页?$",
    re.I,
)


@dataclass
class Scope:
    """One list of references and the citations it serves: the book's, or a chapter's."""

    chapter: int | None  # the chapter whose list it is (per_chapter), or None for the book
    order: dict[str, int]  # key -> its place in the order of first citation (1, 2, …)
    file: str = ""  # where the list stands ("" when nowhere)
    listed: list[str] | None = None  # the keys listed, in the list's order
    numbers: dict[str, int] | None = None


def known(citation: Citation, refs: dict[str, Reference]) -> bool:
    return all(cited.key in refs for cited in citation.cited)


def page_locator(locator: str) -> str:
    """The pages a locator gives (`第12页` -> 12), or "" when it is no page."""
    found = _PAGES.match(locator.strip())
    return gbt7714.pages(found.group(1)) if found else ""


class CitationWriter:
    """Writes citations and lists into chapters' XHTML."""

    def __init__(self, book: Book, refs: dict[str, Reference], suffixes: dict[str, str]):
        self.book = book
        self.refs = refs
        self.suffixes = suffixes
        self.style = book.options.citation_style
        self.chinese = book.language.startswith(("zh", "ja"))

    def href(self, scope: Scope, key: str, here: str) -> str | None:
        if not scope.file or key not in (scope.listed or ()):
            return None
        anchor = entry_id(key)
        return f"#{anchor}" if scope.file == here else f"{scope.file}#{anchor}"

    def write_citations(self, root: etree._Element, r: RenderedChapter, scope: Scope) -> None:
        notes = _NoteMemory()
        markers: dict[str, str] | None = None  # the notes' markers, read at the first note
        for el in list(root.iter(f"{{{XHTML}}}*")):
            index = el.attrib.pop(CITATION_ATTR, None)
            if index is None:
                continue
            part = el.attrib.pop(f"{CITATION_ATTR}-part", "")
            citation = r.citations[int(index)]
            if not known(citation, self.refs):
                _as_text(el, written=part != "note")
            elif part == "author":
                _replace(el, [gbt7714.cited_author(self.refs[citation.cited[0].key])])
            elif part == "note":
                if markers is None:
                    markers = _note_markers(root)
                note_id = f"{r.chapter.id}-fn-{NOTE_LABEL.format(index)}"
                _replace(el, self.note_text(citation, notes, markers.get(note_id)))
            elif self._in_note(el):
                _replace(el, self.note_text(citation, notes, None))
            elif self.style == "author-date":
                _replace(el, self.author_date(citation, scope, r.file_name))
            else:
                _replace(el, self.numeric(citation, scope, r.file_name))

    def _in_note(self, el: etree._Element) -> bool:
        return self.style == "notes" and any(
            a.get(f"{{{EPUB}}}type") == "footnote" for a in el.iterancestors()
        )

    def numeric(self, citation: Citation, scope: Scope, here: str) -> list:
        """`[1]`, `[1,3-5]`, `[2]260` after the text as a superscript (10.1.2); `@key` in the
        text gives the author's name before it (KANAMORI[7]); `[-@key]` the number inline, as
        part of the sentence (文献[7]指出)."""
        numbers = [(scope.numbers or {}).get(c.key) or scope.order[c.key] for c in citation.cited]
        pieces: list = [c.prefix for c in citation.cited[:1] if c.prefix]
        inside: list = ["["]
        for index, (cited, number) in enumerate(zip(citation.cited, numbers, strict=True)):
            follows = index and numbers[index - 1] == number - 1
            continues = index + 1 < len(numbers) and numbers[index + 1] == number + 1
            if follows and continues:
                continue
            if index:
                inside.append("-" if follows else ",")
            inside.append(self._link(str(number), scope, cited.key, here))
        inside.append("]")
        inside += [_locator_text(c.locator) for c in citation.cited if c.locator]
        if all(c.suppress_author for c in citation.cited):
            return pieces + inside  # `文献[-@key]`: the number is part of the sentence
        if citation.narrative:  # `@key 指出`: the author's name, the number after it
            pieces.append(gbt7714.cited_author(self.refs[citation.cited[0].key]))
        sup = element("sup", {"class": "citation"})
        _fill(sup, inside)
        return [*pieces, sup]

    def author_date(self, citation: Citation, scope: Scope, here: str) -> list:
        """`（陈晋镳 等，1980）`, `（CRANE，1972；STIEG，1981）`; the pages as a superscript
        after it (10.2.4); narrative: `陈晋镳 等（1980）`."""
        open_, close, comma, semicolon = (
            ("（", "）", "，", "；") if self.chinese else ("(", ")", ", ", "; ")
        )
        items: list = []
        pages = []
        for index, cited in enumerate(citation.cited):
            ref = self.refs[cited.key]
            year = (gbt7714.year_of(ref) or "n.d.") + self.suffixes.get(cited.key, "")
            author = gbt7714.cited_author(ref)
            if index:
                items.append(semicolon)
            if cited.prefix:
                items.append(cited.prefix)
            if citation.narrative:
                items += [author, open_, self._link(year, scope, cited.key, here), close]
                continue
            shown = year if cited.suppress_author else f"{author}{comma}{year}"
            items.append(self._link(shown, scope, cited.key, here))
            page = page_locator(cited.locator)
            if page:
                pages.append(page)
            elif cited.locator:
                items.append(comma + cited.locator)
        if citation.narrative:
            return items
        pieces: list = [open_, *items, close]
        if pages:
            sup = element("sup", {"class": "citation-page"})
            sup.text = ",".join(pages)
            pieces.append(sup)
        return pieces

    def note_text(self, citation: Citation, notes: _NoteMemory, marker: str | None) -> list:
        """The text of a citation's note (注释体): the full entry the first time the chapter
        cites the work, then as citations.repeat says: `同②: 12.` (the standard's form),
        `同上: 12.`, a short form or the full entry again."""
        repeat = self.book.options.citation_repeat
        words = labels_for(self.book.language)
        texts = []
        for cited in citation.cited:
            ref = self.refs[cited.key]
            pages = page_locator(cited.locator) or cited.locator or None
            earlier = notes.first.get(cited.key)
            alone = len(citation.cited) == 1
            if earlier is None or repeat == "full" or marker is None and repeat == "same":
                text = gbt7714.entry(ref, locator=pages)
            elif repeat == "ibid" and alone and notes.last == (cited.key,):
                text = words["ibid"] + (f": {pages}." if pages else ".")
            elif repeat == "same" and earlier:
                text = words["same_as"].format(earlier) + (f": {pages}." if pages else ".")
            else:
                text = gbt7714.short_form(ref, pages or "")
            texts.append(cited.prefix + text)
            if marker is not None:
                notes.first.setdefault(cited.key, marker)
            else:
                notes.first.setdefault(cited.key, "")
        notes.last = tuple(c.key for c in citation.cited)
        return _linked_urls(" ".join(texts), [self.refs[c.key] for c in citation.cited])

    def _link(self, text: str, scope: Scope, key: str, here: str):
        href = self.href(scope, key, here)
        if href is None:
            return text
        link = element("a", {"href": href, "role": "doc-biblioref", "class": "citation-link"})
        link.text = text
        return link

    def write_list(self, root: etree._Element, scope: Scope) -> list[str]:
        """The list into its place; the ids it adds."""
        numbered = bool(scope.numbers)
        listing = element("ol" if numbered else "ul", {"class": f"references {self.style}"})
        listing.text = "\n"
        ids = []
        for key in scope.listed or ():
            ref = self.refs[key]
            layout = gbt7714.AUTHOR_DATE if self.style == "author-date" else gbt7714.NUMERIC
            text = gbt7714.entry(ref, layout, self.suffixes.get(key, ""))
            item = element("li", {"id": entry_id(key), f"{{{EPUB}}}type": "biblioentry"})
            pieces = _linked_urls(text, [ref])
            if numbered:
                number = element("span", {"class": "reference-number"})
                number.text = f"[{scope.numbers[key]}]"
                number.tail = " "
                pieces = [number, *pieces]
            _fill(item, pieces)
            item.tail = "\n"
            listing.append(item)
            ids.append(entry_id(key))
        _place_list(root, listing, scope, self.book)
        return ids


class _NoteMemory:
    """What a chapter's notes cited before: each work's first note marker, the last note's
    works (for 同上)."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}
        self.last: tuple[str, ...] = ()


def entry_id(key: str) -> str:
    """An entry's anchor: `ref-chen2000`; a key an id may not hold is hashed."""
    if re.fullmatch(r"[A-Za-z0-9_.-]+", key):
        return f"ref-{key}"
    return "ref-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _note_markers(root: etree._Element) -> dict[str, str]:
    """The marker (② or 2) of each note of the chapter, by the note's id: read once, for
    every citation that became a note."""
    markers = {}
    for aside in root.iter(f"{{{XHTML}}}aside"):
        back = aside.find(f".//{{{XHTML}}}a[@class='note-backlink']")
        if back is not None and aside.get("id"):
            markers[aside.get("id")] = back.text
    return markers


def _locator_text(locator: str) -> str:
    return page_locator(locator) or locator


def _linked_urls(text: str, refs: list[Reference]) -> list:
    """The entry's text with its URLs and DOIs as links."""
    targets = []
    for ref in refs:
        if ref.url:
            targets.append((ref.url, ref.url))
        if ref.doi:
            doi = ref.doi.removeprefix("https://doi.org/")
            targets.append((f"DOI:{ref.doi}", f"https://doi.org/{doi}"))
    pieces: list = [text]
    for needle, href in targets:
        last = pieces.pop()
        if not isinstance(last, str) or needle not in last:
            pieces.append(last)
            continue
        before, _, after = last.partition(needle)
        link = element("a", {"href": href, "class": "reference-link"})
        link.text = needle
        pieces += [before, link, after]
    return [p for p in pieces if not isinstance(p, str) or p]


def _fill(holder: etree._Element, pieces: list) -> None:
    """Text and elements in order into `holder`."""
    last = None
    for piece in pieces:
        if isinstance(piece, str):
            if last is None:
                holder.text = (holder.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        else:
            holder.append(piece)
            last = piece


def _replace(el: etree._Element, pieces: list) -> None:
    """`el` becomes `pieces` (a citation's mark is an <a> or <span> that goes)."""
    span = element("span")
    _fill(span, pieces)
    parent = el.getparent()
    index = parent.index(el)
    tail = el.tail
    parent.remove(el)
    previous = parent[index - 1] if index else None
    _insert_text(parent, previous, span.text or "")
    for child in list(span):
        parent.insert(index, child)
        index += 1
        previous = child
    _insert_text(parent, previous, tail or "")


def _insert_text(parent: etree._Element, previous, text: str) -> None:
    if not text:
        return
    if previous is None:
        parent.text = (parent.text or "") + text
    else:
        previous.tail = (previous.tail or "") + text


def _as_text(el: etree._Element, written: bool) -> None:
    """A citation that cannot be written stays as the author wrote it."""
    _replace(el, [el.text or ""] if written else [])


def _place_list(root: etree._Element, listing: etree._Element, scope: Scope, book: Book) -> None:
    """Into the refs block, else at the end of the bibliography page, else (a chapter's own
    list) in a section headed 参考文献 at the chapter's end, before its notes."""
    block = next((d for d in root.iter(f"{{{XHTML}}}div") if d.get(REFS_ATTR) is not None), None)
    if block is not None:
        del block.attrib[REFS_ATTR]
        block.set("class", "references-block")
        block.append(listing)
        return
    page = root.find(f"{{{XHTML}}}body/{{{XHTML}}}section")
    if page.get(f"{{{EPUB}}}type") == "bibliography":
        page.append(listing)
        return
    words = labels_for(book.language)
    section = element(
        "section",
        {
            "class": "references",
            f"{{{EPUB}}}type": "bibliography",
            "role": "doc-bibliography",
            "aria-label": words["references"],
        },
    )
    heading = element("h2", parent=section)
    heading.text = words["references"]
    section.append(listing)
    notes = page.find(f"{{{XHTML}}}div[@class='notes']")
    if notes is not None:
        notes.addprevious(section)
    else:
        page.append(section)
