"""Accessibility: DAISY Ace on every profile of the repository's book and on the fixture
books, the XHTML that assistive technology relies on, and an honest conformance claim."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import (
    BASE_YAML,
    MINIMAL_BOOK,
    MINIMAL_CHAPTERS,
    NS,
    SEED_MANUSCRIPT,
    assert_ace_clean,
    assert_epubcheck_clean,
    open_epub,
    require_ace,
    write_manuscript,
)
from ebook.build import build_epub, check_manuscript
from ebook.cli import main
from test_fixture_books import CHAPTERS, REAL_WORLD, png

PROFILES = {
    "chapter-end": "",
    "book-end": "notes: {placement: book-end}\n",
    "duokan": "notes: {compat: duokan}\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILES)
def test_the_repository_book_has_no_ace_violation(tmp_path, profile):
    book = tmp_path / "m"
    shutil.copytree(SEED_MANUSCRIPT, book, ignore=shutil.ignore_patterns(".ebook-cache"))
    with (book / "book.yaml").open("a", encoding="utf-8") as handle:
        handle.write(PROFILES[profile])
    build_epub(book, tmp_path / "book.epub")
    assert_ace_clean(tmp_path / "book.epub")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("book", "files"),
    [(MINIMAL_BOOK, MINIMAL_CHAPTERS), (REAL_WORLD, CHAPTERS)],
    ids=["minimal", "images-tables-code-links"],
)
def test_fixture_books_have_no_ace_violation(tmp_path, book, files):
    root = write_manuscript(tmp_path / "m", book, files)
    build_epub(root, tmp_path / "book.epub")
    assert_ace_clean(tmp_path / "book.epub")


@pytest.mark.slow
def test_check_a11y_places_ace_findings_on_the_chapter_file(tmp_path, monkeypatch):
    # A stylesheet that shows links by colour alone: Ace's link-in-text-block, in ch.md.
    require_ace()
    write_manuscript(
        tmp_path / "m",
        BASE_YAML + "options: {stylesheet: plain.css}\n",
        {
            "plain.css": "a { text-decoration: none; color: #0000ee; }\n",
            "ch.md": "# 第一章 一\n\n一段文字中有[一个链接](https://example.org)，后面还有文字。\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--a11y", "m"])
    assert result.exit_code == 1, result.output
    assert "m/ch.md: error link-in-text-block ch.xhtml:" in result.output


def conformance_metadata(path) -> dict[str, list[str]]:
    opf = open_epub(path).opf
    found: dict[str, list[str]] = {}
    for meta in opf.iterfind("opf:metadata/opf:meta[@property]", NS):
        found.setdefault(meta.get("property"), []).append(meta.text)
    return found


def test_conformance_is_claimed_only_when_every_check_holds(tmp_path):
    described = {"ch.md": "# 一\n\n![一只红色方块](images/a.png)\n", "images/a.png": png()}
    book = {**MINIMAL_BOOK, "accessibility": {"certified_by": "测试出版社"}}
    root = write_manuscript(tmp_path / "good", book, described)
    build_epub(root, tmp_path / "good.epub")
    meta = conformance_metadata(tmp_path / "good.epub")
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert meta["a11y:certifiedBy"] == ["测试出版社"]
    assert "alternativeText" in meta["schema:accessibilityFeature"]
    assert meta["schema:accessModeSufficient"] == ["textual"]
    assert "本书符合 EPUB 无障碍 1.1" in meta["schema:accessibilitySummary"][0]

    undescribed = {"ch.md": "# 一\n\n![](images/a.png)\n", "images/a.png": png()}
    root = write_manuscript(tmp_path / "bad", book, undescribed)
    checked = check_manuscript(root)
    assert [f.code for f in checked.findings] == ["A001", "L004"]
    build_epub(root, tmp_path / "bad.epub")
    meta = conformance_metadata(tmp_path / "bad.epub")
    assert "dcterms:conformsTo" not in meta and "a11y:certifiedBy" not in meta
    assert meta["schema:accessModeSufficient"] == ["textual,visual"]
    assert "未声明符合无障碍标准" in meta["schema:accessibilitySummary"][0]


def test_decorative_images_need_no_alt_and_keep_the_claim(tmp_path):
    files = {"ch.md": "# 一\n\n![](images/a.png){.decorative}\n", "images/a.png": png()}
    root = write_manuscript(tmp_path / "m", MINIMAL_BOOK, files)
    assert check_manuscript(root).findings == ()
    build_epub(root, tmp_path / "b.epub")
    img = open_epub(tmp_path / "b.epub").doc("ch.xhtml").find(".//h:img", NS)
    assert img.get("alt") == "" and img.get("role") == "presentation"
    assert "dcterms:conformsTo" in conformance_metadata(tmp_path / "b.epub")


def test_tables_headings_and_language_spans_in_the_xhtml(tmp_path):
    body = (
        "# 一\n\n他说[Hello]{lang=en}。\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n"
        "<table><tr><th>行</th><td>值</td></tr></table>\n\n### 跳过一级\n"
    )
    root = write_manuscript(tmp_path / "m", MINIMAL_BOOK, {"ch.md": body})
    build_epub(root, tmp_path / "b.epub")
    doc = open_epub(tmp_path / "b.epub").doc("ch.xhtml")
    assert doc.find(".//h:span[@lang='en']", NS).text == "Hello"
    scopes = [th.get("scope") for th in doc.iterfind(".//h:th", NS)]
    assert scopes == ["col", "col", "row"]
    levels = [
        el.tag.rpartition("}")[2]
        for el in doc.iter()
        if el.tag.rpartition("}")[2] in ("h1", "h2", "h3")
    ]
    assert levels == ["h1", "h2"]


PAGED = {
    "01-preface.md": "---\nkind: preface\n---\n\n# 前言\n\n{page=iii}前言的文字。\n",
    "02-one.md": "# 第一章 开始\n\n{page=1}第一页的文字，跨到{page=2}第二页。\n\n## 第一节 一\n\n文字[^a]。\n\n[^a]: 一条注释的文字，足够长。\n",
    "03-two.md": "# 第二章 继续\n\n{page=3}\n\n第三页。`{page=99}` 在代码里不是页码。\n",
}


def test_print_page_numbers_become_the_page_list(tmp_path):
    root = write_manuscript(tmp_path / "m", MINIMAL_BOOK, PAGED)
    assert check_manuscript(root).findings == ()
    build_epub(root, tmp_path / "b.epub")
    epub = open_epub(tmp_path / "b.epub")
    page_list = epub.doc("nav.xhtml").find(".//h:nav[@epub:type='page-list']", NS)
    assert page_list.get("hidden") is not None
    entries = [(a.text, a.get("href")) for a in page_list.iterfind(".//h:a", NS)]
    assert entries == [
        ("iii", "preface.xhtml#preface-page-iii"),
        ("1", "one.xhtml#one-page-1"),
        ("2", "one.xhtml#one-page-2"),
        ("3", "two.xhtml#two-page-3"),
    ]
    marker = epub.doc("one.xhtml").find(".//h:span[@id='one-page-2']", NS)
    assert marker.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"
    assert marker.get("role") == "doc-pagebreak" and marker.get("aria-label") == "2"
    assert "第一页的文字，跨到第二页" in "".join(epub.doc("one.xhtml").itertext())
    assert "{page=99}" in "".join(epub.doc("two.xhtml").itertext())
    meta = conformance_metadata(tmp_path / "b.epub")
    assert {"pageBreakMarkers", "pageNavigation"} <= set(meta["schema:accessibilityFeature"])
    assert meta["pageBreakSource"] == ["urn:isbn:9787202118993"]
    assert "标有纸书页码" in meta["schema:accessibilitySummary"][0]


@pytest.mark.slow
def test_a_paged_book_passes_epubcheck_and_ace(tmp_path):
    root = write_manuscript(tmp_path / "m", MINIMAL_BOOK, PAGED)
    build_epub(root, tmp_path / "b.epub")
    assert_epubcheck_clean(tmp_path / "b.epub")
    assert_ace_clean(tmp_path / "b.epub")


def test_the_contents_follow_the_reading_order(seed_epub):
    """Every document the nav lists comes in the spine, in the same order."""
    manifest = {i.get("id"): i.get("href") for i in seed_epub.opf.iterfind(".//opf:item", NS)}
    spine = [manifest[i.get("idref")] for i in seed_epub.opf.iterfind(".//opf:itemref", NS)]
    toc = seed_epub.doc("nav.xhtml").find(".//h:nav[@epub:type='toc']", NS)
    listed = []
    for a in toc.iterfind(".//h:a", NS):
        name = a.get("href").partition("#")[0]
        if name not in listed:
            listed.append(name)
    positions = [spine.index(name) for name in listed]
    assert positions == sorted(positions) and len(listed) >= 3


def test_ace_that_gives_no_report_is_tried_again_then_reported(tmp_path, monkeypatch):
    """A browser that did not start is infrastructure: two more tries, then a located error
    saying what Ace printed (never a report taken for "no violations")."""
    from ebook.tools import ace
    from ebook.tools.ace import AceUnavailable, run_ace

    monkeypatch.setattr(ace, "RETRY_PAUSES", (0, 0))

    runs = tmp_path / "runs"
    fake = tmp_path / "ace"
    fake.write_text(f'#!/bin/sh\necho run >> "{runs}"\necho "browser did not start" >&2\n')
    fake.chmod(0o755)
    monkeypatch.setenv("EBOOK_ACE", str(fake))
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", "/nonexistent")
    with pytest.raises(AceUnavailable) as stopped:
        run_ace(tmp_path / "book.epub")
    assert "browser did not start" in str(stopped.value)
    assert runs.read_text().count("run") == 3
