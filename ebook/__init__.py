"""ebook: build professional EPUB 3 books from Markdown manuscripts."""

from __future__ import annotations

import importlib

from .core.version import __version__

__all__ = ["__version__", "build_epub", "check_book", "check_manuscript", "load_book"]

# Imported when first asked for, so that `ebook --help` starts fast.
_HOMES = {
    "build_epub": ".build",
    "check_manuscript": ".build",
    "check_book": ".checks",
    "load_book": ".load",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name], __name__), name)
    raise AttributeError(name)
