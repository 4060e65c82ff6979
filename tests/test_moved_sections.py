"""A revised edition moves a section to another chapter and renumbers headings: `check
--previous` names each lost anchor with its heading and the exact fix; after the fix every
anchor of the first edition leads, in the second, to the same heading."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import BASE_YAML, NS, assert_epubcheck_clean, open_epub, write_manuscript
from ebook.build import build_epub
from ebook.cli import main
from ebook.render.headings import without_number

FIRST = {
    "c01.md": "# 第一章 总论\n\n## 第一节 缘起\n\n缘起的正文。\n\n## 第二节 方法\n\n方法的正文。\n",
    "c02.md": (
        "# 第二章 分论\n\n## 第一节 数据\n\n数据的正文。\n\n## 第二节 案例\n\n案例的正文[^k]。\n\n"
        "### 一、浙江\n\n浙江的正文。\n\n[^k]: 案例的注释，随本节移动。\n"
    ),
    "c03.md": "# 第三章 结论\n\n## 第一节 发现\n\n发现的正文。\n",
}


def second_edition() -> dict[str, str]:
    """第二章第二节 (with its subsection) moves to the front of 第三章 as its 第一节; 发现 becomes
    第二节 there; in 第一章, 二、 is renumbered as nothing else changes."""
    return {
        "c01.md": FIRST["c01.md"],
        "c02.md": "# 第二章 分论\n\n## 第一节 数据\n\n数据的正文。\n",
        "c03.md": (
            "# 第三章 结论\n\n## 第一节 案例\n\n案例的正文[^k]。\n\n### 一、浙江\n\n浙江的正文。\n\n"
            "## 第二节 发现\n\n发现的正文。\n\n[^k]: 案例的注释，随本节移动。\n"
        ),
    }


NOTE_FIX = '[^k]: 案例的注释，随本节移动。\n    {aliases="c02-fn-k"}\n'


def check_previous(previous, manuscript):
    return CliRunner().invoke(main, ["check", "--previous", str(previous), str(manuscript)])


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def is_heading(el) -> bool:
    return bool(re.fullmatch(r"h[1-6]", el.tag.split("}")[1]))


@pytest.fixture(scope="module")
def first_epub(tmp_path_factory):
    folder = write_manuscript(tmp_path_factory.mktemp("first"), BASE_YAML, FIRST)
    out = folder.parent / "first.epub"
    build_epub(folder, out)
    return out


def test_a_moved_section_is_named_and_the_fix_is_given_where_it_now_is(first_epub, tmp_path):
    second = write_manuscript(tmp_path / "second", BASE_YAML, second_edition())
    result = check_previous(first_epub, second)
    assert result.exit_code == 1
    findings = [line for line in result.output.splitlines() if " R002 " in line]
    # One finding per heading: 案例 and 浙江 moved (their anchors, each named by its heading),
    # 发现 renumbered (only its GitHub-style slug is gone: its id stays); one for the note that
    # moved with 案例 (its anchor and its reference's), at its definition.
    assert len(findings) == 4, result.output
    c03 = second / "c03.md"
    note = f"c03.md:{line_of(c03, '[^k]:')}:1: error R002 first.epub has c02.xhtml#c02-fn-k,"
    assert any(
        note in f and f.endswith("the note ① 案例的注释，随本节移动。; this edition does not")
        for f in findings
    ), findings
    assert "c02.xhtml#c02-fnref-k" in result.output
    assert 'add {aliases="c02-fn-k"} as the last line of its text' in result.output
    c03 = second / "c03.md"
    case = f"c03.md:{line_of(c03, '## 第一节 案例')}:1: error R002 first.epub has"
    assert any(
        f.endswith("the heading “第二节 案例”; this edition does not") and case in f
        for f in findings
    ), findings
    assert '## 第一节 案例 {aliases="c02-案例 c02.xhtml#第二节-案例"}' in result.output, (
        result.output
    )
    assert '### 一、浙江 {aliases="c02-浙江 c02.xhtml#一浙江"}' in result.output
    assert '## 第二节 发现 {aliases="第一节-发现"}' in result.output
    assert "c03.xhtml#c03-发现" not in result.output  # renumbered: the id is the title's


def test_after_the_hints_every_old_anchor_leads_to_the_same_heading(first_epub, tmp_path):
    files = second_edition()
    files["c03.md"] = (
        files["c03.md"]
        .replace("## 第一节 案例", '## 第一节 案例 {aliases="c02-案例 c02.xhtml#第二节-案例"}')
        .replace("### 一、浙江", '### 一、浙江 {aliases="c02-浙江 c02.xhtml#一浙江"}')
        .replace("## 第二节 发现", '## 第二节 发现 {aliases="第一节-发现"}')
        .replace("[^k]: 案例的注释，随本节移动。\n", NOTE_FIX)
    )
    second = write_manuscript(tmp_path / "second", BASE_YAML, files)
    result = check_previous(first_epub, second)
    assert result.exit_code == 0, result.output
    out = tmp_path / "second.epub"
    build_epub(second, out)
    old, new = open_epub(first_epub), open_epub(out)
    for name in ("c01.xhtml", "c02.xhtml", "c03.xhtml"):
        for el in old.doc(name).iterfind(".//*[@id]", NS):
            anchor = el.get("id")
            heading = el if is_heading(el) else el.getparent()
            if not is_heading(heading):
                continue
            was = without_number("".join(heading.itertext()))
            found = new.doc(name).find(f".//*[@id='{anchor}']", NS)
            assert found is not None, f"{name}#{anchor}"
            line = found if found.tag.endswith("}p") else found.getparent()
            if line.getparent() is not None and line.getparent().get("class") == "moved":
                # The old file's anchor is on a link to the heading's new place.
                link = line.find("h:a", NS)
                file, _, target = link.get("href").partition("#")
                found = new.doc(file).find(f".//*[@id='{target}']", NS)
            landing = found if is_heading(found) else found.getparent()
            assert without_number("".join(landing.itertext())) == was, (name, anchor)
    # The note and its reference: the old file's ids lead to them in the new one.
    for anchor, expected in (("c02-fn-k", "aside"), ("c02-fnref-k", "a")):
        link = new.doc("c02.xhtml").find(f".//h:div[@class='moved']/h:p[@id='{anchor}']/h:a", NS)
        file, _, target = link.get("href").partition("#")
        landing = new.doc(file).find(f".//*[@id='{target}']", NS)
        assert landing.tag.endswith(expected), anchor
        note = (
            landing
            if expected == "aside"
            else new.doc(file).find(f".//*[@id='{landing.get('href')[1:]}']", NS)
        )
        assert "案例的注释，随本节移动。" in "".join(note.itertext())


@pytest.mark.slow
def test_the_edition_with_moved_anchors_passes_epubcheck(first_epub, tmp_path):
    files = second_edition()
    files["c03.md"] = files["c03.md"].replace(
        "## 第一节 案例", '## 第一节 案例 {aliases="c02-案例 c02.xhtml#第二节-案例"}'
    )
    second = write_manuscript(tmp_path / "second", BASE_YAML, files)
    out = tmp_path / "second.epub"
    build_epub(second, out)
    assert_epubcheck_clean(out)


def diff(first, second) -> dict:
    result = CliRunner().invoke(main, ["diff", str(first), str(second), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_diff_reports_the_move_and_the_renumbering_once(first_epub, tmp_path):
    second = write_manuscript(tmp_path / "second", BASE_YAML, second_edition())
    report = diff(first_epub, second)
    chapters = {c["id"]: c for c in report["chapters"]}
    assert set(chapters) == {"c03"}, chapters  # c02 lost only what moved: nothing to say
    c03 = chapters["c03"]
    assert c03["notes_moved_in"] == [
        ["① 案例的注释，随本节移动。", "c02", "① 案例的注释，随本节移动。"]
    ]
    assert c03["notes_added"] == []
    assert c03["sections_moved_in"] == [
        ["第二节 案例", "c02", "第一节 案例"],
        ["一、浙江", "c02", "一、浙江"],
    ]
    assert c03["sections_renumbered"] == [["第一节 发现", "第二节 发现"]]
    assert c03["sections_added"] == c03["sections_removed"] == c03["sections_renamed"] == []
    assert [(t["kind"], t["old_file"], t["old_position"], t["position"]) for t in c03["text"]] == [
        ("moved", "c02.xhtml", 2, 1),
        ("moved", "c02.xhtml", 3, 2),
    ]


SPLIT_FIRST = {
    "c01.md": (
        "# 第一章 总论\n\n## 第一节 缘起\n\n缘起一。\n\n缘起二。\n\n"
        "## 第二节 方法\n\n方法一。\n\n方法二。\n\n方法三。\n"
    ),
    "c02.md": "# 第二章 数据\n\n数据一。\n\n数据二。\n",
    "c03.md": "# 第三章 案例\n\n案例一。\n\n案例二。\n\n案例三。\n",
}
SPLIT_SECOND = {
    "c01.md": "# 第一章 总论\n\n## 第一节 缘起\n\n缘起二。\n\n缘起一。\n",  # two swapped
    "c01b.md": "# 第二章 方法\n\n方法一。\n\n方法二。\n\n方法三。\n",
    "c02.md": "# 第三章 数据与案例\n\n数据一。\n\n数据二。\n\n案例一。\n\n案例二。\n\n案例三。\n",
}


def test_diff_reports_a_split_a_merge_and_a_moved_paragraph(tmp_path):
    first = write_manuscript(tmp_path / "first", BASE_YAML, SPLIT_FIRST)
    second = write_manuscript(tmp_path / "second", BASE_YAML, SPLIT_SECOND)
    chapters = {c["id"]: c for c in diff(first, second)["chapters"]}
    assert {k: (c["status"], c["related"]) for k, c in chapters.items()} == {
        "c01": ("changed", None),
        "c01b": ("split", "c01"),
        "c02": ("renamed", None),
        "c03": ("merged", "c02"),
    }
    c01 = chapters["c01"]
    # The section that became c01b is the split, not a removal; the swap is one move.
    assert c01["sections_removed"] == []
    assert [(t["kind"], t["excerpt"]) for t in c01["text"]] == [("moved", "缘起二。")]
    assert chapters["c02"]["text"] == []  # c03's text is the merge, said once
    assert chapters["c02"]["old_title"] == "第二章 数据"
    for kind in ("c01b", "c03"):
        assert chapters[kind]["text"] == [] and chapters[kind]["sections_removed"] == []
    text = CliRunner().invoke(main, ["--lang", "zh", "diff", str(first), str(second)]).output
    assert "c01b 第二章 方法: 由 c01 拆分而来" in text
    assert "c03 第三章 案例: 并入 c02" in text


def test_keep_anchors_writes_the_hints_only_when_asked(first_epub, tmp_path):
    second = write_manuscript(tmp_path / "second", BASE_YAML, second_edition())
    before = {p.name: p.read_bytes() for p in second.glob("*.md")}
    check_previous(first_epub, second)
    assert {p.name: p.read_bytes() for p in second.glob("*.md")} == before  # not asked
    runner = CliRunner()
    asked = runner.invoke(
        main, ["check", "--previous", str(first_epub), "--keep-anchors", str(second)]
    )
    assert asked.exit_code == 0, asked.output
    c03 = (second / "c03.md").read_text("utf-8")
    assert '## 第一节 案例 {aliases="c02-案例 c02.xhtml#第二节-案例"}' in c03
    assert '### 一、浙江 {aliases="c02-浙江 c02.xhtml#一浙江"}' in c03
    assert '## 第二节 发现 {aliases="第一节-发现"}' in c03
    assert '[^k]: 案例的注释，随本节移动。\n    {aliases="c02-fn-k"}\n' in c03
    # Each written line said, at its place.
    assert asked.output.count(": wrote {aliases=") == 4, asked.output
    assert f"c03.md:{line_of(second / 'c03.md', '### 一、浙江')}: wrote" in asked.output
    assert (second / "c01.md").read_bytes() == before["c01.md"]
    again = check_previous(first_epub, second)
    assert again.exit_code == 0 and " R002 " not in again.output, again.output


def test_keep_anchors_needs_previous(tmp_path):
    book = write_manuscript(tmp_path / "book", BASE_YAML, FIRST)
    result = CliRunner().invoke(main, ["check", "--keep-anchors", str(book)])
    assert result.exit_code == 2 and "--previous" in result.output


def test_an_anchor_is_another_chapters_by_its_longest_chapter_id_prefix():
    from types import SimpleNamespace

    from ebook.render.headings import other_chapter_file

    ids = frozenset({"ch01", "part", "part-2", "a-b"})
    draft = SimpleNamespace(chapter=SimpleNamespace(id="ch01"), chapter_ids=ids)
    assert other_chapter_file(draft, "part-2-x") == "part-2.xhtml"  # longest first
    assert other_chapter_file(draft, "part-x") == "part.xhtml"
    assert other_chapter_file(draft, "a-b-c-d") == "a-b.xhtml"
    assert other_chapter_file(draft, "ch01-x") == ""  # this chapter's own
    assert other_chapter_file(draft, "ch01-part-x") == ""
    assert other_chapter_file(draft, "partx") == ""
    assert other_chapter_file(draft, "-part") == ""
