"""What loading each chapter file found, kept between runs and reused while the file is
unchanged: a book of thousands of chapters with one edited parses one front matter, not all.

A file counts as unchanged while its size, modification and change times and inode are the
same (the stamp's rule, stamp.py): its front matter is not parsed again, and its text is read
only if something needs it (a chapter whose cached rendering still holds does not). Only files
that loaded without findings and were not saved in the last moments (stamp.too_fresh) are kept, so
what the index gives back is exactly what loading them gave.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.model import Chapter
from .cache import CACHE_DIR, code_digest
from .records import read_record, write_record
from .stamp import signature, too_fresh

INDEX_NAME = "sources.json"


@dataclass(frozen=True)
class SourceRecord:
    """What loading one unchanged file found: its front matter read, where its body starts,
    and the signature it had then."""

    signature: str
    offset: int  # where the body starts in the file's text
    id: str
    kind: str
    title: str | None
    body_line: int
    aliases: tuple[str, ...]
    # As JSON text: written once when the file is loaded, copied as it is into every later
    # index (a book of 1,500 chapters would otherwise write every chapter's front matter,
    # value by value, on every edit of one).
    front_matter: str
    front_matter_lines: str  # [[key path, [line, column]], …]
    digest: str


@dataclass(frozen=True)
class _Index:
    code: str  # the tool's code digest: another version's loader may find more
    records: dict[str, SourceRecord]


class SourceIndex:
    """The records of the last run, and the ones this run makes (written by `save`)."""

    def __init__(self, root: Path | None) -> None:
        self.path = root / CACHE_DIR / INDEX_NAME if root is not None else None
        self.records: dict[str, SourceRecord] = {}
        if self.path is not None:
            stored = read_record(self.path, _Index)
            # Records of another version of the tool may lack what its loader finds now.
            if stored is not None and stored.code == code_digest():
                self.records = stored.records
        self.fresh: dict[str, SourceRecord] = {}
        self.now = time.time_ns()

    def recall(self, path: Path, reader: Callable[[Path, int, str], str]) -> Chapter | None:
        """The chapter `path` loaded as last time, if the file has not changed since; its text
        is left unread, for `reader(path, offset, digest)` to read when it is needed."""
        record = self.records.get(path.name)
        if self.path is None or record is None:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if signature(st) != record.signature:
            return None
        self.fresh[path.name] = record
        return Chapter(
            id=record.id,
            path=path,
            kind=record.kind,
            title=record.title,
            text=None,
            reader=functools.partial(reader, path, record.offset, record.digest),
            body_line=record.body_line,
            aliases=record.aliases,
            front_matter=json.loads(record.front_matter),
            front_matter_lines={
                tuple(key): tuple(place) for key, place in json.loads(record.front_matter_lines)
            },
            digest=record.digest,
        )

    def remember(self, chapter: Chapter, text: str) -> None:
        """Keep what loading `chapter` (from the file's `text`) found, when it found nothing to
        report and the file is not too fresh for its metadata to tell a later save."""
        if self.path is None:
            return
        try:
            st = os.stat(chapter.path)
        except OSError:
            return
        if too_fresh(st, self.now):
            return
        try:
            front_matter = json.dumps(chapter.front_matter, ensure_ascii=False)
            lines = [[list(key), list(place)] for key, place in chapter.front_matter_lines.items()]
        except (TypeError, ValueError):
            return  # a value JSON cannot hold: load this file the long way every time
        self.fresh[chapter.path.name] = SourceRecord(
            signature=signature(st),
            offset=len(text) - len(chapter.body),
            id=chapter.id,
            kind=chapter.kind,
            title=chapter.title,
            body_line=chapter.body_line,
            aliases=chapter.aliases,
            front_matter=front_matter,
            front_matter_lines=json.dumps(lines, ensure_ascii=False),
            digest=chapter.digest,
        )

    def save(self) -> None:
        """Write this run's records, if they differ from the last run's."""
        if self.path is None or self.fresh == self.records:
            return
        write_record(self.path, _Index(code_digest(), self.fresh))
