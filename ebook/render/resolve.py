"""The book-wide pass of the apparatus (see render/apparatus.py): once every chapter is
rendered, the book is numbered (core/numbering.py), and the numbers, the references' links and
the index are written into the chapters that have marks for them."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import replace
from pathlib import Path

from lxml import etree

from ..core.i18n import N_
from ..core.labels import labels_for
from ..core.model import Book, CrossReference, Problem, RenderedChapter
from ..core.numbering import Numbering, number_labels
from ..core.xhtml import EPUB, XHTML, parse_document, serialize
from .apparatus import NUMBER_ATTR, listed_term
from .bibliography import resolve_citations
from .draft import problem


def resolve_apparatus(
    book: Book, rendered: list[RenderedChapter]
) -> tuple[list[RenderedChapter], list[tuple[Path, Problem]]]:
    """The chapters with their citations (render/bibliography.py), numbers, references and
    index written in, and what is wrong with them, by the file it is in. A book without
    citations, labels, references or index terms is returned as it is."""
    rendered, cited = resolve_citations(book, rendered)
    index_page = next((i for i, r in enumerate(rendered) if r.chapter.kind == "index"), None)
    marks = [(r, m) for r in rendered for m in r.index_marks]
    empty_index = _empty_index(rendered[index_page]) if index_page is not None and not marks else []
    if not any(r.labels or r.references for r in rendered) and not marks and not book.index_terms:
        return rendered, cited + empty_index
    numbering = number_labels(book, rendered)
    problems = (
        cited
        + empty_index
        + [
            (rendered[index].chapter.path, found)
            for index, found in _numbering_problems(rendered, numbering)
        ]
    )
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
        digest = hashlib.sha256(body).hexdigest()
        changed = replace(r, content=body, packed=None, reader=None, digest=digest)
        result.append(replace(changed, holds_index=gives_index))
    return result, problems


def _empty_index(page: RenderedChapter) -> list[tuple[Path, Problem]]:
    """X009 for an index page that would stay empty: no text of its own and no term marked."""
    chapter = page.chapter
    if page.own_text:
        return []
    found = problem(
        "X009",
        "the index page has no entries: no term of the book is marked for the index",
        chapter.body_line,
        1,
        "mark terms where they stand ([词]{{.index}}) or list them in options.index_terms",
    )
    return [(chapter.path, found)]


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
    rendered: list[RenderedChapter], numbering: Numbering
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
    listed = [(listed_term(term)[0], line) for term, line in book.index_terms]
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
