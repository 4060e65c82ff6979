"""One case per finding code: a small manuscript that triggers it, with the exact place."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE_YAML, REPO, write_manuscript
from ebook.build import check_manuscript
from ebook.cli import main
from ebook.core.codes import CODES

# Line numbers below count from BASE: title 1, language 2, contributors 3-4, publisher 5,
# date 6; extra lines from 7.
BASE = BASE_YAML
CHAPTER = {"ch.md": "# 第一章 标题\n\n正文。\n"}


def yaml_with(*lines: str, replace: dict[str, str] | None = None) -> str:
    text = BASE
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    return text + "".join(line + "\n" for line in lines)


def at(text: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the first `needle` in `text`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in text")


def png() -> bytes:
    from test_fixture_books import png as make_png

    return make_png()


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 16
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}</svg>'


# A book that cites one entry of its bibliography, with a 参考文献 page.
CITING = yaml_with("bibliography: refs.json")
ENTRY = (
    '{"id": "a", "type": "book", "title": "书名", "language": "zh", "author": [{"literal":'
    ' "某人"}], "publisher": "出版社", "publisher-place": "北京", "issued": {"date-parts":'
    " [[2000]]}}"
)
ENTRY_B = ENTRY.replace('"a"', '"b"')


def entries(*written: str) -> str:
    """A CSL-JSON file of the entries, one per line from line 2."""
    return "[\n" + ",\n".join(written) + "\n]"


CITED = {
    "ch.md": "# 一\n\n见[@a]。\n",
    "refs.json": entries(ENTRY),
    "zz.md": "---\nkind: bibliography\n---\n# 参考文献\n",
}


# (code, book.yaml text, files, file holding the finding, needle locating it [or (line, col)])
CASES = [
    # An unclosed bracket is reported where it opened, not where the parser gave up.
    ("B001", "title: [书\nlanguage: zh\n", CHAPTER, "book.yaml", (1, 8)),
    ("B002", yaml_with("titel: 书"), CHAPTER, "book.yaml", "titel"),
    ("B003", yaml_with(replace={"date: 2024-05\n": ""}), CHAPTER, "book.yaml", (1, 1)),
    ("B004", yaml_with("chapters: ch.md"), CHAPTER, "book.yaml", "ch.md"),
    ("B005", yaml_with("isbn: 978-7-202-11899-4"), CHAPTER, "book.yaml", "978-"),
    ("B006", yaml_with(replace={"role: 著": "role: 作曲"}), CHAPTER, "book.yaml", "作曲"),
    ("B007", yaml_with("chapters: [ch.md, gone.md]"), CHAPTER, "book.yaml", "gone.md"),
    ("C001", yaml_with("cip: {number: 2024-000001, standard: 2019}"), CHAPTER, "book.yaml", "2019"),
    (
        "C002",
        yaml_with(
            "edition: {number: 1, date: 2024-05}", "revisions:", "  - {date: 2025-03, edition: 2}"
        ),
        CHAPTER,
        "book.yaml",
        "2}",
    ),
    ("C004", yaml_with("cip: {subjects: [甲], number: 2019-000001}"), CHAPTER, "book.yaml", "2019"),
    ("C005", yaml_with("cip: {number: 2024-000001}"), CHAPTER, "book.yaml", "{number"),
    ("C006", yaml_with(replace={"role: 著": "role: 译"}), CHAPTER, "book.yaml", "{name"),
    ("C007", yaml_with("series: {title: 丛书, issn: 1234-5678}"), CHAPTER, "book.yaml", "1234-"),
    (
        "C008",
        yaml_with("cip: {subjects: [甲], number: 2024-000001, standard: 2001}"),
        CHAPTER,
        "book.yaml",
        "2001}",
    ),
    (
        "B008",
        yaml_with("isbn: 978-7-202-11899-3", "eisbn: 9787202118993"),
        CHAPTER,
        "book.yaml",
        "9787202118993",
    ),
    ("B009", yaml_with("cip: {classifications: [D63—39]}"), CHAPTER, "book.yaml", "D63—39"),
    ("B010", yaml_with("cip: {number: '2017035467'}"), CHAPTER, "book.yaml", "'2017035467'"),
    ("B011", yaml_with(replace={"2024-05": "2024-13"}), CHAPTER, "book.yaml", "2024-13"),
    ("B012", yaml_with(replace={"zh-CN": "zh_CN"}), CHAPTER, "book.yaml", "zh_CN"),
    ("B013", yaml_with("chapters: [ch.md, ch.md]"), CHAPTER, "book.yaml", (7, 19)),
    (
        "B014",
        yaml_with("chapters: [ch.md]"),
        {**CHAPTER, "more.md": "# 二\n\n文。\n"},
        "book.yaml",
        "chapters",
    ),
    ("B016", yaml_with("options: {stylesheet: /etc/passwd}"), CHAPTER, "book.yaml", "/etc/passwd"),
    ("B016", yaml_with("chapters: [ch.md, ../secret.md]"), CHAPTER, "book.yaml", "../secret.md"),
    ("B017", yaml_with("options: {output_name: ../../escape}"), CHAPTER, "book.yaml", "../../"),
    ("B018", yaml_with('uid: "urn:uuid:<x>]]>"'), CHAPTER, "book.yaml", (7, 6)),
    (
        "B019",
        yaml_with("accepted:\n  - {code: T001, file: ch.md, line: 9, reason: 照录原文}"),
        CHAPTER,
        "book.yaml",
        (8, 5),
    ),
    ("B012", yaml_with("original: {title: X, language: en_US}"), CHAPTER, "book.yaml", "en_US"),
    ("F007", BASE, {"ch.md": "# 一\n\nab".encode() + b"\xff" + "cd。\n".encode()}, "ch.md", (3, 3)),
    ("F007", BASE, {"ch.md": "# 一\n".encode("utf-16")}, "ch.md", (1, 1)),
    ("F001", BASE, {"ch.md": "---\ntitle: [\n---\n\n正文。\n"}, "ch.md", (2, 8)),
    ("F002", BASE, {"ch.md": "---\nauthor: 某\n---\n\n# 一\n\n文。\n"}, "ch.md", "author"),
    ("F003", BASE, {"ch.md": "---\nid: 1abc\n---\n\n# 一\n\n文。\n"}, "ch.md", "1abc"),
    (
        "F004",
        BASE,
        {
            "a.md": "---\nid: same\n---\n\n# 一\n\n文。\n",
            "b.md": "---\nid: same\n---\n\n# 二\n\n文。\n",
        },
        "b.md",
        "same",
    ),
    ("F005", BASE, {"ch.md": "---\nkind: chaptr\n---\n\n# 一\n\n文。\n"}, "ch.md", "chaptr"),
    ("F006", BASE, {"ch.md": "只有正文。\n"}, "ch.md", (1, 1)),
    ("S001", BASE, {"ch.md": "# 一\n\n文。\n\n### 跳级\n\n文。\n"}, "ch.md", "### 跳级"),
    ("S002", BASE, {"ch.md": "# 一\n\n文。\n\n# 二\n\n文。\n"}, "ch.md", "# 二"),
    ("S003", BASE, {"ch.md": "# 一\n"}, "ch.md", "# 一"),
    (
        "S004",
        BASE,
        {"ch.md": "# 第一章 总\n\n文。\n\n## 第一节 甲\n\n文。\n\n## 第三节 丙\n\n文。\n"},
        "ch.md",
        "第三节",
    ),
    (
        "S005",
        BASE,
        {"ch.md": "# 一\n\n## 甲 {#x}\n\n文。\n\n## 乙 {#x}\n\n文。\n"},
        "ch.md",
        "## 乙",
    ),
    ("S006", BASE, {"ch.md": "# 一\n\n文。\n\n" + "> " * 70 + "深\n"}, "ch.md", (5, 1)),
    (
        "S006",
        BASE,
        {"ch.md": "# 一\n\n" + "<div>" * 70 + "深" + "</div>" * 70 + "\n"},
        "ch.md",
        (3, 1),
    ),
    ("S008", BASE, {"ch.md": "# 一\n\n{page=3}甲。\n\n乙{page=2}。\n"}, "ch.md", "{page=2}"),
    ("N001", BASE, {"ch.md": "# 一\n\n正文[^nope]。\n"}, "ch.md", "[^nope]"),
    ("N002", BASE, {"ch.md": "# 一\n\n正文。\n\n[^lost]: 注。\n"}, "ch.md", "[^lost]"),
    (
        "N003",
        BASE,
        {"ch.md": "# 一\n\n正文[^a]。\n\n[^a]: 注一。\n[^a]: 注二。\n"},
        "ch.md",
        "[^a]: 注二",
    ),
    ("N004", BASE, {"ch.md": "# 一\n\n## 节[^a]\n\n文。\n\n[^a]: 注。\n"}, "ch.md", (3, 5)),
    ("N005", BASE, {"ch.md": "# 一\n\n文[^a]。\n\n[^a]: 同上。\n"}, "ch.md", "同上"),
    ("N006", BASE, {"ch.md": "# 一\n\n文[^a]。\n\n[^a]: 太短。\n"}, "ch.md", "太短"),
    (
        "N007",
        BASE,
        {"ch.md": "# 一\n\n文[^a]。\n\n[^a]: 注一，见[^b]。\n\n[^b]: 注二，一条完整的注释。\n"},
        "ch.md",
        "[^b]",
    ),
    ("L001", BASE, {"ch.md": "# 一\n\n见[别处](other.md#x)。\n"}, "ch.md", "other.md#x"),
    ("L002", BASE, {"ch.md": "# 一\n\n![图](images/none.png)\n"}, "ch.md", "images/none.png"),
    (
        "L003",
        BASE,
        {"ch.md": "# 一\n\n![图](images/a.bmp)\n", "images/a.bmp": b"BM"},
        "ch.md",
        "images/a.bmp",
    ),
    (
        "L004",
        BASE,
        {"ch.md": "# 一\n\n![](images/a.png)\n", "images/a.png": "png"},
        "ch.md",
        "images/a.png",
    ),
    ("L005", BASE, {"ch.md": "# 一\n\n![图](../outside.png)\n"}, "ch.md", "../outside.png"),
    ("L006", BASE, {"ch.md": "# 一\n\n![图](https://example.org/a.png)\n"}, "ch.md", "https://"),
    ("L007", BASE, {"ch.md": "# 一\n\n见[甲](data:text/html,x)。\n"}, "ch.md", "data:"),
    ("L007", BASE, {"ch.md": "# 一\n\n见[甲](file:///etc/passwd)。\n"}, "ch.md", "file:"),
    (
        "L008",
        BASE,
        {"ch.md": "# 一\n\n![图](images/a.png)\n", "images/a.png": "only text"},
        "ch.md",
        "images/a.png",
    ),
    (
        "L008",
        BASE,
        {
            "ch.md": "# 一\n\n![图](images/a.svg)\n",
            "images/a.svg": SVG.format('<image href="x.png"/>'),
        },
        "ch.md",
        "images/a.svg",
    ),
    (
        "A001",
        BASE,
        {"ch.md": "# 一\n\n![](images/a.png)\n", "images/a.png": PNG},
        "book.yaml",
        (1, 1),
    ),
    ("T006", BASE, {"ch.md": '# 一\n\n他说"数字政府"很重要。\n'}, "ch.md", '"'),
    ("T007", BASE, {"ch.md": "# 一\n\n等等...还有。\n"}, "ch.md", "..."),
    ("T008", BASE, {"ch.md": "# 一\n\n答案--就是它。\n"}, "ch.md", "--"),
    ("T009", BASE, {"ch.md": "# 一\n\n正文（括号)完。\n"}, "ch.md", ")"),
    ("T010", BASE, {"ch.md": "# 一\n\n中文 ，逗号。\n"}, "ch.md", " ，"),
    ("M001", BASE, {"ch.md": "# 一\n\n公式 $\\frac{a}{$ 写坏了。\n"}, "ch.md", "$\\frac"),
    (
        "N008",
        BASE,
        {"ch.md": "# 一\n\n" + "".join(f"文[^{n}]。\n\n[^{n}]: 注。\n\n" for n in range(1, 52))},
        "ch.md",
        (203, 2),
    ),
    # Cross-references, numbering and the index.
    ("X001", BASE, {"ch.md": "# 一\n\n见@tbl:gone。\n"}, "ch.md", "@tbl:gone"),
    (
        "X002",
        BASE,
        {"ch.md": "# 一\n\n文。\n\n$$ a $$ {#eq:a}\n\n$$ b $$ {#eq:a}\n"},
        "ch.md",
        (7, 10),
    ),
    (
        "X003",
        BASE,
        {"ch.md": "# 第一章 甲\n\n文。\n\n| a |\n|---|\n| 1 |\n\n: 表1-2 数据 {#tbl:data}\n"},
        "ch.md",
        "#tbl:data",
    ),
    (
        "X004",
        BASE,
        {"ch.md": "# 第一章 甲\n\n文。\n\n| a |\n|---|\n| 1 |\n\nTable: 表1-2 数据\n"},
        "ch.md",
        "表1-2",
    ),
    ("X005", BASE, {"ch.md": "# 一\n\n[治理]{.index}很重要。\n"}, "ch.md", ".index"),
    (
        "X006",
        BASE,
        {
            "ch.md": '# 一\n\n[治理]{.index seealso="管理"}很重要。\n',
            "zz.md": "---\nkind: index\n---\n# 索引\n",
        },
        "ch.md",
        ".index",
    ),
    (
        "X008",
        BASE,
        {"ch.md": "# 一\n\n文字![图](x.png){#fig:a}后文。\n", "x.png": PNG},
        "ch.md",
        "#fig:a",
    ),
    ("X009", BASE, {**CHAPTER, "zz.md": "---\nkind: index\n---\n# 索引\n"}, "zz.md", (4, 1)),
    (
        "X007",
        yaml_with("options: {index_terms: terms.txt}"),
        {**CHAPTER, "terms.txt": "# 索引词\n正文\n书里没有的词\n"},
        "terms.txt",
        (3, 1),
    ),
    # Citations and the bibliography.
    ("G001", CITING, {**CITED, "ch.md": "# 一\n\n见[@gone]。\n"}, "ch.md", "@gone"),
    ("G002", CITING, {**CITED, "refs.json": entries(ENTRY, ENTRY_B)}, "refs.json", (3, 1)),
    ("G003", CITING, {**CITED, "refs.json": '[\n{"id": "a" "x"}\n]'}, "refs.json", (2, 12)),
    (
        "G004",
        CITING,
        {**CITED, "refs.json": entries(ENTRY.replace('"publisher": "出版社", ', ""))},
        "refs.json",
        (2, 1),
    ),
    (
        "G005",
        CITING,
        {**CITED, "refs.json": entries(ENTRY[:-1] + ',\n "ISBN": "978-7-101-00000-1"}')},
        "refs.json",
        (3, 1),
    ),
    (
        "G006",
        CITING,
        {**CITED, "ch.md": "# 一\n\n[@a; @b]\n", "refs.json": entries(ENTRY, ENTRY_B)},
        "refs.json",
        (3, 1),
    ),
    (
        "G007",
        CITING,
        {
            **CITED,
            "refs.json": entries(ENTRY.replace('"language": "zh", ', "").replace("书名", "1984")),
        },
        "refs.json",
        (2, 1),
    ),
    ("G008", CITING, {k: CITED[k] for k in ("ch.md", "refs.json")}, "ch.md", "@a"),
    ("G009", CITING, {**CITED, "refs.json": entries(ENTRY, ENTRY)}, "refs.json", (3, 1)),
    ("G010", CITING, {**CITED, "ch.md": "# 一\n\n[@a]，问@nobody。\n"}, "ch.md", "@nobody"),
    ("T001", BASE, {"ch.md": "# 一\n\n中文,中文。\n"}, "ch.md", ","),
    ("T002", BASE, {"ch.md": "# 一\n\n他说：“未闭合。\n"}, "ch.md", "“"),
    ("T003", BASE, {"ch.md": "# 一\n\n正文^①。\n"}, "ch.md", "^①"),
    ("T004", BASE, {"ch.md": "# 一\n\n正文。\n\n12\n\n正文。\n"}, "ch.md", (5, 1)),
    ("H001", BASE, {"ch.md": "# 一\n\n文。\n\n<div>甲 <b>乙</div>\n"}, "ch.md", (5, 1)),
    ("H002", BASE, {"ch.md": "# 一\n\n文<script>x()</script>。\n"}, "ch.md", "<script>"),
    ("H003", BASE, {"ch.md": '# 一\n\n文<span onclick="x()">甲</span>。\n'}, "ch.md", "onclick"),
    ("H004", BASE, {"ch.md": "# 一\n\n[甲](javascript:x())\n"}, "ch.md", "javascript:"),
    ("T005", BASE, {"ch.md": "# 一\n\n正文\x01。\n"}, "ch.md", (3, 3)),
    (
        "H004",
        BASE,
        {"ch.md": '# 一\n\n<a href="&#106;avascript:x()">甲</a>\n'},
        "ch.md",
        "&#106;",
    ),
    (
        "H006",
        BASE,
        {
            "ch.md": "# 一\n\n![图](images/s.svg)\n",
            "images/s.svg": SVG.format("<script>x()</script>"),
        },
        "ch.md",
        "images/s.svg",
    ),
    (
        "H006",
        BASE,
        {
            "ch.md": "# 一\n\n![图](images/s.svg)\n",
            "images/s.svg": SVG.format('<rect onclick="x()"/>'),
        },
        "ch.md",
        "images/s.svg",
    ),
    ("H005", BASE, {"ch.md": '# 一\n\n<p id="x">甲</p>\n\n<p id="x">乙</p>\n'}, "ch.md", (5, 4)),
]


@pytest.mark.parametrize(
    ("code", "book", "files", "where", "needle"),
    CASES,
    ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)],
)
def test_each_code_is_found_at_its_place(tmp_path, code, book, files, where, needle):
    root = write_manuscript(tmp_path / "m", book, files)
    if code == "L005":
        (tmp_path / "outside.png").write_bytes(png())
    try:
        findings = list(check_manuscript(root).findings)
    except Exception as exc:  # load-stopping errors carry the same diagnostic
        findings = [exc.diagnostic]
    text = (root / where).read_bytes().decode("utf-8", "replace")
    line, col = needle if isinstance(needle, tuple) else at(text, needle)
    matching = [f for f in findings if f.code == code]
    assert matching, [f.format() for f in findings]
    finding = matching[0]
    assert finding.path.name == where
    assert (finding.line, finding.column) == (line, col), finding.format()
    assert finding.severity == CODES[code][0]
    assert finding.hint
    # Templates are filled in, with fields or without: no `{{` reaches the reader (C006 did).
    for shown in (finding.text(), finding.hint_text()):
        assert "{{" not in shown and "}}" not in shown, shown


def test_every_code_has_a_case_and_an_explanation():
    # B000, O001, O002 are tested below; B015, C003, R001, R002, D001 in test_editions.py;
    # F008 in test_source_index.py.
    tested = {c[0] for c in CASES} | {
        "B000",
        "O001",
        "O002",
        "O003",
        "B015",
        "C003",
        "F008",
        "R001",
        "R002",
        "D001",
        "E000",  # test_cli: a build with errors stops with it, and --explain knows it
    }
    assert tested == set(CODES)
    source = "\n".join(p.read_text("utf-8") for p in (REPO / "ebook").rglob("*.py"))
    used = set(re.findall(r'"([A-Z]\d{3})"', source))
    assert used <= set(CODES)


def test_every_code_is_in_the_readme():
    readme = (REPO / "README.md").read_text("utf-8")
    for code, (severity, title, _) in CODES.items():
        assert f"| {code} | {severity} | {title} |" in readme


def test_chinese_numbering_reports_the_expected_label(tmp_path):
    body = "# 第一章 总\n\n文。\n\n## 第一节 甲\n\n### 一、子\n\n### 二、丑\n\n### 四、卯\n\n#### （一）辰\n\n#### （三）巳\n\n## 第二节 乙\n\n### 一、午\n"
    root = write_manuscript(
        tmp_path / "m", BASE, {"ch.md": body, "ch2.md": "# 第三章 又\n\n文。\n"}
    )
    findings = [f for f in check_manuscript(root).findings if f.code == "S004"]
    assert [(f.path.name, f.line, f.message) for f in findings] == [
        ("ch.md", 11, "'四、' is out of sequence: expected '三、'"),
        ("ch.md", 15, "'（三）' is out of sequence: expected '（二）'"),
        ("ch2.md", 1, "'第三章' is out of sequence: expected '第二章'"),
    ]


def test_repository_manuscript_is_clean_under_strict():
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--strict", str(REPO / "manuscript")])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 errors, 0 warnings")


def invoke(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    ("book", "files", "expected"),
    [
        ("title: [\n", CHAPTER, "book.yaml:1:8: error B001"),
        (yaml_with("chapters: [gone.md]"), CHAPTER, "book.yaml:7:12: error B007"),
        (yaml_with("isbn: 978-7-202-11899-4"), CHAPTER, "book.yaml:7:7: error B005"),
    ],
)
def test_check_cli_errors_exit_1_without_traceback(tmp_path, book, files, expected):
    root = write_manuscript(tmp_path / "m", book, files)
    result = invoke("check", str(root))
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert result.output.splitlines()[-1].startswith("1 error")


def test_check_output_format_and_summary(tmp_path, monkeypatch):
    root = write_manuscript(tmp_path / "m", BASE, {"ch.md": "# 一\n\n中文,中文。\n"})
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "m")
    assert result.exit_code == 0  # warnings only
    assert result.output.splitlines() == [
        "m/ch.md:3:3: warning T001 half-width ',' between Chinese characters",
        "    hint: use the full-width '，'",
        "0 errors, 1 warning",
    ]
    assert invoke("check", "--strict", "m").exit_code == 1
    rows = json.loads(invoke("check", "--format", "json", "m").output)
    assert rows == [
        {
            "code": "T001",
            "severity": "warning",
            "path": "m/ch.md",
            "line": 3,
            "column": 3,
            "message": "half-width ',' between Chinese characters",
            "hint": "use the full-width '，'",
        }
    ]
    assert root.is_dir()


def test_check_usage_errors_exit_2(tmp_path):
    assert invoke("check", "--format", "xml", str(tmp_path)).exit_code == 2
    assert invoke("check", "--explain", "Z999").exit_code == 2
    explained = invoke("check", "--explain", "n001")
    assert explained.exit_code == 0 and explained.output.startswith("N001 (error)")


def test_missing_manuscript_is_b000(tmp_path):
    result = invoke("check", str(tmp_path / "none"))
    assert result.exit_code == 1 and "error B000" in result.output


def test_build_refuses_to_write_while_there_are_errors(tmp_path):
    root = write_manuscript(tmp_path / "m", BASE, {"ch.md": "# 一\n\n<script>x</script>\n"})
    result = invoke("build", str(root), "-o", str(tmp_path / "out.epub"))
    assert result.exit_code == 1 and "error H002" in result.output
    assert not (tmp_path / "out.epub").exists()


def test_unwritable_output_is_o001(tmp_path):
    root = write_manuscript(tmp_path / "m", BASE, CHAPTER)
    (tmp_path / "afile").write_text("x")
    result = invoke("build", str(root), "-o", str(tmp_path / "afile" / "book.epub"))
    assert result.exit_code == 3 and "error O001 cannot write" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_epub_option_reports_epubcheck_findings_inside_the_epub(tmp_path):
    from conftest import java_available

    if not java_available():
        pytest.skip("Java is needed for EPUBCheck")
    # A stylesheet EPUBCheck rejects: the manuscript checks cannot see into CSS.
    book = yaml_with("options: {stylesheet: house.css}")
    root = write_manuscript(
        tmp_path / "m", book, {**CHAPTER, "house.css": "p { color: red; \n@import 'x.css';\n"}
    )
    result = invoke("check", "--epub", str(root))
    assert result.exit_code == 1, result.output
    assert re.search(r"^EPUB/css/book\.css:\d+:\d+: error CSS-\d{3} ", result.output, re.M), (
        result.output
    )


@pytest.mark.slow
def test_init_creates_a_manuscript_that_is_clean_and_builds(tmp_path):
    target = tmp_path / "new"
    result = invoke(
        "init",
        str(target),
        "--title",
        "新书：一个: 测试",
        "--author",
        "王五",
        "--language",
        "zh-CN",
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir()) == [
        ".gitignore",
        "book.yaml",
        "ch01.md",
        "ch02.md",
        "preface.md",
    ]
    assert invoke("check", "--strict", str(target)).exit_code == 0
    built = invoke("build", str(target), "-o", str(tmp_path / "new.epub"))
    assert built.exit_code == 0, built.output
    from conftest import assert_epubcheck_clean

    assert_epubcheck_clean(tmp_path / "new.epub")
    again = invoke("init", str(target))
    assert again.exit_code == 3 and "error O002" in again.output


def test_init_book_yaml_has_every_field():
    from ebook.convert.scaffold import create_manuscript
    from ebook.load import BOOK_SCHEMA

    with tempfile.TemporaryDirectory() as folder:
        create_manuscript(Path(folder) / "m", title="书", author="某", language="zh-CN")
        written = (Path(folder) / "m" / "book.yaml").read_text("utf-8")
    # Optional areas are commented examples, some as flow mappings ({title: …, issn: …}).
    keys = set(re.findall(r"(?:^[\s#]*|[{,]\s*)([a-z_]+):", written, re.M))
    for key, sub in BOOK_SCHEMA.items():
        assert key in keys
        if isinstance(sub, dict):
            assert set(sub) <= keys, key


def test_json_path_is_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_manuscript(Path("m"), BASE, {"ch.md": "# 一\n\n正文[^x]。\n"})
    rows = json.loads(invoke("check", "--format", "json", "m").output)
    assert rows[0]["path"] == "m/ch.md" and rows[0]["code"] == "N001"


@settings(max_examples=500, deadline=None)
@given(marks=st.text(alphabet="“”‘’《》（）【】", max_size=12))
def test_the_quick_pairing_test_agrees_with_the_walk_that_locates(marks):
    """checks/text.py answers 'all paired' without locating anything: it must say so exactly
    when the stack walk finds no unpaired mark."""
    from ebook.checks import text
    from ebook.checks.source import SourceLine
    from ebook.core.model import Chapter

    chapter = Chapter(id="c", path=Path("c.md"), kind="chapter", title=None, text="", body_line=1)
    stack: list[str] = []
    paired = True
    for char in marks:
        if char in text.PAIRS:
            stack.append(char)
        elif stack and stack[-1] == text.CLOSERS[char]:
            stack.pop()
        else:
            paired = False
    paired = paired and not stack
    assert text._balanced(marks) is paired
    assert (text._unpaired(chapter, [SourceLine(1, "字" + marks)]) == []) is paired


@settings(max_examples=300, deadline=None)
@given(body=st.text(alphabet="中 `~$\\<>\n\r\u2028#\t]()", max_size=40))
def test_source_lines_taken_as_they_are_only_where_the_scan_would_change_nothing(body):
    """checks/source.py skips the line scan (and the parse for code blocks) for a body without
    code, formulas, links or escapes."""
    from ebook.checks import source
    from ebook.core.model import Chapter

    chapter = Chapter(id="c", path=Path("c.md"), kind="chapter", title=None, text=body, body_line=3)
    assert source.lines(chapter) == tuple(source._scan_lines(chapter))


@settings(max_examples=300, deadline=None)
@given(line=st.text(alphabet="中文a ,;:?!()，", max_size=20))
def test_half_width_punctuation_is_found_where_the_plain_pattern_finds_it(line):
    """checks/text.py searches from the mark, its look-behind after it: the same matches as
    the pattern read left to right."""
    import re

    from ebook.checks import text

    plain = re.compile(rf"(?<={text.CJK})([,;:?!()])(?= ?{text.CJK})")
    assert [m.span(1) for m in text.HALF_WIDTH.finditer(line)] == [
        m.span(1) for m in plain.finditer(line)
    ]


def test_code_blocks_the_parser_finds_are_not_text_to_check(make_manuscript):
    """Indented code, fenced code and `$$` formulas are found by the parser, not by a pattern
    of our own: none of them is Chinese text with half-width punctuation."""
    from click.testing import CliRunner

    from ebook.cli import main

    body = (
        "# 一\n\n正文。\n\n    缩进代码,中文(注)\n\n```\n围栏代码,中文\n```\n\n"
        "$$\n中文,公式\n$$\n\n> 引文里的中文,逗号\n"
    )
    root = make_manuscript(BASE, {"ch.md": body})
    result = CliRunner().invoke(main, ["check", str(root)])
    t001 = [line for line in result.output.splitlines() if "T001" in line]
    assert len(t001) == 1 and "ch.md:15:9:" in t001[0], result.output


@settings(max_examples=500, deadline=None)
@given(line=st.text(alphabet="`a中 ", max_size=30))
def test_code_spans_are_blanked_where_the_parser_finds_them(line):
    """checks/source.py's linear code-span scan leaves the text the parser leaves."""
    from markdown_it import MarkdownIt

    from ebook.checks.source import _blank_code_spans

    inline = MarkdownIt("commonmark").parse(f"x{line}x")[1]
    text = "".join(t.content for t in inline.children if t.type == "text")
    assert text.replace(" ", "") == f"x{_blank_code_spans(line)}x".replace(" ", "")


@pytest.mark.parametrize(
    ("isbn", "said", "hint"),
    [
        # Only the check digit wrong: the hint gives the number with the right one.
        ("978-7-202-11899-4", "its check digit does not fit", "it is 978-7-202-11899-3"),
        ("7-202-11899-1", "its check digit does not fit", "it is 7-202-11899-8"),
        ("97872021189", "an ISBN has 10 or 13 digits", "copy the ISBN"),
        ("978-7-202-1189X-3", "not an ISBN", "copy the ISBN"),
    ],
)
def test_an_isbn_finding_says_what_is_wrong_in_the_tools_words(tmp_path, isbn, said, hint):
    root = write_manuscript(tmp_path / "m", yaml_with(f"isbn: {isbn}"), CHAPTER)
    (found,) = [f for f in check_manuscript(root).findings if f.code == "B005"]
    assert said in found.message and hint in found.hint, (found.message, found.hint)
    chinese = CliRunner().invoke(main, ["--lang", "zh", "check", str(root)]).output
    assert "number's checksum" not in chinese and "The number" not in chinese


def test_an_accepted_warning_is_not_reported_and_strict_builds_it(make_manuscript, tmp_path):
    chapter = {"ch.md": "# 第一章 标题\n\n汉字,汉字。\n\n又一句,汉字。\n"}
    root = make_manuscript(yaml_with(), chapter)
    before = [(f.code, f.line) for f in check_manuscript(root).findings]
    assert before == [("T001", 3), ("T001", 5)]
    accepted = "accepted:\n  - {code: T001, file: ch.md, line: 3, reason: 照录原文}\n"
    (root / "book.yaml").write_text(yaml_with(accepted), "utf-8")
    assert [(f.code, f.line) for f in check_manuscript(root).findings] == [("T001", 5)]
    by_text = "accepted:\n  - {code: T001, text: \"','\", reason: 引文照录}\n"
    (root / "book.yaml").write_text(yaml_with(by_text), "utf-8")
    assert check_manuscript(root).findings == ()
    result = invoke("build", "--strict", str(root), "-o", str(tmp_path / "b.epub"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "entry, message",
    [
        ("{code: T001}", "needs its 'code' and the 'reason'"),
        ("{code: L006, reason: x}", "only warnings can be accepted"),
        ("{code: T001, line: three, reason: x}", "must be a whole number"),
        ("{code: T001, reason: x, where: ch.md}", "unknown key 'where'"),
    ],
)
def test_an_accepted_entry_that_says_too_little_is_reported(make_manuscript, entry, message):
    root = make_manuscript(yaml_with(f"accepted:\n  - {entry}\n"), CHAPTER)
    findings = check_manuscript(root).findings
    assert any(message in f.message and f.line == 8 for f in findings), findings


def test_a_link_or_image_a_letter_off_gets_the_near_name_as_its_hint(make_manuscript):
    from conftest import MINIMAL_BOOK, MINIMAL_CHAPTERS

    files = dict(MINIMAL_CHAPTERS)
    files["03-two.md"] += "\n见[第一节](02-one.md#one-起点1)。\n\n![图](images/fig-1.png)\n"
    files["images/fig-l.png"] = png()
    root = make_manuscript(MINIMAL_BOOK, files)
    findings = {f.code: f for f in check_manuscript(root).findings}
    assert findings["L001"].hint == "did you mean '#one-起点'?", findings["L001"].hint
    assert findings["L002"].hint == "did you mean 'images/fig-l.png'?", findings["L002"].hint


def test_typesetting_checks_read_only_the_text(tmp_path):
    """Code, raw HTML, link titles and attribute lists are not text: no T006-T010 in them."""
    body = (
        "# 一\n\n"
        "文件开头是 `id`（英文）和 `title`。\n\n"
        '<span title="标题">文字</span>与[链接](#x "标题")。\n\n'
        '## 小节 {#x aliases="旧"}\n\n正文。\n'
    )
    root = write_manuscript(tmp_path / "m", BASE, {"ch.md": body})
    assert [f.format() for f in check_manuscript(root).findings] == []
