"""Stale or hanging with exit 0: a build racing another, an output replaced behind the stamp's
back, a FIFO or a symlink loop in the manuscript folder."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

import ebook.incremental.stamp
from conftest import MINIMAL_BOOK, MINIMAL_CHAPTERS, write_manuscript
from ebook.cli import main


@pytest.fixture(autouse=True)
def settled(monkeypatch):
    monkeypatch.setattr(ebook.incremental.stamp, "RACY_NS", 0)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_build_held_before_it_records_does_not_take_anothers_epub(tmp_path, monkeypatch):
    """Build A writes out.epub and is held; build B (another manuscript) writes out.epub; A
    then records. The next build of A must not replay B's book."""
    a = write_manuscript(tmp_path / "a", MINIMAL_BOOK, MINIMAL_CHAPTERS)
    b = write_manuscript(
        tmp_path / "b", {**MINIMAL_BOOK, "title": "另一本书"}, {"ch.md": "# 别的\n\n别的书。\n"}
    )
    out = tmp_path / "out.epub"
    real = ebook.incremental.stamp.record
    held = []

    def held_record(*args, **kwargs):
        if not held:
            held.append(True)
            assert run("build", str(b), "-o", str(out)).exit_code == 0
        return real(*args, **kwargs)

    monkeypatch.setattr(ebook.incremental.stamp, "record", held_record)
    assert run("build", str(a), "-o", str(out)).exit_code == 0
    monkeypatch.setattr(ebook.incremental.stamp, "record", real)
    again = run("build", str(a), "-o", str(out))
    assert again.exit_code == 0, again.output
    from conftest import open_epub

    titles = open_epub(out).opf.findall(".//{http://purl.org/dc/elements/1.1/}title")
    assert [t.text for t in titles][0] == MINIMAL_BOOK["title"]


def test_an_output_rewritten_in_place_with_its_size_and_time_kept_is_rebuilt(tmp_path):
    root = write_manuscript(tmp_path / "m", MINIMAL_BOOK, MINIMAL_CHAPTERS)
    out = tmp_path / "out.epub"
    assert run("build", str(root), "-o", str(out)).exit_code == 0
    good = out.read_bytes()
    st = out.stat()
    with open(out, "r+b") as handle:  # other bytes, the same size, the same inode
        handle.write(b"X" * 64)
    os.utime(out, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert out.stat().st_size == st.st_size and out.stat().st_mtime_ns == st.st_mtime_ns
    assert run("build", str(root), "-o", str(out)).exit_code == 0
    assert out.read_bytes() == good


def test_a_fifo_in_the_manuscript_folder_does_not_hang_a_build(tmp_path):
    root = write_manuscript(tmp_path / "m", MINIMAL_BOOK, MINIMAL_CHAPTERS)
    os.mkfifo(root / "notes.pipe")
    # Saved "just now" for as long as the test runs: the stamp would hash such a file.
    future = (os.stat(root / "notes.pipe").st_mtime_ns + 3600 * 10**9,) * 2
    os.utime(root / "notes.pipe", ns=future)
    out = tmp_path / "out.epub"
    for _ in range(2):  # the second build consults the stamp, which lists the folder
        done = subprocess.run(
            [sys.executable, "-m", "ebook", "build", str(root), "-o", str(out)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_symlink_loop_is_a_located_error(tmp_path, command):
    root = write_manuscript(tmp_path / "m", MINIMAL_BOOK, MINIMAL_CHAPTERS)
    (root / "04-loop.md").symlink_to("04-loop.md")
    extra = ["-o", str(tmp_path / "o.epub")] if command == "build" else []
    result = run(command, str(root), *extra)
    assert result.exit_code == 1, result.output
    assert "04-loop.md" in result.output and "Traceback" not in result.output


def test_an_image_that_is_a_symlink_loop_is_a_located_error(tmp_path):
    root = write_manuscript(
        tmp_path / "m", MINIMAL_BOOK, {"ch.md": "# 一\n\n![图](images/loop.png)\n"}
    )
    (root / "images").mkdir()
    (root / "images" / "loop.png").symlink_to("loop.png")
    result = run("check", str(root))
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "ch.md:3:" in result.output and "loop.png" in result.output
