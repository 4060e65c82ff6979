"""Headings: a title when the text has none, no skipped levels, stable readable ids."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from lxml import etree

from ..core.model import Heading, MovedAnchor
from ..core.xhtml import HEADING_ALIASES, XHTML, element, text_of

if TYPE_CHECKING:  # the checks use slug and without_number, not the parser behind a Draft
    from .draft import Draft

HEADINGS = {f"{{{XHTML}}}h{n}": n for n in range(1, 7)}


def _xml_name_character(char: str) -> bool:
    """A character XML 1.0 (fifth edition) allows inside a name, so the id is valid XHTML."""
    code = ord(char)
    return (
        char.isascii()
        and (char.isalnum() or char in "-_.")
        or 0xC0 <= code <= 0x2FF
        and code not in (0xD7, 0xF7)
        or 0x300 <= code <= 0x37D
        or 0x37F <= code <= 0x1FFF
        or 0x203F <= code <= 0x2040
        or 0x2070 <= code <= 0x218F
        or 0x2C00 <= code <= 0x2FEF
        or 0x3001 <= code <= 0xD7FF
        or 0xF900 <= code <= 0xFDCF
        or 0xFDF0 <= code <= 0xFFFD
        or 0x10000 <= code <= 0xEFFFF
    )


def slug(text: str) -> str:
    """The anchor GitHub, VS Code and Typora give a heading: lower case, punctuation and
    symbols left out, each space a hyphen (`第一节 总体进展` -> `第一节-总体进展`)."""
    kept = []
    for char in text.strip().lower():
        if char == " ":
            kept.append("-")
        elif char in "-_" or unicodedata.category(char)[0] in "LNM":
            kept.append(char)
    return "".join(c for c in kept if _xml_name_character(c))


# How a heading's number is written before its title: 第三章, 第二节, 一、, （一）, 1.2, §3, IV.,
# Chapter 3, ①. A revised edition renumbers; the anchor keeps to the title.
_NUMBERING = re.compile(
    r"""^\s*(?:
        第[一二三四五六七八九十百千零〇两\d]+[章节部篇编讲课回卷条款](?:分)?
      | [（(][一二三四五六七八九十百千零〇\d]+[）)]
      | [一二三四五六七八九十百千零〇]+[、．.]
      | §\s*\d+(?:\.\d+)*
      | \d+(?:[.．]\d+)+(?=\s|[^\W\d_])
      | \d+[.．、](?![\d.．])
      | \d{1,2}(?=\s)
      | [IVXLC]+\.(?=\s)
      | (?:chapter|section|part|appendix)\s+[\dA-Z]+[.:]?(?=\s|$)
      | [\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]
    )[\s:：.．、—-]*""",
    re.VERBOSE | re.IGNORECASE,
)


def without_number(text: str) -> str:
    """A heading's title without the number before it (`第一节 总体进展` -> `总体进展`); the
    text as it is when nothing is left."""
    title = _NUMBERING.sub("", text, count=1).strip()
    return title or text


def heading_id(prefix: str, text: str) -> str:
    """The automatic anchor of a heading: the chapter's id and the slug of its title without
    its number (`ch02-总体进展` for `第一节 总体进展`), so that renumbering the heading in a
    revised edition keeps it; never its position."""
    return f"{prefix}-{slug(without_number(text)) or slug(text) or 'section'}"


def ensure_title(draft: Draft) -> None:
    """Give the chapter an <h1> from its front matter title when its text has none."""
    holder, chapter = draft.holder, draft.chapter
    if any(child.tag == f"{{{XHTML}}}h1" for child in holder) or not chapter.title:
        return
    h1 = element("h1", text=chapter.title)
    h1.tail = holder.text
    holder.text = None
    holder.insert(0, h1)


def close_heading_gaps(draft: Draft) -> None:
    """A heading more than one level below the one before it is raised to the next level:
    assistive technology navigates by levels, and a gap reads as a missing section (S001
    tells the author)."""
    previous = 0
    for el in draft.holder.iter(*HEADINGS):
        level = min(HEADINGS[el.tag], previous + 1)
        el.tag = f"{{{XHTML}}}h{level}"
        previous = level


def assign_heading_ids(draft: Draft) -> None:
    """Every heading gets an id: its own `{#id}`, else chapter id + slug (a second heading of
    the same text gets `-2`). Where the slug alone is not already an id of the document, it
    is kept as an anchor too, so that a link written as GitHub and editors make it
    (`ch02.md#第一节-总体进展`) lands on the heading."""
    prefix = draft.chapter.id
    written = {el.get("id") for el in draft.holder.iter() if el.get("id")}
    used: set[str] = {prefix} | written
    for el in draft.holder.iter(*HEADINGS):
        text = text_of(el)
        anchor = el.get("id")
        if not anchor:
            base = heading_id(prefix, text)
            anchor, n = base, 1
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            el.set("id", anchor)
        used.add(anchor)
        # The heading's GitHub slug (number and all), and the short form of an alias given
        # with the chapter's prefix, stay anchors as well: links written as editors make them
        # land here, and one alias keeps both forms of a renamed heading's old links.
        aliases = el.get(HEADING_ALIASES, "").split()
        shorts = [slug(text)] + [
            a[len(prefix) + 1 :] for a in aliases if a.startswith(f"{prefix}-")
        ]
        added = [s for s in shorts if s and s not in used and s not in aliases]
        if added:
            el.set(HEADING_ALIASES, " ".join([*aliases, *added]))
            used.update(added)
        draft.headings.append(Heading(HEADINGS[el.tag], anchor, text))


def add_heading_aliases(draft: Draft) -> None:
    """Keep a heading's other ids alive as empty anchors, so old links and bookmarks work. An
    alias that names another chapter's file (`ch03.xhtml#old`) or carries another chapter's
    id as its prefix (`ch03-old`) is of a section moved here: that file keeps it (plan.py)."""
    for el in draft.holder.iter(*HEADINGS):
        aliases = el.attrib.pop(HEADING_ALIASES, "").split()
        if not aliases:
            continue
        title = text_of(el)
        kept = [stays_here(draft, alias, el.get("id"), title) for alias in aliases]
        kept = [alias for alias in kept if alias]
        for alias in reversed(kept):
            # Written <span></span>, not <span/>: HTML parsers in some readers misread the latter.
            anchor = element("span", {"id": alias, "class": "alias"}, "")
            anchor.tail = el.text
            el.text = None
            el.insert(0, anchor)


def stays_here(draft: Draft, alias: str, target_id: str, title: str) -> str | None:
    """The id `alias` keeps in this chapter; None when it is an id of another file (one that
    names the file, `ch03.xhtml#old`, or carries another chapter's prefix, `ch03-old`): a
    section or note moved here, whose old file keeps it as a link to `target_id` (plan.py)."""
    file, _, anchor = alias.rpartition("#")
    file = file or other_chapter_file(draft, anchor)
    own = f"{draft.chapter.id}.xhtml"
    if file and file != own:
        draft.moved.append(MovedAnchor(file, anchor, f"{own}#{target_id}", title))
        return None
    return anchor


def other_chapter_file(draft: Draft, anchor: str) -> str:
    """The file of the other chapter whose id prefixes `anchor` (`ch03-old` -> ch03.xhtml),
    or "" (an anchor of this chapter's own)."""
    # Longest first: of chapters `part` and `part-2`, `part-2-x` is part-2's. Each prefix
    # that ends before a '-' is looked up: not every chapter tried for every anchor, which
    # cost the square of the chapters (every heading has an alias).
    end = len(anchor)
    while (end := anchor.rfind("-", 0, end)) > 0:
        prefix = anchor[:end]
        if prefix != draft.chapter.id and prefix in draft.chapter_ids:
            return f"{prefix}.xhtml"
    return ""


def is_heading(el: etree._Element) -> bool:
    return el.tag in HEADINGS
