"""The build's timestamp: never "now", so an unchanged manuscript rebuilds to equal bytes."""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

from ..core.model import Book
from ..incremental.cache import CACHE_DIR


def source_date(book: Book) -> datetime.datetime:
    """SOURCE_DATE_EPOCH when set; else the newest git commit that touched the manuscript,
    when the manuscript has no uncommitted changes; else the newest mtime of its files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    committed = _git_commit_time(book.root)
    if committed is not None:
        return committed
    paths = [book.config_path] + [c.path for c in book.chapters]
    paths += [p for p in (book.options.stylesheet, book.options.cover) if p]
    newest = max(os.stat(p).st_mtime for p in paths)
    return datetime.datetime.fromtimestamp(int(newest), tz=datetime.UTC)


def _git_commit_time(root: Path) -> datetime.datetime | None:
    """Commit time of the newest commit touching `root`, if git knows it and it is clean."""

    def git(*args: str) -> str | None:
        try:
            run = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return run.stdout if run.returncode == 0 else None

    status = git("status", "--porcelain", "--", ".", f":(exclude){CACHE_DIR}")
    if status is None or status.strip():
        return None
    stamp = git("log", "-1", "--format=%ct", "--", ".")
    if not stamp or not stamp.strip().isdigit():
        return None
    return datetime.datetime.fromtimestamp(int(stamp), tz=datetime.UTC)
