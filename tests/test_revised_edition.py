"""The proof of a revised edition, all at once: a second edition of a fixture book with one
change of every kind an editor makes. `ebook diff` lists each exactly once, classified and
located, and nothing else; the 修订说明 draft covers them; `check --previous` names every lost
anchor by its heading or note, `--keep-anchors` writes what it proposes, and then every anchor
of the first edition leads, in the second, to the same heading or note."""

from __future__ import annotations

import json
from difflib import SequenceMatcher

import pytest
import yaml
from click.testing import CliRunner

from conftest import NS, assert_epubcheck_clean, open_epub, write_manuscript
from ebook.build import build_epub
from ebook.cli import main
from ebook.render.headings import without_number
from test_fixture_books import png

BOOK = """title: 修订测试
language: zh-CN
contributors:
  - {name: 张三, role: 著}
publisher: {name: 某出版社, place: 北京}
date: 2020-01
isbn: 978-7-5117-0000-1
cip:
  subjects: [治理—研究]
  classifications: [D630.1]
  number: 2020-000001
edition: {number: 1, date: 2020-01}
printing: {number: 1, date: 2020-01}
"""
SECOND_BOOK = (
    BOOK.replace("date: 2020-01\nisbn: 978-7-5117-0000-1", "date: 2024-05\nisbn: 978-7-5117-0001-8")
    .replace("number: 2020-000001", "number: 2024-000123")
    .replace("edition: {number: 1, date: 2020-01}", "edition: {number: 2, date: 2024-05}")
    .replace("printing: {number: 1, date: 2020-01}", "printing: {number: 1, date: 2024-05}")
)

C01 = """# 第一章 数据

调查覆盖全国[^a]。

- 第一项：一千二百份问卷
- 第二项：三百次访谈

| 省份 | 覆盖率 |
| --- | --- |
| 浙江 | 98.5% |

Table: 表 1-1 各省覆盖率

![图 1-1 调查流程](images/flow.png)

$$
E = mc^2
$$

[^a]: 注释原文，一条完整的注释。
"""
C02 = """# 第二章 方法

## 第一节 访谈

访谈的正文。

## 第二节 技术路线

路线的正文。

## 第三节 案例

案例的正文[^k]。

[^k]: 案例的注释，随本节移动。
"""
C03 = "# 第三章 结论\n\n## 第一节 发现\n\n发现的正文。\n"
C04 = """# 第四章 讨论

## 第一节 甲论

甲论的正文一。

甲论的正文二。

## 第二节 乙论

乙论的正文一。

乙论的正文二。

乙论的正文三。
"""
C05 = "# 第五章 余论\n\n余论的正文。\n"
C06 = "# 第六章 附说\n\n附说的正文一。\n\n附说的正文二。\n"

FIRST = {"c01.md": C01, "c02.md": C02, "c03.md": C03, "c04.md": C04, "c05.md": C05, "c06.md": C06}
SECOND = {
    "c01.md": C01.replace("98.5%", "99.5%")  # a table cell
    .replace("一千二百份", "一千五百份")  # a list item
    .replace("表 1-1 各省覆盖率", "表 1-1 各省问卷覆盖率")  # a table caption
    .replace("![图 1-1 调查流程]", "![图 1-1 调查的流程]")  # a figure's caption
    .replace("E = mc^2", "E = m c^{2}")  # a formula
    .replace("注释原文，", "注释新文，"),  # a note's text
    # 第一节 renumbered (a section before it), 技术路线 reworded, 案例 moved to c03.
    "c02.md": """# 第二章 方法

## 第一节 概述

概述的正文。

## 第二节 访谈

访谈的正文。

## 第三节 研究思路与技术路线

路线的正文。
""",
    "c03.md": """# 第三章 结论

## 第一节 案例

案例的正文[^k]。

## 第二节 发现

发现的正文。

[^k]: 案例的注释，随本节移动。
""",
    # c04 split in two: 乙论 becomes a chapter of its own.
    "c04.md": "# 第四章 讨论\n\n## 第一节 甲论\n\n甲论的正文一。\n\n甲论的正文二。\n",
    "c04b.md": (
        "# 第五章 乙论专题\n\n## 第一节 乙论\n\n乙论的正文一。\n\n乙论的正文二。\n\n乙论的正文三。\n"
    ),
    # c06 merged into c05.
    "c05.md": (
        "# 第六章 余论\n\n余论的正文。\n\n## 第一节 附说\n\n附说的正文一。\n\n附说的正文二。\n"
    ),
}
# The picture under the same name is another one.
FIRST_MEDIA = {"images/flow.png": png()}
SECOND_MEDIA = {"images/flow.png": png(3, 3)}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    root = tmp_path_factory.mktemp("revised")
    first = write_manuscript(root / "first", BOOK, {**FIRST, **FIRST_MEDIA})
    second = write_manuscript(root / "second", SECOND_BOOK, {**SECOND, **SECOND_MEDIA})
    first_epub = root / "first.epub"
    build_epub(first, first_epub)
    return first_epub, second


def test_diff_lists_every_change_once_and_nothing_else(editions):
    first_epub, second = editions
    result = invoke("diff", str(first_epub), str(second), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    fields = {name for name, _, _ in report["metadata"]}
    assert {"isbn", "edition", "date", "printing", "cip_number"} <= fields
    assert fields <= {"isbn", "edition", "date", "printing", "cip_number", "identifier"} | {
        "cip_description",
        "cip_data",
    }
    chapters = {c["id"]: c for c in report["chapters"]}
    assert {k: (c["status"], c["related"]) for k, c in chapters.items()} == {
        "c01": ("changed", None),
        "c02": ("changed", None),
        "c03": ("changed", None),
        "c04b": ("split", "c04"),
        "c05": ("renamed", None),  # its title; c06's text came in: the merge, said at c06
        "c06": ("merged", "c05"),
    }
    c01 = chapters["c01"]
    assert sorted(t["block"] for t in c01["text"]) == [
        "caption",
        "formula",
        "image",  # the caption's alt text and the picture: one block, one change
        "list item",
        "table cell",
    ]
    assert all(t["kind"] == "changed" and t["source"] == "c01.md" for t in c01["text"])
    assert [n for n, _ in c01["notes_changed"]] == ["① 注释新文，一条完整的注释。"]
    image = next(t for t in c01["text"] if t["block"] == "image")
    assert "调查{+的+}流程" in image["excerpt"] and "[-" in image["excerpt"].split(" → ")[1]
    c02 = chapters["c02"]
    assert c02["sections_added"] == ["第一节 概述"]
    assert c02["sections_renumbered"] == [["第一节 访谈", "第二节 访谈"]]
    assert c02["sections_renamed"] == [["第二节 技术路线", "第三节 研究思路与技术路线"]]
    assert c02["sections_removed"] == []  # 案例 moved: said at c03
    assert [(t["kind"], t["excerpt"]) for t in c02["text"]] == [("added", "概述的正文。")]
    c03 = chapters["c03"]
    assert c03["sections_moved_in"] == [["第三节 案例", "c02", "第一节 案例"]]
    assert c03["sections_renumbered"] == [["第一节 发现", "第二节 发现"]]
    assert [n[1] for n in c03["notes_moved_in"]] == ["c02"]
    # The first edition is an EPUB: where the block was is its file and place there.
    assert [(t["kind"], t["old_file"], t["source"]) for t in c03["text"]] == [
        ("moved", "c02.xhtml", "c03.md")
    ]
    assert chapters["c05"]["text"] == [] and chapters["c05"]["old_title"] == "第五章 余论"
    assert "c04" not in chapters  # what it lost is the split, said at c04b


def test_the_revisions_draft_covers_every_change(editions):
    first_epub, second = editions
    result = invoke("diff", str(first_epub), str(second), "--format", "markdown")
    draft = yaml.safe_load(result.output.split("```yaml\n")[1].split("```")[0])
    changes = "\n".join(draft["revisions"][0]["changes"])
    for said in (
        "表格单元格",
        "列表项",
        "图表题",
        "图片",
        "公式",
        "修改注释",
        "小节重新编号",
        "小节更名",
        "小节移入",
        "注释移入",
        "由 c04 拆分而来",
        "并入 c05",
        "新增小节",
    ):
        assert said in changes, said
    assert "ISBN: " in result.output and "CIP 数据核字号: " in result.output


def test_check_previous_names_each_lost_anchor_and_keep_anchors_mends_them(editions, tmp_path):
    first_epub, second_source = editions
    second = write_manuscript(tmp_path / "second", SECOND_BOOK, {**SECOND, **SECOND_MEDIA})
    lost = invoke("check", "--previous", str(first_epub), str(second))
    assert lost.exit_code == 1
    r002 = [line for line in lost.output.splitlines() if " R002 " in line]
    # Every R002 names what the anchor was: a heading by its title, or a note.
    assert r002 and all("the heading “" in f or "the note " in f for f in r002), r002
    assert any("the note ① 案例的注释" in f for f in r002)
    assert any("“第二节 技术路线”" in f for f in r002)
    # c06.xhtml is gone: the file is named with the fix (an alias in c05's front matter).
    assert "error R001 first.epub has c06.xhtml" in lost.output
    c05 = second / "c05.md"
    c05.write_text("---\naliases: [c06]\n---\n\n" + c05.read_text("utf-8"), "utf-8")
    mended = invoke("check", "--previous", str(first_epub), "--keep-anchors", str(second))
    assert mended.exit_code == 0, mended.output
    again = invoke("check", "--strict", "--previous", str(first_epub), str(second))
    assert again.exit_code == 0, again.output

    out = tmp_path / "second.epub"
    build_epub(second, out)
    old, new = open_epub(first_epub), open_epub(out)
    for name in ("c01.xhtml", "c02.xhtml", "c03.xhtml", "c04.xhtml", "c05.xhtml", "c06.xhtml"):
        for el in old.doc(name).iterfind(".//*[@id]", NS):
            was = _what(el, old.doc(name))
            if was is None:
                continue
            landing = _follow(new, name, el.get("id"))
            assert landing is not None, f"{name}#{el.get('id')}"
            now = _what(landing, None, new)
            if landing.tag.endswith("aside"):  # a note: the same one, its text maybe edited
                assert SequenceMatcher(None, was, now).ratio() > 0.8, (name, el.get("id"))
            else:  # a heading: the same title, or the reworded one (技术路线 → 研究思路与技术路线)
                assert was in now, (name, el.get("id"), was, now)


@pytest.mark.slow
def test_the_mended_second_edition_passes_epubcheck(editions, tmp_path):
    first_epub, _ = editions
    second = write_manuscript(tmp_path / "second", SECOND_BOOK, {**SECOND, **SECOND_MEDIA})
    c05 = second / "c05.md"
    c05.write_text("---\naliases: [c06]\n---\n\n" + c05.read_text("utf-8"), "utf-8")
    invoke("check", "--previous", str(first_epub), "--keep-anchors", str(second))
    out = tmp_path / "second.epub"
    build_epub(second, out)
    assert_epubcheck_clean(out)


def _what(el, doc, epub=None):
    """What an anchor shows a reader: a heading's title without its number, or a note's
    text; None for other anchors (a reference, the section itself)."""
    local = el.tag.split("}")[1]
    if local == "span" and el.get("class") == "alias":
        el = el.getparent()
        local = el.tag.split("}")[1]
    if local in {"h1", "h2", "h3"}:
        return without_number("".join(el.itertext()))
    if local == "aside":
        return "".join(el.itertext())[1:].strip()
    return None


def _follow(epub, name: str, anchor: str):
    """The element an old address leads to in `epub`: the id itself, or where the link that
    now holds it (a moved section's or an alias page's) goes."""
    found = epub.doc(name).find(f".//*[@id='{anchor}']", NS)
    if found is None:
        return None
    line = found if found.tag.endswith("}p") else found.getparent()
    if found.tag.endswith("}a") and found.get("href") and found.get("class") is None:
        link = found  # an alias page's link
    elif line.getparent() is not None and line.getparent().get("class") == "moved":
        link = line.find("h:a", NS)  # a moved section's line in its old chapter
    else:
        link = None
    if link is None:
        return found
    file, _, target = link.get("href").partition("#")
    return epub.doc(file).find(f".//*[@id='{target}']", NS)
