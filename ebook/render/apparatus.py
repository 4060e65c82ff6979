"""The apparatus of a serious book: numbered figures, tables, equations and listings, the
references to them, and index terms.

A chapter is rendered on its own (and cached so), but its numbers depend on the chapters
before it and its references on every chapter. So the chapter's pass (`mark_apparatus`)
leaves empty marks where a number or a reference goes and records what it found; once every
chapter is rendered, `resolve_apparatus` (render/resolve.py) numbers the book
(core/numbering.py), writes the numbers and links into the chapters that have marks, and the
索引 into the index page.
"""

from __future__ import annotations

import re
from dataclasses import replace

from lxml import etree

from ..core.labels import labels_for
from ..core.model import CrossReference, IndexMark, Label
from ..core.numbering import typed_number
from ..core.xhtml import EPUB, XHTML, element, text_of
from .draft import Draft
from .headings import is_heading
from .syntax import (
    INDEX_ATTR,
    INDEX_ATTRIBUTES,
    LABEL_ATTR,
    TRAILING_ATTRIBUTES,
    XREF_ATTR,
    attributes_of,
    label_id,
)

# Where the book-wide pass writes a label's number (caption, equation) or a reference.
NUMBER_ATTR = "data-ebook-number"
_CAPTIONED = {"figure": "fig", "table": "tbl"}


# Where a listed index term is not looked for: links, code, formulas, headings, terms marked
# already; and the block elements whose first occurrence of a term is marked.
_NOT_SEARCHED = frozenset({"a", "code", "pre", "math", "h1", "h2", "h3", "h4", "h5", "h6"})
_TERM_BLOCKS = frozenset({"p", "li", "td", "th", "dd", "dt", "figcaption", "caption"})


def mark_listed_terms(draft: Draft) -> None:
    """options.index_terms: the first occurrence of each listed term in each paragraph (list
    item, table cell, caption) is marked for the index, as `[term]{.index}` would mark it."""
    listed = [listed_term(term) for term, _ in draft.book.index_terms]
    terms = {term.split("!")[-1].strip(): (term, reading) for term, reading in listed}
    terms.pop("", None)
    if not terms:
        return
    # Longest first: 政府治理 is found before 治理 where both are listed.
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    for block in list(draft.holder.iter(*(f"{{{XHTML}}}{name}" for name in _TERM_BLOCKS))):
        seen: set[str] = set()
        for node, attribute in _text_nodes(block):
            _wrap_terms(node, attribute, pattern, terms, seen)


def listed_term(line: str) -> tuple[str, str]:
    """A line of options.index_terms: `治理!政府治理`, or with its reading `长三角 = chang2 san1
    jiao3`."""
    term, _, reading = line.partition("=")
    return term.strip(), reading.strip()


def _text_nodes(block: etree._Element) -> list[tuple[etree._Element, str]]:
    """(element, "text" or "tail") for each run of the block's own text a term may stand in."""
    found = [(block, "text")]
    for el in block.iterdescendants():
        local = etree.QName(el).localname if isinstance(el.tag, str) else ""
        own = local not in _NOT_SEARCHED and local not in _TERM_BLOCKS
        skipped = not own or "index" in el.get("class", "").split()
        inside_skipped = False
        for ancestor in el.iterancestors():
            if ancestor is block:
                break
            name = etree.QName(ancestor).localname
            inside_skipped |= name in _NOT_SEARCHED or name in _TERM_BLOCKS
        if not skipped and not inside_skipped:
            found.append((el, "text"))
        if not inside_skipped:
            found.append((el, "tail"))
    return found


def _wrap_terms(
    node: etree._Element, attribute: str, pattern: re.Pattern, terms: dict, seen: set
) -> None:
    text = getattr(node, attribute)
    if not text:
        return
    pieces, last, marks = [], 0, []
    for found in pattern.finditer(text):
        if found.group(0) in seen:
            continue
        seen.add(found.group(0))
        pieces.append(text[last : found.start()])
        term, reading = terms[found.group(0)]
        attributes = {"class": "index", f"{INDEX_ATTR}-term": term, f"{INDEX_ATTR}-listed": "1"}
        if reading:
            attributes[f"{INDEX_ATTR}-sort"] = reading
        span = element("span", attributes)
        span.text = found.group(0)
        marks.append(span)
        last = found.end()
    if not marks:
        return
    setattr(node, attribute, pieces[0])
    # After `node`'s text the spans are its first children; after its tail, its siblings.
    for index, span in enumerate(marks):
        span.tail = pieces[index + 1] if index + 1 < len(pieces) else text[last:]
        if attribute == "text":
            node.insert(index, span)
        else:
            node.addnext(span) if index == 0 else marks[index - 1].addnext(span)


def mark_apparatus(draft: Draft) -> None:
    """Record the chapter's labels, references and index terms, in document order, and leave
    a mark where the book-wide pass writes each number."""
    page = ""
    for el in list(draft.holder.iter(f"{{{XHTML}}}*")):
        local = etree.QName(el).localname
        if el.get(f"{{{EPUB}}}type") == "pagebreak":
            page = el.get("aria-label", "")
        elif local == "a" and XREF_ATTR in el.attrib:
            _mark_reference(draft, el)
        elif local == "span" and "index" in el.get("class", "").split():
            _mark_index_term(draft, el, page)
        elif local in ("figure", "table"):
            _mark_caption(draft, el)
        elif local == "div" and el.get(LABEL_ATTR, "").startswith("eq:"):
            label = _label(draft, el, "eq", "")
            draft.labels.append(label)
            el.set("class", f"{el.get('class')} numbered")
            element("span", {"class": "equation-number", NUMBER_ATTR: label.name}, "", el)
        elif is_heading(el) and el.get(LABEL_ATTR, "").startswith("sec:"):
            draft.labels.append(_label(draft, el, "sec", text_of(el)))
    for el in draft.holder.iter(f"{{{XHTML}}}*"):
        name = el.attrib.pop(LABEL_ATTR, None)
        if name:  # not taken by any of the above
            draft.problem(
                "X008",
                "label '{name}' stands on something it cannot number",
                *(draft.find(f"#{name}") or draft.start),
                "fig: goes on an image alone in its paragraph, tbl: at the end of a table's"
                " caption line, eq: after $$ … $$, lst: in a code block's braces, sec: on a"
                " heading",
                name=name,
            )


def _label(draft: Draft, el: etree._Element, kind: str, caption: str, typed: str = "") -> Label:
    written = el.attrib.pop(LABEL_ATTR, "")
    name = written if written.startswith(f"{kind}:") else ""
    # Found where it is written: a table or a heading has no line of the parser's own.
    again = 1 + sum(label.name == name for label in draft.labels) if name else 1
    needle = f"#{name}" if name else typed or caption
    line, column = draft.find(needle, again) or draft.start
    return Label(kind, name, el.get("id", ""), caption, line, column, typed)


def _mark_caption(draft: Draft, el: etree._Element) -> None:
    """A figure (`{#fig:x}` on its image), a table (`: caption {#tbl:x}`) or a listing; its
    caption's number typed by hand is taken out (the number is written once, by the tool)
    and kept, for the checks."""
    local = etree.QName(el).localname
    kind = "lst" if "listing" in el.get("class", "").split() else _CAPTIONED[local]
    caption = el.find(f"{{{XHTML}}}{'caption' if local == 'table' else 'figcaption'}")
    image = el.find(f"{{{XHTML}}}img")
    if image is not None and image.get(LABEL_ATTR, "").startswith("fig:"):
        el.set("id", image.attrib.pop("id"))
        el.set(LABEL_ATTR, image.attrib.pop(LABEL_ATTR))
    if caption is not None and local == "table":
        _table_label(el, caption)
    labelled = el.get(LABEL_ATTR, "").startswith(f"{kind}:")
    if caption is None and labelled and image is not None:
        # pandoc's figure: `![caption](x.png){#fig:x}` has its caption in the brackets.
        caption = element("figcaption", text=image.get("alt", ""), parent=el)
    if caption is None:
        return
    typed, _, rest = typed_number(caption.text or "")
    if not typed and not labelled:
        return
    label = _label(draft, el, kind, caption.text or "", typed)
    if labelled:
        number = element("span", {"class": "label-number", NUMBER_ATTR: label.name}, "")
        number.tail = labels_for(draft.book.language)["caption_gap"] + rest
        caption.text = None
        caption.insert(0, number)
    draft.labels.append(replace(label, caption=text_of(caption)))


def _table_label(table: etree._Element, caption: etree._Element) -> None:
    """`: caption {#tbl:x}`: the attributes at the caption's end go to the table."""
    text = caption.text or ""
    found = TRAILING_ATTRIBUTES.search(text)
    attributes = found and attributes_of(found.group(1))
    if not attributes:
        return
    caption.text = text[: found.start()].rstrip()
    for key, value in attributes.items():
        if key == "id" and value.startswith("tbl:"):
            table.set(LABEL_ATTR, value)
            value = label_id(value)
        table.set(key, value)


def _mark_reference(draft: Draft, a: etree._Element) -> None:
    """`[@fig:a; @tbl:b]` becomes one link per label, joined as the language joins them."""
    line = draft.line_of(a)
    written = a.attrib.pop(XREF_ATTR).split()
    names = tuple(name.lstrip("-") for name in written)
    column = draft.column_of(line, "@" + names[0])
    draft.references.append(CrossReference(names, line, column))
    join = labels_for(draft.book.language)["reference_join"]
    a.set(NUMBER_ATTR, written[0])
    tail, a.tail = a.tail, None
    last = a
    for name in written[1:]:
        nxt = element("a", {NUMBER_ATTR: name})
        last.addnext(nxt)
        last.tail = join
        last = nxt
    last.tail = tail


def _mark_index_term(draft: Draft, span: etree._Element, page: str) -> None:
    """`[互联网+]{.index}`, `[政府治理]{.index term="治理!政府治理"}`, with `see`/`seealso`."""
    if span.attrib.pop(f"{INDEX_ATTR}-listed", None):
        line, column = draft.find(text_of(span)) or draft.start
    else:
        # The n-th mark the author wrote is the n-th `.index` of the text.
        draft.hand_index_marks += 1
        line, column = draft.find(".index", draft.hand_index_marks) or draft.start
    classes = [c for c in span.get("class", "").split() if c != "index"]
    if classes:
        span.set("class", " ".join(classes))
    else:
        del span.attrib["class"]
    own = {name: span.attrib.pop(f"{INDEX_ATTR}-{name}", "").strip() for name in INDEX_ATTRIBUTES}
    written = own["term"] or text_of(span)
    term = tuple(part.strip() for part in written.split("!") if part.strip())
    if not span.get("id"):
        span.set("id", f"{draft.chapter.id}-idx-{len(draft.index_marks) + 1}")
    draft.index_marks.append(
        IndexMark(
            term or (text_of(span),),
            span.get("id"),
            page,
            line,
            column,
            own["see"],
            own["seealso"],
            own["sort"],
        )
    )
