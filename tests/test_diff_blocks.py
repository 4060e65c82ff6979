"""`ebook diff` sees every block a reader reads: one edit of each kind between two editions of
a small book, each reported once, with what it is and where; nothing unchanged reported."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import BASE_YAML, write_manuscript
from ebook.cli import main
from test_fixture_books import png

CHAPTER = """# 第一章 数据

## 第一节 概况

调查覆盖全国[^a]，详见[统计公报](https://example.org/2020)。

- 第一项：一千二百份问卷
- 第二项：三百次访谈
  - 其中线上一百次

| 省份 | 覆盖率 |
| --- | --- |
| 浙江 | 98.5% |
| 江苏 | 97.0% |

Table: 表 1-1 各省覆盖率

![图 1-1 调查流程](images/flow.png)

$$
E = mc^2
$$

质能关系$a^2 + b^2$见上。

> 引文一句，未改。

术语
: 释义原文。

> [!NOTE]
> 提示里的一句。

```
code line
```

[^a]: 注释原文。
"""

# (the text before, the text after): one edit of each kind.
EDITS = [
    ("| 浙江 | 98.5% |", "| 浙江 | 99.5% |"),
    ("- 第一项：一千二百份问卷", "- 第一项：一千五百份问卷"),
    ("  - 其中线上一百次", "  - 其中线上一百二十次"),
    ("Table: 表 1-1 各省覆盖率", "Table: 表 1-1 各省问卷覆盖率"),
    ("![图 1-1 调查流程]", "![图 1-1 调查的流程]"),
    ("E = mc^2", "E = m c^{2}"),
    ("$a^2 + b^2$", "$a^2 - b^2$"),
    ("https://example.org/2020", "https://example.org/2021"),
    (": 释义原文。", ": 释义新文。"),
    ("> 提示里的一句。", "> 提示里改过的一句。"),
    ("code line", "code line 2"),
    ("[^a]: 注释原文。", "[^a]: 注释新文。"),
]


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    media = {"images/flow.png": png(), "images/other.png": png(3, 3)}
    first = write_manuscript(
        tmp_path_factory.mktemp("first"), BASE_YAML, {"c01.md": CHAPTER, **media}
    )
    second_text = CHAPTER
    for old, new in EDITS:
        assert second_text.count(old) == 1, old
        second_text = second_text.replace(old, new)
    second = write_manuscript(
        tmp_path_factory.mktemp("second"), BASE_YAML, {"c01.md": second_text, **media}
    )
    return first, second


def report(first, second) -> dict:
    result = CliRunner().invoke(main, ["diff", str(first), str(second), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_kind_of_block_edit_is_reported_once(editions):
    (chapter,) = report(*editions)["chapters"]
    changes = [(t["kind"], t["block"], t["excerpt"]) for t in chapter["text"]]
    assert all(kind == "changed" for kind, _, _ in changes), changes
    # Located in both editions: the XHTML file and the block's place among the chapter's.
    assert all(t["file"] == t["old_file"] == "c01.xhtml" for t in chapter["text"])
    assert all(t["position"] == t["old_position"] for t in chapter["text"])
    cell = next(t for t in chapter["text"] if t["block"] == "table cell")
    assert cell["position"] == 9  # a paragraph, 3 list items, the caption, 省份 覆盖率 浙江, 98.5%
    # And in the manuscript: the file and the line each block starts on, in both editions.
    lines = {
        t["block"] + ":" + t["excerpt"][:6]: (t["source"], t["line"], t["old_line"])
        for t in chapter["text"]
    }
    source = CHAPTER.splitlines()
    for key, (file, line, old_line) in lines.items():
        assert file == "c01.md" and line == old_line, key
        written = source[line - 1]
        expected = {
            "table cell": "| 浙江",
            "list item": ("- 第一项", "  - 其中"),
            "caption": "Table:",
            "image": "![图 1-1",
            "formula": "$$",
            "definition": ": 释义",
            "code": "```",
        }.get(t_kind := key.partition(":")[0])
        if expected:
            assert written.startswith(expected), (key, written)
        else:
            assert t_kind == "paragraph" and written[:1] in "调质>", (key, written)
    blocks = sorted(block for _, block, _ in changes)
    assert blocks == sorted(
        [
            "table cell",
            "list item",
            "list item",
            "caption",
            "image",
            "formula",
            "paragraph",  # the inline formula
            "paragraph",  # the link's target
            "definition",
            "paragraph",  # inside the alert
            "code",
        ]
    ), changes
    excerpts = " | ".join(excerpt for _, _, excerpt in changes)
    for shown in (
        "9[-8-]{+9+}.5%",
        "一千[-二-]{+五+}百份",
        "一百{+二十+}次",
        "各省{+问卷+}覆盖率",
        "调查{+的+}流程",
        "$E = m{+ +}c^{+{+}2{+}+}$",  # a formula by its TeX
        "$a^2 [-+-]{+-+} b^2$",
        "调查覆盖全国，详见统计公报。 → ….org/202[-0-]{+1+}",  # same text, new target
        "释义[-原-]{+新+}文",
        "提示里{+改过+}的一句",
        "code line{+ 2+}",
    ):
        assert shown in excerpts, (shown, excerpts)
    assert [n for n, _ in chapter["notes_changed"]] == ["① 注释新文。"]
    assert chapter["notes_added"] == chapter["notes_removed"] == []
    assert chapter["sections_added"] == chapter["sections_removed"] == []


def test_an_image_replaced_by_another_picture_is_reported(tmp_path, editions):
    first, _ = editions
    replaced = write_manuscript(
        tmp_path / "replaced",
        BASE_YAML,
        {"c01.md": CHAPTER, "images/flow.png": png(3, 3), "images/other.png": png(3, 3)},
    )
    (chapter,) = report(first, replaced)["chapters"]
    assert [(t["kind"], t["block"]) for t in chapter["text"]] == [("changed", "image")]
    assert chapter["text"][0]["excerpt"].startswith("图 1-1 调查流程 → [-")


def test_nothing_unchanged_is_reported(editions):
    first, _ = editions
    assert report(first, first) == {
        "metadata": [],
        "chapters": [],
        "vanished": [],
        "renumbered": [],
    }


def test_a_block_added_and_one_removed_say_what_they_are(tmp_path, editions):
    first, _ = editions
    text = CHAPTER.replace("> 引文一句，未改。\n", "").replace(
        "- 第二项：三百次访谈\n", "- 第二项：三百次访谈\n- 第三项：新增\n"
    )
    second = write_manuscript(
        tmp_path / "second", BASE_YAML, {"c01.md": text, "images/flow.png": png()}
    )
    (chapter,) = report(first, second)["chapters"]
    assert sorted((t["kind"], t["block"], t["excerpt"]) for t in chapter["text"]) == [
        ("added", "list item", "第三项：新增"),
        ("removed", "quote", "引文一句，未改。"),
    ]


def test_the_revisions_draft_names_each_block(editions):
    result = CliRunner().invoke(main, ["diff", *map(str, editions), "--format", "markdown"])
    draft = result.output
    for label in ("表格单元格", "列表项", "图表题", "公式", "图片", "释义", "代码"):
        assert label in draft, label
