"""A revised edition moves a section to another chapter and renumbers headings: `check
--previous` names each lost anchor with its heading and the exact fix; after the fix every
anchor of the first edition leads, in the second, to the same heading."""

from __future__ import annotations

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
        "# 第二章 分论\n\n## 第一节 数据\n\n数据的正文。\n\n## 第二节 案例\n\n案例的正文。\n\n"
        "### 一、浙江\n\n浙江的正文。\n"
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
            "# 第三章 结论\n\n## 第一节 案例\n\n案例的正文。\n\n### 一、浙江\n\n浙江的正文。\n\n"
            "## 第二节 发现\n\n发现的正文。\n"
        ),
    }


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
    # 发现 renumbered (only its GitHub-style slug is gone: its id stays).
    assert len(findings) == 3, result.output
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
            if found.get("class") != "alias" and found.getparent().get("class") == "moved":
                # The old file's anchor is a link to the heading's new place.
                link = found.find("h:a", NS)
                file, _, target = link.get("href").partition("#")
                found = new.doc(file).find(f".//*[@id='{target}']", NS)
            landing = found if is_heading(found) else found.getparent()
            assert without_number("".join(landing.itertext())) == was, (name, anchor)


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
