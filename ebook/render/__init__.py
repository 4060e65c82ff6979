"""Markdown to XHTML: the parser (CommonMark + GFM + what a book adds, render/parser.py), then
the tree passes, each in its own module, run in the order render/chapter.py declares."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .chapter import Renderer
    from .headings import heading_id, slug

__all__ = ["Renderer", "heading_id", "slug"]

_HOMES = {"Renderer": ".chapter", "heading_id": ".headings", "slug": ".headings"}


def __getattr__(name: str):
    # Loaded when first asked for: the checks import render.parser alone, and a build whose
    # chapters all come from the cache should not pay for the tree passes' imports.
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
