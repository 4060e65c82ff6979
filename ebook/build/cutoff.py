"""Early cutoff: an edit that changes what chapters say but not their outlines is built from
the last publication, at the cost of the edited chapters, not of the book.

The book-wide stages (the checks across chapters, the numbering, the contents, the package)
read of a chapter only its outline: its record (headings, ids, links, notes, labels, page
breaks, findings; build/chapters.py) and its front matter, never its text. So when an edit
leaves every edited chapter's outline as it was, and no other file of the manuscript folder
changed, every book-wide result is the last build's: its findings, its package document's
manifest and spine, every other document. Such a build renders the edited chapters, compares
their outlines, and packages the last EPUB's documents again with theirs replaced, reading no
other chapter's record. A new heading, note, link or finding, an edited front matter, book.yaml
or image, a chapter added or moved, or an EPUB that is not what the last build wrote, takes
the whole pipeline (tests/test_cutoff.py builds both ways after each kind of edit and compares
the bytes).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.assets import STYLESHEET_HREF
from ..core.errors import Diagnostic
from ..core.model import Book, Chapter
from ..core.output import default_output, write_output
from ..incremental.cache import CACHE_DIR, code_digest
from ..incremental.publication import LastPublication, Member, read_last, write_last
from ..incremental.records import typed_record
from .results import BuildResult

if TYPE_CHECKING:
    from ..package.plan import Document
    from .chapters import Progress
    from .results import CheckResult

# The folder as the stamp saw it before the build began: (path, what its metadata says).
Seen = list[tuple[str, str]]


def request_of(manuscript: Path, output: Path | None, out_dir: Path, strict: bool) -> str:
    """What a build's result depends on besides the files: its options as given (the paths in
    findings are written as the manuscript was named, from where), and the tool."""
    request = [str(manuscript), os.getcwd(), str(output or ""), str(out_dir), strict]
    return json.dumps([request, code_digest()])


def chapter_outline(chapter: Chapter, outline: str) -> str:
    """The outline of a chapter's result joined with its front matter as loaded; "" when the
    result has none (it was not cached)."""
    if not outline:
        return ""
    lines = [[list(key), list(place)] for key, place in chapter.front_matter_lines.items()]
    front = [chapter.path.name, chapter.id, chapter.kind, chapter.title, chapter.aliases]
    front += [chapter.body_line, chapter.front_matter, lines]
    text = json.dumps(front, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{outline}\0{text}".encode()).hexdigest()


def _others(seen: Seen, book: Book, target: Path) -> tuple[tuple[str, str], ...]:
    """The files of the folder but the chapters' (and the EPUB, if it is inside)."""
    left_out = {os.path.abspath(c.path) for c in book.chapters} | {os.path.abspath(target)}
    return tuple((path, meta) for path, meta in seen if path not in left_out)


def _loading_found(book: Book) -> str:
    found = typed_record(tuple[Diagnostic, ...], book.findings)
    return hashlib.sha256(json.dumps(found, default=str).encode()).hexdigest()


def remember(
    request: str,
    seen: Seen,
    checked: CheckResult,
    target: Path,
    files: list[Document],
    accessibility: dict[str, list[str]],
    data: bytes,
) -> None:
    """Keep what the next build needs to start from this one's publication; when a chapter's
    result has no outline (not cached), there is nothing to start from."""
    from ..incremental.publication import forget_last

    book = checked.book
    outlines = tuple(
        chapter_outline(c, o) for c, o in zip(book.chapters, checked.outlines, strict=True)
    )
    if not all(outlines):
        forget_last(book.root)
        return
    # A document the packager took compressed as rendered is a chapter's body as it stands.
    chapters = {r.file_name: i for i, r in enumerate(checked.rendered)}
    rendered = checked.rendered
    last = LastPublication(
        request=request,
        output=str(target.resolve()),
        digest="",
        others=_others(seen, book, target),
        load_findings=_loading_found(book),
        keys=checked.keys,
        outlines=outlines,
        members=tuple(
            Member(
                f.href,
                f.media_type,
                f.id,
                f.properties,
                f.in_spine,
                f.linear,
                *_NOWHERE,
                chapters.get(f.href, -1) if f.packed else -1,
            )
            for f in files
        ),
        accessibility=accessibility,
        findings=checked.findings,
        notes=sum(r.note_count for r in rendered),
        noterefs=sum(r.noteref_count for r in rendered),
    )
    _keep(book.root, last, data)


# (offset, length, CRC-32, size) of a member before _keep finds it in the EPUB.
_NOWHERE = (0, 0, 0, 0)


def _keep(root: Path, last: LastPublication, data: bytes) -> None:
    """Write `last` for the EPUB `data`: its digest, and where each document is in it."""
    from ..package.ocfzip import places
    from ..package.opf import FOLDER

    found = places(data)
    members = tuple(
        Member(
            m.href,
            m.media_type,
            m.id,
            m.properties,
            m.in_spine,
            m.linear,
            *found[f"{FOLDER}/{m.href}"],
            m.chapter,
        )
        for m in last.members
    )
    digest = hashlib.sha256(data).hexdigest()
    write_last(root, replace(last, digest=digest, members=members))


def build_from_last(
    manuscript: Path,
    book: Book,
    output: Path | None,
    out_dir: Path,
    strict: bool,
    seen: Seen,
    workers: int | None = None,
    progress: Progress | None = None,
) -> BuildResult | None:
    """The build of `manuscript` (loaded: `book`) from the last publication, when only
    chapters' texts changed since and their outlines did not; None when the whole pipeline
    must run (the edited chapters it rendered are in the cache by then)."""
    from .chapters import chapter_keys, drop_entries, process_some_chapters

    last = read_last(manuscript.resolve())
    if last is None or last.request != request_of(manuscript, output, out_dir, strict):
        return None
    target = output or default_output(book, out_dir)
    if str(target.resolve()) != last.output or _others(seen, book, target) != last.others:
        return None
    keys = chapter_keys(book, [STYLESHEET_HREF])
    if len(keys) != len(last.keys) or _loading_found(book) != last.load_findings:
        return None
    changed = [i for i, (key, old) in enumerate(zip(keys, last.keys, strict=True)) if key != old]
    bodies = {m.chapter for m in last.members}
    if any(i not in bodies for i in changed):
        return None  # renumbered, or holding another chapter's moved anchors: book-wide work
    results = process_some_chapters(book, [STYLESHEET_HREF], keys, changed, workers, progress)
    for i in changed:
        result = results.get(i)
        outline = chapter_outline(book.chapters[i], result.outline) if result else ""
        if outline != last.outlines[i]:
            return None
    try:
        epub = target.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(epub).hexdigest() != last.digest:
        return None  # not what the last build wrote: its documents cannot be taken from it
    edited = {i: results[i].rendered.packed for i in changed}
    if any(packed is None for packed in edited.values()):
        return None
    data = _packaged(book, last, epub, edited)
    written = write_output(book, target, data, protected=[book.root / CACHE_DIR])
    _keep(book.root, replace(last, keys=tuple(keys)), data)
    drop_entries(book, [last.keys[i] for i in changed])
    return BuildResult(
        path=target,
        written=written,
        size=len(data),
        chapters=len(book.chapters),
        notes=last.notes,
        noterefs=last.noterefs,
        findings=last.findings,
    )


def _packaged(book: Book, last: LastPublication, epub: bytes, edited: dict) -> bytes:
    """The last publication's documents, compressed as the last EPUB holds them, but for the
    edited chapters', packaged again (a new package document: its date is the edit's)."""
    from ..package.epub import package
    from ..package.ocfzip import Packed
    from ..package.plan import Document
    from .timestamp import source_date

    view = memoryview(epub)
    files = []
    for m in last.members:
        packed = edited.get(m.chapter) if m.chapter >= 0 else None
        if packed is None:
            packed = Packed(m.crc, m.size, view[m.offset : m.offset + m.length])
        files.append(
            Document(
                m.href, m.media_type, None, m.id, m.properties, m.in_spine, m.linear, packed=packed
            )
        )
    return package(book, files, source_date(book), last.accessibility)
