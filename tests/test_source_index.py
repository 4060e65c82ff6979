"""The source index (ebook/source_index.py): what loading a chapter found is reused only while
the file is unchanged, and never changes what a build makes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE_YAML, NS, open_epub, write_manuscript
from ebook.build import build_epub
from ebook.incremental import source_index, stamp
from ebook.incremental.source_index import INDEX_NAME, SourceIndex
from ebook.load import load_book
from ebook.package.plan import CONTENTS_HREF

CHAPTERS = {f"ch{n}.md": f"---\ntitle: 第{n}章 旧题\n---\n\n正文{n}。\n" for n in range(1, 4)}


def titles(epub) -> list[str]:
    nav = open_epub(epub).doc(CONTENTS_HREF)
    return [a.text for a in nav.iterfind(".//h:nav[@epub:type='toc']//h:a", NS)]


def settle(root) -> None:
    """Date every file back a second, as files not saved in the last moments are."""
    past = time.time() - 1
    for path in root.glob("*.md"):
        os.utime(path, (past, past))


@pytest.fixture(autouse=True)
def no_racy_window(request, monkeypatch):
    """Dating a file back moves its change time to now: but for the test of the racy window,
    files count as settled at once (a test waits for no clock)."""
    if "moments_ago" not in request.node.name:
        monkeypatch.setattr(stamp, "RACY_NS", 0)


def test_unchanged_files_are_recalled_not_parsed(tmp_path, monkeypatch):
    root = write_manuscript(tmp_path / "m", BASE_YAML, CHAPTERS)
    settle(root)
    first = load_book(root)
    assert (root / ".ebook-cache" / INDEX_NAME).is_file()
    parsed = []
    monkeypatch.setattr(
        "ebook.load.chapters.split_front_matter",
        lambda *a: parsed.append(a) or (_ for _ in ()).throw(AssertionError("parsed")),
    )
    again = load_book(root)
    assert parsed == []
    assert again.chapters == first.chapters
    assert [c.digest for c in again.chapters] == [c.digest for c in first.chapters]
    assert [c.front_matter_lines for c in again.chapters] == [
        c.front_matter_lines for c in first.chapters
    ]


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path):
    root = write_manuscript(tmp_path / "m", BASE_YAML, CHAPTERS)
    settle(root)
    build_epub(root, tmp_path / "a.epub")
    path = root / "ch2.md"
    st = path.stat()
    path.write_text(path.read_text("utf-8").replace("旧题", "新题"), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime; ctime moved
    assert path.stat().st_size == st.st_size
    build_epub(root, tmp_path / "b.epub")
    assert titles(tmp_path / "b.epub")[1] == "第2章 新题"


def test_a_file_saved_moments_ago_is_not_remembered(tmp_path):
    root = write_manuscript(tmp_path / "m", BASE_YAML, CHAPTERS)
    load_book(root)  # every file is younger than RACY_NS
    assert SourceIndex(root).records == {}
    later = SourceIndex(root)
    later.now += stamp.RACY_NS  # the same files, a moment later
    for chapter in load_book(root).chapters:
        later.remember(chapter, chapter.path.read_text("utf-8"))
    assert set(later.fresh) == set(CHAPTERS)


def test_files_with_findings_and_other_tool_versions_are_loaded_the_long_way(tmp_path, monkeypatch):
    files = dict(CHAPTERS, **{"ch3.md": "---\ntitel: 错键\n---\n\n# 第3章\n\n正文。\n"})
    root = write_manuscript(tmp_path / "m", BASE_YAML, files)
    settle(root)
    book = load_book(root)
    assert [f.code for f in book.findings] == ["F002"]
    assert set(SourceIndex(root).records) == {"ch1.md", "ch2.md"}
    assert [f.code for f in load_book(root).findings] == ["F002"]  # found again, not lost
    monkeypatch.setattr(source_index, "code_digest", lambda: "another version")
    assert SourceIndex(root).records == {}


def test_a_garbled_index_is_no_index(tmp_path):
    root = write_manuscript(tmp_path / "m", BASE_YAML, CHAPTERS)
    settle(root)
    first = load_book(root)
    index = root / ".ebook-cache" / INDEX_NAME
    data = bytearray(index.read_bytes())
    data[-3] ^= 1
    index.write_bytes(bytes(data))
    assert load_book(root).chapters == first.chapters


def test_unchanged_files_are_not_read_until_their_text_is_needed(tmp_path, monkeypatch):
    root = write_manuscript(tmp_path / "m", BASE_YAML, CHAPTERS)
    settle(root)
    first = load_book(root)
    again = load_book(root)
    assert [c.text for c in again.chapters] == [None, None, None]
    assert [c.body for c in again.chapters] == [c.body for c in first.chapters]


def test_a_file_saved_after_it_was_taken_for_unchanged_stops_the_run(tmp_path):
    from ebook.core.errors import ManuscriptError

    root = write_manuscript(tmp_path / "m", BASE_YAML, CHAPTERS)
    settle(root)
    load_book(root)
    chapter = load_book(root).chapters[1]
    chapter.path.write_text("---\ntitle: 第2章 旧题\n---\n\n改了。\n", "utf-8")
    with pytest.raises(ManuscriptError) as raised:
        chapter.body  # noqa: B018
    assert raised.value.diagnostic.code == "F008"
    assert raised.value.diagnostic.path == chapter.path


def test_chapters_with_different_texts_are_different(tmp_path):
    from ebook.core.model import Chapter

    def chapter(text: str) -> Chapter:
        return Chapter(
            id="c", path=tmp_path / "c.md", kind="chapter", title="T", text=text, body_line=1
        )

    assert chapter("甲") != chapter("乙")
    assert chapter("甲") == chapter("甲")


@settings(max_examples=500, deadline=None)
@given(
    text=st.lists(
        st.tuples(
            st.sampled_from(["---", "...", "--- ", "a: 1", "", " ", "-", "中"]),
            st.sampled_from(["\n", "\r\n", "\r", "\x0b", "\x1c", "\x85", "\u2028", ""]),
        ),
        max_size=8,
    ).map(lambda lines: "".join(text + end for text, end in lines)),
    count=st.integers(0, 5),
)
def test_front_matter_and_first_lines_are_found_without_splitting_the_whole_text(text, count):
    """manuscript.py reads the front matter and the first lines lazily: the same answers as
    splitting every line."""
    from ebook.core.errors import ManuscriptError
    from ebook.load.chapters import _first_lines, split_front_matter

    assert _first_lines(text, count) == text.splitlines()[:count]
    lines = text.splitlines(keepends=True)
    expected = None
    if not lines or lines[0].rstrip() != "---":
        expected = (None, 0, text, 1)
    else:
        for i, line in enumerate(lines[1:], start=1):
            if line.rstrip() in ("---", "..."):
                expected = ("".join(lines[1:i]), 2, "".join(lines[i + 1 :]), i + 2)
                break
    try:
        assert split_front_matter(text, Path("c.md")) == expected
    except ManuscriptError:
        assert expected is None
