"""The body of a printed book's text: contents, headings, page-bottom notes, page breaks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ...core.chinese import NUMERAL, parse_numeral
from ...core.i18n import say
from .text import CIRCLED, CJK, Paragraph, join_cjk, squash

CHAPTER = re.compile(rf"^第\s*({NUMERAL})\s*章\s*(.*)$")
SECTION = re.compile(rf"^第\s*({NUMERAL})\s*节\s*(.*)$")
SUBSECTION = re.compile(rf"^({NUMERAL})\s*、\s*(.+)$")
SUBSUBSECTION = re.compile(rf"^[（(]\s*({NUMERAL})\s*[)）]\s*(.+)$")
MATTER = [
    (re.compile(r"^序\s*言?$"), "foreword"),
    (re.compile(r"^前\s*言$"), "preface"),
    (re.compile(r"^后\s*记$"), "afterword"),
    (re.compile(r"^附\s*录(?:\s*[\d一二三四五六七八九十]+)?(?:\s+\S.*)?$"), "appendix"),
    (re.compile(r"^(?:主\s*要\s*)?参\s*考\s*文\s*献$"), "bibliography"),
]
CONTENTS = re.compile(r"^目\s*录$")
CONTENTS_ENTRY = re.compile(
    r"^(?P<title>.*?\S)\s*(?:[.．…·。\s]{2,})?\s*[（(]?\s*(?P<page>\d{1,4})\s*[)）]?$"
)
NOTE = re.compile(rf"^\^?\{{?(?P<markers>[{CIRCLED}]+)\}}?\s*(?P<text>.*)$")
REFERENCE = re.compile(
    rf"\^\{{(?P<group>[{CIRCLED}]+)\}}|\^(?P<caret>[{CIRCLED}])|(?P<bare>[{CIRCLED}])"
)
PAGE_NUMBER = re.compile(r"^[-—–]?\s*\d{1,4}\s*[-—–]?$")
# A paragraph ending in one of these is complete; any other ending was cut by a page break.
TERMINAL = tuple("。！？!?…”’」』）)：:；;")
PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
# Where a print page ends inside a paragraph (the index of the break in Body.breaks).
BREAK = "\x01{}\x01"
BREAK_MARK = re.compile("\x01(\\d+)\x01")
# A signature under a foreword: 'position  name', no sentence punctuation.
SIGNATURE = re.compile(rf"^[^。！？]{{0,40}}\s([{CJK}]{{2,4}})$")
MAX_HEADING = 30


@dataclass
class Note:
    markers: str
    text: str
    line: int


@dataclass
class Reference:
    marker: str
    bare: bool  # written without ^: a note only if the page has a note with that marker
    line: int
    note: Note | None = None


@dataclass
class Block:
    kind: str  # "heading", "text", "quote"
    text: str
    line: int
    level: int = 0
    lines: list[str] = field(default_factory=list)  # quote paragraphs


@dataclass
class Part:
    """One output file: a chapter or a front/back-matter section."""

    kind: str
    id: str
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    signature: str | None = None


@dataclass
class Body:
    parts: list[Part]
    references: list[Reference]
    contents: list[tuple[int, str, int]]  # (line, title, print page)
    report: list[tuple[int, str]]
    # The print page being read: a chapter may start mid-page, so these outlive a part.
    pending: list[Reference] = field(default_factory=list)  # references awaiting their notes
    page_notes: list[Note] = field(default_factory=list)  # the last page's notes
    # Each page break seen (a page's notes ended it): the number of the page that begins
    # there, once numbered (None: unknown); see number_pages.
    breaks: list[int | None] = field(default_factory=list)
    # Chapters and sections: (part index, block index or -1 for the chapter) -> print page.
    starts: dict[tuple[int, int], int] = field(default_factory=dict)
    # Lone page numbers of the text, (line, number), in order: each ends its page (a foot).
    page_numbers: list[tuple[int, int]] = field(default_factory=list)
    # Breaks whose page a printed page number gives: break index -> the page that begins.
    known: dict[int, int] = field(default_factory=dict)


def is_matter_heading(text: str) -> str | None:
    """'chapter', 'foreword', 'appendix'… when the line opens a new file, else None."""
    if len(text) > 60 or "。" in text:
        return None
    if CHAPTER.match(text):
        return "chapter"
    return next((kind for pattern, kind in MATTER if pattern.match(text)), None)


def parse_body(paras: list[Paragraph], titles: tuple[str, ...] = ()) -> Body:
    """Read the body; `titles` (the book's title) also serve as running heads."""
    body = Body([], [], [], [])
    paras = _drop_artefacts(paras, {squash(t) for t in titles if t}, body)
    i = 0
    while i < len(paras):
        text = paras[i].text.strip()
        if CONTENTS.match(text):
            i = _read_contents(paras, i + 1, body)
            continue
        break_kind = is_matter_heading(text)
        if break_kind is None and not body.parts:
            i += 1
            continue
        i = _read_part(paras, i, body) if break_kind else i + 1
    _report_unresolved(body.pending, body)
    _resolve_titles(body)
    _number_pages(body)
    return body


def _drop_artefacts(paras: list[Paragraph], titles: set[str], body: Body) -> list[Paragraph]:
    """Lone page numbers and running heads (the book's title, or a short line on many pages);
    the page numbers are kept aside (Body.page_numbers) as the ends of their pages."""
    report = body.report
    counts = Counter(squash(p.text) for p in paras if len(p.lines) == 1 and len(p.text) <= 30)
    heads = {t for t, n in counts.items() if n >= 3 and not is_matter_heading(t)} | titles
    kept = []
    for p in paras:
        if len(p.lines) == 1 and PAGE_NUMBER.match(p.text.strip()):
            report.append((p.line, say("dropped '{value}': a page number", value=p.text.strip())))
            body.page_numbers.append((p.line, int(re.sub(r"\D", "", p.text))))
        elif len(p.lines) == 1 and squash(p.text) in heads:
            report.append((p.line, say("dropped '{value}': a running head", value=p.text.strip())))
        else:
            kept.append(p)
    return kept


def _read_contents(paras: list[Paragraph], i: int, body: Body) -> int:
    while i < len(paras):
        entries = [
            (paras[i].line + k, CONTENTS_ENTRY.match(line.strip()))
            for k, line in enumerate(paras[i].lines)
        ]
        if not all(m for _, m in entries):
            break
        for line, m in entries:
            title = re.sub(r"[\s\t]+", " ", m.group("title")).strip(" .…·")
            body.contents.append((line, title, int(m.group("page"))))
        i += 1
    return i


def _read_part(paras: list[Paragraph], i: int, body: Body) -> int:
    """Read one file's worth: from its heading to the next chapter or matter heading."""
    heading = paras[i]
    text = heading.text.strip()
    kind = is_matter_heading(text)
    part = Part(kind or "chapter", "", _spaced(text), heading.line)
    body.parts.append(part)
    i += 1
    pending, page_notes = body.pending, body.page_notes
    last_text: Block | None = None  # may continue after a page break
    broke = False  # a page ended (its notes, or its page number) since the last block
    known: int | None = None  # the page that begins, when a printed page number said so
    previous_line = heading.line
    while i < len(paras):
        para = paras[i]
        text = para.text.strip()
        if is_matter_heading(text) or CONTENTS.match(text):
            break
        numbers = [n for line, n in body.page_numbers if previous_line < line < para.line]
        previous_line = para.line
        if numbers:  # a page number stood between the last paragraph and this one
            broke, known = True, numbers[-1] + 1
        note = NOTE.match(text)
        if note and any(m in {r.marker for r in pending} for m in note.group("markers")):
            i = _read_notes(paras, i, pending, page_notes, body)
            pending.clear()
            broke = True
            continue
        level = _heading_level(text)
        joins = (
            not level
            and last_text is not None
            and not _complete(last_text.text)
            and not _continues_note(page_notes, paras, i)
        )
        if broke and not joins and not _continues_note(page_notes, paras, i):
            part.blocks.append(Block("pagebreak", BREAK.format(len(body.breaks)), para.line))
            if known is not None:
                body.known[len(body.breaks)] = known
            body.breaks.append(None)
            broke, known = False, None
        if level:
            part.blocks.append(Block("heading", _spaced(text), para.line, level))
            last_text = None
        elif (
            last_text is not None
            and not _complete(last_text.text)
            and not _continues_note(page_notes, paras, i)
        ):
            body.report.append(
                (
                    para.line,
                    say(
                        "joined to the paragraph before it (line {line_}): a page break had cut it",
                        line_=last_text.line,
                    ),
                )
            )
            before = last_text.text
            joined = join_cjk(before, _mark_references(text, para.line, pending, body))
            mark = ""
            if broke:  # the page ended inside this paragraph: its break goes at the join
                mark = BREAK.format(len(body.breaks))
                if known is not None:
                    body.known[len(body.breaks)] = known
                body.breaks.append(None)
                broke, known = False, None
            last_text.text = before + mark + joined[len(before) :]
        elif _continues_note(page_notes, paras, i):
            page_notes[-1].text = join_cjk(page_notes[-1].text, text)
            body.report.append(
                (para.line, say("taken as the end of the note from the page before"))
            )
        else:
            last_text = Block("text", _mark_references(text, para.line, pending, body), para.line)
            part.blocks.append(last_text)
        i += 1
    return i


def _continues_note(page_notes: list[Note], paras: list[Paragraph], i: int) -> bool:
    """A paragraph right before a page's notes, after a note that broke off, continues it."""
    if not page_notes or _complete(page_notes[-1].text) or i + 1 >= len(paras):
        return False
    return NOTE.match(paras[i + 1].text.strip()) is not None


def _read_notes(
    paras: list[Paragraph], i: int, pending: list[Reference], page_notes: list[Note], body: Body
) -> int:
    """Read the run of notes at the bottom of a page and attach the page's references."""
    page_notes.clear()
    while i < len(paras) and NOTE.match(paras[i].text.strip()):
        for note in _split_notes(paras[i]):
            match = NOTE.match(note.text.strip())
            page_notes.append(Note(match.group("markers"), match.group("text").strip(), note.line))
        i += 1
    by_marker = {m: note for note in page_notes for m in note.markers}
    for ref in pending:
        ref.note = by_marker.get(ref.marker)
    used = {id(r.note) for r in pending if r.note}
    for note in page_notes:
        if id(note) not in used:
            body.report.append(
                (
                    note.line,
                    say("note {markers} is referenced nowhere on its page", markers=note.markers),
                )
            )
    return i


def _split_notes(para: Paragraph) -> list[Paragraph]:
    """Notes typed on consecutive lines, no blank line between: each marker starts a note."""
    notes: list[Paragraph] = []
    for offset, line in enumerate(para.lines):
        if not notes or NOTE.match(line.strip()):
            notes.append(Paragraph(para.line + offset, []))
        notes[-1].lines.append(line)
    return notes


def _report_unresolved(pending: list[Reference], body: Body) -> None:
    for ref in pending:
        if ref.note is None and not ref.bare:
            body.report.append(
                (ref.line, say("reference {marker} has no note on its page", marker=ref.marker))
            )


def _mark_references(text: str, line: int, pending: list[Reference], body: Body) -> str:
    def replace(match: re.Match) -> str:
        markers = match.group("group") or match.group("caret") or match.group("bare")
        out = ""
        for marker in markers:
            ref = Reference(marker, match.group("bare") is not None, line)
            body.references.append(ref)
            pending.append(ref)
            out += PLACEHOLDER.format(len(body.references) - 1)
        return out

    return REFERENCE.sub(replace, text)


def _complete(text: str) -> bool:
    return _PLACEHOLDER.sub("", text).rstrip().endswith(TERMINAL)


def _heading_level(text: str) -> int:
    if SECTION.match(text) and len(text) <= MAX_HEADING + 4:
        return 2
    for level, pattern in ((3, SUBSECTION), (4, SUBSUBSECTION)):
        match = pattern.match(text)
        if match and len(text) <= MAX_HEADING and "。" not in text:
            return level
    return 0


def _spaced(text: str) -> str:
    """'第一章  絮论' -> '第一章 絮论': one space after the numbering label."""
    match = re.match(
        rf"^(第\s*{NUMERAL}\s*[章节]|附\s*录\s*[\d一二三四五六七八九十]*)\s*(.*)$", text
    )
    if not match:
        return text
    return f"{squash(match.group(1))} {match.group(2).strip()}".strip()


def _resolve_titles(body: Body) -> None:
    """Cross-check chapter and section headings with the contents; its form wins."""
    entries = {}
    for line, title, _ in body.contents:
        label = _label(title)
        if label:
            entries.setdefault(label, []).append((line, title))
    chapter_label = None
    for part in body.parts:
        if part.kind == "chapter":
            chapter_label = _label(part.title)
            part.title = _checked(part.title, part.line, entries.get(chapter_label, []), body)
        for block in part.blocks:
            if block.kind == "heading" and block.level == 2 and chapter_label:
                candidates = _under(body.contents, chapter_label, _label(block.text))
                block.text = _checked(block.text, block.line, candidates, body)


def _contents_page(body: Body, chapter: tuple[str, int] | None, title: str) -> int | None:
    """The print page the contents give for a chapter (or a section of `chapter`)."""
    label = _label(title)
    inside = False
    for _, entry, page in body.contents:
        entry_label = _label(entry)
        if entry_label and entry_label[0] == "章":
            inside = entry_label == chapter
            if label == entry_label:
                return page
        elif inside and label and label == entry_label:
            return page
    return None


def _number_pages(body: Body) -> None:
    """Give each page break the number of the page it begins, counting from the pages the
    contents give for chapters and sections; report where the two disagree.

    A chapter begins a page; a section lies on the page the contents give, which began at or
    before its heading. Pages without notes end without a mark in the text: their breaks are
    unseen, and the count catches up at the next heading the contents list."""
    page: int | None = None  # the page being read
    for n, part in enumerate(body.parts):
        chapter = _label(part.title) if part.kind == "chapter" else None
        start = _contents_page(body, chapter, part.title) if chapter else None
        if start is not None:
            if page is not None and start <= page:
                body.report.append(
                    (
                        part.line,
                        say(
                            "the contents put '{title}' on page {start}, but the page breaks of the"
                            " text reach page {page} before it — check the print",
                            title=part.title,
                            start=start,
                            page=page,
                        ),
                    )
                )
            page = start
            body.starts[(n, -1)] = start
        for k, block in enumerate(part.blocks):
            if block.kind == "heading" and block.level == 2 and chapter:
                on = _contents_page(body, chapter, block.text)
                if on is None or page is None or on == page:
                    continue
                if on < page:
                    body.report.append(
                        (
                            block.line,
                            say(
                                "the contents put '{text}' on page {on}, but the page"
                                " breaks of the text reach page {page} before it — check the print",
                                text=block.text,
                                on=on,
                                page=page,
                            ),
                        )
                    )
                    continue
                body.report.append(
                    (
                        block.line,
                        say(
                            "page {on} (the contents' page of '{text}') begins before this heading "
                            "where no page break shows in the text; its mark is put at the heading "
                            "— move it to where the page begins",
                            on=on,
                            text=block.text,
                        ),
                    )
                )
                page = on
                body.starts[(n, k)] = on
            for index in (int(i) for i in BREAK_MARK.findall(block.text)):
                printed = body.known.get(index)
                if printed is not None and page is not None and printed != page + 1:
                    body.report.append(
                        (
                            block.line,
                            say(
                                "the printed page number says page {printed} begins here;"
                                " counted from the contents it is page {value}"
                                " — used the printed one",
                                printed=printed,
                                value=page + 1,
                            ),
                        )
                    )
                if printed is not None:
                    page = printed
                elif page is None:
                    continue
                else:
                    page += 1
                body.breaks[index] = page


def _label(title: str) -> tuple[str, int] | None:
    for kind, pattern in (("章", CHAPTER), ("节", SECTION)):
        match = pattern.match(title)
        if match:
            return kind, parse_numeral(match.group(1)) or 0
    return None


def _under(
    contents: list[tuple[int, str, int]],
    chapter: tuple[str, int] | None,
    section: tuple[str, int] | None,
) -> list[tuple[int, str]]:
    """Contents entries for `section` inside `chapter`."""
    inside, found = False, []
    for line, title, _ in contents:
        label = _label(title)
        if label and label[0] == "章":
            inside = label == chapter
        elif inside and label == section:
            found.append((line, title))
    return found


def _checked(title: str, line: int, candidates: list[tuple[int, str]], body: Body) -> str:
    if not candidates:
        return title
    entry_line, entry = candidates[0]
    if squash(entry) == squash(title):
        return entry  # the same words; the contents' spacing is the clean one
    body.report.append(
        (
            line,
            say(
                "heading '{title}' differs from the contents (line {entry_line}): "
                "'{entry}'; used the contents' form — check the print",
                title=title,
                entry_line=entry_line,
                entry=entry,
            ),
        )
    )
    return entry
