"""DAISY Ace on every profile of the repository's book and on the fixture books."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import (
    BASE_YAML,
    MINIMAL_BOOK,
    MINIMAL_CHAPTERS,
    SEED_MANUSCRIPT,
    assert_ace_clean,
    require_ace,
    write_manuscript,
)
from ebook.build import build_epub
from ebook.cli import main
from test_fixture_books import CHAPTERS, REAL_WORLD

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
