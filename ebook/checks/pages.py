"""The print edition's page numbers (`{page=12}`) across the book: they only go forward."""

from __future__ import annotations

from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.i18n import N_
from ..core.model import RenderedChapter

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def page_value(label: str) -> tuple[int, int]:
    """Sort key of a page number: roman (front matter) before arabic, then by value."""
    if label.isdigit():
        return 1, int(label)
    values = [_ROMAN[c] for c in label.lower()]
    total = sum(
        -v if n + 1 < len(values) and v < values[n + 1] else v for n, v in enumerate(values)
    )
    return 0, total


def check_pages(rendered: list[RenderedChapter]) -> list[Diagnostic]:
    """S008 for a page number that repeats or goes back (in reading order, front matter first)."""
    findings = []
    front = [r for r in rendered if r.chapter.matter == "front"]
    rest = [r for r in rendered if r.chapter.matter != "front"]
    previous: tuple[tuple[int, int], str] | None = None
    for r in front + rest:
        for page in r.pages:
            value = page_value(page.label)
            if previous is not None and value <= previous[0]:
                if value == previous[0]:
                    message = N_("page {label} repeats page {previous}")
                else:
                    message = N_("page {label} goes back after page {previous}")
                findings.append(
                    finding(
                        "S008",
                        message,
                        r.chapter.path,
                        page.line,
                        page.column,
                        "check the print edition: each {{page=N}} marks where page N begins",
                        label=page.label,
                        previous=previous[1],
                    )
                )
            previous = (value, page.label)
    return findings
