"""`ebook adopt` under attack: broken configs, non-UTF-8 pages, huge numbers, deep folders,
symbolic links out of the source and in circles, YAML bombs, quadratic pages, and a page that
begins with a rule. Each: no traceback, a bounded time, nothing read or written outside."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_manuscript
from ebook.cli import main
from ebook.convert.adopt import adopt

PAGE = "# 第一章\n\n正文。\n"
BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b]\n"
)


# Lines that a careless pattern reads in quadratic time (a tag of 20,000 spaces, 8,000 `<a`,
# a heading of spaces, brackets without end, widgets and code groups left open).
HOSTILE_LINES = "\n\n".join(
    [
        "# 题",
        "<a" + " " * 20_000 + ">",
        "<a " * 8_000,
        "# " + " " * 20_000 + "x",
        "## " + "[" * 8_000 + "](" * 8_000,
        "<div" + " " * 20_000 + 'style="x">',
        "<select>" + "<option>" * 8_000,
        "::: code-group\n```sh [" + "a" * 20_000 + "\n```\n" + " " * 20_000,
        "<img src=x>\n" + "图 1" + " " * 20_000 + "x",
        "$$" + " " * 20_000,
        "[x](<" + "<" * 20_000,
        "<img " * 20_000,
    ]
)


def run_adopt(source: Path, out: Path, *extra: str):
    started = time.monotonic()
    result = CliRunner().invoke(main, ["adopt", str(source), "-o", str(out), *extra])
    elapsed = time.monotonic() - started
    assert result.exit_code in (0, 1, 3), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert elapsed < 20, f"{elapsed:.1f} s"
    return result


@pytest.mark.parametrize(
    "files",
    [
        {"book.toml": "[book\ntitle = ", "src/SUMMARY.md": "- [一](a.md)\n", "src/a.md": PAGE},
        {"book.toml": "[book]\nsrc = 5\n", "src/a.md": PAGE},
        {"book.toml": '[book]\ntitle = ["x"]\nauthors = "y"\n', "src/a.md": PAGE},
        {"book.json": "{", "a.md": PAGE},
        {"book.json": "[1,2]", "a.md": PAGE},
        {"_config.yml": BOMB, "a.md": PAGE},
        {"_config.yml": "title: [", "a.md": PAGE},
        {"hugo.toml": "languages = 5\n", "content/a.md": PAGE},
        {"a.md": b"# \xff\xfe bad\n\n\xc3\x28\n"},
        {"a.md": f"---\n{BOMB}---\n\n# 章\n\n文。\n"},
        {"docs/_category_.yml": BOMB, "docs/a.md": PAGE},
        {"mkdocs.yml": BOMB, "docs/a.md": PAGE},
        {"mkdocs.yml": "nav: 5\ndocs_dir: [1]\n", "docs/a.md": PAGE},
        {"mkdocs.yml": "nav:\n  - a: [1, {x: y}, {b: ../../x.md}]\n  - 7\n", "docs/a.md": PAGE},
        {"mkdocs.yml": "docs_dir: ../..\n", "docs/a.md": PAGE},
        {"mkdocs.yml": "site_name: x\n", "docs/a.md": "".join("    " * n + "!!! note\n" for n in range(1100))},
        {"mkdocs.yml": "site_name: x\n", "docs/a.md": '--8<-- "../../../etc/passwd"\n--8<--\n/etc/hosts\n'},
        {"book.toml": "[book]\n", "src/SUMMARY.md": "- [一](a.md)\n", "src/a.md": "{{#include inc.txt:" + "9" * 5000 + "}}\n", "src/inc.txt": "x\n"},
        {"book.toml": "[book]\n", "src/SUMMARY.md": "- [一](a.md)\n", "src/a.md": "{{#include inc.txt}}\n", "src/inc.txt": b"\xff\xfe\n"},
        {".vitepress/config.mts": "export default { title: 'x' }\n", "index.md": HOSTILE_LINES},
        {"index.html": "<script>window.$docsify = { name: 'x' }</script>\n", "README.md": HOSTILE_LINES},
    ],
    ids=[
        "toml-invalid", "src-number", "toml-types", "json-open", "json-list", "yaml-bomb",
        "yaml-invalid", "hugo-languages", "page-not-utf8", "front-matter-bomb",
        "category-bomb", "mkdocs-bomb", "mkdocs-types", "mkdocs-nav-odd", "mkdocs-docs-outside",
        "mkdocs-1100-nested-boxes", "mkdocs-snippets-outside", "include-5000-digits",
        "include-not-utf8", "vitepress-quadratic-lines", "docsify-quadratic-lines",
    ],
)  # fmt: skip
def test_a_broken_source_is_reported_not_a_crash(tmp_path, files):
    source = write_manuscript(tmp_path / "site", None, files)
    run_adopt(source, tmp_path / "m")


def test_a_page_that_begins_with_a_rule_keeps_its_text(tmp_path):
    source = write_manuscript(
        tmp_path / "site", None, {"a.md": "---\n\n第一段文字。\n\n---\n\n# 标题\n\n第二段。\n"}
    )
    result = adopt(source)
    page = next(v for k, v in result.files.items() if k.endswith(".md"))
    assert "第一段文字。" in page and "第二段。" in page


def test_config_files_linking_out_of_the_source_are_not_read(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text('{"title": "SECRET", "position": 1}', "utf-8")
    source = write_manuscript(tmp_path / "site", None, {"a.md": PAGE, "docs/b.md": PAGE})
    (source / "book.json").symlink_to(secret)
    (source / "docs" / "_category_.json").symlink_to(secret)
    result = run_adopt(source, tmp_path / "m")
    written = "".join(p.read_text("utf-8") for p in (tmp_path / "m").glob("*.*") if p.is_file())
    assert "SECRET" not in written
    assert "outside the book" in result.output


def test_a_linked_folder_in_a_circle_ends(tmp_path):
    source = write_manuscript(tmp_path / "site", None, {"a.md": PAGE, "sub/b.md": PAGE})
    (source / "x").symlink_to(".")
    (source / "sub" / "y").symlink_to("..")
    result = run_adopt(source, tmp_path / "m")
    chapters = [p for p in (tmp_path / "m").glob("*.md")]
    assert len(chapters) == 2, result.output


def test_a_thousand_nested_folders_end(tmp_path, monkeypatch):
    source = tmp_path / "site"
    source.mkdir()
    (source / "a.md").write_text(PAGE, "utf-8")
    monkeypatch.chdir(source)
    for _ in range(1200):  # deeper than a path can name: made one step at a time
        os.mkdir("d")
        os.chdir("d")
    Path("deep.md").write_text(PAGE, "utf-8")
    monkeypatch.chdir(tmp_path)
    try:
        result = run_adopt(source, tmp_path / "m")
        assert "nested too deep" in result.output
    finally:
        _remove_deep(source / "d")


def _remove_deep(top: Path) -> None:
    """Remove a chain of nested folders one level at a time (shutil.rmtree recurses once per
    level, past Python's limit here)."""
    here = os.getcwd()
    os.chdir(top.parent)
    depth = 0
    try:
        while os.path.isdir("d"):
            os.chdir("d")
            depth += 1
        for name in os.listdir("."):
            os.unlink(name)
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("d")
    finally:
        os.chdir(here)


@pytest.mark.parametrize(
    "page",
    [
        "[a\n" * 20_000,
        "<details>\n" * 20_000,
        # (Each link looked for its heading among all of them: quadratic until each page's
        # ids and slugs were kept in a dict.)
        pytest.param(
            "".join(f"## 节{i}\n\n[到{i}](#节{i})\n\n" for i in range(2000)),
            marks=pytest.mark.slow,
        ),
    ],
    ids=["open-brackets", "unclosed-details", "2000-linked-headings"],
)
def test_pages_that_were_quadratic_cost_linear_time(tmp_path, page):
    source = write_manuscript(tmp_path / "site", None, {"a.md": "# 章\n\n" + page})
    started = time.monotonic()
    adopt(source)
    assert time.monotonic() - started < 10


def test_force_never_writes_through_a_link_or_onto_a_file_in_the_way(tmp_path):
    source = write_manuscript(tmp_path / "site", None, {"a.md": PAGE + "\n![图](img/a.png)\n"})
    (source / "img").mkdir()
    (source / "img" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", "utf-8")
    out = tmp_path / "m"
    out.mkdir()
    (out / "book.yaml").symlink_to(victim)
    run_adopt(source, out, "--force")
    assert victim.read_text("utf-8") == "keep"
    assert not (out / "book.yaml").is_symlink()
    # `images` a file where the adoption needs a folder: a located error, not a crash.
    out2 = tmp_path / "m2"
    out2.mkdir()
    (out2 / "images").write_text("a file", "utf-8")
    result = run_adopt(source, out2, "--force")
    assert result.exit_code != 0 and "images" in result.output


NAMES = st.sampled_from(
    ["a.md", "b.md", "README.md", "SUMMARY.md", "_index.md", "index.md", "book.toml",
     "book.json", "_config.yml", "hugo.toml", "_category_.json", "inc.txt", "img.png"]
)  # fmt: skip
FOLDERS = st.sampled_from(["", "src/", "docs/", "content/", "docs/sub/"])
CONTENT = st.sampled_from(
    [PAGE, "---\ntitle: 标题\nweight: 2\n---\n\n正文。\n", "- [一](a.md)\n    - [二](b.md)\n",
     "[book]\nsrc = \"src\"\n", "{\"title\": 1}", BOMB, "{{#include inc.txt:1:2}}\n",
     "[x](../../etc/passwd) ![y](/etc/hosts)\n", "<details>\n", "---\n\n---\n", "\xff",
     "[a]: b.md\n[c][a]\n", "## 节\n\n[到](#节)\n"]
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tree=st.lists(st.tuples(FOLDERS, NAMES, CONTENT), min_size=1, max_size=8),
    links=st.lists(st.sampled_from([".", "..", "/etc", "a.md", "outside"]), max_size=2),
)
def test_any_site_tree_adopts_without_a_traceback_or_a_read_outside(tmp_path_factory, tree, links):
    base = tmp_path_factory.mktemp("fuzz")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# SECRET\n\nSECRET\n", "utf-8")
    source = base / "site"
    source.mkdir()
    for folder, name, content in tree:
        path = source / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            content.encode("utf-8", "surrogateescape") if content != "\xff" else b"\xff"
        )
    for n, target in enumerate(links):
        link = source / f"link{n}"
        link.symlink_to(outside if target == "outside" else target)
    before = sorted(os.listdir(base))
    out = base / "m"
    result = CliRunner().invoke(main, ["adopt", str(source), "-o", str(out)])
    assert result.exit_code in (0, 1, 3), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert sorted(os.listdir(base)) == sorted(before + (["m"] if out.exists() else []))
    written = (
        "".join(p.read_text("utf-8", "replace") for p in out.rglob("*.md")) if out.exists() else ""
    )
    assert "SECRET" not in written
