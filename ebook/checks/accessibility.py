"""Whether the EPUB can claim EPUB Accessibility 1.1 conformance, and if not, why."""

from __future__ import annotations

from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.model import Book, RenderedChapter


def check_conformance(book: Book, rendered: list[RenderedChapter]) -> list[Diagnostic]:
    """A001 when the build will write no dcterms:conformsTo (plan.conforms decides)."""
    lacking = [r for r in rendered if not r.image_alts_complete]
    if not lacking:
        return []
    names = ", ".join(r.chapter.path.name for r in lacking)
    return [
        finding(
            "A001",
            "the EPUB will not claim EPUB Accessibility 1.1 (WCAG 2.1 AA) conformance: images "
            "without alt text in {names}",
            book.config_path,
            1,
            1,
            "describe every image (L004 shows where), or mark ornaments ![](file){{.decorative}}",
            names=names,
        )
    ]
