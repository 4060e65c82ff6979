"""Per-chapter work (checks and rendering): cached on disk, spread over processes.

A chapter's result depends only on its own source, the book options that shape rendering and
the set of chapter files (for links), so it is cached under a hash of exactly those. Cold
builds render the chapters in parallel; results come back in book order, so the output is
the same bytes with any number of workers, with or without the cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..checks.source import SourceHeading
from ..core.errors import Diagnostic
from ..core.model import (
    NOT_STORED,
    Book,
    Chapter,
    RenderedChapter,
    body_digest,
)
from ..core.settings import SETTINGS
from ..incremental.cache import CACHE_DIR, code_digest, read_entry, remove_stale, write_entry
from ..incremental.records import decode_record, encode_record

if TYPE_CHECKING:
    from ..render import Renderer

# Below this many chapters to render, starting worker processes costs more than it saves.
PARALLEL_MIN = 8


@dataclass(frozen=True)
class ChapterResult:
    rendered: RenderedChapter
    findings: tuple[Diagnostic, ...]
    first_heading: SourceHeading | None
    # A hash of everything the book-wide stages read of this chapter: its record but for the
    # body's digest (build/cutoff.py); "" when the result is not cached.
    outline: str = field(default="", compare=False, metadata=NOT_STORED)


# Told how many chapters are rendered so far, out of how many need rendering.
Progress = Callable[[int, int], None]


class Remembered:
    """The chapter results of this process's last run, by key: a process that runs again and
    again (the preview) asks it before the disk cache, and is spared reading and decoding
    every chapter's record each time."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[ChapterResult, list]] = {}

    def recall(self, key: str, chapter: Chapter) -> ChapterResult | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        result, fingerprints = entry
        try:
            if [_fingerprint(path) for path, _ in result.rendered.images] != fingerprints:
                return None  # an image changed: render again
        except OSError:
            return None
        return replace(result, rendered=replace(result.rendered, chapter=chapter))

    def keep(self, keys: list[str], results: list[ChapterResult]) -> None:
        """Remember this run's results (only: a chapter's older versions are forgotten)."""
        self.entries = {}
        for key, result in zip(keys, results, strict=True):
            if not keepable(result):
                continue
            try:
                fingerprints = [_fingerprint(path) for path, _ in result.rendered.images]
            except OSError:
                continue
            self.entries[key] = (result, fingerprints)


def process_chapters(
    book: Book,
    stylesheets: list[str],
    cache: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
    remembered: Remembered | None = None,
    keys: list[str] | None = None,
) -> list[ChapterResult]:
    """Check and render every chapter, from `remembered` or the cache where its key still
    matches (neither without `cache`); `keys` are chapter_keys, if the caller has them."""
    folder = book.root / CACHE_DIR
    keys = keys or chapter_keys(book, stylesheets)
    if cache:
        remove_stale(folder)
        _prune(folder, set(keys))
    else:
        remembered = None

    def known(key: str, chapter: Chapter) -> ChapterResult | None:
        if not cache:
            return None
        found = remembered.recall(key, chapter) if remembered is not None else None
        return found or _load(folder, key, chapter)

    results = [known(key, chapter) for key, chapter in zip(keys, book.chapters, strict=True)]
    _fill(book, stylesheets, keys, results, cache, workers, progress)
    return _finished(remembered, keys, results)


def process_some_chapters(
    book: Book,
    stylesheets: list[str],
    keys: list[str],
    indices: list[int],
    workers: int | None = None,
    progress: Progress | None = None,
) -> dict[int, ChapterResult]:
    """The results of the chapters at `indices` alone (their `keys` from chapter_keys), from
    the cache or rendered and cached."""
    folder = book.root / CACHE_DIR
    results: list[ChapterResult | None] = [None] * len(keys)
    for i in indices:
        results[i] = _load(folder, keys[i], book.chapters[i])
    _fill(book, stylesheets, keys, results, True, workers, progress, indices)
    return {i: result for i in indices if (result := results[i]) is not None}


def _fill(
    book: Book,
    stylesheets: list[str],
    keys: list[str],
    results: list[ChapterResult | None],
    cache: bool,
    workers: int | None,
    progress: Progress | None,
    wanted: list[int] | None = None,
) -> None:
    """Render the chapters of `wanted` (every one) that have no result yet, and cache them."""
    every = range(len(results)) if wanted is None else wanted
    misses = [i for i in every if results[i] is None]
    if not misses:
        return
    done = _render(book, stylesheets, misses, workers or os.cpu_count() or 1, progress)
    for i in misses:
        results[i] = _store(book.root / CACHE_DIR, keys[i], done[i]) if cache else done[i]


def _render(
    book: Book,
    stylesheets: list[str],
    misses: list[int],
    workers: int,
    progress: Progress | None,
) -> dict[int, ChapterResult]:
    """Render the chapters at `misses`: in this process, or spread over `workers`."""
    # Imported only when a chapter must be rendered: a cached build never needs them.
    from ..render import Renderer

    renderer = Renderer(book, stylesheets)
    done: dict[int, ChapterResult] = {}

    def tell(count: int) -> None:
        if progress is not None:
            progress(count, len(misses))

    if workers <= 1 or len(misses) < PARALLEL_MIN:
        for i in misses:
            done[i] = process_chapter(renderer, book.chapters[i])
            tell(len(done))
        return done
    from concurrent.futures import ProcessPoolExecutor

    # This process renders its share while workers-1 others render the rest: as fast as a
    # pool of `workers`, with one process less in memory. Workers get the book without its
    # chapters' text and one chapter per task, and send results back without it.
    mine = set(misses[::workers])
    theirs = [i for i in misses if i not in mine]
    light = replace(book, chapters=tuple(replace(c, text="", reader=None) for c in book.chapters))
    with ProcessPoolExecutor(
        workers - 1, initializer=_start_worker, initargs=(light, stylesheets)
    ) as pool:
        chapters = [replace(book.chapters[i], text=book.chapters[i].body) for i in theirs]
        chunk = max(1, len(theirs) // (workers * 4))
        pending = pool.map(_work, chapters, chunksize=chunk)
        for i in sorted(mine):
            done[i] = process_chapter(renderer, book.chapters[i])
            tell(len(done))
        for i, result in zip(theirs, pending, strict=True):
            done[i] = replace(result, rendered=replace(result.rendered, chapter=book.chapters[i]))
            tell(len(done))
    return done


def _finished(
    remembered: Remembered | None, keys: list[str], results: list[ChapterResult | None]
) -> list[ChapterResult]:
    """Every chapter's result (all are there by now), kept in `remembered` for the next run."""
    done = [r for r in results if r is not None]
    if remembered is not None:
        remembered.keep(keys, done)
    return done


def _prune(folder: Path, keys: set[str]) -> None:
    """Remove every entry but those of `keys` (this run's): earlier versions of chapters and
    results of an earlier version of the tool. A cache that only grows slows every build."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        key, dot, kind = entry.name.partition(".")
        # (.json and .xhtml: a chapter's entry as earlier versions of the tool kept it)
        if dot and kind in _ENTRY_KINDS and len(key) == 64 and key not in keys:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def drop_entries(book: Book, keys: list[str]) -> None:
    """Remove the entries of `keys` (versions of chapters that a build replaced)."""
    for key in keys:
        (book.root / CACHE_DIR / f"{key}.chapter").unlink(missing_ok=True)


def process_chapter(renderer: Renderer, chapter: Chapter) -> ChapterResult:
    from ..checks import check_chapter, first_heading
    from ..checks.rendered import check_rendered
    from ..package.ocfzip import pack, unpack

    rendered = renderer.render(chapter)
    # Kept compressed (a fifth of the size, and what the zip takes): the XHTML is inflated
    # again only if something reads it (the cache, the preview).
    packed = pack(rendered.body)
    rendered = replace(
        rendered, content=None, packed=packed, reader=functools.partial(unpack, packed.data)
    )
    findings = check_chapter(chapter) + check_rendered(rendered)
    return ChapterResult(rendered, tuple(findings), first_heading(chapter))


_worker: Renderer | None = None


def _start_worker(book: Book, stylesheets: list[str]) -> None:
    from ..render import Renderer

    global _worker
    _worker = Renderer(book, stylesheets)


def _work(chapter: Chapter) -> ChapterResult:
    assert _worker is not None
    result = process_chapter(_worker, chapter)
    # The caller has the chapter already: send back the result without its text.
    return replace(
        result, rendered=replace(result.rendered, chapter=replace(chapter, text="", reader=None))
    )


def chapter_keys(book: Book, stylesheets: list[str]) -> list[str]:
    """For each chapter, a hash of everything its result depends on."""
    options = book.options
    shared = json.dumps(
        [
            code_digest(),
            book.language,
            stylesheets,
            [getattr(options, s.field) for s in SETTINGS if s.shapes_chapters],
            [(c.path.name, c.id) for c in book.chapters],
            book.index_terms,
            # In the notes style a citation is a note only when the book has a bibliography.
            bool(book.bibliography),
        ],
        ensure_ascii=False,
    )
    # Hashed once: it lists every chapter, so hashing it per chapter grows with the square.
    shared = hashlib.sha256(shared.encode("utf-8")).hexdigest()
    keys = []
    for chapter in book.chapters:
        own = json.dumps(
            [
                chapter.path.name,
                chapter.id,
                chapter.kind,
                chapter.title,
                chapter.aliases,
                chapter.body_line,
            ],
            ensure_ascii=False,
        )
        digest = hashlib.sha256()
        for part in (shared, own, chapter.digest or body_digest(chapter.body)):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        keys.append(digest.hexdigest())
    return keys


def _fingerprint(path: Path) -> list:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


@dataclass(frozen=True)
class _ImageSource:
    """An image of a cached chapter: where it is inside the manuscript folder (which may have
    moved since), its href in the EPUB, and its size and time then (changed: render again)."""

    path: str
    href: str
    fingerprint: tuple[int, int]


@dataclass(frozen=True)
class _Entry:
    result: ChapterResult
    images: tuple[_ImageSource, ...]


# Findings about a file that is not there (an image not added yet): a result that has one is
# not kept, as the file's arrival changes it and nothing in the chapter's key would.
_ABOUT_ABSENT_FILES = frozenset({"L002"})


def keepable(result: ChapterResult) -> bool:
    return not any(f.code in _ABOUT_ABSENT_FILES for f in result.findings)


# A chapter's entry is one file: the length of its record, the CRC-32 and size of its XHTML,
# its outline (SHA-256), the record (incremental/records.py), then the XHTML compressed as the
# zip stores it. One read gives a cached chapter whole, and the packager copies its compressed
# body into the EPUB.
_ENTRY_HEAD = struct.Struct("<III")
_OUTLINE_SIZE = 32
_ENTRY_KINDS = ("chapter", "json", "xhtml")


def _store(folder: Path, key: str, result: ChapterResult) -> ChapterResult:
    """Cache `result` under `key`; returns it with its outline (unchanged if not cached)."""
    from ..package.ocfzip import pack

    rendered = result.rendered
    chapter_path = rendered.chapter.path
    if any(f.path != chapter_path for f in result.findings) or not keepable(result):
        return result  # only findings about the chapter itself can be replayed from the cache
    root = chapter_path.parent.resolve()
    images = tuple(
        _ImageSource(path.relative_to(root).as_posix(), href, tuple(_fingerprint(path)))
        for path, href in rendered.images
    )
    crc, size, packed = rendered.packed or pack(rendered.body)
    record = encode_record(_Entry(result, images))
    # The same record without the body's digest: what an edit of the text alone leaves as it
    # was (an image's place and times included, to be on the safe side).
    bodiless = replace(result, rendered=replace(rendered, digest=""))
    outline = hashlib.sha256(encode_record(_Entry(bodiless, images))).digest()
    head = _ENTRY_HEAD.pack(len(record), crc, size)
    write_entry(folder / f"{key}.chapter", b"".join([head, outline, record, packed]))
    return replace(result, outline=outline.hex())


def _load(folder: Path, key: str, chapter: Chapter) -> ChapterResult | None:
    from ..package.ocfzip import Packed, unpack

    payload = read_entry(folder / f"{key}.chapter")
    if payload is None or len(payload) < _ENTRY_HEAD.size:
        return None
    length, crc, size = _ENTRY_HEAD.unpack_from(payload)
    record_start = _ENTRY_HEAD.size + _OUTLINE_SIZE
    record_end = record_start + length
    packed = payload[record_end:]
    # What the record leaves out: the chapter as loaded now; its body, kept compressed until
    # something reads it (the packager does not: it takes the compressed form); the path every
    # finding is about; the outline, stored beside the record.
    given = {
        RenderedChapter: {
            "chapter": chapter,
            "content": None,
            "images": (),
            "packed": Packed(crc, size, packed),
            "reader": functools.partial(unpack, packed),
        },
        Diagnostic: {"path": chapter.path},
        ChapterResult: {"outline": payload[_ENTRY_HEAD.size : record_start].hex()},
    }
    entry = decode_record(payload[record_start:record_end], _Entry, given)
    if entry is None:
        return None
    if not entry.images:
        return entry.result
    images = []
    root = chapter.path.parent.resolve()
    for image in entry.images:
        path = root / image.path
        try:
            if tuple(_fingerprint(path)) != image.fingerprint:
                return None  # the image changed: render again
        except OSError:
            return None
        images.append((path, image.href))
    rendered = replace(entry.result.rendered, images=tuple(images))
    return replace(entry.result, rendered=rendered)
