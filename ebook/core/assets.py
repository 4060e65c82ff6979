"""Files the tool ships with its code: the default stylesheet and the icons it uses."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .model import Book

# Where the stylesheet stands in the book; every document links it.
STYLESHEET_HREF = "css/book.css"


def style_file(name: str) -> bytes:
    """A file of styles/ (stylesheet, icons), shipped inside the package when installed."""
    packaged = resources.files("ebook").joinpath(f"styles/{name}")
    if packaged.is_file():
        return packaged.read_bytes()
    return (Path(__file__).resolve().parents[2] / "styles" / name).read_bytes()


def stylesheet(book: Book) -> bytes:
    """The book's stylesheet: its own (options.stylesheet) or the default one."""
    if book.options.stylesheet:
        return book.options.stylesheet.read_bytes()
    return style_file("ebook.css")
