"""The book-wide pass of the citations (see render/citations.py): once every chapter is
rendered, each citation is written in the book's style (GB/T 7714-2015: numeric 顺序编码制,
author-date 著者-出版年制, or notes 注释体) and linked to its entry, and the 参考文献 list is
written where the manuscript asks for it: at a `::: {#refs}` block, else at the end of the
chapter of `kind: bibliography`; with citations.per_chapter, at the end of each chapter that
cites.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import replace
from pathlib import Path

from ..core import gbt7714
from ..core.collation import pinyin_order
from ..core.i18n import N_
from ..core.model import Book, Problem, RenderedChapter
from ..core.references import Citation, Reference
from ..core.xhtml import XHTML, parse_document, serialize
from .citation_writer import CitationWriter, Scope, known
from .draft import problem
from .syntax import REFS_ATTR

_LANGUAGE_GROUPS = {"zh": 0, "ja": 1, "en": 2, "ru": 3}


def resolve_citations(
    book: Book, rendered: list[RenderedChapter]
) -> tuple[list[RenderedChapter], list[tuple[Path, Problem]]]:
    """The chapters with their citations and lists written in, and what is wrong with them,
    by the file it is in. A book without citations or a bibliography is returned as it is."""
    if not book.references and not any(r.citations for r in rendered):
        return rendered, []
    refs = {ref.key: ref for ref in book.references}
    problems = _unknown_keys(book, refs, rendered)
    suffixes = _year_suffixes(book, refs, rendered)
    per_chapter = book.options.citations_per_chapter
    holders = _list_places(rendered, per_chapter)
    scopes = _scopes(book, refs, rendered, holders)
    problems += _fill_lists(book, refs, rendered, scopes, holders)
    writer = CitationWriter(book, refs, suffixes)
    result = []
    for position, r in enumerate(rendered):
        scope = scopes[position] if per_chapter else scopes[None]
        lists = [s for s in scopes.values() if s.file == r.file_name and s.listed]
        if not r.citations and not lists:
            result.append(r)
            continue
        root = parse_document(r.body)
        writer.write_citations(root, r, scope)
        added = [writer.write_list(root, s) for s in lists]
        body = serialize(root)
        digest = hashlib.sha256(body).hexdigest()
        ids = r.ids + tuple(i for found in added for i in found)
        result.append(replace(r, content=body, packed=None, reader=None, digest=digest, ids=ids))
    return result, problems


def _unknown_keys(
    book: Book, refs: dict[str, Reference], rendered: list[RenderedChapter]
) -> list[tuple[Path, Problem]]:
    """G001 for a bracketed citation of an unknown key; G010 for `@word` in the text when the
    book has a bibliography. A book without one is as it always was: `@word` is text, and
    `[… @word]` too, with a warning (G010) that it reads as a citation."""
    problems = []
    for r in rendered:
        for citation in r.citations:
            for cited in citation.cited:
                if cited.key in refs or citation.narrative and not book.bibliography:
                    continue
                problems.append((r.chapter.path, _unknown(book, refs, citation, cited.key)))
    return problems


def _unknown(book: Book, refs: dict[str, Reference], citation: Citation, key: str) -> Problem:
    near = difflib.get_close_matches(key, list(refs), n=1, cutoff=0.6)
    where = (citation.line, citation.column)
    if not book.bibliography:
        return problem(
            "G010",
            "'@{key}' reads as a citation but the book has no bibliography; it is printed as"
            " written",
            *where,
            "name the reference manager's export in book.yaml (bibliography: refs.bib), or"
            " write \\@{key} for text",
            key=key,
        )
    hint = N_("did you mean '@{near}'?") if near else None
    if citation.narrative:
        message = N_("'@{key}' is no key of the bibliography; it is printed as written")
        code, hint = "G010", hint or N_("write \\@{key} for text")
    else:
        message = N_("citation '@{key}' names no entry of the bibliography")
        code, hint = "G001", hint or N_("add the entry to a file of bibliography: in book.yaml")
    return problem(code, message, *where, hint, key=key, near=near[0] if near else "")


def _citations_in_order(rendered, refs, chapter: int | None = None):
    for position, r in enumerate(rendered):
        if chapter is None or position == chapter:
            for citation in r.citations:
                if known(citation, refs):
                    yield citation


def _first_order(citations) -> dict[str, int]:
    order: dict[str, int] = {}
    for citation in citations:
        for cited in citation.cited:
            order.setdefault(cited.key, len(order) + 1)
    return order


def _year_suffixes(
    book: Book, refs: dict[str, Reference], rendered: list[RenderedChapter]
) -> dict[str, str]:
    """In the author-date style, works of the same authors and year cited in the book are
    told apart by a, b, … after the year, in the order of their titles (9.3.2)."""
    if book.options.citation_style != "author-date":
        return {}
    cited = _first_order(_citations_in_order(rendered, refs))
    groups: dict[tuple[str, str], list[Reference]] = {}
    for key in cited:
        ref = refs[key]
        who = gbt7714.names(ref.authors or ref.editors, ref.language, limit=99)
        groups.setdefault((who, ref.year), []).append(ref)
    suffixes = {}
    for same in groups.values():
        if len(same) > 1:
            for index, ref in enumerate(sorted(same, key=lambda ref: ref.title)):
                suffixes[ref.key] = "abcdefghijklmnopqrstuvwxyz"[index % 26]
    return suffixes


def _list_places(rendered: list[RenderedChapter], per_chapter: bool) -> dict[int, bool]:
    """Chapter index -> whether it holds a `::: {#refs}` block, for the chapters a list may
    stand in: the bibliography page, chapters with a refs block, and with per_chapter every
    chapter that cites."""
    places = {}
    for position, r in enumerate(rendered):
        if r.refs_block or r.chapter.kind == "bibliography" or (per_chapter and r.citations):
            places[position] = r.refs_block
    return places


def _scopes(book, refs, rendered, holders) -> dict[int | None, Scope]:
    """The book's list, or each chapter's (per_chapter), with what it lists and where."""
    if not book.options.citations_per_chapter:
        scope = Scope(None, _first_order(_citations_in_order(rendered, refs)))
        # The first refs block of the book, else the bibliography page.
        blocks = [p for p, has in holders.items() if has]
        pages = [p for p in holders if rendered[p].chapter.kind == "bibliography"]
        place = (blocks or pages or [None])[0]
        scope.file = rendered[place].file_name if place is not None else ""
        return {None: scope}
    scopes = {}
    for position, r in enumerate(rendered):
        order = _first_order(_citations_in_order(rendered, refs, position))
        file = r.file_name if position in holders and order else ""
        scopes[position] = Scope(position, order, file)
    return scopes


def _fill_lists(book, refs, rendered, scopes, holders) -> list[tuple[Path, Problem]]:
    """Each list's entries: what its scope cites, and in the book's list what the refs block
    lists on purpose (`nocite`); G002 for an entry neither cited nor listed on purpose, G008
    when the book cites but lists nowhere."""
    nocite = _nocite(rendered, holders)
    extra = list(refs) if "*" in nocite else [k for k in nocite if k in refs]
    problems = []
    cited = set()
    for scope in scopes.values():
        cited |= set(scope.order)
        keys = list(scope.order)
        if scope.chapter is None:
            keys += [k for k in extra if k not in scope.order]
        scope.listed = _sorted(book, refs, keys) if scope.file else []
        numbered = book.options.citation_style != "author-date"
        scope.numbers = {k: n for n, k in enumerate(scope.listed, 1)} if numbered else {}
    if cited and not any(s.file for s in scopes.values()):
        first = next(c for r in rendered for c in r.citations if known(c, refs))
        where = next(r.chapter.path for r in rendered if first in r.citations)
        problems.append(
            (
                where,
                problem(
                    "G008",
                    "the book cites its bibliography but has no page to list it on",
                    first.line,
                    first.column,
                    "add a chapter with kind: bibliography (参考文献), or set"
                    " citations.per_chapter: true",
                ),
            )
        )
    listed_on_purpose = set(refs) if "*" in nocite else set(nocite)
    for ref in book.references:
        if ref.key not in cited and ref.key not in listed_on_purpose:
            found = problem(
                "G002",
                "entry '{key}' is cited nowhere in the book, so it is not listed",
                ref.line,
                1,
                'cite it, or list it on purpose: ::: {{#refs nocite="@{key}"}}',
                key=ref.key,
            )
            problems.append((ref.path, found))
    return problems


def _nocite(rendered, holders) -> list[str]:
    """The keys the refs blocks list without citing them (`nocite="@a @b"`, `@*` for all)."""
    keys: list[str] = []
    for position, has_block in holders.items():
        if not has_block:
            continue
        root = parse_document(rendered[position].body)
        for block in root.iter(f"{{{XHTML}}}div"):
            written = block.get(REFS_ATTR)
            if written:
                keys += [k.lstrip("@") for k in re.split(r"[\s,;]+", written) if k.strip("@")]
    return keys


def _sorted(book: Book, refs: dict[str, Reference], keys: list[str]) -> list[str]:
    """Numbered styles list in the order of first citation; the author-date style by
    language (Chinese, Japanese, Western, Russian, others), then author by pinyin or letter,
    then year (9.3.2)."""
    if book.options.citation_style != "author-date":
        return keys

    def order(key: str) -> tuple:
        ref = refs[key]
        group = _LANGUAGE_GROUPS.get(ref.language, 4)
        return (group, pinyin_order(gbt7714.listed_author(ref)), ref.year, ref.title)

    return sorted(keys, key=order)
