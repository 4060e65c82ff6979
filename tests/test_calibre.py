"""What library tools read of the EPUB: calibre's `ebook-meta` and its MOBI conversion
(Debian's `calibre`, which `.ci/run` installs)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import REPO
from ebook.build import build_epub


def calibre(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing under CI (.ci/run installs calibre)")
        pytest.skip("calibre is not installed (apt-get install calibre)")
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("calibre") / "book"
    shutil.copytree(REPO / "manuscript", root)
    config = root / "book.yaml"
    config.write_text(
        config.read_text("utf-8")
        + "\ndescription: 本书研究互联网时代的政府治理创新。\nkeywords: [政府治理, 数字政府]\n",
        "utf-8",
    )
    out = root.parent / "book.epub"
    build_epub(root, out)
    return out


def run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    return done.stdout


@pytest.mark.slow
def test_ebook_meta_reads_the_isbn_description_and_keywords(book):
    fields = {}
    for line in run(calibre("ebook-meta"), str(book)).splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    assert fields["Title"] == "“互联网+”背景下政府治理创新研究"
    assert fields["Identifiers"] == "isbn:9787202118993"
    assert fields["Comments"] == "本书研究互联网时代的政府治理创新。"
    tags = fields["Tags"].split(", ")
    assert {"政府治理", "数字政府", "电子政务—研究—中国"} <= set(tags)
    assert fields["Publisher"] == "河北人民出版社" and fields["Languages"] == "zho"


@pytest.mark.slow
def test_a_mobi_conversion_shows_no_hidden_navigation(book, tmp_path):
    convert = calibre("ebook-convert")
    mobi, text = tmp_path / "book.mobi", tmp_path / "book.txt"
    run(convert, str(book), str(mobi))
    run(convert, str(mobi), str(text))
    content = text.read_text("utf-8")
    assert "第一章 绪论" in content  # the book is there
    # The landmarks (导览) and the page list (页码 1 2 3 …) are navigation, not text.
    assert "导览" not in content and "页码" not in content
