"""The 索引: every marked term with links to the places it stands, sorted by pinyin or by
strokes and grouped by initial, marked up as EPUB Indexes 1.0 asks (index-group,
index-entry-list, index-entry, index-term, index-locator, index-xref-preferred/-related).

A locator reads as the print page the term stands on when the book carries page marks;
otherwise as the number of its chapter (1, 2, A…, or the document's title), with the
occurrence after a dot when the term stands in that chapter more than once (1.1, 1.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..core.collation import group_heading, group_of, sort_key
from ..core.labels import labels_for
from ..core.model import Book, IndexMark, Problem, RenderedChapter
from ..core.numbering import chapter_marks
from ..core.xhtml import element
from .draft import problem


@dataclass
class _Entry:
    term: str
    reading: str = ""  # given by hand (`sort="…"`), for the pinyin order
    places: list[tuple[RenderedChapter, IndexMark]] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    subentries: dict[str, _Entry] = field(default_factory=dict)


Marks = list[tuple[RenderedChapter, IndexMark]]


def index_section(book: Book, marks: Marks, rendered: list[RenderedChapter]) -> etree._Element:
    """The index's groups, for the index page's <section>."""
    order = book.options.index_order
    entries = _entries(marks)
    names = {
        r.file_name: mark or r.title
        for r, mark in zip(rendered, chapter_marks(rendered), strict=True)
    }
    page = next(r.chapter.id for r in rendered if r.chapter.kind == "index")
    keys = {term: sort_key(term, order, entry.reading) for term, entry in entries.items()}
    ordered = sorted(entries, key=keys.__getitem__)
    ids = {term: f"{page}-entry-{n}" for n, term in enumerate(ordered, 1)}
    holder = element("div")
    groups: dict[str, etree._Element] = {}
    for term in ordered:
        group = group_of(keys[term], order)
        if group not in groups:
            section = element("section", {"epub:type": "index-group"}, parent=holder)
            heading = group_heading(group, order, book.language)
            element("h2", text=heading, parent=section)
            groups[group] = element("ul", {"epub:type": "index-entry-list"}, parent=section)
        _write_entry(groups[group], entries[term], book, order, names, ids)
    return holder


def index_problems_of(marks: Marks, has_page: bool) -> list[tuple[RenderedChapter, Problem]]:
    """Marked terms with no index page to list them; see-references to no entry."""
    problems = []
    if not has_page:
        r, mark = marks[0]
        found = problem(
            "X005",
            "{count} index terms are marked but the book has no index page",
            mark.line,
            mark.column,
            "add a chapter with 'kind: index' where the 索引 should stand",
            count=len(marks),
        )
        problems.append((r, found))
    entries = _entries(marks)
    for r, mark in marks:
        for target in (mark.see, mark.see_also):
            main = target.split("!")[0].strip()
            if target and main not in entries:
                found = problem(
                    "X006",
                    "index term '{term}' refers to '{target}', which is no entry of the index",
                    mark.line,
                    mark.column,
                    "mark '{target}' somewhere in the text, or refer to a marked term",
                    term="!".join(mark.term),
                    target=target,
                )
                problems.append((r, found))
    return problems


def _by(order: str, entries: dict[str, _Entry]):
    return lambda term: sort_key(term, order, entries[term].reading)


def _entries(marks: Marks) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for r, mark in marks:
        level = entries
        entry = None
        for part in mark.term:
            entry = level.setdefault(part, _Entry(part))
            level = entry.subentries
        assert entry is not None
        entry.reading = entry.reading or mark.reading
        if mark.see:
            entry.see.append(mark.see)
        else:
            entry.places.append((r, mark))
        if mark.see_also:
            entry.see_also.append(mark.see_also)
    return entries


def _write_entry(
    parent: etree._Element,
    entry: _Entry,
    book: Book,
    order: str,
    names: dict[str, str],
    ids: dict[str, str],
) -> None:
    words = labels_for(book.language)
    item = element("li", {"epub:type": "index-entry"}, parent=parent)
    if entry.term in ids:
        item.set("id", ids[entry.term])
    term = element("span", {"epub:type": "index-term"}, entry.term, item)
    last = term
    for text, href in _locators(entry.places, names):
        last.tail = (last.tail or "") + ("\u3000" if last is term else words["index_locators"])
        last = element("a", {"epub:type": "index-locator", "href": href}, text, item)
    for kind, targets in (("preferred", entry.see), ("related", entry.see_also)):
        for target in dict.fromkeys(targets):
            last.tail = (last.tail or "") + ("\u3000" if last is term else words["index_xrefs"])
            word = words["index_see" if kind == "preferred" else "index_see_also"]
            xref = element("span", {"epub:type": f"index-xref-{kind}"}, f"{word} ", item)
            main = target.split("!")[0].strip()
            if main in ids:
                link = {"href": f"#{ids[main]}", "epub:type": "index-term"}
                element("a", link, target.replace("!", "，"), xref)
            else:
                element("span", {"epub:type": "index-term"}, target, xref)
            last = xref
    if entry.subentries:
        sub = element("ul", {"epub:type": "index-entry-list"}, parent=item)
        for name in sorted(entry.subentries, key=_by(order, entry.subentries)):
            _write_entry(sub, entry.subentries[name], book, order, names, ids)


def _locators(places: Marks, names: dict[str, str]) -> list[tuple[str, str]]:
    """(text, href) for each place: its print page (one link per page), else its chapter's
    number, with the occurrence when the chapter has the term more than once."""
    per_chapter: dict[str, int] = {}
    for r, _ in places:
        per_chapter[r.file_name] = per_chapter.get(r.file_name, 0) + 1
    locators: list[tuple[str, str]] = []
    seen_pages: set[str] = set()
    counted: dict[str, int] = {}
    for r, mark in places:
        href = f"{r.file_name}#{mark.id}"
        if mark.page:
            if mark.page in seen_pages:
                continue
            seen_pages.add(mark.page)
            locators.append((mark.page, href))
            continue
        counted[r.file_name] = counted.get(r.file_name, 0) + 1
        name = names.get(r.file_name, r.file_name)
        several = per_chapter[r.file_name] > 1
        locators.append((f"{name}.{counted[r.file_name]}" if several else name, href))
    return locators
