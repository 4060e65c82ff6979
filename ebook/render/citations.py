"""A chapter's citations (`[@key]`, `@key`), the chapter's part of the work.

As with the apparatus, what a citation prints depends on the whole book (its number is the
order of first citation; `同②` depends on the notes before it), so the chapter's pass records
each citation and leaves a mark (`data-ebook-citation="n"`, its place among the chapter's
citations); render/bibliography.py writes them once every chapter is rendered. In the notes
style (注释体) a citation becomes a footnote here, before the notes are numbered, so that it
is numbered and pops up as every other note of the chapter does.
"""

from __future__ import annotations

import json

from lxml import etree

from ..core.references import Citation, Cited
from ..core.xhtml import XHTML, element
from .draft import Draft
from .parser import NOTE_ATTR
from .syntax import CITE_ATTR, REFS_ATTR

# The n-th citation of the chapter; `-part` tells what of it an element holds ("author": the
# name a narrative citation puts in the text, "note": a note's text).
CITATION_ATTR = "data-ebook-citation"
NOTE_LABEL = "ebook-cite-{}"


def mark_citations(draft: Draft) -> None:
    draft.refs_block = bool(draft.holder.xpath(f"//x:div[@{REFS_ATTR}]", namespaces={"x": XHTML}))
    marks = draft.holder.xpath(f"//x:a[@{CITE_ATTR}]", namespaces={"x": XHTML})
    in_notes = draft.book.options.citation_style == "notes" and bool(draft.book.bibliography)
    for position, a in enumerate(marks):
        items = json.loads(a.attrib.pop(CITE_ATTR))
        narrative = a.attrib.pop(f"{CITE_ATTR}-mode") == "narrative"
        cited = tuple(
            Cited(key, suffix, prefix, bool(minus)) for prefix, minus, key, suffix in items
        )
        line = draft.line_of(a)
        column = draft.column_of(line, "@" + cited[0].key)
        draft.citations.append(Citation(cited, narrative, line, column))
        a.set(CITATION_ATTR, str(position))
        if in_notes and not _inside_note(a):
            _as_note(draft, a, position, narrative)


def _inside_note(el: etree._Element) -> bool:
    """In the text of a note the author wrote: the citation is written there in full."""
    return any(
        etree.QName(ancestor).localname == "aside" and ancestor.get(NOTE_ATTR) is not None
        for ancestor in el.iterancestors()
    )


def _as_note(draft: Draft, a: etree._Element, position: int, narrative: bool) -> None:
    """The citation becomes a note reference where it stands (a narrative one keeps the
    author's name in the text), and a note holding the mark of its text."""
    label = NOTE_LABEL.format(position)
    reference = element("a", {NOTE_ATTR: label})
    if narrative:
        a.tag = f"{{{XHTML}}}span"
        a.set(f"{CITATION_ATTR}-part", "author")
        reference.tail, a.tail = a.tail, None
        a.addnext(reference)
    else:
        reference.tail = a.tail
        a.getparent().replace(a, reference)
    aside = element("aside", {NOTE_ATTR: label}, parent=draft.holder)
    paragraph = element("p", parent=aside)
    element("span", {CITATION_ATTR: str(position), f"{CITATION_ATTR}-part": "note"}, "", paragraph)
