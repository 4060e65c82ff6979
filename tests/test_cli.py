"""The `ebook` command as a user meets it: exit codes, messages, files left behind."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import MINIMAL_BOOK, MINIMAL_CHAPTERS, NS, REPO, assert_epubcheck_clean, open_epub
from ebook.cli import main


def run(*args: str, cwd=None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


@pytest.mark.slow
def test_build_without_arguments_builds_manuscript_into_dist(tmp_path, make_manuscript):
    make_manuscript(name="manuscript")
    result = run("build", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    out = tmp_path / "dist" / "9787202118993.epub"
    assert out.is_file()
    lines = result.stdout.splitlines()
    assert lines[0] == os.path.join("dist", "9787202118993.epub")
    assert lines[1].startswith("3 chapters, 2 notes (3 references), ")
    assert_epubcheck_clean(out)


def test_minimal_book_structure(tmp_path, make_manuscript):
    root = make_manuscript()
    result = run("build", str(root), "-o", str(tmp_path / "b.epub"))
    assert result.exit_code == 0, result.output
    book = open_epub(tmp_path / "b.epub")
    spine = [i.get("idref") for i in book.opf.findall("opf:spine/opf:itemref", NS)]
    assert spine == [
        f"{n}.xhtml" for n in ("titlepage", "copyright", "preface", "nav", "one", "two")
    ]
    preface = book.doc("preface.xhtml").find("h:body", NS)
    assert preface.get("{http://www.idpf.org/2007/ops}type") == "frontmatter"
    assert book.doc("two.xhtml").xpath("string(.//h:h1)", namespaces=NS) == "第二章 继续"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"book.yaml": "title: [unclosed\nlanguage: zh\n"},
            "book.yaml:1:8: error B001 invalid YAML: this [ is not closed",
        ),
        (
            {"chapters": ["02-one.md", "missing.md"]},
            "book.yaml:{line}:{col}: error B007 chapter file 'missing.md' does not exist",
        ),
        (
            {"02-one.md": "# T\n\n正文[^nope]。\n"},
            "02-one.md:3:3: error N001 note reference [^nope] has no definition",
        ),
        (
            {"role": "作曲家"},
            "book.yaml:{line}:{col}: error B006 unknown contributor role '作曲家'",
        ),
    ],
)
def test_manuscript_errors_stop_the_build_with_a_location(
    tmp_path, make_manuscript, change, expected
):
    book = dict(MINIMAL_BOOK)
    files = dict(MINIMAL_CHAPTERS)
    if "chapters" in change:
        book["chapters"] = change["chapters"]
    if "role" in change:
        book["contributors"] = [{"name": "张三", "role": change["role"]}]
    files.update({k: v for k, v in change.items() if k.endswith(".md")})
    root = make_manuscript(book, files)
    if "book.yaml" in change:
        (root / "book.yaml").write_text(change["book.yaml"], "utf-8")
    config_lines = (root / "book.yaml").read_text("utf-8").splitlines()
    key = "missing.md" if "chapters" in change else change.get("role", "")
    line, col = next(
        ((n, text.index(key) + 1) for n, text in enumerate(config_lines, 1) if key and key in text),
        (0, 0),
    )
    target = tmp_path / "out.epub"
    result = run("build", str(root), "-o", str(target))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert expected.format(line=line, col=col) in result.output
    assert not target.exists()


def test_failed_build_leaves_previous_epub_untouched(tmp_path, make_manuscript):
    root = make_manuscript()
    target = tmp_path / "book.epub"
    assert run("build", str(root), "-o", str(target)).exit_code == 0
    before = target.read_bytes()
    (root / "02-one.md").write_text("# T\n\n坏[^missing]\n", "utf-8")
    result = run("build", str(root), "-o", str(target))
    assert result.exit_code == 1
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["book.epub"]


def test_unknown_front_matter_key_is_a_warning(tmp_path, make_manuscript):
    files = dict(MINIMAL_CHAPTERS, **{"03-two.md": "---\ntitle: 二\nauthor: 某\n---\n\n正文。\n"})
    root = make_manuscript(None, files)
    result = run("build", str(root), "-o", str(tmp_path / "b.epub"))
    assert result.exit_code == 0, result.output
    assert (
        "03-two.md:3:1: warning F002 unknown front matter key 'author' is ignored" in result.output
    )


def test_missing_manuscript_is_an_error_not_a_traceback(tmp_path):
    result = run("build", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert "error B000 no book.yaml" in result.output and "Traceback" not in result.output


def test_reproducible_bytes_and_source_date_epoch(tmp_path, make_manuscript, monkeypatch):
    root = make_manuscript()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # Both assembled afresh (no cache, other worker counts): the packaging itself must be
    # deterministic, not merely replayed from the cache.
    for name, jobs in (("a", "1"), ("b", "2")):
        result = run(
            "build", str(root), "-o", str(tmp_path / f"{name}.epub"), "--no-cache", "-j", jobs
        )
        assert result.exit_code == 0
    assert (tmp_path / "a.epub").read_bytes() == (tmp_path / "b.epub").read_bytes()
    opf = open_epub(tmp_path / "a.epub").opf
    modified = opf.find("opf:metadata/opf:meta[@property='dcterms:modified']", NS).text
    assert modified == "2023-11-14T22:13:20Z"


def test_python_dash_m_runs_the_cli():
    run_ = subprocess.run(
        [sys.executable, "-m", "ebook", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run_.returncode == 0 and "build" in run_.stdout


def test_the_book_is_found_from_any_folder_inside_it(tmp_path, monkeypatch):
    from ebook.convert.scaffold import create_manuscript

    book = tmp_path / "book"
    create_manuscript(book, title="书", author="某", language="zh-CN")
    (book / "images").mkdir()
    monkeypatch.chdir(book / "images")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert f"manuscript: {book.resolve()}" in result.output
    assert list((book / "dist").glob("*.epub"))  # beside book.yaml, where .gitignore covers it
    # ... and git sees nothing of what the build wrote.
    subprocess.run(["git", "init", "-q"], cwd=book, check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=book,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    written = {line[3:] for line in status.splitlines()}
    assert written == {".gitignore", "book.yaml", "preface.md", "ch01.md", "ch02.md"}


def test_a_manuscript_folder_below_is_used_as_before(tmp_path, monkeypatch, make_manuscript):
    make_manuscript(name="manuscript")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert "manuscript:" not in result.output
    assert (tmp_path / "dist" / "9787202118993.epub").is_file()


def test_no_manuscript_anywhere_is_b000(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "error B000 no manuscript here" in result.output


def many_chapter_book(make_manuscript, count=25):
    files = {f"{n:02}.md": f"# 第{n}篇\n\n正文第{n}篇。\n" for n in range(1, count + 1)}
    return make_manuscript(MINIMAL_BOOK, files)


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_on_a_terminal_only(make_manuscript, tmp_path, monkeypatch, quiet):
    import ebook.cli as cli

    root = many_chapter_book(make_manuscript)
    # CliRunner is no terminal: nothing but the result.
    plain = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "a.epub")])
    assert plain.exit_code == 0 and "rendering chapters" not in plain.output
    # On a terminal: a progress bar of the chapters, unless --quiet.
    monkeypatch.setattr(cli.terminal, "interactive", lambda q: not q)
    args = ["build", str(root), "-o", str(tmp_path / "b.epub"), "--no-cache"]
    shown = CliRunner().invoke(main, args + (["--quiet"] if quiet else []))
    assert shown.exit_code == 0, shown.output
    assert ("rendering chapters" in shown.output) is not quiet
    assert "25 chapters, 0 notes (0 references)" in shown.output


def test_counts_are_singular_for_one(make_manuscript, tmp_path):
    root = make_manuscript(
        MINIMAL_BOOK, {"a.md": "# 一\n\n文[^a]。\n\n[^a]: 一条完整的注释文字。\n"}
    )
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "a.epub")])
    assert "1 chapter, 1 note (1 reference), " in result.output
    assert "0 errors, 0 warnings" in CliRunner().invoke(main, ["check", str(root)]).output


def test_help_lists_every_command_without_cutting_it():
    listing = CliRunner().invoke(main, ["--help"]).output
    commands = listing.split("Commands:")[1].strip().splitlines()
    assert len(commands) == 7
    assert not any(line.rstrip().endswith("...") for line in commands), listing


def test_a_reader_that_leaves_early_is_no_internal_error(tmp_path, make_manuscript):
    """`ebook check | head -1`: the first finding arrives, then nothing more, and no report
    of a bug (the output is larger than a pipe's buffer, so the write does fail)."""
    body = "# 一\n\n" + "".join(f"文(括号{i})。\n\n" for i in range(3000))
    root = make_manuscript(None, {"c01.md": body})
    pipeline = subprocess.run(
        f'"{sys.executable}" -m ebook check "{root}" | head -1',
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert pipeline.stdout.count("\n") == 1 and " T001 " in pipeline.stdout
    assert "internal error" not in pipeline.stderr and "Traceback" not in pipeline.stderr
    assert "Broken pipe" not in pipeline.stderr


def test_preview_without_a_book_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["preview"])
    assert result.exit_code == 1
    assert "B000" in result.output and "internal error" not in result.output


def test_every_code_the_tool_prints_can_be_explained(tmp_path, make_manuscript):
    from ebook.build import build_epub
    from ebook.core.errors import BookHasErrors

    root = make_manuscript(None, {"c01.md": "# 一\n\n见[缺](nowhere.md)。\n"})
    with pytest.raises(BookHasErrors) as stopped:
        build_epub(root, tmp_path / "b.epub")
    code = stopped.value.diagnostic.code
    assert code == "E000" and " E000 " in str(stopped.value)
    explained = CliRunner().invoke(main, ["check", "--explain", code])
    assert explained.exit_code == 0 and explained.output.startswith("E000 (error):")


def test_a_port_in_use_suggests_port_zero(make_manuscript):
    import socket

    root = make_manuscript()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["preview", str(root), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on port {port}" in result.output and "--port 0" in result.output


def _empty(tmp_path):
    (tmp_path / "empty").mkdir()
    return tmp_path / "empty"


def _broken(tmp_path):
    root = tmp_path / "broken"
    root.mkdir()
    (root / "book.yaml").write_text("title: [unclosed\n", "utf-8")
    (root / "mkdocs.yml").write_text("nav: [unclosed\n", "utf-8")
    (root / "ch.md").write_bytes(b"# \xff\xfe broken\n")
    (root / "book.txt").write_bytes(b"\xff\xfe\x00 not text")
    return root


# Each command run in a folder with nothing it can read, and in one whose files are broken: a
# located error and its type's exit status (1 input to mend, 2 usage, 3 output refused), never
# an internal error. The suite sets EBOOK_DEBUG, so an internal
# error would surface here as the exception itself. `preview` on a broken book serves its error
# page and recovers (test_preview.py); `init` in an empty folder does its job.
COMMANDS_ON_BAD_INPUT = {
    "build": ["build", ".", "-o", "../b.epub"],
    "check": ["check"],
    "diff": ["diff", ".", "."],
    "preview": ["preview", "--port", "0"],
    "adopt": ["adopt", ".", "-o", "../adopted"],
    "import": ["import", "book.txt", "-o", "../imported"],
    "init": ["init", "."],
}
EXIT_STATUS = {("import", "empty"): 2, ("init", "broken"): 3}


BAD_INPUT_CASES = [
    (command, state)
    for command in sorted(COMMANDS_ON_BAD_INPUT)
    for state in ("empty", "broken")
    if (command, state) not in {("preview", "broken"), ("init", "empty")}  # not errors: above
]


@pytest.mark.parametrize(("command", "state"), BAD_INPUT_CASES)
def test_every_command_on_missing_or_broken_input_is_a_finding(command, state, tmp_path):
    folder = (_empty if state == "empty" else _broken)(tmp_path)
    result = run(*COMMANDS_ON_BAD_INPUT[command], cwd=folder)
    assert result.exit_code == EXIT_STATUS.get((command, state), 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert "error" in result.output.lower(), result.output


def test_each_error_type_has_its_exit_status(tmp_path, make_manuscript, monkeypatch):
    import ebook.tools.epubcheck

    root = make_manuscript()
    monkeypatch.setattr(ebook.tools.epubcheck.shutil, "which", lambda name: None)
    no_java = run("check", "--epub", str(root))
    assert no_java.exit_code == 5 and "needs Java" in no_java.output, no_java.output
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("x")
    assert run("init", str(tmp_path / "taken")).exit_code == 3
    missing = run("diff", str(tmp_path / "none.epub"), str(root))
    assert missing.exit_code == 4 and "D001" in missing.output, missing.output
    (root / "book.yaml").write_text("title: [", "utf-8")
    assert run("build", str(root), "-o", str(tmp_path / "b.epub")).exit_code == 1


def test_ctrl_c_during_the_progress_bar_gives_the_terminal_its_cursor_back(
    make_manuscript, tmp_path, monkeypatch
):
    """click's bar hides the cursor until it is finished; an interrupted build finishes it."""
    import ebook.build
    import ebook.cli.terminal as terminal

    finished = []

    class Bar:
        pos = 0

        def __enter__(self):
            return self

        def update(self, steps):
            self.pos += steps

        def __exit__(self, *exc):
            finished.append(True)

    def interrupted(manuscript, output, strict, cache, workers, out_dir, progress, **given):
        progress(1, 40)  # a bar drawn, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(terminal, "interactive", lambda quiet: True)
    monkeypatch.setattr(terminal.click, "progressbar", lambda **options: Bar())
    monkeypatch.setattr(ebook.build, "build_epub", interrupted)
    root = make_manuscript()
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "b.epub")])
    assert isinstance(result.exception, KeyboardInterrupt) or result.exit_code == 1
    assert finished == [True]
    assert terminal._open_bars == []


def test_run_from_a_folder_inside_the_book_paths_are_relative_to_it(make_manuscript, monkeypatch):
    files = dict(MINIMAL_CHAPTERS, **{"03-two.md": "# 第二章\n\n汉字,汉字。\n"})  # T001
    root = make_manuscript(MINIMAL_BOOK, files)
    (root / "images").mkdir()
    monkeypatch.chdir(root / "images")
    result = CliRunner().invoke(main, ["check"])
    assert "../03-two.md:3:3: warning T001" in result.output, result.output
    monkeypatch.chdir(root.parent)
    result = CliRunner().invoke(main, ["check", root.name])
    assert f"{root.name}/03-two.md:3:3: warning T001" in result.output, result.output
