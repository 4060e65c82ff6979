"""Small books that exercise what real manuscripts contain, checked by EPUBCheck."""

from __future__ import annotations

import struct
import zlib

import pytest

from conftest import EPUB_TYPE, NS, assert_epubcheck_clean, open_epub
from ebook.build import build_epub


def png(width: int = 2, height: int = 2) -> bytes:
    """A tiny valid PNG, made here so the fixture needs no binary file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


REAL_WORLD = {
    "title": "Moved Over",
    "subtitle": "A Book From Another Tool",
    "language": "en",
    "contributors": [
        {"name": "Ann Author", "role": "aut", "file_as": "Author, Ann"},
        {"name": "Tom Translator", "role": "译"},
    ],
    "publisher": {"name": "Small Press", "place": "London"},
    "date": "2020-01-02",
    "eisbn": "978-7-202-11899-3",
    "options": {"note_markers": "numeric", "cover": "images/cover.png", "toc_depth": 2},
}
CHAPTERS = {
    "01-intro.md": (
        "# Introduction\n\nSee [the method](02-method.md#method) and [the web](https://example.org).\n\n"
        "Line<br>break, <b>unclosed bold, a <fake tag> and x < y.\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('[^not-a-note]')\n```\n\n"
        "![A red square](images/red.png)\n\nA note.[^1]\n\n[^1]: The note.\n"
    ),
    "02-method.md": "# Method\n\n## The method {#method}\n\n### Deep level\n\nText.\n",
    "03-appendix.md": '---\nkind: appendix\n---\n\n# Appendix\n\n<div class="box"><p>Raw block.</p></div>\n',
    "images/cover.png": png(4, 6),
    "images/red.png": png(),
}


@pytest.mark.slow
def test_real_world_book(make_manuscript, tmp_path):
    root = make_manuscript(REAL_WORLD, CHAPTERS)
    out = tmp_path / "real.epub"
    result = build_epub(root, out)
    assert result.chapters == 3 and result.notes == 1
    assert_epubcheck_clean(out)
    book = open_epub(out)
    opf = book.opf
    uid = opf.find(f"opf:metadata/*[@id='{opf.get('unique-identifier')}']", NS).text
    assert uid == "urn:isbn:9787202118993"  # the e-ISBN identifies the e-book
    assert opf.find("opf:metadata/dc:source", NS) is None  # no print ISBN given
    cover = opf.find("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert cover.get("href") == "images/cover.png"
    assert opf.find("opf:manifest/opf:item[@href='images/red.png']", NS) is not None
    features = [
        m.text
        for m in opf.findall("opf:metadata/opf:meta[@property='schema:accessibilityFeature']", NS)
    ]
    assert "alternativeText" in features
    modes = [
        m.text for m in opf.findall("opf:metadata/opf:meta[@property='schema:accessMode']", NS)
    ]
    assert modes == ["textual", "visual"]
    intro = book.doc("intro.xhtml")
    assert intro.get("lang") == "en"
    links = {a.text: a.get("href") for a in intro.iterfind(".//h:a", NS) if a.text}
    assert links["the method"] == "method.xhtml#method"
    assert intro.find(".//h:a[@epub:type='noteref']", NS).text == "1"
    assert "[^not-a-note]" in intro.findtext(".//h:pre/h:code", namespaces=NS)
    appendix = book.doc("appendix.xhtml").find("h:body", NS)
    assert appendix.get(EPUB_TYPE) == "backmatter"
    assert appendix.find("h:section", NS).get("role") == "doc-appendix"
    nav = book.doc("nav.xhtml")
    labels = [a.text for a in nav.iterfind(".//h:nav[@epub:type='toc']//h:a", NS)]
    assert labels == ["Introduction", "Method", "The method", "Appendix"]  # depth 2
    landmarks = [a.text for a in nav.iterfind(".//h:nav[@epub:type='landmarks']//h:a", NS)]
    assert landmarks[0] == "Cover" and "Start of Content" in landmarks


@pytest.mark.slow
def test_chapter_without_front_matter_takes_its_title_from_the_heading(make_manuscript, tmp_path):
    root = make_manuscript(None, {"chapter.md": "Intro line.\n\n# 真正的标题\n\n正文。\n"})
    out = tmp_path / "x.epub"
    build_epub(root, out)
    assert (
        open_epub(out).doc("chapter.xhtml").findtext("h:head/h:title", namespaces=NS)
        == "真正的标题"
    )
    assert_epubcheck_clean(out)


@pytest.mark.slow
def test_book_can_name_its_own_stylesheet(make_manuscript, tmp_path):
    book = {**REAL_WORLD, "options": {"stylesheet": "house.css"}}
    root = make_manuscript(book, {"a.md": "# A\n\nText.\n", "house.css": "p { text-indent: 0; }\n"})
    out = tmp_path / "s.epub"
    build_epub(root, out)
    epub = open_epub(out)
    assert epub.zip.read("EPUB/css/book.css") == b"p { text-indent: 0; }\n"
    assert_epubcheck_clean(out)


def test_default_stylesheet_is_the_one_in_styles(seed_epub):
    from conftest import REPO

    assert seed_epub.zip.read("EPUB/css/book.css") == (REPO / "styles" / "ebook.css").read_bytes()


def test_a_second_edition_states_its_edition_in_the_cip_block(make_manuscript, tmp_path):
    # GB/T 12451-2001's 版本项: ". —2版" between the responsibility and the imprint.
    from conftest import MINIMAL_BOOK

    book = dict(MINIMAL_BOOK, edition={"number": 2, "date": "2024-05"})
    build_epub(make_manuscript(book), tmp_path / "e2.epub")
    cip = open_epub(tmp_path / "e2.epub").doc("copyright.xhtml")
    description = cip.findtext(".//h:p[@class='cip-description']", namespaces=NS)
    assert description.endswith("张三著. —2版. —北京：测试出版社，2024.5")
    build_epub(make_manuscript(), tmp_path / "e1.epub")
    first = open_epub(tmp_path / "e1.epub").doc("copyright.xhtml")
    assert "版. —" not in first.findtext(".//h:p[@class='cip-description']", namespaces=NS)
