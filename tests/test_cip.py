"""The CIP block of real books of each layout: built, compared with the printed block, and read
back by `ebook import` (the blocks and their sources: tests/data/cip/SOURCE.md)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from conftest import NS, assert_epubcheck_clean, open_epub, write_manuscript
from ebook.build import build_epub
from ebook.importer import import_text

DATA = Path(__file__).parent / "data" / "cip"
BOOKS = sorted(p.stem for p in DATA.glob("*.txt"))
CHAPTER = {"ch01.md": "# 第一章\n\n正文。\n"}
# What book.yaml knows that the printed block does not show (the 2023 layout prints no
# 书名原文 note), so `ebook import` of the block cannot find it.
NOT_IN_BLOCK = {"learning-ebpf-2024": {"original"}}


def printed_form(text: str) -> str:
    """Text as a reader compares two printings: NFKC (full- and half-width alike), white space
    ignored, and the area separator in any of the forms pages and OCR give (". —", ".——",
    ".--") read as one."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"\.(?:—{1,2}|-{2})", ".—", text)


def book_yaml(name: str) -> dict:
    return yaml.safe_load((DATA / f"{name}.yaml").read_text("utf-8"))


def build(tmp_path: Path, name: str) -> Path:
    book = {"language": "zh-CN", "chapters": ["ch01.md"], **book_yaml(name)}
    root = write_manuscript(tmp_path / name, book, CHAPTER)
    out = tmp_path / f"{name}.epub"
    build_epub(root, out)
    return out


def cip_text(epub_path: Path) -> str:
    doc = open_epub(epub_path).doc("copyright.xhtml")
    block = doc.find(".//h:div[@class='cip']", NS)
    return "\n".join("".join(el.itertext()) for el in block)


@pytest.mark.parametrize("name", BOOKS)
def test_the_built_block_is_the_printed_block(tmp_path, name):
    printed = (DATA / f"{name}.txt").read_text("utf-8")
    assert printed_form(cip_text(build(tmp_path, name))) == printed_form(printed)


@pytest.mark.parametrize("name", BOOKS)
def test_import_reads_the_printed_block_into_the_same_book_yaml(name):
    printed = (DATA / f"{name}.txt").read_text("utf-8")
    result = import_text(printed + "\n前言\n\n正文。\n")
    imported = yaml.safe_load(result.files["book.yaml"])
    expected = book_yaml(name)
    for key in set(expected) - NOT_IN_BLOCK.get(name, set()):
        assert imported.get(key) == expected[key], key
    assert not set(imported) & {"series", "volume", "original", "parallel_title"} - set(expected)


def test_every_layout_is_among_the_real_blocks():
    standards = set()
    for name in BOOKS:
        number = book_yaml(name)["cip"]["number"]
        standards.add("2023" if "-" not in number else number[:4] >= "2023")
    assert standards == {"2023", True, False}


@pytest.mark.slow
def test_real_blocks_build_valid_epubs(tmp_path):
    for name in BOOKS:
        assert_epubcheck_clean(build(tmp_path, name))
