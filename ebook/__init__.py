"""ebook: build professional EPUB 3 books from Markdown manuscripts."""

from __future__ import annotations

from .core.version import __version__

__all__ = ["__version__", "build_epub", "check_book", "check_manuscript", "load_book"]


def __getattr__(name: str):
    # Imported lazily so that `ebook --help` starts fast.
    if name == "build_epub":
        from .build import build_epub

        return build_epub
    if name == "check_manuscript":
        from .build import check_manuscript

        return check_manuscript
    if name == "check_book":
        from .checks import check_book

        return check_book
    if name == "load_book":
        from .load import load_book

        return load_book
    raise AttributeError(name)
