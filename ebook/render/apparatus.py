"""The apparatus of a serious book: numbered figures, tables, equations and listings, the
references to them, and index terms.

A chapter is rendered on its own (and cached so), but its numbers depend on the chapters
before it and its references on every chapter. So the chapter's pass (`mark_apparatus`)
leaves empty marks where a number or a reference goes and records what it found; once every
chapter is rendered, `resolve_apparatus` numbers the book (core/numbering.py), writes the
numbers and links into the chapters that have marks, and the 索引 into the index page.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path

from lxml import etree

from ..core.i18n import N_
from ..core.labels import labels_for
from ..core.model import Book, CrossReference, IndexMark, Label, Problem, RenderedChapter
from ..core.numbering import Numbering, number_labels, typed_number, typed_prefix
from ..core.xhtml import EPUB, XHTML, element, parse_document, serialize, text_of
from .draft import Draft, problem
from .headings import is_heading
from .syntax import (
    INDEX_ATTR,
    INDEX_ATTRIBUTES,
    LABEL_ATTR,
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
    listed = [_listed(term) for term, _ in draft.book.index_terms]
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


def _listed(line: str) -> tuple[str, str]:
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
    marks[-1].tail = text[last:]


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


def _label(draft: Draft, el: etree._Element, kind: str, caption: str, typed: str = "") -> Label:
    written = el.attrib.pop(LABEL_ATTR, "")
    name = written if written.startswith(f"{kind}:") else ""
    # Found where it is written: a table or a heading has no line of the parser's own.
    again = 1 + sum(label.name == name for label in draft.labels) if name else 1
    line, column = draft.find(f"#{name}" if name else typed or caption, again)
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
    typed = typed_prefix(caption.text or "")
    rest = typed_number(caption.text or "")[1]
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
    text = (caption.text or "").rstrip()
    if not text.endswith("}") or "{" not in text:
        return
    head, brace, tail = text.rpartition("{")
    attributes = attributes_of(brace + tail)
    if attributes is None:
        return
    caption.text = head.rstrip()
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
        line, column = draft.find(text_of(span))
    else:
        # The n-th mark the author wrote is the n-th `.index` of the text.
        draft.hand_index_marks += 1
        line, column = draft.find(".index", draft.hand_index_marks)
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


def resolve_apparatus(
    book: Book, rendered: list[RenderedChapter]
) -> tuple[list[RenderedChapter], list[tuple[Path, Problem]]]:
    """The chapters with their numbers, references and index written in, and what is wrong
    with them, by the file it is in. A book without labels, references or index terms is
    returned as it is."""
    if not any(r.labels or r.references or r.index_marks for r in rendered) and not (
        book.index_terms
    ):
        return rendered, []
    numbering = number_labels(book, rendered)
    problems = [
        (rendered[index].chapter.path, found)
        for index, found in _numbering_problems(book, rendered, numbering)
    ]
    index_page = next((i for i, r in enumerate(rendered) if r.chapter.kind == "index"), None)
    marks = [(r, m) for r in rendered for m in r.index_marks]
    index = None
    if marks:
        from .index import index_problems_of, index_section

        found = index_problems_of(marks, index_page is not None)
        problems += [(r.chapter.path, problem) for r, problem in found]
        if index_page is not None:
            index = index_section(book, marks, rendered)
    problems += _terms_not_found(book, marks)
    result = []
    for position, r in enumerate(rendered):
        gives_index = position == index_page and index is not None
        if not (r.labels or r.references) and not gives_index:
            result.append(r)
            continue
        root = parse_document(r.body)
        for mark in root.iter(f"{{{XHTML}}}span", f"{{{XHTML}}}a"):
            name = mark.attrib.pop(NUMBER_ATTR, None)
            if name is not None:
                _write_number(book, mark, name, numbering, r.file_name)
        if gives_index:
            _insert_index(root, index)
        body = serialize(root)
        result.append(
            replace(r, content=body, packed=None, reader=None, digest="", holds_index=gives_index)
        )
    return result, problems


def _insert_index(root: etree._Element, index: etree._Element) -> None:
    """The index's groups go into a section of their own after the page's heading and text:
    the index holds nothing but its groups (EPUB Indexes 1.0, as EPUBCheck checks it), and
    carries the semantics and role the page's section had (DAISY Ace: matching roles)."""
    page = root.find(f"{{{XHTML}}}body/{{{XHTML}}}section")
    semantics = {name: page.attrib.pop(name) for name in (f"{{{EPUB}}}type", "role")}
    holder = etree.SubElement(page, f"{{{XHTML}}}section", semantics)
    heading = page.find(f"{{{XHTML}}}h1")
    if heading is not None and heading.get("id"):
        holder.set("aria-labelledby", heading.get("id"))
    holder.extend(list(index))


def _write_number(
    book: Book, mark: etree._Element, written: str, numbering: Numbering, here: str
) -> None:
    bare = written.startswith("-")
    numbered = numbering.by_name.get(written.lstrip("-"))
    if numbered is None:
        mark.text = "@" + written.lstrip("-")  # (an error: the build stops; check shows it)
        return
    words = labels_for(book.language)
    if mark.get("class") == "equation-number":
        mark.text = words["equation_number"].format(numbered.number)
    elif etree.QName(mark).localname == "span":
        mark.text = numbered.reference
    else:
        mark.text = numbered.number if bare and numbered.number else numbered.reference
        mark.set("class", "xref")
        mark.set("href", f"#{numbered.label.id}" if numbered.file == here else numbered.href)


def _numbering_problems(
    book: Book, rendered: list[RenderedChapter], numbering: Numbering
) -> list[tuple[int, Problem]]:
    problems: list[tuple[int, Problem]] = []
    for index, label in numbering.duplicates:
        found = problem(
            "X002",
            "label '{name}' is given twice; references go to the first",
            label.line,
            label.column,
            "give each figure, table, equation, listing and section its own label",
            name=label.name,
        )
        problems.append((index, found))
    for index, label, expected in numbering.out_of_order:
        found = problem(
            "X004",
            "caption numbered '{typed}' by hand where a reader expects '{expected}'",
            label.line,
            label.column,
            "give it a label ({{#fig:name}} or {{#tbl:name}}) and let the tool number it,"
            " or correct the number",
            typed=label.typed,
            expected=expected,
        )
        problems.append((index, found))
    for index, r in enumerate(rendered):
        for label in r.labels:
            numbered = numbering.by_name.get(label.name)
            if label.name and label.typed and numbered is not None:
                found = problem(
                    "X003",
                    "caption of '{name}' starts with '{typed}' typed by hand; the tool numbers"
                    " it {number}",
                    label.line,
                    label.column,
                    "remove the typed number from the caption",
                    name=label.name,
                    typed=label.typed,
                    number=numbered.reference,
                )
                problems.append((index, found))
        for reference in r.references:
            for name in reference.names:
                if name not in numbering.by_name:
                    problems.append((index, _unknown(name, reference, numbering)))
    return problems


def _terms_not_found(book: Book, marks: list) -> list[tuple[Path, Problem]]:
    """X007 for each term of options.index_terms that no chapter has."""
    found = {"!".join(mark.term) for _, mark in marks}
    listed = [(_listed(term)[0], line) for term, line in book.index_terms]
    path = book.options.index_terms
    return [
        (
            path,
            problem(
                "X007",
                "index term '{term}' is listed but the text never has it",
                line,
                1,
                "check how the text writes it, or remove it from the list",
                term=term,
            ),
        )
        for term, line in listed
        if path is not None and "!".join(p.strip() for p in term.split("!")) not in found
    ]


def _unknown(name: str, reference: CrossReference, numbering: Numbering) -> Problem:
    near = difflib.get_close_matches(name, list(numbering.by_name), n=1, cutoff=0.6)
    hint = (
        N_("did you mean '@{near}'?")
        if near
        else N_("label what it means ({{#fig:name}} on the image …), or fix the reference")
    )
    return problem(
        "X001",
        "reference '@{name}' names no label of this book",
        reference.line,
        reference.column,
        hint,
        name=name,
        near=near[0] if near else "",
    )
