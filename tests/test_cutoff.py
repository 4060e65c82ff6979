"""Early cutoff (ebook/build/cutoff.py): an edit that changes chapters' texts but not their
outlines is packaged from the last publication. After every kind of edit, the EPUB and the
findings equal a build without any cache; the cutoff is taken exactly where it may be."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from ebook.build import build_epub, build_or_replay
from ebook.build import cutoff as cutoff_module
from ebook.incremental.cache import CACHE_DIR

# A chapter the book-wide pass renumbers (a figure and a reference to it), one linking into
# chapter 1, and one with an image: beside the repository's book (notes, page marks, CIP).
EXTRA = {
    "ch03.md": '---\nid: ch03\n---\n\n# 第三章 图\n\n![架构](images/a.png "架构"){#fig:a}\n\n见@fig:a。\n',
    "ch04.md": "---\nid: ch04\n---\n\n# 第四章 链接\n\n见[第一章](ch01.md)。\n\n正文一段。\n\n正文二段。\n",
    "ch05.md": "---\nid: ch05\n---\n\n# 第五章 图片\n\n![图](images/a.png)\n\n正文。\n",
}


@pytest.fixture
def book(tmp_path, monkeypatch):
    from test_fixture_books import png

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "book"
    shutil.copytree(REPO / "manuscript", root, ignore=shutil.ignore_patterns(CACHE_DIR))
    (root / "images").mkdir()
    (root / "images" / "a.png").write_bytes(png())
    for name, text in EXTRA.items():
        (root / name).write_text(text, "utf-8")
    config = root / "book.yaml"
    text = config.read_text("utf-8")
    listing = "".join(f"  - {name}\n" for name in EXTRA)
    config.write_text(
        text.replace("\noptions:", "\n" + listing.rstrip("\n") + "\noptions:"), "utf-8"
    )
    assert "ch05.md" in config.read_text("utf-8").split("options:")[0]
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _sentence(root: Path) -> None:  # ch01: a sentence's text, nothing else
    _edit(root / "ch01.md", "。", "。又添一句。")


def _image(root: Path) -> None:
    from test_fixture_books import png

    (root / "images" / "a.png").write_bytes(png(3, 3))


def _new_chapter(root: Path) -> None:
    (root / "ch06.md").write_text("---\nid: ch06\n---\n\n# 第六章 新\n\n正文。\n", "utf-8")
    _edit(root / "book.yaml", "  - ch05.md\n", "  - ch05.md\n  - ch06.md\n")


# (name, the edit: a file's text replaced, or a function of the book; whether the last
# publication may serve it)
EDITS = [
    ("sentence", _sentence, True),
    ("after_page_mark", ("ch01.md", "{page=3}", "{page=3}又一句。"), True),  # the mark stays
    ("before_page_mark", ("ch01.md", "{page=3}", "又一句。{page=3}"), False),  # column moves
    ("heading", ("ch04.md", "# 第四章 链接", "# 第四章 链接与引用"), False),
    ("note", ("ch04.md", "正文一段。", "正文一段[^x]。\n\n[^x]: 新加的注释。"), False),
    ("link", ("ch04.md", "正文二段。", "正文二段，见[第二章](ch02.md)。"), False),
    ("warning", ("ch04.md", "正文二段。", "正文,二段。"), False),  # half-width comma: T001
    ("lines", ("ch04.md", "见[第一章]", "新的一段。\n\n见[第一章]"), False),  # the link moves
    ("renumbered", ("ch03.md", "见@fig:a。", "正如所见@fig:a。"), False),  # numbers written
    ("front_matter", ("ch04.md", "id: ch04\n", "id: ch04\naliases: [old-four]\n"), False),
    ("config", ("book.yaml", "title:", "subtitle: 新副书名\ntitle:"), False),
    ("image", _image, False),
    ("new_chapter", _new_chapter, False),
]


def _traced(monkeypatch) -> list[bool]:
    taken: list[bool] = []
    real = cutoff_module.build_from_last

    def traced(*args, **kwargs):
        result = real(*args, **kwargs)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(cutoff_module, "build_from_last", traced)
    return taken


def _fresh(root: Path, tmp_path: Path):
    """The same book built without any cache, from a copy (its own cache left alone)."""
    copy = Path("fresh")  # beside the book, named as relatively (the tests run in tmp_path)
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(CACHE_DIR))
    result = build_epub(copy, tmp_path / "fresh.epub", cache=False)
    return (tmp_path / "fresh.epub").read_bytes(), [f.format() for f in result.findings]


@pytest.mark.parametrize("name, edit, served", EDITS, ids=[name for name, _, _ in EDITS])
def test_each_kind_of_edit_builds_what_a_build_without_cache_builds(
    book, tmp_path, monkeypatch, name, edit, served
):
    out = tmp_path / "book.epub"
    build_or_replay(Path("book"), out)  # the publication to start from
    taken = _traced(monkeypatch)
    if callable(edit):
        edit(book)
    else:
        file, old, new = edit
        _edit(book / file, old, new)
    result = build_or_replay(Path("book"), out)
    assert taken == [served]
    expected, findings = _fresh(book, tmp_path)
    assert out.read_bytes() == expected
    assert [f.format().replace("fresh", "book") for f in result.findings] == [
        f.replace("fresh", "book") for f in findings
    ]
    # And the next edit starts from this build's publication.
    _edit(book / "ch01.md", "。", "。再添一句。")
    build_or_replay(Path("book"), out)
    assert taken[-1] is True
    assert out.read_bytes() == _fresh(book, tmp_path)[0]


def test_an_epub_that_is_not_what_the_last_build_wrote_is_not_built_upon(
    book, tmp_path, monkeypatch
):
    """Documents are copied from the last EPUB only while its bytes are the ones recorded:
    an EPUB changed since (same size, other bytes) or gone takes the whole pipeline."""
    out = tmp_path / "book.epub"
    build_or_replay(Path("book"), out)
    taken = _traced(monkeypatch)
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 1
    out.write_bytes(bytes(data))
    _sentence(book)
    build_or_replay(Path("book"), out)
    assert taken == [False]
    assert out.read_bytes() == _fresh(book, tmp_path)[0]
    out.unlink()
    _edit(book / "ch01.md", "。", "。再添一句。")
    build_or_replay(Path("book"), out)
    assert taken == [False, False]
    assert out.read_bytes() == _fresh(book, tmp_path)[0]


def test_another_output_or_option_is_not_built_upon(book, tmp_path, monkeypatch):
    build_or_replay(Path("book"), tmp_path / "a.epub")
    taken = _traced(monkeypatch)
    _sentence(book)
    build_or_replay(Path("book"), tmp_path / "b.epub")
    _edit(book / "ch01.md", "。", "。再添一句。")
    build_or_replay(Path("book"), tmp_path / "b.epub", strict=True)
    assert taken == [False, False]
    assert (tmp_path / "b.epub").read_bytes() == _fresh(book, tmp_path)[0]


def test_the_index_pages_text_is_read_book_wide(book, tmp_path, monkeypatch):
    """Whether the index page has text of its own decides X009 (no term marked); the page's
    record says it, so an edit that takes the text away is not served from the last
    publication."""
    page = book / "zz.md"
    page.write_text("---\nkind: index\n---\n\n# 索引\n\n说明文字。\n", "utf-8")
    _edit(book / "book.yaml", "  - ch05.md\n", "  - ch05.md\n  - zz.md\n")
    out = tmp_path / "book.epub"
    first = build_or_replay(Path("book"), out)
    assert "X009" not in [f.code for f in first.findings]
    taken = _traced(monkeypatch)
    _edit(page, "\n说明文字。\n", "\n")
    result = build_or_replay(Path("book"), out)
    assert taken == [False]
    assert "X009" in [f.code for f in result.findings]
    assert out.read_bytes() == _fresh(book, tmp_path)[0]


@pytest.mark.parametrize(
    "error",
    ["\x07", "<script>x()</script>"],
    ids=["control character (found loading)", "script (found rendering)"],
)
def test_an_edit_that_brings_an_error_stops_the_build(book, tmp_path, monkeypatch, error):
    """An error is found whichever way the build goes, and the last EPUB stays as it was."""
    from ebook.core.errors import BookHasErrors

    out = tmp_path / "book.epub"
    build_or_replay(Path("book"), out)
    before = out.read_bytes()
    _edit(book / "ch04.md", "正文二段。", f"正文二段。\n\n{error}\n")
    with pytest.raises(BookHasErrors):
        build_or_replay(Path("book"), out)
    assert out.read_bytes() == before
    # Put right (in other words than before the error): served from the last publication.
    _edit(book / "ch04.md", f"\n\n{error}\n", "\n\n补一句。\n")
    taken = _traced(monkeypatch)
    build_or_replay(Path("book"), out)
    assert taken == [True]
    assert out.read_bytes() == _fresh(book, tmp_path)[0]


def test_nothing_changed_without_the_stamp_renders_nothing(book, tmp_path, monkeypatch):
    """With the stamp gone (or the EPUB touched), a build in which no chapter changed is
    served from the last publication and renders no chapter."""
    from ebook.build import chapters

    out = tmp_path / "book.epub"
    build_or_replay(Path("book"), out)
    before = out.read_bytes()
    (book / CACHE_DIR / "last-build.json").unlink()
    taken = _traced(monkeypatch)
    monkeypatch.setattr(chapters, "_render", lambda *args: pytest.fail("rendered a chapter"))
    build_or_replay(Path("book"), out)
    assert taken == [True]
    assert out.read_bytes() == before


def test_a_new_date_is_a_new_package_document(book, tmp_path, monkeypatch):
    """The build's date (SOURCE_DATE_EPOCH, else the files' times) is not part of the last
    publication: a text edit under another date is served, with the new date throughout."""
    out = tmp_path / "book.epub"
    build_or_replay(Path("book"), out)
    taken = _traced(monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    _sentence(book)
    build_or_replay(Path("book"), out)
    assert taken == [True]
    assert out.read_bytes() == _fresh(book, tmp_path)[0]


def test_the_edited_chapters_earlier_entries_go(book, tmp_path):
    """Served edits leave no entry behind for the versions of a chapter they replaced."""
    out = tmp_path / "book.epub"
    build_or_replay(Path("book"), out)
    folder = book / CACHE_DIR
    before = len(list(folder.glob("*.chapter")))
    for n in range(3):
        _edit(book / "ch01.md", "。", f"。第{n}次添句。")
        build_or_replay(Path("book"), out)
    assert len(list(folder.glob("*.chapter"))) == before


def test_a_forged_publication_record_is_never_trusted(book, tmp_path, monkeypatch):
    """The record of the last publication is a sealed cache entry: rewritten to point at
    another EPUB whose digest it states, it reads as missing."""
    import hashlib
    import json

    from ebook.incremental.publication import NAME

    out = tmp_path / "book.epub"
    build_or_replay(Path("book"), out)
    path = book / CACHE_DIR / NAME
    envelope = json.loads(path.read_bytes()[32:])
    forged = json.dumps(envelope, ensure_ascii=False).encode()
    path.write_bytes(hashlib.sha256(forged).digest() + forged)
    taken = _traced(monkeypatch)
    _sentence(book)
    build_or_replay(Path("book"), out)
    assert taken == [False]
    assert out.read_bytes() == _fresh(book, tmp_path)[0]
    assert os.path.exists(out)
