"""What the renderer found in a chapter (images, links, ids, nesting) and what it had to
repair in its raw HTML, as findings at their lines."""

from __future__ import annotations

from pathlib import Path

from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.model import Problem, RenderedChapter


def check_rendered(rendered: RenderedChapter) -> list[Diagnostic]:
    path = rendered.chapter.path
    findings = [_problem(path, p) for p in rendered.problems]
    findings += [
        finding(
            "H001",
            "raw HTML repaired: {repair}",
            path,
            repair.line,
            1,  # the parser reports lines of the block, not columns of the source
            "write well-formed HTML (or Markdown); `\\<` writes a literal '<'",
            repair=repair.message,
        )
        for repair in rendered.repairs
    ]
    return findings


def check_apparatus(problems: list[tuple[Path, Problem]]) -> list[Diagnostic]:
    """What the book-wide pass found (render/apparatus.py), at its lines."""
    return [_problem(path, p) for path, p in problems]


def _problem(path: Path, p: Problem) -> Diagnostic:
    return finding(p.code, p.message, path, p.line, p.column, p.hint, **dict(p.arguments))
