"""Render a chapter's Markdown into an XHTML content document, its headings and notes."""

from __future__ import annotations

import hashlib
import re

from ..core.mending import MAX_DEPTH, TooDeep, from_markup, parse_fragment
from ..core.model import BODY_TYPES, KINDS, Book, Chapter, RenderedChapter
from ..core.xhtml import document, element
from . import apparatus, blocks, citations, headings, links, media, notes
from .draft import Draft
from .parser import LINE_ATTR, Parsed, make_parser, parse
from .repairs import html_repairs

# The tree passes, in order. Citations come first (in the notes style they become notes),
# then notes (a heading's text leaves its note markers out), images before the note profile
# (a profile's icons are the tool's, not manuscript files),
# ids last (every pass before may add one).
PASSES = (
    citations.mark_citations,
    notes.number_notes,
    notes.keep_earlier_note_ids,
    headings.ensure_title,
    headings.close_heading_gaps,
    blocks.add_header_scopes,
    headings.assign_heading_ids,
    headings.add_heading_aliases,
    blocks.mark_page_breaks,
    blocks.mark_epigraphs,
    media.insert_math,
    notes.bind_note_markers,
    blocks.caption_tables,
    blocks.make_figures,
    blocks.make_alerts,
    apparatus.mark_listed_terms,
    apparatus.mark_apparatus,
    media.collect_images,
    notes.apply_profile,
    links.resolve_links,
    links.unique_ids,
)


class Renderer:
    """Holds one Markdown parser for a whole build."""

    def __init__(self, book: Book, stylesheets: list[str], block_lines: bool = False) -> None:
        self.book = book
        self.stylesheets = stylesheets
        # Every block keeps the line of the chapter's file it starts on (`data-ebook-line`),
        # for `ebook diff`; never in a book.
        self.block_lines = block_lines
        # Manuscript file name -> XHTML file name, for links between chapters.
        self.files = {c.path.name: f"{c.id}.xhtml" for c in book.chapters}
        self.chapter_ids = frozenset(c.id for c in book.chapters)
        self.md = make_parser()

    def _draft(self, chapter: Chapter) -> Draft:
        """The chapter parsed into an XHTML <div>; nesting past MAX_DEPTH is S006 (nothing of
        the text may be lost silently: the chapter stays empty and the build stops)."""
        try:
            parsed = parse(self.md, chapter.body, self.block_lines)
            holder = parse_fragment(parsed.html)[0] if parsed.raw_html else from_markup(parsed.html)
        except (TooDeep, RecursionError):
            draft = Draft(
                self.book, chapter, element("div"), Parsed(""), self.files, self.chapter_ids
            )
            _too_deep(draft)
            return draft
        return Draft(self.book, chapter, holder, parsed, self.files, self.chapter_ids)

    def render(self, chapter: Chapter) -> RenderedChapter:
        """The chapter as XHTML, with what the manuscript got wrong as `problems` (data: the
        checks turn them into findings)."""
        draft = self._draft(chapter)
        for step in PASSES:
            step(draft)

        matter, semantic, role = KINDS[chapter.kind]
        section = element("section", {"id": chapter.id, "epub:type": semantic}, parent=None)
        if role:
            section.set("role", role)
        holder = draft.holder
        if len(holder):
            holder[-1].tail = (holder[-1].tail or "").rstrip() or None
        section.text = holder.text
        for child in list(holder):
            section.append(child)
        if self.block_lines:
            for el in section.iterfind(f".//*[@{LINE_ATTR}]"):
                el.set(LINE_ATTR, str(chapter.body_line + int(el.get(LINE_ATTR))))
        # The front matter's title names the chapter in the contents (a short form of a long
        # heading, a site's nav title); the heading stays on the page.
        heading = next((h.text for h in draft.headings if h.level == 1 and h.text), None)
        title = chapter.title or heading or chapter.id
        content = document(
            title=title,
            language=self.book.language,
            body_type=BODY_TYPES[matter],
            content=[section],
            stylesheets=self.stylesheets,
        )
        return RenderedChapter(
            chapter=chapter,
            file_name=f"{chapter.id}.xhtml",
            title=title,
            content=content,
            headings=tuple(draft.headings),
            note_count=draft.note_count,
            noteref_count=draft.noteref_count,
            images=tuple(draft.images),
            image_alts_complete=draft.image_alts_complete,
            ids=tuple(draft.ids),
            endnotes=draft.endnotes,
            links=tuple(draft.links),
            problems=tuple(draft.problems),
            pages=tuple(draft.pages),
            repairs=html_repairs(chapter, draft.parsed),
            mathml=b"<math" in content,
            digest=hashlib.sha256(content).hexdigest(),
            moved=tuple(draft.moved),
            labels=tuple(draft.labels),
            references=tuple(draft.references),
            index_marks=tuple(draft.index_marks),
            own_text=any(
                line.strip() and not line.startswith("#") for line in chapter.body.splitlines()
            ),
            citations=tuple(draft.citations),
            refs_block=draft.refs_block,
        )


def _too_deep(draft: Draft) -> None:
    """S006 at the line that nests deepest (quote markers, list indentation or tags)."""

    def nesting(line: str) -> int:
        quotes = len(re.match(r"^[>\s]*", line).group(0).replace(" ", "").replace("\t", ""))
        indent = (len(line) - len(line.lstrip(" "))) // 2
        return max(quotes, indent, line.count("<") - line.count("</"))

    lines = draft.chapter.body.splitlines() or [""]
    deepest = max(range(len(lines)), key=lambda i: nesting(lines[i]))
    draft.problem(
        "S006",
        "quotes, lists or HTML elements nested more than {MAX_DEPTH} levels deep",
        draft.chapter.body_line + deepest,
        1,
        "flatten the structure: no reader shows that many levels",
        MAX_DEPTH=MAX_DEPTH,
    )
