"""Block markup a book needs beyond Markdown's: print pages, epigraphs, table captions,
figures, labelled boxes, table header scopes."""

from __future__ import annotations

import re

from lxml import etree

from ..core.labels import labels_for
from ..core.model import PageBreak
from ..core.xhtml import EPUB, XHTML, element, text_of
from .draft import Draft
from .headings import is_heading
from .parser import LINE_ATTR
from .syntax import ALERT_ATTR, PAGE_ATTR

_EPIGRAPH_SOURCE = re.compile(r"^\s*(——|—|--)")
_TABLE_CAPTION = re.compile(r"^\s*(?:Table)?:\s*(\S.*)$", re.S)


def _page_mark(label: str) -> re.Pattern:
    return re.compile(r"\{\s*page\s*=\s*" + re.escape(label))


def mark_page_breaks(draft: Draft) -> None:
    """`{page=12}` becomes the EPUB page-break markup: an empty span with epub:type, the
    DPUB-ARIA role and the page number as its accessible name (EPUB Accessibility 1.1)."""
    holder = draft.holder
    lines: list[str] | None = None
    for span in holder.iter(f"{{{XHTML}}}span"):
        label = span.attrib.pop(PAGE_ATTR, None)
        if label is None:
            continue
        anchor = f"{draft.chapter.id}-page-{label}"
        line = draft.line_of(span)
        lines = lines if lines is not None else draft.chapter.body.splitlines()
        span.set("id", anchor)
        span.set(f"{{{EPUB}}}type", "pagebreak")
        span.set("role", "doc-pagebreak")
        span.set("aria-label", label)
        # Written <span></span>, not <span/>: HTML parsers in some readers misread the latter.
        span.text = ""
        # Where the mark stands, for a finding about the page (checks/pages.py), which reads
        # the chapter's record, not its text.
        index = line - draft.chapter.body_line
        written = _page_mark(label).search(lines[index]) if 0 <= index < len(lines) else None
        draft.pages.append(PageBreak(label, anchor, line, written.start() + 1 if written else 1))
    # A mark on a line of its own makes a paragraph of nothing but the break: keep the break.
    for p in list(holder.iter(f"{{{XHTML}}}p")):
        if (p.text or "").strip() or not len(p):
            continue
        if all(c.get("role") == "doc-pagebreak" and not (c.tail or "").strip() for c in p):
            for child in list(p):
                child.tail = None
                p.addprevious(child)
            p.getparent().remove(p)


def mark_epigraphs(draft: Draft) -> None:
    """A quotation right after a heading whose last paragraph starts with —— is an epigraph."""
    for quote in draft.holder.iter(f"{{{XHTML}}}blockquote"):
        previous = quote.getprevious()
        paragraphs = quote.findall(f"{{{XHTML}}}p")
        if previous is None or not is_heading(previous) or len(paragraphs) < 2:
            continue
        source = paragraphs[-1]
        if source is not quote[-1] or not _EPIGRAPH_SOURCE.match(text_of(source)):
            continue
        quote.set("class", "epigraph")
        quote.set(f"{{{EPUB}}}type", "epigraph")
        quote.set("role", "doc-epigraph")
        source.set("class", "epigraph-source")


def caption_tables(draft: Draft) -> None:
    """A paragraph `Table: 表 1-1 …` (or `: …`) right after a table is its caption, as pandoc
    writes it."""
    for table in list(draft.holder.iter(f"{{{XHTML}}}table")):
        after = table.getnext()
        if after is None or after.tag != f"{{{XHTML}}}p" or len(after):
            continue
        found = _TABLE_CAPTION.match(after.text or "")
        if not found:
            continue
        caption = etree.Element(f"{{{XHTML}}}caption")
        if LINE_ATTR in after.attrib:  # (only when lines are asked for: render/parser.py)
            caption.set(LINE_ATTR, after.get(LINE_ATTR))
        caption.text = found.group(1).strip()
        table.insert(0, caption)
        table.tail = (table.tail or "") + (after.tail or "")
        after.getparent().remove(after)


def make_figures(draft: Draft) -> None:
    """An image alone in its paragraph is a figure; its title (`![alt](x.png "图 1-1 …")`)
    becomes the caption. A figure is not indented like a paragraph (see the stylesheet)."""
    for p in list(draft.holder.iter(f"{{{XHTML}}}p")):
        if len(p) != 1 or (p.text or "").strip() or (p[0].tail or "").strip():
            continue
        img = p[0]
        if img.tag != f"{{{XHTML}}}img":
            continue
        p.tag = f"{{{XHTML}}}figure"
        p.text = None
        img.tail = None
        caption = img.attrib.pop("title", "").strip()
        if caption:
            element("figcaption", text=caption, parent=p)


def make_alerts(draft: Draft) -> None:
    """The boxes of alerts and containers (render/syntax.py) get their label: the title
    written after the marker, else the kind's name in the book's language."""
    labels = labels_for(draft.book.language)
    for box in draft.holder.iter(f"{{{XHTML}}}div"):
        title = box.attrib.pop(ALERT_ATTR, None)
        if title is None:
            continue
        kind = box.get("class", "").rpartition("alert-")[2]
        box.set("role", "note")
        label = element("p", {"class": "alert-label"}, title.strip() or labels[f"alert_{kind}"])
        label.tail = box.text
        box.text = None
        box.insert(0, label)


def add_header_scopes(draft: Draft) -> None:
    """Header cells say what they head (a column, or the row they start), for screen readers."""
    for th in draft.holder.iter(f"{{{XHTML}}}th"):
        if th.get("scope"):
            continue
        row = th.getparent()
        in_head = row is not None and etree.QName(row.getparent()).localname == "thead"
        first = row is not None and row.index(th) == 0
        th.set("scope", "col" if in_head or not first else "row")
