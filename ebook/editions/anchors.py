"""A new edition against the last published one: what readers' bookmarks would lose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from stdnum import isbn as stdisbn

from ..checks.source import headings as source_headings
from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.model import Book, Chapter, RenderedChapter
from ..load import VALUE
from ..render.headings import without_number
from .diff import vanished_anchors
from .snapshot import BookSnapshot, Note, Section


@dataclass(frozen=True)
class AnchorFix:
    """The aliases that keep lost anchors on the heading or note that took their place: what
    R002 proposes, and `check --keep-anchors` writes."""

    path: Path  # the manuscript file
    line: int  # of the heading, or of the note's definition
    target: str  # "heading" or "note"
    aliases: str  # as written between the quotes of {aliases="…"}


def check_against_previous(
    book: Book,
    rendered: list[RenderedChapter],
    old: BookSnapshot,
    new: BookSnapshot,
    previous_name: str,
) -> tuple[list[Diagnostic], list[AnchorFix]]:
    """R001/R002 for every file and anchor of `old` that `new` lacks, each named by the
    heading or note it belonged to; B015 and C003 for a new edition with the old ISBN or CIP
    number. With them, the aliases that would keep each lost anchor where the heading or
    note that took its place is known (what `check --keep-anchors` writes)."""
    by_file = {r.file_name: r.chapter for r in rendered}
    findings = []
    lost_headings: dict[tuple[str, Section], list[str]] = {}
    lost_notes: dict[tuple[str, Note], list[str]] = {}
    for gone in vanished_anchors(old, new):
        file, _, anchor = gone.partition("#")
        chapter = by_file.get(file)
        path, line, col = (
            (chapter.path, chapter.body_line, 1)
            if chapter
            else (book.config_path, *book.config_lines.get(("chapters",), (1, 1)))
        )
        owner = _owner(old, file, anchor)
        if isinstance(owner, Section):
            lost_headings.setdefault((file, owner), []).append(anchor)
        elif isinstance(owner, Note):
            lost_notes.setdefault((file, owner), []).append(anchor)
        elif anchor:
            findings.append(
                finding(
                    "R002",
                    "{previous_name} has {gone}; this edition does not",
                    path,
                    line,
                    col,
                    'keep it on the heading that replaced it: ## Title {{aliases="{anchor}"}}',
                    previous_name=previous_name,
                    gone=gone,
                    anchor=anchor,
                )
            )
        else:
            findings.append(
                finding(
                    "R001",
                    "{previous_name} has {file}; this edition does not",
                    path,
                    line,
                    col,
                    "add 'aliases: [{value}]' to the front matter of the chapter that replaced it",
                    previous_name=previous_name,
                    file=file,
                    value=file.removesuffix(".xhtml"),
                )
            )
    fixes: list[AnchorFix] = []
    for (file, section), anchors in lost_headings.items():
        found, fix = _lost_heading(book, rendered, old, new, previous_name, file, section, anchors)
        findings.append(found)
        fixes += [fix] if fix else []
    for (file, note), anchors in lost_notes.items():
        found, fix = _lost_note(book, rendered, new, previous_name, file, note, anchors)
        findings.append(found)
        fixes += [fix] if fix else []
    findings += _same_numbers(book, old)
    return findings, fixes


def _same_numbers(book: Book, old: BookSnapshot) -> list[Diagnostic]:
    """B015 and C003: a new edition that kept the old one's ISBN or CIP number."""
    findings = []
    old_edition = old.metadata.get("edition", "")
    if (
        book.edition
        and old_edition.isdigit()
        and book.edition.number > int(old_edition)
        and book.isbn
        and old.metadata.get("isbn")
        and stdisbn.compact(book.isbn) == stdisbn.compact(old.metadata["isbn"])
    ):
        line, col = book.config_lines.get(("edition", VALUE), (1, 1))
        findings.append(
            finding(
                "B015",
                "edition {old_edition} → {number} but the ISBN is unchanged",
                book.config_path,
                line,
                col,
                "a new edition normally gets a new ISBN; a reprint changes printing, not edition",
                old_edition=old_edition,
                number=book.edition.number,
            )
        )
    if (
        book.edition
        and old_edition.isdigit()
        and book.edition.number > int(old_edition)
        and book.cip.number
        and book.cip.number == old.metadata.get("cip_number")
    ):
        line, col = book.config_lines.get(("cip", "number", VALUE), (1, 1))
        findings.append(
            finding(
                "C003",
                "edition {old_edition} → {number} but the CIP number {cip} is unchanged",
                book.config_path,
                line,
                col,
                "each edition gets its own CIP data: copy the number this edition was given",
                old_edition=old_edition,
                number=book.edition.number,
                cip=book.cip.number,
            )
        )
    return findings


def _owner(old: BookSnapshot, file: str, anchor: str) -> Section | Note | None:
    """The heading (by its id or an alias) or the note (by its id or that of a reference to
    it) the old edition's anchor was."""
    # A reference's id is the note's with -fnref- for -fn-, and -2, -3… for later ones.
    referred = {anchor.replace("-fnref-", "-fn-", 1)} if "-fnref-" in anchor else set()
    referred |= {re.sub(r"-\d+$", "", r) for r in referred}
    for chapter in old.chapters:
        if chapter.file != file:
            continue
        for section in chapter.headings():
            if anchor == section.id or anchor in section.aliases:
                return section
        for note in chapter.notes:
            if anchor == note.id or note.id in referred:
                return note
    return None


def _lost_note(
    book: Book,
    rendered: list[RenderedChapter],
    new: BookSnapshot,
    previous_name: str,
    file: str,
    note: Note,
    anchors: list[str],
) -> tuple[Diagnostic, AnchorFix | None]:
    """One R002 for a note's lost anchors (the note's and its references'); where the note is
    found in the new edition (the same text, or the likeliest rewording in its chapter), the
    finding points at its definition and the hint is the line to add under it."""
    gone = ", ".join(f"{file}#{a}" for a in anchors)
    ids = [a for a in anchors if "-fnref-" not in a] or [note.id]
    found = _note_successor(new, file, note)
    if found is not None:
        home, successor = found
        keep = _aliases(ids, file, home, rendered)
        target = next((r.chapter for r in rendered if r.file_name == home), None)
        label = successor.id.rpartition("-fn-")[2]
        line = target and next(
            (
                n
                for n, text in enumerate(target.body.split("\n"), target.body_line)
                if text.startswith(f"[^{label}]:")
                or successor.text[:12]
                and successor.text[:12] in text
                and "[^" in text
            ),
            None,
        )
        if line:
            found = finding(
                "R002",
                "{previous_name} has {gone}, the note {note}; this edition does not",
                target.path,
                line,
                1,
                "keep them on the note that took its place: add {value} as the last line of"
                " its text, indented as the text is",
                previous_name=previous_name,
                gone=gone,
                note=note.name,
                value=f'{{aliases="{keep}"}}',
            )
            return found, AnchorFix(target.path, line, "note", keep)
    chapter = next((r.chapter for r in rendered if r.file_name == file), None)
    path, line = _start_of(book, chapter)
    unplaced = finding(
        "R002",
        "{previous_name} has {gone}, the note {note}; this edition does not",
        path,
        line,
        1,
        "keep them on the note that replaced it: add {value} as the last line of its text",
        previous_name=previous_name,
        gone=gone,
        note=note.name,
        value=f'{{aliases="{" ".join(ids)}"}}',
    )
    return unplaced, None


def _note_successor(new: BookSnapshot, file: str, note: Note) -> tuple[str, Note] | None:
    """The note of the new edition that is `note`: the same text (in its file first, then in
    any), else the most alike note of its file."""
    everywhere = [(c.file, n) for c in new.chapters for n in c.notes]
    same = sorted(
        (pair for pair in everywhere if pair[1].text == note.text), key=lambda p: p[0] != file
    )
    if same:
        return same[0]
    alike = [
        (SequenceMatcher(None, note.text, n.text).ratio(), (f, n))
        for f, n in everywhere
        if f == file
    ]
    best = max(alike, key=lambda pair: pair[0], default=(0.0, None))
    return best[1] if best[0] >= 0.6 else None


def _lost_heading(
    book: Book,
    rendered: list[RenderedChapter],
    old: BookSnapshot,
    new: BookSnapshot,
    previous_name: str,
    file: str,
    section: Section,
    anchors: list[str],
) -> tuple[Diagnostic, AnchorFix | None]:
    """One R002 for a heading's lost anchors; where the heading that took its place is found
    (the same title, renumbered, or the likeliest rewording at its level), the finding points
    at it and the hint is the line to write."""
    gone = ", ".join(f"{file}#{a}" for a in anchors)
    chapter = next((r.chapter for r in rendered if r.file_name == file), None)
    found = _successor(old, new, file, section)
    if found is not None:
        home, successor = found
        # Moved to another chapter: each alias says which file had it (an id with the old
        # chapter's prefix says so itself).
        keep = _aliases(anchors, file, home, rendered)
        target = next((r.chapter for r in rendered if r.file_name == home), None)
        heading = target and next(
            (h for h in source_headings(target) if h.text == successor.title), None
        )
        if heading:
            found = finding(
                "R002",
                "{previous_name} has {gone}, the heading “{title}”; this edition does not",
                target.path,
                heading.line,
                1,
                "keep them on the heading that took its place: {value}",
                previous_name=previous_name,
                gone=gone,
                title=section.title,
                value=f'{"#" * successor.level} {successor.title} {{aliases="{keep}"}}',
            )
            return found, AnchorFix(target.path, heading.line, "heading", keep)
    keep = " ".join(anchors)
    path, line = _start_of(book, chapter)
    unplaced = finding(
        "R002",
        "{previous_name} has {gone}, the heading “{title}”; this edition does not",
        path,
        line,
        1,
        'keep them on the heading that replaced it: {value} Title {{aliases="{anchor}"}}',
        previous_name=previous_name,
        gone=gone,
        title=section.title,
        value="#" * section.level,
        anchor=keep,
    )
    return unplaced, None


def _aliases(anchors: list[str], file: str, home: str, rendered: list[RenderedChapter]) -> str:
    """The aliases to write at `home` for `file`'s lost anchors: as they are in the same file,
    and where the old chapter's prefix says which file they were in; else with the file
    named (`ch03.xhtml#第二节-案例`, or any anchor of a file that is no chapter now)."""
    prefix = file.removesuffix(".xhtml") + "-"
    chapter = any(r.file_name == file for r in rendered)
    return " ".join(
        a if home == file or (chapter and a.startswith(prefix)) else f"{file}#{a}" for a in anchors
    )


def _start_of(book: Book, chapter: Chapter | None) -> tuple[Path, int]:
    """Where a finding about a file goes when nothing nearer is known: the start of the
    chapter's text, or book.yaml's chapter list when the file is no chapter now."""
    if chapter is not None:
        return chapter.path, chapter.body_line
    return book.config_path, book.config_lines.get(("chapters",), (1, 1))[0]


def _successor(
    old: BookSnapshot, new: BookSnapshot, file: str, section: Section
) -> tuple[str, Section] | None:
    """The heading of the new edition that took `section`'s place, and its file: one with the
    same title once numbers are left out (in `file` first, then moved to another chapter);
    else, in `file`, the most alike heading of its level that the old edition did not have
    (a rewording, never a heading that was there all along)."""
    title = without_number(section.title)
    everywhere = sorted(
        ((c.file, s) for c in new.chapters for s in c.headings()), key=lambda p: p[0] != file
    )
    same = [(f, s) for f, s in everywhere if without_number(s.title) == title]
    if same:
        return same[0]
    had = old.anchors.get(file, frozenset())
    alike = [
        (SequenceMatcher(None, title, without_number(s.title)).ratio(), (f, s))
        for f, s in everywhere
        if f == file and s.level == section.level and s.id not in had
    ]
    best = max(alike, key=lambda pair: pair[0], default=(0.0, None))
    return best[1] if best[0] >= 0.5 else None
