"""Footnotes as EPUB 3 popup notes.

The parser leaves `<a data-ebook-note>` where `[^label]` is cited and `<aside data-ebook-note>`
where `[^label]: …` is defined (anywhere: in a list item, a quote). Here references are
numbered in reading order and become a bare `<a epub:type="noteref">` holding only the marker;
the definitions become one `<aside epub:type="footnote">` each, back-link first, in a
`<div class="notes">` at the chapter's end. Labels are local to one file.
"""

from __future__ import annotations

import hashlib
import re

from lxml import etree

from ..core.chinese import circled
from ..core.note_profiles import profile_for
from ..core.xhtml import EPUB, XHTML, element
from .draft import Draft
from .headings import stays_here
from .parser import LINE_ATTR, NOTE_ATTR

# The parser's marks, found in C: definitions (asides) and references (links).
_MARKED_ASIDES = etree.XPath(f"//x:aside[@{NOTE_ATTR}]", namespaces={"x": XHTML})
_MARKED_REFERENCES = etree.XPath(f".//x:a[@{NOTE_ATTR}]", namespaces={"x": XHTML})
# A note's earlier ids, written as the last line of its text: `{aliases="ch03-fn-old"}`.
NOTE_ALIASES = "aliases"
_NOTE_REFERENCES = etree.XPath(
    ".//x:a[@epub:type='noteref']", namespaces={"x": XHTML, "epub": EPUB}
)


def label_id(label: str) -> str:
    """Return an ASCII id fragment for a note label (hashing non-ASCII labels)."""
    if re.fullmatch(r"[A-Za-z0-9_.-]+", label):
        return label
    return "n" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:8]


# The last number Unicode encodes in a circle (㊿).
CIRCLED_MAX = 50


def number_notes(draft: Draft) -> None:
    prefix = draft.chapter.id
    numeric = draft.book.options.note_markers != "circled"

    def marker(number: int) -> str:
        return str(number) if numeric else circled(number)

    def ref_id(label: str, occurrence: int) -> str:
        return f"{prefix}-fnref-{label_id(label)}" + ("" if occurrence == 1 else f"-{occurrence}")

    holder = draft.holder
    bodies: dict[str, etree._Element] = {}
    for aside in _MARKED_ASIDES(holder):
        label = aside.attrib.pop(NOTE_ATTR)
        aside.attrib.pop(LINE_ATTR, None)
        _detach(aside)
        bodies.setdefault(label, aside)  # the first definition wins; the checks report others
    in_notes = {a for body in bodies.values() for a in _MARKED_REFERENCES(body)}
    numbers: dict[str, int] = {}
    occurrences: dict[str, int] = {}
    references = _MARKED_REFERENCES(holder) + [a for b in bodies.values() for a in b.iter()]
    past_circled: int | None = None  # the line of the first note Unicode has no ㊿ for
    for a in references:
        label = a.attrib.pop(NOTE_ATTR, None)
        if label is None:
            continue
        line = draft.line_of(a)
        if label not in bodies or a in in_notes:
            # Undefined, or cited inside a note: the text as written (N001, N007).
            a.tag = f"{{{XHTML}}}span"
            a.text = f"[^{label}]"
            continue
        number = numbers.setdefault(label, len(numbers) + 1)
        if number == CIRCLED_MAX + 1 and past_circled is None and not numeric:
            past_circled = line
        occurrences[label] = occurrences.get(label, 0) + 1
        draft.noteref_count += 1
        a.set("class", "noteref")
        a.set(f"{{{EPUB}}}type", "noteref")
        a.set("href", f"#{prefix}-fn-{label_id(label)}")
        a.set("id", ref_id(label, occurrences[label]))
        a.set("role", "doc-noteref")
        # Only the marker, no <sup> or other element inside: Apple Books fails to pop up a
        # note whose link holds elements, KOReader one whose link holds only an image.
        a.text = marker(number)
    draft.note_count = len(numbers)
    if past_circled is not None:
        draft.problem(
            "N008",
            "this chapter has {count} notes: markers past ㊿ are plain numbers (51, 52…)",
            past_circled,
            draft.column_of(past_circled, "[^"),
            "set notes' markers to numeric for the book (note_markers: numeric), or split the"
            " chapter",
            count=len(numbers),
        )
    if not numbers:
        return
    if len(holder):
        holder[-1].tail = (holder[-1].tail or "").rstrip() + "\n"
    notes = element("div", {"class": "notes"}, parent=holder)
    notes.text = "\n"
    for label in sorted(numbers, key=numbers.__getitem__):
        aside = bodies[label]
        aside.set("class", "note")
        aside.set(f"{{{EPUB}}}type", "footnote")
        aside.set("id", f"{prefix}-fn-{label_id(label)}")
        aside.set("role", "doc-footnote")
        # Kindle pops up a note only when the links go both ways, the back-link is at the very
        # start of the note and each note is its own element; the back-link goes to the first
        # reference when a note is cited more than once.
        back = element(
            "a", {"class": "note-backlink", "href": "#" + ref_id(label, 1), "role": "doc-backlink"}
        )
        back.text = marker(numbers[label])
        back.tail = aside.text
        aside.text = None
        aside.insert(0, back)
        aside.tail = "\n"
        notes.append(aside)


def keep_earlier_note_ids(draft: Draft) -> None:
    """A note's earlier ids (`{aliases="ch03-fn-old"}` as the last line of its text) stay
    anchors: of the note, and the matching `-fnref-` one of its first reference. An id of
    another chapter's file (its prefix, or `ch03.xhtml#…`) is kept there, as a link here
    (plan.py), for a note that moved with its section. Elsewhere the attribute means nothing
    and goes, as any attribute XHTML does not have."""
    holder = draft.holder
    if holder.find(f".//{{{XHTML}}}p[@{NOTE_ALIASES}]") is None:
        return  # (nearly every chapter: no walk over its ids)
    ids = {el.get("id"): el for el in holder.iterfind(".//*[@id]")}
    for aside in holder.iterfind(f".//{{{XHTML}}}aside[@role='doc-footnote']"):
        back = aside[0] if len(aside) else None
        if back is not None and back.get("role") == "doc-backlink":
            _keep_ids(draft, aside, back, ids.get(back.get("href", "")[1:]))
    for p in holder.iterfind(f".//{{{XHTML}}}p[@{NOTE_ALIASES}]"):
        del p.attrib[NOTE_ALIASES]


def _keep_ids(
    draft: Draft, aside: etree._Element, back: etree._Element, reference: etree._Element | None
) -> None:
    aliases = [alias for el in aside.iter() for alias in el.attrib.pop(NOTE_ALIASES, "").split()]
    if not aliases:
        return
    title = f"{back.text} {''.join(aside.itertext())[len(back.text or '') :].strip()[:24]}"
    for alias in aliases:
        pairs = [(alias, aside)]
        if "-fn-" in alias and reference is not None:
            pairs.append((alias.replace("-fn-", "-fnref-", 1), reference))
        for old_id, target in pairs:
            kept = stays_here(draft, old_id, target.get("id"), title)
            if kept is None:
                continue
            span = element("span", {"id": kept, "class": "alias"}, "")
            # After the note's back-link (Kindle pops up a note whose back-link comes first),
            # or after the reference's marker (the character before it stays bound to it).
            before = back if target is aside else target
            before.addnext(span)
            span.tail, before.tail = before.tail, None


def _detach(el: etree._Element) -> None:
    """Take `el` out of the tree, keeping the text that followed it."""
    parent = el.getparent()
    previous = el.getprevious()
    if el.tail and el.tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    el.tail = None
    parent.remove(el)


def bind_note_markers(draft: Draft) -> None:
    """A note marker never starts a line: it and the character before it are kept together
    (white-space: nowrap in the stylesheet), as print keeps ① with the word it annotates."""
    for a in _NOTE_REFERENCES(draft.holder):
        before = a.getprevious()
        text = before.tail if before is not None else a.getparent().text
        if not text or text[-1].isspace():
            continue
        bind = etree.Element(f"{{{XHTML}}}span", {"class": "nowrap"})
        bind.text = text[-1]
        if before is not None:
            before.tail = text[:-1]
        else:
            a.getparent().text = text[:-1]
        a.addprevious(bind)
        bind.tail = a.tail
        a.tail = None
        bind.append(a)


def apply_profile(draft: Draft) -> None:
    """The note profile's markup (ebook/note_profiles.py); with book-end notes, the chapter's
    notes move out."""
    draft.endnotes = profile_for(draft.book.options).finish(draft.holder, draft.chapter)
