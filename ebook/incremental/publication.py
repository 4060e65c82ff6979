"""The last build's publication: what the next build needs to package it again with some
chapters' documents replaced (build/cutoff.py), kept as one sealed record.

It names the EPUB the build wrote and proves which bytes it holds (their SHA-256): the
documents are taken from that file only while it is exactly what the build wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Diagnostic
from .cache import CACHE_DIR
from .records import read_record, write_record

NAME = "last-publication.json"


@dataclass(frozen=True)
class Member:
    """A document of the package as content.opf lists it, and where its compressed data is in
    the EPUB."""

    href: str
    media_type: str
    id: str
    properties: tuple[str, ...]
    in_spine: bool
    linear: bool
    offset: int
    length: int
    crc: int
    size: int
    chapter: int  # the chapter whose body, as rendered, it is (its place in book order); or -1


@dataclass(frozen=True)
class LastPublication:
    request: str  # the build's request and the tool's code
    output: str  # the EPUB, resolved
    digest: str  # SHA-256 of the EPUB's bytes
    others: tuple[tuple[str, str], ...]  # every file of the folder but the chapters' (stamp.py)
    load_findings: str  # a hash of what loading the book found
    keys: tuple[str, ...]  # each chapter's cache key
    outlines: tuple[str, ...]  # each chapter's outline, with its front matter
    members: tuple[Member, ...]  # in manifest order
    accessibility: dict[str, list[str]]
    findings: tuple[Diagnostic, ...]
    notes: int
    noterefs: int


def _path(root: Path) -> Path:
    return root / CACHE_DIR / NAME


def read_last(root: Path) -> LastPublication | None:
    return read_record(_path(root), LastPublication)


def write_last(root: Path, last: LastPublication) -> None:
    write_record(_path(root), last)


def forget_last(root: Path) -> None:
    _path(root).unlink(missing_ok=True)
