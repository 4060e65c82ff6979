"""Odd and hostile manuscripts: each either builds completely or stops with a located error,
and none gives a traceback."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BASE_YAML, MINIMAL_BOOK, assert_epubcheck_clean, open_epub, write_manuscript
from ebook.build import check_manuscript
from ebook.cli import main

CHAPTER = "# 第一章 标题\n\n正文。\n"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def findings(root: Path) -> list[tuple[str, str, int | None, int | None]]:
    """(code, file, line, column) of every finding, or of the error that stopped loading."""
    try:
        found = check_manuscript(root).findings
    except Exception as exc:  # noqa: BLE001 — an EbookError carries the same diagnostic
        found = (exc.diagnostic,)
    return [(f.code, f.path.name if f.path else "", f.line, f.column) for f in found]


# (id, book.yaml text, files, expected (code, file, line, column))
CASES = [
    ("impossible-day", BASE_YAML.replace("2024-05", "2017-02-30"), {}, ("B011", "book.yaml", 6, 7)),
    (
        "impossible-month",
        BASE_YAML.replace("2024-05", "2017-13-45"),
        {},
        ("B011", "book.yaml", 6, 7),
    ),
    ("explicit-tag", BASE_YAML + "subtitle: !!int abc\n", {}, ("B001", "book.yaml", 7, 11)),
    ("alias-loop", BASE_YAML + "x: &a [*a]\n", {}, ("B001", "book.yaml", 7, 4)),
    (
        "alias-bomb",
        BASE_YAML
        + "".join(
            f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]\n" for n in range(1, 10)
        ).replace("*l0", "x"),
        {},
        ("B001", "book.yaml", 7, 5),
    ),
    ("deep-yaml", BASE_YAML + "x: " + "[" * 40 + "]" * 40 + "\n", {}, ("B001", "book.yaml", 7, 35)),
    ("yaml-escape-control", BASE_YAML + 'subtitle: "a\\x01"\n', {}, ("B001", "book.yaml", 7, 11)),
    (
        "revision-types",
        BASE_YAML + "revisions: [{date: 5, edition: abc}]\n",
        {},
        ("B004", "book.yaml", 7, 32),
    ),
    (
        "revision-date",
        BASE_YAML + "revisions: [{date: 2024-02-30, edition: 2}]\n",
        {},
        ("B011", "book.yaml", 7, 20),
    ),
    (
        "title-list",
        BASE_YAML.replace("title: 书", "title: [a, b]"),
        {},
        ("B004", "book.yaml", 1, 8),
    ),
    ("toc-depth-0", BASE_YAML + "options: {toc_depth: 0}\n", {}, ("B004", "book.yaml", 7, 22)),
    ("cover-outside", BASE_YAML + "options: {cover: ../x.png}\n", {}, ("B016", "book.yaml", 7, 18)),
    (
        "book-yaml-utf16",
        None,
        {"book.yaml": BASE_YAML.encode("utf-16")},
        ("F007", "book.yaml", 1, 1),
    ),
    ("book-yaml-binary", None, {"book.yaml": b"title: \x80\x81\n"}, ("F007", "book.yaml", 1, 8)),
    ("chapter-binary", BASE_YAML, {"ch.md": b"\x89PNG\r\n\x1a\n\x00\x00"}, ("F007", "ch.md", 1, 1)),
    ("control-character", BASE_YAML, {"ch.md": "# 一\n\n文\x07字。\n"}, ("T005", "ch.md", 3, 2)),
    ("noncharacter", BASE_YAML, {"ch.md": "# 一\n\n文\uffff字。\n"}, ("T005", "ch.md", 3, 2)),
    (
        "title-noncharacter",
        BASE_YAML,
        {"ch.md": '---\ntitle: "\\uFFFE"\n---\n\n文。\n'},
        ("F001", "ch.md", 2, 8),
    ),
    (
        "fm-title-list",
        BASE_YAML,
        {"ch.md": "---\ntitle: [a]\n---\n\n文。\n"},
        ("F001", "ch.md", 2, 8),
    ),
    ("quote-300", BASE_YAML, {"ch.md": "# 一\n\n" + "> " * 300 + "深\n"}, ("S006", "ch.md", 3, 1)),
    (
        "list-200",
        BASE_YAML,
        {"ch.md": "# 一\n\n" + "".join("    " * i + f"- 项{i}\n" for i in range(200))},
        ("S006", "ch.md", 202, 1),
    ),
    (
        "div-300",
        BASE_YAML,
        {"ch.md": "# 一\n\n" + "<div>" * 300 + "甲" + "</div>" * 300 + "\n\n后文。\n"},
        ("S006", "ch.md", 3, 1),
    ),
    (
        "quote-3000",
        BASE_YAML,
        {"ch.md": "# 一\n\n" + ">" * 3000 + " 深\n"},
        ("S006", "ch.md", 3, 1),
    ),
    (
        "note-in-note",
        BASE_YAML,
        {"ch.md": "# 一\n\n文[^a]。\n\n[^a]: 注一，又见[^inner]。\n\n[^inner]: 里面的一条注释。\n"},
        ("N007", "ch.md", 5, 12),
    ),
    ("data-url", BASE_YAML, {"ch.md": "# 一\n\n[点](data:text/html,x)\n"}, ("L007", "ch.md", 3, 5)),
    (
        "hidden-javascript",
        BASE_YAML,
        {"ch.md": "# 一\n\n[点](&#106;avascript:alert(1))\n"},
        ("H004", "ch.md", 3, 5),
    ),
    (
        "text-as-png",
        BASE_YAML,
        {"ch.md": "# 一\n\n![图](images/x.png)\n", "images/x.png": "plain text"},
        ("L008", "ch.md", 3, 6),
    ),
    (
        "svg-script",
        BASE_YAML,
        {
            "ch.md": "# 一\n\n![图](images/x.svg)\n",
            "images/x.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
        },
        ("H006", "ch.md", 3, 6),
    ),
    (
        "svg-onload",
        BASE_YAML,
        {
            "ch.md": "# 一\n\n![图](images/x.svg)\n",
            "images/x.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
        },
        ("H006", "ch.md", 3, 6),
    ),
]


@pytest.mark.parametrize(
    ("book", "files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_input_is_a_located_finding(tmp_path, book, files, expected):
    root = write_manuscript(tmp_path / "m", book, {"ch.md": CHAPTER} | files)
    assert expected in findings(root)
    result = run("build", str(root), "-o", str(tmp_path / "out.epub"))
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "out.epub").exists()
    code, name, line, column = expected
    assert f"{name}:{line}:{column}: error {code}" in result.output


def test_yaml_error_names_where_the_bracket_opened(tmp_path):
    root = write_manuscript(tmp_path / "m", "title: [书\nlanguage: zh\n", {"ch.md": CHAPTER})
    result = run("check", str(root))
    assert "book.yaml:1:8: error B001 invalid YAML: this [ is not closed" in result.output
    assert "stopped at line 2" in result.output


def test_front_matter_title_that_looks_like_a_date_stays_text(tmp_path):
    root = write_manuscript(
        tmp_path / "m", BASE_YAML, {"ch.md": "---\ntitle: 2017-02-03\n---\n\n文。\n"}
    )
    out = tmp_path / "out.epub"
    assert run("build", str(root), "-o", str(out)).exit_code == 0
    assert open_epub(out).doc("ch.xhtml").xpath("string(//*[local-name()='h1'])") == "2017-02-03"


@pytest.mark.slow
def test_huge_paragraph_is_kept_whole(tmp_path):
    # 12 MB in one paragraph: libxml2 empties text nodes over 10 MB unless told otherwise.
    text = "中" * 4_000_000
    root = write_manuscript(tmp_path / "m", BASE_YAML, {"ch.md": f"# 一\n\n{text}\n\n下一段。\n"})
    out = tmp_path / "out.epub"
    assert run("build", str(root), "-o", str(out)).exit_code == 0
    body = zipfile.ZipFile(out).read("EPUB/ch.xhtml").decode("utf-8")
    assert body.count("中") == 4_000_000 and "下一段。" in body
    assert_epubcheck_clean(out)


def test_diff_reports_a_moved_chapter_of_an_english_book(tmp_path):
    book = {**MINIMAL_BOOK, "language": "en", "title": "Book"}
    old = write_manuscript(
        tmp_path / "old", book, {"a.md": "---\nid: one\n---\n\n# One\n\nText.\n"}
    )
    new = write_manuscript(
        tmp_path / "new", book, {"b.md": "---\nid: one\n---\n\n# One\n\nText.\n"}
    )
    result = run("diff", str(old), str(new))
    assert result.exit_code == 0, result.output
    assert "manuscript file: a.md" in result.output


def test_every_label_exists_in_every_language():
    from ebook.core.labels import LABELS

    keys = set(LABELS["en"])
    for language, table in LABELS.items():
        assert set(table) == keys, language
        for key, text in table.items():
            # A template's fields are the same in every language.
            fields = set(re.findall(r"\{(\w*)\}", text))
            assert fields == set(re.findall(r"\{(\w*)\}", LABELS["en"][key])), (language, key)


def test_a_bug_in_the_tool_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    import ebook.build

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(ebook.build, "build_epub", broken)
    monkeypatch.delenv("EBOOK_DEBUG", raising=False)
    root = write_manuscript(tmp_path / "m", BASE_YAML, {"ch.md": CHAPTER})
    result = CliRunner().invoke(main, ["build", str(root)])
    assert result.exit_code == 70
    assert "internal error: RuntimeError: simulated bug" in result.output
    assert "Traceback" not in result.output


# One line of 50 KB repeating what makes a parser look ahead from every occurrence: each took
# from 13 s to minutes once (Python-Markdown, then markdown-it's link label and note scans,
# and a backtracking code-span pattern of the checks). Linear now: well under a second each on
# the project's machine (benchmarks/hostile_lines.py); the bound only catches a hang.
HOSTILE_UNITS = ["[", "![", "[^", "<a ", "[a](", "[a]{", "`", "``a", "$a", "{", "*", "_", "\\"]


@pytest.mark.slow
@pytest.mark.parametrize("unit", HOSTILE_UNITS)
def test_no_line_costs_more_than_linear_time(tmp_path, unit):
    import time

    line = "文" + unit * (50_000 // len(unit)) + "x"
    root = write_manuscript(tmp_path / "m", BASE_YAML, {"ch.md": f"# 一\n\n{line}\n"})
    started = time.perf_counter()
    result = run("check", str(root))
    elapsed = time.perf_counter() - started
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    assert elapsed < 20, f"{unit!r}: {elapsed:.1f} s"


def test_an_email_like_autolink_with_a_backslash_is_text(tmp_path):
    """CommonMark's example `<foo\\+@bar.example.com>` inside a paragraph (it was exit 70)."""
    root = write_manuscript(
        tmp_path / "m", BASE_YAML, {"ch.md": "# 一\n\n文字 <foo\\+@bar.example.com> 文字。\n"}
    )
    out = tmp_path / "out.epub"
    result = run("build", str(root), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = "".join(open_epub(out).doc("ch.xhtml").itertext())
    assert "<foo+@bar.example.com>" in text


# Raw HTML whose attribute values or nesting EPUBCheck rejects; each is repaired (H001 at its
# line), so that a check without errors still means an EPUB EPUBCheck accepts.
RAW_HTML_ATTRIBUTES = [
    '<span id="a b">空格</span>',
    '<span id="">空</span>',
    '<table><tr><td colspan="0">零</td><td rowspan="-1">负</td></tr></table>',
    '<table><colgroup><col span="0"/></colgroup><tr><td>列</td></tr></table>',
    '<ol start="x" type="z"><li>项</li></ol>',
    '<span lang="en_US">English</span>',
    '<span dir="sideways">方向</span>',
    "<bdo>无方向</bdo>",
    '<time datetime="garbage">时间</time>',
    '<span aria-hidden="maybe">隐</span>',
    '<span role="bogus">角色</span>',
    '<img src="images/a.png" alt="图" width="abc" height="-5"/>',
    '<a href="http://exa mple.com/">空格网址</a>',
    '<a href="http://">无主机</a>',
    '<a href="https://[bad/">坏地址</a>',
    '<figure><figcaption>一</figcaption><img src="images/a.png" alt="图"/>'
    "<figcaption>二</figcaption></figure>",
    "<dl><p>段落</p></dl>",
    '<table><tr><th id="h">头</th></tr><tr><td headers="nothing">格</td></tr></table>',
]


@pytest.mark.parametrize("snippet", RAW_HTML_ATTRIBUTES)
def test_raw_html_epubcheck_rejects_is_repaired_and_reported(tmp_path, snippet):
    from test_fixture_books import png

    body = f"# 一\n\n正文。\n\n{snippet}\n"
    root = write_manuscript(tmp_path / "m", BASE_YAML, {"ch.md": body, "images/a.png": png()})
    result = run("check", str(root))
    assert result.exit_code == 0, result.output
    assert "ch.md:5:1: warning H001" in result.output, result.output


@pytest.mark.slow
def test_a_book_of_such_raw_html_passes_epubcheck(tmp_path):
    from test_fixture_books import png

    body = "# 一\n\n" + "\n\n".join(f"{s}\n\n正文。" for s in RAW_HTML_ATTRIBUTES) + "\n"
    root = write_manuscript(tmp_path / "m", BASE_YAML, {"ch.md": body, "images/a.png": png()})
    out = tmp_path / "out.epub"
    result = run("build", str(root), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert_epubcheck_clean(out)
