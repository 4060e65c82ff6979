"""Pages the tool generates from book.yaml: cover, title page (扉页), copyright page."""

from __future__ import annotations

from itertools import groupby

from .cip import cip_lines, colophon_rows
from .model import Book
from .nav import labels_for
from .xhtml import document, element


def cover_page(book: Book, image_href: str, stylesheets: list[str]) -> bytes:
    labels = labels_for(book.language)
    section = element("section", {"epub:type": "cover", "class": "cover"})
    element("img", {"src": image_href, "alt": book.title, "role": "doc-cover"}, parent=section)
    return document(labels["cover"], book.language, "frontmatter", [section], stylesheets)


def title_page(book: Book, stylesheets: list[str]) -> bytes:
    labels = labels_for(book.language)
    section = element(
        "section", {"epub:type": "titlepage", "id": "titlepage", "class": "titlepage"}
    )
    element("h1", {"class": "title"}, book.title, parent=section)
    if book.subtitle:
        element("p", {"class": "subtitle"}, book.subtitle, parent=section)
    for label, group in groupby(book.primary_contributors, key=lambda c: c.label):
        names = "　".join(c.name for c in group)
        element("p", {"class": "author"}, f"{names}　{label}", parent=section)
    element("p", {"class": "publisher"}, book.publisher.name, parent=section)
    return document(labels["titlepage"], book.language, "frontmatter", [section], stylesheets)


def copyright_page(book: Book, stylesheets: list[str]) -> bytes:
    """The CIP block laid out as GB/T 12451 prescribes, then the colophon and rights line."""
    labels = labels_for(book.language)
    section = element(
        "section", {"epub:type": "copyright-page", "id": "copyright", "class": "copyright-page"}
    )
    cip = element("div", {"class": "cip"}, parent=section)
    heading, description, *rest = cip_lines(book)
    element("h1", {"class": "cip-heading"}, heading, parent=cip)
    element("p", {"class": "cip-description"}, description, parent=cip)
    for line in rest:
        element("p", {"class": "cip-data"}, line, parent=cip)
    table = element("table", {"class": "colophon"}, parent=section)
    tbody = element("tbody", parent=table)
    for label, values in colophon_rows(book):
        tr = element("tr", parent=tbody)
        element("th", {"scope": "row"}, label, parent=tr)
        td = element("td", text=values[0], parent=tr)
        for value in values[1:]:
            element("br", parent=td).tail = value
    if book.colophon.rights:
        element("p", {"class": "rights"}, book.colophon.rights, parent=section)
    return document(labels["copyright-page"], book.language, "frontmatter", [section], stylesheets)
