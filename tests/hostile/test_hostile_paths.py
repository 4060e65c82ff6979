"""Nothing outside the manuscript is read into a book; nothing but the output is written."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MINIMAL_BOOK, MINIMAL_CHAPTERS, assert_epubcheck_clean, open_epub
from ebook.build import check_manuscript
from ebook.cli import main
from test_fixture_books import png


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    # Every refusal is a located message and an exit status, never a traceback.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def codes_at(root: Path) -> list[tuple[str, str, int | None]]:
    return [
        (f.code, f.path.name if f.path else "", f.line) for f in check_manuscript(root).findings
    ]


def manuscript_files(root: Path) -> dict[Path, bytes]:
    """The manuscript's own files and their bytes (the cache may change; they may not)."""
    return {
        p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".ebook-cache" not in p.parts
    }


def with_options(**options) -> dict:
    return {**MINIMAL_BOOK, "options": options}


@pytest.mark.parametrize(
    "options",
    [
        {"stylesheet": "/etc/passwd"},
        {"stylesheet": "../../outside.css"},
        {"cover": "../outside.png"},
        {"cover": "/etc/passwd"},
    ],
    ids=["stylesheet-absolute", "stylesheet-dotdot", "cover-dotdot", "cover-absolute"],
)
def test_book_yaml_paths_stay_inside(make_manuscript, tmp_path, options):
    (tmp_path / "outside.css").write_text("body {}")
    (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    root = make_manuscript(with_options(**options))
    text = (root / "book.yaml").read_text("utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if str(*options.values()) in row)
    assert ("B016", "book.yaml", line) in codes_at(root)
    result = run("build", str(root), "-o", str(tmp_path / "out.epub"))
    assert result.exit_code == 1 and "B016" in result.output
    assert not (tmp_path / "out.epub").exists()


@pytest.mark.parametrize("name", ["../secret.md", "{abs}"], ids=["dotdot", "absolute"])
def test_chapter_paths_stay_inside(make_manuscript, tmp_path, name):
    secret = tmp_path / "secret.md"
    secret.write_text("# 机密\n\n不该进书的文字。\n", "utf-8")
    book = {**MINIMAL_BOOK, "chapters": ["02-one.md", name.format(abs=secret)]}
    root = make_manuscript(book)
    assert "B016" in [f[0] for f in codes_at(root)]


def test_symlinked_chapter_pointing_out_is_refused(make_manuscript, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# 机密\n\n不该进书的文字。\n", "utf-8")
    listed = make_manuscript({**MINIMAL_BOOK, "chapters": ["02-one.md", "link.md"]})
    (listed / "link.md").symlink_to(secret)
    assert "B016" in [f[0] for f in codes_at(listed)]
    unlisted = make_manuscript()
    (unlisted / "04-link.md").symlink_to(secret)
    findings = check_manuscript(unlisted)
    assert "B016" in [f.code for f in findings.findings]
    assert all("机密" not in r.title for r in findings.rendered)


def test_symlinked_image_pointing_out_is_refused(make_manuscript, tmp_path):
    (tmp_path / "real.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    root = make_manuscript(None, {"ch.md": "# 一\n\n![图](images/x.png)\n"})
    (root / "images").mkdir()
    (root / "images" / "x.png").symlink_to(tmp_path / "real.png")
    assert ("L005", "ch.md", 3) in codes_at(root)


@pytest.mark.parametrize("name", ["../../escape", "/tmp/escape", "a/b", "..", "."])
def test_output_name_is_a_file_name(make_manuscript, tmp_path, monkeypatch, name):
    root = make_manuscript(with_options(output_name=name))
    monkeypatch.chdir(tmp_path)
    result = run("build", str(root))
    assert result.exit_code == 1 and "B017" in result.output
    assert not any(p.suffix == ".epub" for p in tmp_path.rglob("*"))
    assert not Path("/tmp/escape.epub").exists()


def test_output_never_replaces_a_manuscript_file(make_manuscript):
    root = make_manuscript()
    for target in ("02-one.md", "book.yaml", ".ebook-cache/x.epub", "images/../03-two.md"):
        before = manuscript_files(root)
        result = run("build", str(root), "-o", str(root / target))
        assert result.exit_code == 3 and "O003" in result.output, target
        after = manuscript_files(root)
        assert after == before, target


def test_output_to_a_device_is_refused(make_manuscript):
    root = make_manuscript()
    result = run("build", str(root), "-o", os.devnull)
    assert result.exit_code == 3 and "O003" in result.output
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_git_revisions_are_never_options(tmp_path, monkeypatch):
    repo = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(repo)
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    for spec in (f"git:--output={victim}", f"git:-o{tmp_path / 'created'}", "git:HEAD:/etc"):
        result = run("diff", spec, "manuscript")
        assert result.exit_code == 4 and "D001" in result.output, spec
    assert victim.read_text() == "keep me"
    assert not (tmp_path / "created").exists()
    assert not list(tmp_path.glob("created*"))
    # The check is on the revision, not on git being absent.
    assert subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True).returncode == 0


@pytest.mark.slow
def test_chapter_ids_the_package_uses_itself_give_a_valid_epub(make_manuscript, tmp_path):
    # Ids content.opf and the generated documents use for themselves (metadata, manifest).
    taken = [
        "publisher", "title", "subtitle", "creator1", "contributor2", "print-isbn", "clc1",
        "css", "ncx", "id", "cover-image", "note-icon", "img-1", "landmarks", "toc-list",
    ]  # fmt: skip
    files = dict(MINIMAL_CHAPTERS)
    for n, name in enumerate(taken):
        files[f"{10 + n}-x.md"] = f"---\nid: {name}\n---\n\n# 第{n}篇\n\n正文{name}。\n"
    files["c.png"] = png()
    root = make_manuscript(
        {**MINIMAL_BOOK, "subtitle": "副题", "options": {"cover": "c.png"}}, files
    )
    out = tmp_path / "ids.epub"
    result = run("build", str(root), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert_epubcheck_clean(out)
    opf_ids = [el.get("id") for el in open_epub(out).opf.iter() if el.get("id")]
    assert len(opf_ids) == len(set(opf_ids))


@pytest.mark.parametrize(
    "name", ["nav", "notes", "revisions", "NAV", "Copyright", "titlepage", "notes-ch01"]
)
def test_file_names_the_tool_writes_are_reserved(make_manuscript, name):
    root = make_manuscript(None, {"a.md": f"---\nid: {name}\n---\n\n# 一\n\n文。\n"})
    assert ("F003", "a.md", 2) in codes_at(root)


def test_ids_differing_only_in_case_are_one(make_manuscript):
    files = {
        "a.md": "---\nid: Ch01\n---\n\n# 一\n\n文。\n",
        "b.md": "---\nid: ch01\n---\n\n# 二\n\n文。\n",
    }
    assert ("F004", "b.md", 2) in codes_at(make_manuscript(None, files))
