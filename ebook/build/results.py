"""What a check and a build answer: light to import, so that a build answered from the stamp
loads nothing of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import Diagnostic

if TYPE_CHECKING:
    from ..core.model import Book, RenderedChapter


@dataclass(frozen=True)
class CheckResult:
    """A loaded, checked and rendered book: everything but the packaging."""

    book: Book
    findings: tuple[Diagnostic, ...]
    rendered: tuple[RenderedChapter, ...]
    # Each chapter's cache key and outline (build/cutoff.py; "" for a result not cached).
    keys: tuple[str, ...] = ()
    outlines: tuple[str, ...] = ()

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


@dataclass(frozen=True)
class BuildResult:
    path: Path
    written: tuple[int, int]  # the EPUB's (device, inode) as this build wrote it
    size: int
    chapters: int
    notes: int
    noterefs: int
    findings: tuple[Diagnostic, ...]
    replayed: bool = False  # nothing changed: the answer of the last build, its EPUB untouched
