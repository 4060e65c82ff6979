"""The no-op build and check: when no file of the manuscript folder, nothing of the tool and
nothing of the request has changed since a run that found nothing to report, and the EPUB a
build wrote is still the one it wrote, the book is not loaded again.

Changes are seen from each file's size, modification and change times and inode, which every
save changes; files are not read, except one saved in the last moments: a second save within
the same tick of the file system's clock could leave size and times as they were (git's "racy
clean" problem), so such a file is known by its content, then and at every later comparison.
The stamp is a cache record (it proves its integrity) of the run's answer: the EPUB's path
and counts, and the findings it reported, replayed as they were (a book with warnings gets the
same quick answer as a clean one).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Diagnostic
from .cache import CACHE_DIR, code_digest
from .records import read_record, write_record

# Folders whose files are not the book's: the cache, and version control's own.
_SKIPPED = {CACHE_DIR, ".git", ".hg", ".svn"}
# Well above the clock tick of the file systems a manuscript lives on (ext4, xfs, btrfs, tmpfs,
# APFS, NTFS stamp files from a clock that ticks every 1-10 ms); FAT's 2-second times are not.
RACY_NS = 100_000_000
# How a file's size, times and inode are read (a name of its own, so that tests can play a
# coarse clock).
file_status = os.stat


@dataclass(frozen=True)
class Stamp:
    fingerprint: str
    output: str  # resolved
    shown: str  # as the build printed it
    output_size: int
    output_signature: str  # size, times and inode of the EPUB the build wrote
    chapters: int = 0
    notes: int = 0
    noterefs: int = 0
    by_content: tuple[str, ...] = ()  # files known by their bytes (saved just before)
    findings: tuple[Diagnostic, ...] = ()


def signature(st: os.stat_result) -> str:
    """What every save of a file changes: its size, modification and change times, inode."""
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"


def too_fresh(st: os.stat_result, now_ns: int) -> bool:
    """Saved so recently (RACY_NS) that a second save in the same clock tick could leave the
    signature as it is."""
    return now_ns - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS


def files(manuscript: Path, by_content: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Every file under `manuscript` as (path, what its metadata says); a file named in
    `by_content`, or saved too recently for its metadata to tell, as the hash of its bytes."""
    now = time.time_ns()
    seen = []
    for folder, subfolders, names in os.walk(manuscript):
        subfolders[:] = sorted(d for d in subfolders if d not in _SKIPPED)
        for name in sorted(names):
            path = os.path.abspath(os.path.join(folder, name))
            try:
                st = file_status(path)
                meta = signature(st)
                # Only a regular file is opened: a FIFO would block the build for ever.
                if stat.S_ISREG(st.st_mode) and (path in by_content or too_fresh(st, now)):
                    with open(path, "rb") as file:
                        meta = "sha256 " + hashlib.file_digest(file, "sha256").hexdigest()
            except OSError:
                continue
            seen.append((path, meta))
    return seen


def fingerprint(seen: list[tuple[str, str]], request: dict, output: str) -> str:
    """A hash of what a build's result depends on: the files `seen` but the EPUB `output`
    itself, the tool's code, the request's options and SOURCE_DATE_EPOCH."""
    digest = hashlib.sha256()
    digest.update(json.dumps(request, sort_keys=True, default=str).encode())
    digest.update(code_digest().encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for path, meta in seen:
        if path != output:
            digest.update(f"{path}\0{meta}\0".encode())
    return digest.hexdigest()


def consult(manuscript: Path, request: dict) -> tuple[Stamp | None, list[tuple[str, str]]]:
    """The last run's stamp for this kind of `request` (build or check), if nothing it
    depends on changed and the EPUB it wrote, if any, is untouched; and the folder as it is
    now, for `record` to remember this run by (walked once: the comparison's walk serves)."""
    stamp = read_record(_path(manuscript, request), Stamp)
    by_content = frozenset(stamp.by_content) if stamp else frozenset()
    seen = files(manuscript, by_content)
    if stamp is None:
        return None, seen
    try:
        st = os.stat(stamp.output) if stamp.output else None
    except OSError:
        return None, seen
    if st and signature(st) != stamp.output_signature:
        return None, seen  # replaced, rewritten in place (its ctime moved) or another build's
    if fingerprint(seen, request, stamp.output) != stamp.fingerprint:
        return None, seen
    return stamp, seen


def record(
    manuscript: Path,
    seen: list[tuple[str, str]],
    request: dict,
    output: Path | None = None,
    counts: dict | None = None,
    written: tuple[int, int] | None = None,
    findings: tuple[Diagnostic, ...] = (),
) -> None:
    """Remember a run and the `findings` it reported (a build: with the EPUB `output` it
    wrote, whose (device, inode) was `written`); `seen` is the folder as it was before the run
    began, so that a file saved meanwhile counts as changed next time. When another build has
    replaced the EPUB since, nothing is remembered."""
    where = str(output.resolve()) if output else ""
    try:
        st = output.stat() if output else None
    except OSError:
        return
    if st and (st.st_dev, st.st_ino) != written:
        return
    stamp = Stamp(
        fingerprint(seen, request, where),
        where,
        str(output or ""),
        st.st_size if st else 0,
        signature(st) if st else "",
        **(counts or {}),
        by_content=tuple(p for p, meta in seen if meta.startswith("sha256 ") and p != where),
        findings=findings,
    )
    write_record(_path(manuscript, request), stamp)


def _path(manuscript: Path, request: dict) -> Path:
    return manuscript / CACHE_DIR / f"last-{request['command']}.json"
