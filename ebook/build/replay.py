"""A build or check answered from the stamp (incremental/stamp.py) when nothing it depends on
changed, else run and stamped. Imports nothing of the pipeline until a run is needed: the
answer with nothing changed must not pay for loading the stages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import build as stages
from ..core.errors import Diagnostic
from ..incremental import stamp
from .results import BuildResult

if TYPE_CHECKING:
    from .chapters import Progress


def build_or_replay(
    manuscript: Path,
    output: Path | None = None,
    strict: bool = False,
    cache: bool = True,
    workers: int | None = None,
    out_dir: Path = Path("dist"),
    progress: Progress | None = None,
) -> BuildResult:
    """build_epub; with the cache, when nothing the build depends on changed since the last
    one with the same options and its EPUB is untouched, that build's answer (incremental/
    stamp.py) without loading the book; when only chapters' texts changed and not their
    outlines, the last publication with their documents replaced (cutoff.py)."""
    root = manuscript.resolve()
    request = {
        "command": "build",
        "output": str(output.resolve()) if output else None,
        "out_dir": str(out_dir.resolve()) if out_dir else None,
        "strict": strict,
    }
    result, seen, book = None, None, None
    if cache:
        last, seen = stamp.consult(root, request)
        if last is not None:
            counts = {"chapters": last.chapters, "notes": last.notes, "noterefs": last.noterefs}
            return BuildResult(
                Path(last.shown),
                (0, 0),
                last.output_size,
                **counts,
                findings=last.findings,
                replayed=True,
            )
        from ..load import load_book
        from .cutoff import build_from_last

        # Loaded once: for the build from the last publication, else for the whole pipeline.
        book = load_book(manuscript)
        result = build_from_last(manuscript, book, output, out_dir, strict, seen, workers, progress)
    if result is None:
        result = stages.build_epub(
            manuscript, output, strict, cache, workers, out_dir, progress, seen=seen, book=book
        )
    if cache:
        counts = {"chapters": result.chapters, "notes": result.notes, "noterefs": result.noterefs}
        stamp.record(root, seen, request, result.path, counts, result.written, result.findings)
    return result


def check_or_replay(
    manuscript: Path,
    cache: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
) -> tuple[Diagnostic, ...]:
    """The findings of check_manuscript; with the cache, when nothing changed since the last
    check, the findings it reported."""
    root, request = manuscript.resolve(), {"command": "check"}
    if cache:
        last, seen = stamp.consult(root, request)
        if last is not None:
            return last.findings
    findings = stages.check_manuscript(
        manuscript, cache=cache, workers=workers, progress=progress
    ).findings
    if cache:
        stamp.record(root, seen, request, findings=findings)
    return findings
