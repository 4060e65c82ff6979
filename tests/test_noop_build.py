"""The no-op build (ebook/incremental/stamp.py): nothing changed since a build, so the book is not
loaded again; and every kind of change is seen, so a stale EPUB is never passed off as new."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import ebook.build
import ebook.build.cutoff
import ebook.incremental.stamp
from conftest import MINIMAL_BOOK, MINIMAL_CHAPTERS, open_epub, write_manuscript
from ebook.cli import main


@pytest.fixture(autouse=True)
def settled(request, monkeypatch):
    """Files count as settled at once (the racy margin is tested on its own, at its value)."""
    if "racy" not in request.node.name:
        monkeypatch.setattr(ebook.incremental.stamp, "RACY_NS", 0)


@pytest.fixture
def built(tmp_path):
    root = write_manuscript(tmp_path / "m", MINIMAL_BOOK, MINIMAL_CHAPTERS)
    out = tmp_path / "b.epub"
    first = CliRunner().invoke(main, ["build", str(root), "-o", str(out)])
    assert first.exit_code == 0, first.output
    return root, out, first.output


def counted(monkeypatch, name: str) -> list:
    """The calls of ebook.build's function `name` from now on (a no-op makes none)."""
    calls = []
    real = getattr(ebook.build, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(ebook.build, name, counting)
    return calls


@pytest.fixture
def loads(monkeypatch):
    """The builds that load the book: the whole pipeline's, and those served from the last
    publication (ebook/build/cutoff.py)."""
    calls = counted(monkeypatch, "build_epub")
    real = ebook.build.cutoff.build_from_last

    def counting(*args, **kwargs):
        result = real(*args, **kwargs)
        if result is not None:
            calls.append(args)
        return result

    monkeypatch.setattr(ebook.build.cutoff, "build_from_last", counting)
    return calls


def build(root: Path, out: Path, *options: str):
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return result


def test_nothing_changed_answers_without_loading_the_book(built, loads):
    root, out, first_output = built
    before = out.read_bytes(), out.stat().st_mtime_ns
    again = build(root, out)
    assert loads == []
    assert again.output == first_output  # the same path and counts
    assert (out.read_bytes(), out.stat().st_mtime_ns) == before


@pytest.mark.parametrize(
    "change",
    [
        "same-size edit, times put back",
        "new file",
        "removed file",
        "image replaced",
        "EPUB touched",
        "EPUB removed",
        "other output",
        "SOURCE_DATE_EPOCH",
        "--no-cache",
    ],
)
def test_every_change_is_seen(built, loads, change, monkeypatch, tmp_path):
    root, out, _ = built
    chapter = root / "03-two.md"
    options: list[str] = []
    target = out
    if change == "same-size edit, times put back":
        st = chapter.stat()
        chapter.write_text(chapter.read_text("utf-8").replace("二章", "三章"), "utf-8")
        os.utime(chapter, ns=(st.st_atime_ns, st.st_mtime_ns))  # the change time still moves
        assert chapter.stat().st_size == st.st_size
    elif change == "new file":
        (root / "notes.txt").write_text("作者的笔记", "utf-8")
    elif change == "removed file":
        (root / "01-preface.md").unlink()
        (root / "book.yaml").write_text(
            (root / "book.yaml").read_text("utf-8") + "chapters: [02-one.md, 03-two.md]\n", "utf-8"
        )
    elif change == "image replaced":
        (root / "images").mkdir()
        (root / "images" / "x.txt").write_text("1", "utf-8")
        build(root, out)
        loads.clear()
        (root / "images" / "x.txt").write_text("2", "utf-8")
    elif change == "EPUB touched":
        os.utime(out, (1, 1))
    elif change == "EPUB removed":
        out.unlink()
    elif change == "other output":
        target = tmp_path / "other.epub"
    elif change == "SOURCE_DATE_EPOCH":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    elif change == "--no-cache":
        options = ["--no-cache"]
    build(root, target, *options)
    assert len(loads) == 1, change
    assert target.is_file()


def test_racy_a_file_saved_just_now_is_known_by_its_content(built, loads, monkeypatch):
    """A second save in the same tick of the file system's clock could keep size and times;
    a file saved just before a build is therefore compared by its bytes from then on."""
    root, out, _ = built
    chapter = root / "03-two.md"
    chapter.write_text("# 第二章\n\n新的正文。\n", "utf-8")  # just now: racy
    build(root, out)
    monkeypatch.setattr(
        ebook.incremental.stamp, "RACY_NS", 1
    )  # later: the save no longer looks recent
    build(root, out)
    assert len(loads) == 1  # the second build is a no-op all the same
    # A clock so coarse that the next save keeps the file's times: only its bytes tell.
    then = chapter.stat()
    real = ebook.incremental.stamp.file_status

    def coarse(path):
        st = real(path)
        if path != str(chapter):
            return st
        times = {"st_mtime_ns": then.st_mtime_ns, "st_ctime_ns": then.st_ctime_ns}
        return SimpleNamespace(st_size=st.st_size, st_ino=st.st_ino, st_mode=st.st_mode, **times)

    monkeypatch.setattr(ebook.incremental.stamp, "file_status", coarse)
    chapter.write_text("# 第二章\n\n新的正字。\n", "utf-8")  # same size, same tick
    assert coarse(str(chapter)).st_ctime_ns == then.st_ctime_ns
    build(root, out)
    assert len(loads) == 2
    assert "新的正字" in open_epub(out).zip.read("EPUB/two.xhtml").decode()


def test_a_build_with_warnings_is_replayed_and_says_them_again(tmp_path, loads):
    files = dict(MINIMAL_CHAPTERS, **{"03-two.md": "# 第二章\n\n汉字,汉字。\n"})  # T001
    root = write_manuscript(tmp_path / "m", MINIMAL_BOOK, files)
    out = tmp_path / "b.epub"
    first = build(root, out)
    second = build(root, out)
    assert len(loads) == 1  # the second answered from the stamp, warnings and all
    assert "T001" in first.output and second.output == first.output
    (root / "03-two.md").write_text("# 第二章\n\n汉字，汉字。\n", "utf-8")
    third = build(root, out)
    assert len(loads) == 2 and "T001" not in third.output


def test_a_clean_check_with_nothing_changed_is_answered_from_its_stamp(tmp_path, monkeypatch):
    root = write_manuscript(tmp_path / "m", MINIMAL_BOOK, MINIMAL_CHAPTERS)
    calls = counted(monkeypatch, "check_manuscript")

    def check(*options: str) -> str:
        result = CliRunner().invoke(main, ["check", str(root), *options])
        assert result.exit_code == 0, result.output
        return result.output

    first = check()
    assert check() == first == "0 errors, 0 warnings\n"
    assert check("--format", "json").strip() == "[]"
    assert len(calls) == 1
    (root / "03-two.md").write_text("# 第二章\n\n汉字,汉字。\n", "utf-8")
    warned = check()
    assert "T001" in warned and check() == warned  # the findings replayed as they were
    assert len(calls) == 2


def test_a_no_op_build_loads_none_of_the_pipeline(built):
    """The answer from the stamp imports no stage: loading them would cost more than the
    answer (about 0.08 s in all)."""
    import subprocess
    import sys
    import time

    root, out, _ = built
    time.sleep(0.15)  # past the racy margin, for a process that does not share the fixture's
    code = (
        "import sys\nfrom ebook.cli import main\ntry:\n"
        "    main(['build', sys.argv[1], '-o', sys.argv[2]])\nexcept SystemExit:\n    pass\n"
        "stages = ('ebook.render', 'ebook.checks', 'ebook.load', 'ebook.package',"
        " 'ebook.build.pipeline')\n"
        "print(sorted(m for m in sys.modules if m.startswith(stages)))\n"
    )
    for _ in range(2):  # the first may build (the fixture's stamp is of another clock margin)
        run = subprocess.run(
            [sys.executable, "-c", code, str(root), str(out)], capture_output=True, text=True
        )
    assert run.stdout.strip().splitlines()[-1] == "[]", run.stdout + run.stderr
