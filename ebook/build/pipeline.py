"""Run the stages in order: load -> check -> render -> structure -> assemble -> write."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..checks import check_book_level, has_errors
from ..checks.accepted import without_accepted
from ..checks.accessibility import check_conformance
from ..checks.links import check_links
from ..checks.pages import check_pages
from ..checks.rendered import check_apparatus
from ..core.assets import STYLESHEET_HREF
from ..core.errors import BookHasErrors, Diagnostic
from ..core.model import Book, RenderedChapter
from ..core.output import default_output, write_output
from ..incremental.cache import CACHE_DIR
from ..load import load_book
from ..render.resolve import resolve_apparatus
from .chapters import Progress, Remembered, chapter_keys, process_chapters
from .results import BuildResult, CheckResult
from .timestamp import source_date

if TYPE_CHECKING:
    from ..package.plan import Document, Publication


def check_manuscript(
    manuscript: Path,
    cache: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
    remembered: Remembered | None = None,
    book: Book | None = None,
) -> CheckResult:
    """Load the manuscript (unless `book` is it, loaded), run every check and render every
    chapter (the render finds the problems only the XHTML shows: links, images, ids). Writes
    nothing but the cache; a process that checks again and again keeps its chapters' results
    in `remembered`."""
    book = book or load_book(manuscript, cache=cache)
    keys = chapter_keys(book, [STYLESHEET_HREF])
    results = process_chapters(
        book,
        [STYLESHEET_HREF],
        cache=cache,
        workers=workers,
        progress=progress,
        remembered=remembered,
        keys=keys,
    )
    findings = check_book_level(book, [r.first_heading for r in results])
    for result in results:
        findings += result.findings
    rendered, problems = resolve_apparatus(book, [r.rendered for r in results])
    findings += check_apparatus(problems)
    findings += check_links(rendered)
    findings += check_conformance(book, rendered)
    findings += check_pages(rendered)
    findings = without_accepted(book, findings)
    findings.sort(key=_finding_order(book))
    outlines = tuple(r.outline for r in results)
    return CheckResult(book, tuple(findings), tuple(rendered), tuple(keys), outlines)


def check_epub(checked: CheckResult) -> list[Diagnostic]:
    """Package the checked book into a temporary file and return what EPUBCheck says."""
    from ..tools.epubcheck import run_epubcheck

    with tempfile.TemporaryDirectory(prefix="ebook-check-") as folder:
        target = Path(folder) / "book.epub"
        target.write_bytes(assemble(checked.book, list(checked.rendered)))
        return run_epubcheck(target)


def check_accessibility(checked: CheckResult) -> list[Diagnostic]:
    """Package the checked book and return what DAISY Ace reports, each finding in a chapter
    placed on the chapter's Markdown file (generated pages keep their path in the EPUB)."""
    from dataclasses import replace

    from ..tools.ace import run_ace

    chapters = {r.file_name: r.chapter.path for r in checked.rendered}
    with tempfile.TemporaryDirectory(prefix="ebook-a11y-") as folder:
        target = Path(folder) / "book.epub"
        target.write_bytes(assemble(checked.book, list(checked.rendered)))
        findings = run_ace(target)
    placed = []
    for f in findings:
        name = f.path.name if f.path else ""
        if name in chapters:
            f = replace(f, path=chapters[name], message=f"{name}: {f.message}")
        elif f.path is not None:
            f = replace(f, path=Path("EPUB") / name)
        placed.append(f)
    return placed


def _finding_order(book: Book):
    """book.yaml first, then the chapters in book order; by line within a file."""
    rank = {book.config_path: 0} | {c.path: n for n, c in enumerate(book.chapters, start=1)}
    return lambda f: (rank.get(f.path, len(rank)), f.line or 0, f.column or 0)


def build_epub(
    manuscript: Path,
    output: Path | None = None,
    strict: bool = False,
    cache: bool = True,
    workers: int | None = None,
    out_dir: Path = Path("dist"),
    progress: Progress | None = None,
    seen: list[tuple[str, str]] | None = None,
    book: Book | None = None,
) -> BuildResult:
    """Build the manuscript into an EPUB (`output`, else `out_dir/<name>.epub`); nothing is
    written unless every stage succeeds. `seen` is the folder as it was before the build
    (incremental/stamp.py): with it and the cache, the publication is kept for the next build
    to start from (cutoff.py). `book` is the manuscript loaded, if the caller has it."""
    checked = check_manuscript(
        manuscript, cache=cache, workers=workers, progress=progress, book=book
    )
    if has_errors(list(checked.findings), strict):
        raise BookHasErrors(list(checked.findings))
    book = checked.book
    folder = book.root / CACHE_DIR if cache else None
    publication, files, data = _assemble(book, list(checked.rendered), folder)
    target = output or default_output(book, out_dir)
    images = [path for r in checked.rendered for path, _ in r.images]
    written = write_output(book, target, data, images, [book.root / CACHE_DIR])
    if cache and seen is not None:
        from .cutoff import remember, request_of

        request = request_of(manuscript, output, out_dir, strict)
        remember(request, seen, checked, target, files, publication.accessibility, data)
    rendered = checked.rendered
    return BuildResult(
        path=target,
        written=written,
        size=len(data),
        chapters=len(rendered),
        notes=sum(r.note_count for r in rendered),
        noterefs=sum(r.noteref_count for r in rendered),
        findings=checked.findings,
    )


def assemble(
    book: Book,
    rendered: list[RenderedChapter],
    cache: Path | None = None,
    modified: datetime.datetime | None = None,
) -> bytes:
    """Plan the publication and package it as EPUB bytes.

    With a cache folder, compressed chapters are kept there and reused while unchanged.
    `modified` is the build's timestamp, when the caller has it already (see source_date).
    """
    return _assemble(book, rendered, cache, modified)[2]


def _assemble(
    book: Book,
    rendered: list[RenderedChapter],
    cache: Path | None = None,
    modified: datetime.datetime | None = None,
) -> tuple[Publication, list[Document], bytes]:
    """assemble, with the plan and the files it packaged."""
    from ..package.epub import package, packaged_files
    from ..package.ocfzip import DeflateCache, deflate
    from ..package.plan import plan_publication

    deflater = DeflateCache(cache / "deflate") if cache else deflate
    publication = plan_publication(book, rendered)
    files = packaged_files(publication, cache / "navigation" if cache else None)
    date = modified or source_date(book)
    data = package(book, files, date, publication.accessibility, deflater)
    if isinstance(deflater, DeflateCache):
        deflater.prune()
    return publication, files, data
