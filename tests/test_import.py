"""`ebook import`: the seed's plain text becomes the same book as the hand-checked manuscript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import NS, REPO, SEED_MANUSCRIPT, assert_epubcheck_clean, open_epub
from ebook.build import build_epub
from ebook.cli import main
from ebook.convert.importer import import_text
from ebook.core.output import write_new_manuscript
from ebook.core.xhtml import text_of
from ebook.load import load_book

SEED_TEXT = REPO / "tests" / "data" / "seed.txt"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("imported") / "manuscript"
    write_new_manuscript(import_text(SEED_TEXT.read_text("utf-8")).files, folder)
    return folder


def _chapters(epub_path: Path) -> dict:
    """Per chapter: title, headings, paragraphs, and each note reference with its note's text."""
    book = open_epub(epub_path)
    result = {}
    for item in book.opf.iterfind("opf:spine/opf:itemref", NS):
        name = item.get("idref")
        doc = book.doc(name)
        section = doc.find("h:body/h:section", NS)
        if section is None or section.get("role", "").startswith("doc-") is False:
            continue
        asides = {a.get("id"): a for a in doc.iterfind(".//h:aside", NS)}
        paragraphs = [
            p
            for p in section.iter(f"{{{NS['h']}}}p")
            if not any(a.tag.endswith("aside") for a in p.iterancestors())
        ]
        refs = []
        for index, p in enumerate(paragraphs):
            for ref in p.iterfind(".//h:a[@epub:type='noteref']", NS):
                note = asides[ref.get("href")[1:]]
                refs.append((index, ref.text, " ".join(text_of(c) for c in note[1:])))
        result[name] = {
            "headings": [
                (h.tag[-2:], text_of(h))
                for h in section.iter()
                if isinstance(h.tag, str) and h.tag[-2:] in ("h1", "h2", "h3", "h4")
            ],
            "paragraphs": [text_of(p) for p in paragraphs],
            "classes": [p.get("class") for p in paragraphs],
            "refs": refs,
            "epigraphs": len(section.findall(".//h:blockquote[@epub:type='epigraph']", NS)),
        }
    return result


@pytest.mark.slow
def test_seed_imports_to_the_same_book(imported, tmp_path):
    ours = tmp_path / "imported.epub"
    build_epub(imported, ours)
    theirs = tmp_path / "hand.epub"
    build_epub(REPO / "manuscript", theirs)
    got, want = _chapters(ours), _chapters(theirs)
    assert list(got) == list(want) == ["foreword.xhtml", "ch01.xhtml", "ch02.xhtml"]
    assert got == want
    assert len(got["ch01.xhtml"]["refs"]) == 15
    assert len({r[2] for r in got["ch01.xhtml"]["refs"]}) == 14
    assert_epubcheck_clean(ours)


def test_seed_imports_the_same_book_data(imported):
    ours, theirs = load_book(imported), load_book(REPO / "manuscript")
    for field in (
        "title",
        "title_file_as",
        "language",
        "contributors",
        "publisher",
        "date",
        "isbn",
        "eisbn",
        "uid",
        "cip",
        "colophon",
        "edition",
        "printing",
    ):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert [c.id for c in ours.chapters] == [c.id for c in theirs.chapters]
    assert [c.kind for c in ours.chapters] == [c.kind for c in theirs.chapters]


def test_cli_prints_checks_and_a_report_with_lines(tmp_path):
    result = CliRunner().invoke(main, ["import", str(SEED_TEXT), "-o", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "0 errors, 0 warnings" in lines
    report = lines[lines.index("0 errors, 0 warnings") + 1 :]
    assert report[0] == "Import report: 11 decisions to check"
    # Pages without notes end without a mark in the text: where the contents put a section on
    # a page no break was seen for, the mark goes at its heading, and the report says so.
    assert any(":138: page 2 (the contents' page of '第一节" in line for line in report)
    assert any(":158: page 4 (the contents' page of '第二节" in line for line in report)
    assert any(
        ":131: heading '第一章 絮论' differs from the contents (line 74): '第一章 绪论'" in line
        for line in report
    )
    assert any(
        line.endswith(":150: joined to the paragraph before it (line 146): a page break had cut it")
        for line in report
    )
    assert sum("'十互联网' read as '+互联网'" in line for line in report) == 2
    again = CliRunner().invoke(main, ["import", str(SEED_TEXT), "-o", str(tmp_path / "m")])
    assert again.exit_code == 3 and "error O002" in again.output
    forced = CliRunner().invoke(
        main, ["import", str(SEED_TEXT), "-o", str(tmp_path / "m"), "--force"]
    )
    assert forced.exit_code == 0


# A made-up book exercising the other rules: GB/T 12451-2023 layout with half-width
# punctuation and plain numbering, notes without ^, a note running over a page, a running
# head, lone page numbers, dot leaders, a chapter starting mid-page, （一）, 附录, 参考文献, 后记.
VARIANT = """\
图书在版编目(CIP)数据

测试之书:副题 / 张三主编;李四译. -- 北京 : 测试出版社, 2024. 5
ISBN 978-7-202-12000-2

Ⅰ. 1测… Ⅱ. 1张… 2李… Ⅲ. 1测试—研究 Ⅳ. 1G40-05

中国国家版本馆 CIP 数据核字 (2024) 第 012345 号

书 名 测试之书:副题

责任编辑 王 五

出版发行 测试出版社 (北京市测试路 1 号)

印 刷 测试印刷厂

版 次 2024 年 5 月第 1 版 2024 年 5 月第 2 次印刷

字 数 120 千字

版权所有 侵权必究

前 言

这是前言。

目 录

第一章 开始……………………1
第一节 起点……………………2
附录 资料……………………9
参考文献……………………10
后记……………………11

第一章 开始

第一节 起点

正文一段，引用甲①。

（一）小目

这一段被分页切开，后半在下

测试之书

2

一页，并引用乙^②。

① 注甲。

② 注乙，这条注释跨页，前半在

第二页的正文，引用丙^①。

此处为注乙的后半。

① 注丙。

第二章 接着

正文第二章。

附录 资料

附录正文。

参考文献

某书。

后记

后记正文。
"""


@pytest.mark.slow
def test_variant_rules(tmp_path):
    result = import_text(VARIANT)
    config = yaml.safe_load(result.files["book.yaml"])
    assert config["title"] == "测试之书" and config["subtitle"] == "副题"
    assert config["contributors"][:3] == [
        {"name": "张三", "role": "主编"},
        {"name": "李四", "role": "译"},
        {"name": "王五", "role": "责任编辑"},
    ]
    assert config["publisher"] == {
        "name": "测试出版社",
        "place": "北京",
        "address": "北京市测试路 1 号",
    }
    assert config["date"] == "2024-05"
    # The page prints the classification with a hyphen where its layout prints a dash: kept.
    assert config["cip"] == {
        "subjects": ["测试—研究"],
        "classifications": ["G40-05"],
        "number": "2024-012345",
        "class_dash": "-",
    }
    assert config["printing"] == {"number": 2, "date": "2024-05"}
    assert config["colophon"]["characters"] == 120000
    assert list(result.files) == [
        "book.yaml",
        "preface.md",
        "ch01.md",
        "ch02.md",
        "appendix1.md",
        "bibliography.md",
        "afterword.md",
    ]
    ch01 = result.files["ch01.md"]
    assert "#### （一）小目" in ch01
    # The printed page number 2 ends page 2 mid-paragraph; the notes end page 3.
    assert "这一段被分页切开，后半在下{page=3}一页，并引用乙[^n2]。" in ch01
    assert "{page=4}\n\n第二页的正文" in ch01
    assert "[^n2]: 注乙，这条注释跨页，前半在此处为注乙的后半。" in ch01
    assert "第二页的正文，引用丙[^n3]。" in ch01 and "[^n3]: 注丙。" in ch01
    assert "测试之书\n" not in ch01.split("# 第一章")[1] and "\n2\n" not in ch01
    assert "kind: appendix" in result.files["appendix1.md"]
    assert "kind: bibliography" in result.files["bibliography.md"]
    lines = dict(result.report)
    assert "running head" in " ".join(m for _, m in result.report)
    assert any("page number" in m for m in lines.values())
    folder = tmp_path / "variant"
    write_new_manuscript(result.files, folder)
    out = tmp_path / "variant.epub"
    build_epub(folder, out)
    assert_epubcheck_clean(out)


def test_chapter_starting_mid_page_keeps_the_notes_of_the_chapter_before():
    text = (
        "第一章 甲\n\n第一章的末段，引用^①。\n\n第二章 乙\n\n第二章开头同一页，再引用^②。\n\n"
        "① 第一章的注。\n\n② 第二章的注。\n"
    )
    result = import_text(text)
    assert "第一章的末段，引用[^n1]。" in result.files["ch01.md"]
    assert "[^n1]: 第一章的注。" in result.files["ch01.md"]
    assert "再引用[^n1]。" in result.files["ch02.md"]
    assert "[^n1]: 第二章的注。" in result.files["ch02.md"]
    assert [m for _, m in result.report] == [
        "no CIP block (图书在版编目（CIP）数据) found; fill book.yaml by hand"
    ]


def test_page_marks_agree_with_the_printed_contents(tmp_path):
    """The repository's book carries the print pages the import finds in the seed text: at
    every chapter and section heading the page in effect is the one the printed contents give."""
    contents = {}
    for line in SEED_TEXT.read_text("utf-8").splitlines():
        entry = re.match(r"^(第.[章节])\s.*?\((\d+)\)$", line.strip())
        if entry and len(contents) < 40:
            contents.setdefault(len(contents), (entry.group(1), entry.group(2)))
    expected = [c for c in contents.values()][:5]  # 第一章 第一节 第二节 第三节 第二章
    out = tmp_path / "seed.epub"
    build_epub(SEED_MANUSCRIPT, out, cache=False)
    book = open_epub(out)
    seen, page = [], None
    for name in ("ch01.xhtml", "ch02.xhtml"):
        for el in book.doc(name).iter():
            if el.get("role") == "doc-pagebreak":
                page = el.get("aria-label")
            elif el.tag in (f"{{{NS['h']}}}h1", f"{{{NS['h']}}}h2"):
                seen.append(("".join(el.itertext())[:3], page))
    assert seen == expected
    labels = [
        a.text for a in book.doc("nav.xhtml").iterfind(".//h:nav[@epub:type='page-list']//h:a", NS)
    ]
    assert labels == [str(n) for n in range(1, 10)]


def test_a_printed_page_number_that_contradicts_the_contents_is_reported():
    text = VARIANT.replace("测试之书\n\n2\n\n一页", "测试之书\n\n12\n\n一页")
    result = import_text(text)
    assert "后半在下{page=13}一页" in result.files["ch01.md"]
    assert any(
        "the printed page number says page 13 begins here; counted from the contents it is page 3"
        in message
        for _, message in result.report
    )
