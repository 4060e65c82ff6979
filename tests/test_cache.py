"""The render cache and the worker processes change nothing in the output."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO, open_epub
from ebook.build import build_epub, check_manuscript
from ebook.build.chapters import CACHE_DIR, PARALLEL_MIN


def many_chapters(root, count=PARALLEL_MIN + 2):
    """The seed book's chapter 1 repeated, so the parallel path is taken."""
    shutil.copytree(REPO / "manuscript", root, ignore=shutil.ignore_patterns(CACHE_DIR))
    text = (root / "ch01.md").read_text("utf-8")
    names = ["foreword.md"]
    for n in range(count):
        name = f"more{n:02}.md"
        (root / name).write_text(text.replace("id: ch01", f"id: more{n:02}"), "utf-8")
        names.append(name)
    config = root / "book.yaml"
    listing = "".join(f"  - {name}\n" for name in names)
    text = config.read_text("utf-8")
    start = text.index("chapters:\n") + len("chapters:\n")
    end = text.index("\noptions:")
    config.write_text(text[:start] + listing + text[end:], "utf-8")
    return root


def test_same_bytes_with_and_without_cache_and_workers(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = many_chapters(tmp_path / "book")
    outputs = {}
    for label, cache, workers in (
        ("plain", False, 1),
        ("parallel", False, 2),
        ("cold-cache", True, 2),
        ("warm-cache", True, 2),
        ("warm-serial", True, 1),
    ):
        out = tmp_path / f"{label}.epub"
        build_epub(book, out, cache=cache, workers=workers)
        outputs[label] = out.read_bytes()
    assert len(set(outputs.values())) == 1
    assert len(list((book / CACHE_DIR).glob("*.chapter"))) == PARALLEL_MIN + 3  # one per chapter


def test_a_warm_build_renders_nothing(tmp_path, monkeypatch):
    """Every chapter comes from the cache: rendering is not even attempted."""
    from ebook.build import chapters

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = many_chapters(tmp_path / "book")
    build_epub(book, tmp_path / "cold.epub", workers=1)

    def no_rendering(*args, **kwargs):
        raise AssertionError("a chapter was rendered although the cache had it")

    monkeypatch.setattr(chapters, "process_chapter", no_rendering)
    build_epub(book, tmp_path / "warm.epub", workers=1)
    assert (tmp_path / "warm.epub").read_bytes() == (tmp_path / "cold.epub").read_bytes()
    # And the check can fail: an edited chapter must be rendered, which now raises.
    edited = book / "more00.md"
    edited.write_text(edited.read_text("utf-8") + "\n新的一段。\n", "utf-8")
    with pytest.raises(AssertionError, match="was rendered"):
        build_epub(book, tmp_path / "edited.epub", workers=1)


def test_an_edited_chapter_is_rendered_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = many_chapters(tmp_path / "book")
    build_epub(book, tmp_path / "first.epub")
    chapter = book / "more03.md"
    chapter.write_text(
        chapter.read_text("utf-8").replace("2012年12月7日", "2012年12月8日"), "utf-8"
    )
    build_epub(book, tmp_path / "second.epub")
    build_epub(book, tmp_path / "fresh.epub", cache=False)
    text = open_epub(tmp_path / "second.epub").zip.read("EPUB/more03.xhtml").decode()
    assert "2012年12月8日" in text and "2012年12月7日" not in text
    assert (tmp_path / "second.epub").read_bytes() == (tmp_path / "fresh.epub").read_bytes()
    assert (tmp_path / "first.epub").read_bytes() != (tmp_path / "second.epub").read_bytes()


def test_findings_come_back_from_the_cache(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(REPO / "manuscript", book)
    chapter = book / "ch02.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n中文,中文。\n", "utf-8")
    from ebook.build import check_manuscript

    first = [f.format() for f in check_manuscript(book).findings]
    again = [f.format() for f in check_manuscript(book).findings]
    assert first == again and any("T001" in f for f in first)


def test_a_deleted_image_is_noticed_despite_the_cache(tmp_path):
    from ebook.build import check_manuscript
    from test_fixture_books import png

    book = tmp_path / "book"
    shutil.copytree(REPO / "manuscript", book)
    (book / "images").mkdir()
    (book / "images" / "a.png").write_bytes(png())
    chapter = book / "ch02.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n![图](images/a.png)\n", "utf-8")
    assert not [f for f in check_manuscript(book).findings if f.code == "L002"]
    (book / "images" / "a.png").unlink()
    assert [f.code for f in check_manuscript(book).findings if f.severity == "error"] == ["L002"]


@pytest.mark.parametrize("memory", [False, True])
def test_an_image_added_after_a_check_that_missed_it_is_found(tmp_path, memory):
    """A chapter whose image was not there yet is not kept (on disk or in a process's memory):
    its key does not change when the image arrives."""
    from ebook.build import chapters, check_manuscript
    from test_fixture_books import png

    book = tmp_path / "book"
    shutil.copytree(REPO / "manuscript", book)
    chapter = book / "ch02.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n![图](images/a.png)\n", "utf-8")
    remembered = chapters.Remembered() if memory else None
    missing = check_manuscript(book, remembered=remembered).findings
    assert [f.code for f in missing if f.severity == "error"] == ["L002"]
    (book / "images").mkdir()
    (book / "images" / "a.png").write_bytes(png())
    found = check_manuscript(book, remembered=remembered).findings
    assert [f.code for f in found if f.severity == "error"] == []


def test_entries_of_earlier_versions_of_a_chapter_are_removed(tmp_path):
    book = many_chapters(tmp_path / "book")
    build_epub(book, tmp_path / "a.epub")
    folder = book / CACHE_DIR

    def entries() -> set[str]:
        return {p.name for p in folder.iterdir() if len(p.name.partition(".")[0]) == 64}

    before = entries()
    chapter = book / "more00.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n又一段。\n", "utf-8")
    build_epub(book, tmp_path / "b.epub")
    after = entries()
    assert len(after) == len(before)  # the chapter's entry replaced, none added
    assert len(before - after) == 1


def test_an_edit_compresses_the_edited_chapter_alone(tmp_path, monkeypatch):
    """A chapter's entry holds its XHTML compressed as the zip stores it: after an edit, the
    packager copies every other chapter's compressed body into the EPUB, deflating none of
    them again, and the EPUB equals one built without the cache."""
    from ebook.package import ocfzip

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = many_chapters(tmp_path / "book")
    build_epub(book, tmp_path / "warm.epub")
    edited = book / "more02.md"
    edited.write_text(edited.read_text("utf-8") + "\n新加的一段。\n", "utf-8")
    fresh = check_manuscript(book, cache=False, workers=1)
    unchanged = {r.body for r in fresh.rendered if r.chapter.path != edited}
    compressed = []
    real = ocfzip.deflate
    monkeypatch.setattr(ocfzip, "deflate", lambda data, *a: compressed.append(data) or real(data))
    build_epub(book, tmp_path / "again.epub", workers=1)
    assert compressed and not unchanged & set(compressed)
    assert any("新加的一段".encode() in data for data in compressed)
    monkeypatch.setattr(ocfzip, "deflate", real)
    build_epub(book, tmp_path / "plain.epub", cache=False)
    assert (tmp_path / "again.epub").read_bytes() == (tmp_path / "plain.epub").read_bytes()


def test_a_process_that_checks_again_takes_its_chapters_from_memory(tmp_path, monkeypatch):
    """The preview keeps its last results (chapters.Remembered): a check that follows reads
    no chapter record from the cache, renders only the edited chapter, and gives what a check
    without memory gives; an image changed since is noticed."""
    from ebook.build import chapters, check_manuscript
    from test_fixture_books import png

    book = many_chapters(tmp_path / "book")
    (book / "images").mkdir()
    (book / "images" / "a.png").write_bytes(png())
    with_image = book / "more01.md"
    with_image.write_text(with_image.read_text("utf-8") + "\n![图](images/a.png)\n", "utf-8")
    memory = chapters.Remembered()
    check_manuscript(book, workers=1, remembered=memory)

    rendered, loaded = [], []
    render, load = chapters.process_chapter, chapters._load
    monkeypatch.setattr(
        chapters, "process_chapter", lambda r, c: rendered.append(c.path.name) or render(r, c)
    )
    monkeypatch.setattr(chapters, "_load", lambda *a: loaded.append(a[2].path.name) or load(*a))
    edited = book / "more03.md"
    edited.write_text(edited.read_text("utf-8") + "\n中文,中文。\n", "utf-8")
    again = check_manuscript(book, workers=1, remembered=memory)
    assert rendered == ["more03.md"] and loaded == ["more03.md"]  # a miss asks the disk
    fresh = check_manuscript(book, cache=False, workers=1)
    assert [f.format() for f in again.findings] == [f.format() for f in fresh.findings]
    assert any(f.code == "T001" for f in again.findings)
    assert [r.body for r in again.rendered] == [r.body for r in fresh.rendered]
    assert [r.chapter for r in again.rendered] == list(again.book.chapters)

    rendered.clear()
    (book / "images" / "a.png").unlink()
    gone = check_manuscript(book, workers=1, remembered=memory)
    assert rendered == ["more01.md"]
    assert [f.code for f in gone.findings if f.severity == "error"] == ["L002"]


def _edit_text(root):
    path = root / "02-one.md"
    path.write_text(path.read_text("utf-8").replace("。", "，改。", 1), "utf-8")


def _edit_front_matter(root):
    path = root / "02-one.md"
    path.write_text("---\nid: renamed\n---\n\n" + path.read_text("utf-8"), "utf-8")


def _add_chapter(root):
    (root / "04-new.md").write_text("# 第三章 新增\n\n新的一章。\n", "utf-8")


def _remove_chapter(root):
    (root / "03-two.md").unlink()


def _edit_book_yaml(root):
    path = root / "book.yaml"
    path.write_text(path.read_text("utf-8").replace("测试之书", "另一书名"), "utf-8")


def _edit_setting(root):
    path = root / "book.yaml"
    path.write_text(path.read_text("utf-8") + "options: {note_markers: numeric}\n", "utf-8")


def _replace_image(root):
    from test_fixture_books import png

    (root / "images" / "a.png").write_bytes(png(3, 3))


def _edit_stylesheet(root):
    path = root / "book.yaml"
    (root / "my.css").write_text("p { text-indent: 2em; }\n", "utf-8")
    path.write_text(path.read_text("utf-8") + "options: {stylesheet: my.css}\n", "utf-8")


EDITS = [
    _edit_text,
    _edit_front_matter,
    _add_chapter,
    _remove_chapter,
    _edit_book_yaml,
    _edit_setting,
    _replace_image,
    _edit_stylesheet,
]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__.strip("_") for e in EDITS])
def test_after_each_kind_of_edit_the_caches_give_the_bytes_a_fresh_build_gives(
    tmp_path, monkeypatch, make_manuscript, edit
):
    """Every cache (stamp, source index, chapters, navigation, compressed chapters, the EPUB)
    only saves time: after any edit, a build through all of them equals a build from a copy
    of the manuscript that has no cache at all."""
    from conftest import MINIMAL_BOOK, MINIMAL_CHAPTERS
    from ebook.build import build_or_replay
    from test_fixture_books import png

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = dict(MINIMAL_CHAPTERS)
    files["03-two.md"] = files["03-two.md"] + "\n![图](images/a.png)\n"
    files["images/a.png"] = png()
    root = make_manuscript(MINIMAL_BOOK, files, name="cached")
    for _ in range(2):  # every cache filled, and the stamp written
        build_or_replay(root, tmp_path / "cached.epub")
    edit(root)
    build_or_replay(root, tmp_path / "cached.epub")
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(CACHE_DIR))
    build_epub(fresh, tmp_path / "fresh.epub", cache=False)
    assert (tmp_path / "cached.epub").read_bytes() == (tmp_path / "fresh.epub").read_bytes()
