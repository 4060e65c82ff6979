"""Markdown to XHTML: the parser (CommonMark + GFM + what a book adds, render/parser.py), then
the tree passes, each in its own module, run in the order render/chapter.py declares."""

from __future__ import annotations

from .chapter import Renderer
from .headings import heading_id, slug

__all__ = ["Renderer", "heading_id", "slug"]
