"""Revised editions: edition data, stable anchors, reproducible builds, `ebook diff`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import NS, REPO, assert_epubcheck_clean, open_epub
from ebook.build import build_epub
from ebook.cli import main

SEED = REPO / "manuscript"
EDITS = yaml.safe_load((REPO / "tests" / "data" / "second-edition.yaml").read_text("utf-8"))
ALIAS_EDIT = ' {aliases="ch01-技术路线 二技术路线"}'


def second_edition(into: Path, with_alias: bool = True) -> Path:
    """Copy the repository's book and apply the second-edition edits."""
    shutil.copytree(SEED, into)
    for edit in EDITS["edits"]:
        path = into / edit["file"]
        text = path.read_text("utf-8")
        assert text.count(edit["old"]) == 1, edit["old"]
        new = edit["new"] if with_alias else edit["new"].replace(ALIAS_EDIT, "")
        path.write_text(text.replace(edit["old"], new), "utf-8")
    return into


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("editions")
    first = folder / "first.epub"
    build_epub(SEED, first)
    second = second_edition(folder / "second")
    return first, second


@pytest.mark.slow
def test_revision_page_and_colophon_of_the_second_edition(editions, tmp_path):
    _, second = editions
    out = tmp_path / "second.epub"
    build_epub(second, out)
    assert_epubcheck_clean(out)
    book = open_epub(out)
    spine = [i.get("idref") for i in book.opf.findall("opf:spine/opf:itemref", NS)]
    assert spine[-1] == "revisions.xhtml"  # default: at the back
    page = book.doc("revisions.xhtml")
    assert page.find("h:body", NS).get("{http://www.idpf.org/2007/ops}type") == "backmatter"
    assert page.xpath("string(.//h:h1)", namespaces=NS) == "修订说明"
    assert page.xpath("string(.//h:h2)", namespaces=NS) == "第2版（2024年5月）"
    assert [li.text for li in page.iterfind(".//h:li", NS)] == [
        "序：改正一处错字",
        "第一章：更新一条注释",
        "第一章：增补“四、测试新增小节”",
    ]
    nav = [a.text for a in book.doc("nav.xhtml").iterfind(".//h:nav[@id='toc']/h:ol/h:li/h:a", NS)]
    assert nav[-1] == "修订说明"
    row = next(
        r
        for r in book.doc("copyright.xhtml").iterfind(".//h:tr", NS)
        if r.findtext("h:th", namespaces=NS) == "版次"
    )
    assert row.findtext("h:td", namespaces=NS) == "2024年5月第2版 2024年5月第1次印刷"
    edition = book.opf.find("opf:metadata/opf:meta[@property='schema:bookEdition']", NS)
    assert edition.text == "2"
    # The renamed heading keeps its old anchor.
    heading = book.doc("ch01.xhtml").find(".//h:h3/h:span[@id='ch01-技术路线']", NS)
    assert heading is not None and heading.getparent().xpath("string()") == "二、研究思路与技术路线"


@pytest.mark.slow
def test_revision_page_can_stand_at_the_front(editions, tmp_path):
    _, second = editions
    front = tmp_path / "front"
    shutil.copytree(second, front)
    with (front / "book.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  revision_history: front\n")
    out = tmp_path / "front.epub"
    build_epub(front, out)
    spine = [i.get("idref") for i in open_epub(out).opf.findall("opf:spine/opf:itemref", NS)]
    assert spine.index("revisions.xhtml") < spine.index("nav.xhtml") < spine.index("ch01.xhtml")
    assert_epubcheck_clean(out)


def test_diff_reports_exactly_the_changes(editions):
    first, second = editions
    result = invoke("diff", str(first), str(second), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {name for name, _, _ in report["metadata"]} == {
        "identifier",
        "isbn",
        "date",
        "edition",
        "printing",
        "cip_description",  # the CIP block prints the edition and the date
        "cip_data",  # and the ISBN
    }
    cip = next(m for m in report["metadata"] if m[0] == "cip_data")
    assert "978-7-202-11899-3" in cip[1] and "978-7-202-12000-2" in cip[2]
    assert ["edition", "1", "2"] in report["metadata"]
    assert ["isbn", "9787202118993", "9787202120002"] in report["metadata"]
    chapters = {c["id"]: c for c in report["chapters"]}
    assert set(chapters) == {"foreword", "ch01"}
    foreword = chapters["foreword"]
    assert foreword["status"] == "changed"
    assert [(t["kind"], t["block"], t["position"]) for t in foreword["text"]] == [
        ("changed", "paragraph", 2)
    ]
    assert foreword["text"][0]["file"] == "foreword.xhtml"
    assert "带{+来+}了哪些" in foreword["text"][0]["excerpt"]
    ch01 = chapters["ch01"]
    assert ch01["sections_added"] == ["四、测试新增小节"]
    assert ch01["sections_renamed"] == [["二、技术路线", "二、研究思路与技术路线"]]
    assert ch01["sections_removed"] == [] and ch01["sections_moved"] == []
    # Named as readers know it: the marker and the start of its text, not its id.
    assert [n for n, _ in ch01["notes_changed"]] == [
        "② 鲍勃·杰索普著，漆蕪译：《治理的兴起及其失败的风…"
    ]
    assert "{+《+}国际社会科学杂志（中文版）{+》+}" in ch01["notes_changed"][0][1]
    assert ch01["notes_added"] == [] and ch01["notes_removed"] == []
    assert [(t["kind"], t["excerpt"]) for t in ch01["text"]] == [
        ("added", "第二版新增的一段测试文字。")
    ]
    assert report["vanished"] == []


def test_diff_text_and_markdown(editions):
    first, second = editions
    text = invoke("--lang", "zh", "diff", str(first), str(second))
    assert text.exit_code == 0
    lines = text.output.splitlines()
    assert lines[0] == "元数据"
    assert "  版本: 1 → 2" in lines
    assert "foreword 序: 修改" in lines
    assert "  小节更名: 二、技术路线 → 二、研究思路与技术路线" in lines
    assert "  新增小节: 四、测试新增小节" in lines
    assert "\x1b[" not in text.output  # no colour when not on a terminal
    # The CIP block is shown as what changed in it, not two whole paragraphs.
    cip = next(line for line in lines if line.startswith("  CIP 检索数据: "))
    assert cip.startswith("  CIP 检索数据: ISBN 978-7-202-1[-1899-]{+2000+}-[-3-]{+2+} "), cip
    assert "—{+2版. —+}石家庄" in text.output  # the edition statement the block now prints
    english = invoke("--lang", "en", "diff", str(first), str(second))
    assert english.output.splitlines()[0] == "Metadata"
    assert "  section renamed: 二、技术路线 → 二、研究思路与技术路线" in english.output.splitlines()
    markdown = invoke("diff", str(first), str(second), "--format", "markdown")
    assert markdown.exit_code == 0
    assert markdown.output.startswith("## 第2版修订说明（草稿）\n")
    draft = markdown.output.split("```yaml\n")[1].split("```")[0]
    entry = yaml.safe_load(draft)["revisions"][0]
    assert entry["edition"] == 2 and entry["date"] == "2024-05"
    assert "第一章 绪论：新增小节：四、测试新增小节" in entry["changes"]


def test_diff_between_manuscripts_and_bad_input(editions, tmp_path):
    _, second = editions
    result = invoke("diff", str(SEED), str(second), "--format", "json")
    assert result.exit_code == 0
    assert {c["id"] for c in json.loads(result.output)["chapters"]} == {"foreword", "ch01"}
    bad = invoke("diff", str(tmp_path / "nothing.epub"), str(second))
    assert bad.exit_code == 4 and "error D001" in bad.output and "Traceback" not in bad.output


def test_check_previous_needs_the_alias(editions, tmp_path):
    first, _ = editions
    without = second_edition(tmp_path / "no-alias", with_alias=False)
    result = invoke("check", "--previous", str(first), str(without))
    assert result.exit_code == 1
    # One finding for the heading, naming it and both of its lost anchors, at the heading
    # that took its place, with the line to write.
    line = _line_of(without / "ch01.md", "### 二、研究思路与技术路线")
    assert result.output.count(" R002 ") == 1, result.output
    assert (
        f"ch01.md:{line}:1: error R002 first.epub has ch01.xhtml#ch01-技术路线,"
        " ch01.xhtml#二技术路线, the heading “二、技术路线”; this edition does not" in result.output
    )
    assert '### 二、研究思路与技术路线 {aliases="ch01-技术路线 二技术路线"}' in result.output
    with_alias = invoke("check", "--previous", str(first), str(editions[1]))
    assert with_alias.exit_code == 0, with_alias.output


def test_renumbering_a_heading_keeps_its_anchor(editions, tmp_path):
    """第一节 -> 第二节 and 一、 -> 二、: the heading's id is its title without the number; the
    GitHub-style slug (number and all) is named with the exact alias to keep it."""
    first, _ = editions
    renumbered = tmp_path / "renumbered"
    shutil.copytree(SEED, renumbered)
    chapter = renumbered / "ch01.md"
    text = chapter.read_text("utf-8")
    assert text.count("### 一、治理的相关研究") == 1
    chapter.write_text(text.replace("### 一、治理的相关研究", "### 二、治理的相关研究"), "utf-8")
    result = invoke("check", "--previous", str(first), str(renumbered))
    assert "ch01.xhtml#ch01-治理的相关研究" not in result.output  # the id is kept
    line = _line_of(chapter, "### 二、治理的相关研究")
    assert (
        f"ch01.md:{line}:1: error R002 first.epub has ch01.xhtml#一治理的相关研究, the heading"
        " “一、治理的相关研究”; this edition does not" in result.output
    ), result.output
    fix = '### 二、治理的相关研究 {aliases="一治理的相关研究"}'
    assert fix in result.output
    chapter.write_text(chapter.read_text("utf-8").replace("### 二、治理的相关研究", fix), "utf-8")
    fixed = invoke("check", "--previous", str(first), str(renumbered))
    assert " R002 " not in fixed.output, fixed.output


@pytest.mark.slow
def test_renamed_chapter_keeps_its_old_file(editions, tmp_path):
    first, _ = editions
    renamed = tmp_path / "renamed"
    shutil.copytree(SEED, renamed)
    chapter = renamed / "ch01.md"
    chapter.write_text(chapter.read_text("utf-8").replace("id: ch01", "id: introduction"), "utf-8")
    missing = invoke("check", "--previous", str(first), str(renamed))
    assert missing.exit_code == 1 and "error R001 first.epub has ch01.xhtml" in missing.output
    chapter.write_text(
        chapter.read_text("utf-8").replace("id: introduction", "id: introduction\naliases: [ch01]"),
        "utf-8",
    )
    kept = invoke("check", "--previous", str(first), str(renamed))
    assert kept.exit_code == 0, kept.output
    out = tmp_path / "renamed.epub"
    build_epub(renamed, out)
    assert_epubcheck_clean(out)
    old_page = open_epub(out).doc("ch01.xhtml")
    link = old_page.find(".//h:a[@id='ch01-fn-stoker']", NS)
    assert link.get("href") == "introduction.xhtml#introduction-fn-stoker"
    diff = json.loads(invoke("diff", str(first), str(renamed), "--format", "json").output)
    assert [(c["id"], c["status"], c["old_id"]) for c in diff["chapters"]] == [
        ("introduction", "renamed", "ch01")
    ]


def test_new_edition_with_the_same_isbn_is_warned(editions, tmp_path):
    first, _ = editions
    reprint = tmp_path / "same-isbn"
    shutil.copytree(SEED, reprint)
    config = reprint / "book.yaml"
    config.write_text(
        config.read_text("utf-8").replace("edition: {number: 1", "edition: {number: 2"), "utf-8"
    )
    result = invoke("check", "--previous", str(first), str(reprint))
    assert "warning B015 edition 1 → 2 but the ISBN is unchanged" in result.output
    # The CIP number the first edition printed, read back from its copyright page.
    number = "C003 edition 1 → 2 but the CIP number 2017-035467 is unchanged"
    assert f"book.yaml:{_line_of(config, 'number: 2017')}:11: warning {number}" in result.output
    config.write_text(
        config.read_text("utf-8").replace("number: 2017-035467", "number: 2019-012345"), "utf-8"
    )
    result = invoke("check", "--previous", str(first), str(reprint))
    assert "C003" not in result.output
    assert (
        "CIP number: 2017-035467 → 2019-012345" in invoke("diff", str(first), str(reprint)).output
    )


def _line_of(path, needle: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line
    )


def test_builds_are_byte_identical_without_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book = tmp_path / "book"
    shutil.copytree(SEED, book)
    build_epub(book, tmp_path / "a.epub", cache=False, workers=1)
    build_epub(book, tmp_path / "b.epub", cache=False, workers=2)
    assert (tmp_path / "a.epub").read_bytes() == (tmp_path / "b.epub").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.epub") as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert len({i.date_time for i in infos}) == 1
        assert {(i.external_attr >> 16) & 0o777 for i in infos} == {0o644}


def test_timestamp_comes_from_the_last_commit(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = tmp_path / "repo"
    shutil.copytree(SEED, repo / "manuscript")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2020-01-02T03:04:05Z",
        "GIT_COMMITTER_DATE": "2020-01-02T03:04:05Z",
    }
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "book"],
    ):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    build_epub(repo / "manuscript", tmp_path / "a.epub", cache=False)
    os.utime(repo / "manuscript" / "ch02.md")  # a newer mtime, same content
    build_epub(repo / "manuscript", tmp_path / "b.epub", cache=False)
    assert (tmp_path / "a.epub").read_bytes() == (tmp_path / "b.epub").read_bytes()
    modified = open_epub(tmp_path / "a.epub").opf.find(
        "opf:metadata/opf:meta[@property='dcterms:modified']", NS
    )
    assert modified.text == "2020-01-02T03:04:05Z"
    monkeypatch.chdir(repo)
    result = invoke("diff", "git:HEAD", "manuscript", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["chapters"] == []
    # Python before 3.11.4 (Debian 12's 3.11.2) has no extraction filter: the same answer.
    import tarfile

    monkeypatch.delattr(tarfile, "data_filter", raising=False)
    result = invoke("diff", "git:HEAD", "manuscript", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["chapters"] == []


def test_chapter_moved_to_another_file_is_renamed(tmp_path):
    moved = tmp_path / "moved"
    shutil.copytree(SEED, moved)
    (moved / "ch02.md").rename(moved / "02-internet.md")
    config = moved / "book.yaml"
    config.write_text(config.read_text("utf-8").replace("- ch02.md", "- 02-internet.md"), "utf-8")
    report = json.loads(invoke("diff", str(SEED), str(moved), "--format", "json").output)
    assert [(c["id"], c["status"], c["old_source"]) for c in report["chapters"]] == [
        ("ch02", "renamed", "ch02.md → 02-internet.md")
    ]
    assert report["vanished"] == []


def test_reader_facing_pages_show_titles_not_ids(tmp_path):
    book = tmp_path / "renamed"
    shutil.copytree(SEED, book, ignore=shutil.ignore_patterns(".ebook-cache"))
    chapter = book / "ch01.md"
    chapter.write_text(
        chapter.read_text("utf-8").replace("id: ch01", "id: introduction\naliases: [ch01]"),
        "utf-8",
    )
    build_epub(book, tmp_path / "b.epub")
    epub = open_epub(tmp_path / "b.epub")
    revisions = "".join(epub.doc("revisions.xhtml").itertext())
    assert "第一章 绪论（前一版中的位置）" in revisions
    assert "introduction" not in revisions and "ch01" not in revisions
    alias = "".join(epub.doc("ch01.xhtml").find(".//h:section", NS).itertext())
    assert "第一节 研究问题的提出" in alias and "注释" in alias
    assert "-fn-" not in alias and "introduction" not in alias


def _commit(repo: Path) -> None:
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "book"],
    ):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _edit_preface(folder: Path) -> None:
    preface = folder / "foreword.md"
    preface.write_text(preface.read_text("utf-8").replace("。", "。新增一句。", 1), "utf-8")


@pytest.mark.parametrize("layout", ["book at the root", "book in a subfolder"])
def test_git_revision_from_any_folder(tmp_path, monkeypatch, layout):
    """`ebook diff git:HEAD .` where `ebook init` puts the book (the repository's root), and a
    manuscript in a subfolder, run from the book, from the root and from elsewhere."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    book = repo if layout == "book at the root" else repo / "books" / "first"
    shutil.copytree(SEED, book)
    _commit(repo)
    _edit_preface(book)

    def changed(*args: str) -> list[str]:
        result = invoke("diff", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return [c["id"] for c in json.loads(result.output)["chapters"]]

    monkeypatch.chdir(book)
    assert changed("git:HEAD", ".") == ["foreword"]  # the path of the other side
    assert changed("git:HEAD:.", ".") == ["foreword"]
    monkeypatch.chdir(repo)
    relative = book.relative_to(repo).as_posix()
    assert changed("git:HEAD", relative) == ["foreword"]
    assert changed(f"git:HEAD:{relative}", relative) == ["foreword"]
    monkeypatch.chdir(tmp_path)  # outside the repository: git is asked where the book is
    assert changed("git:HEAD", str(book)) == ["foreword"]
    assert changed("git:HEAD", str(book.relative_to(tmp_path))) == ["foreword"]


def test_git_revision_outside_a_repository_is_a_located_error(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    book = tmp_path / "book"
    shutil.copytree(SEED, book)
    monkeypatch.chdir(book)
    result = invoke("diff", "git:HEAD", ".")
    assert result.exit_code == 4
    assert "D001" in result.output and "Traceback" not in result.output


def test_the_text_report_names_the_metadata_in_the_users_language(editions):
    first, second = editions
    chinese = invoke("--lang", "zh", "diff", str(first), str(second))
    assert "  版本: 1 → 2" in chinese.output and "  ISBN: 9787202118993" in chinese.output
    assert "edition:" not in chinese.output and "cip_data" not in chinese.output
    english = invoke("--lang", "en", "diff", str(first), str(second))
    assert "  edition: 1 → 2" in english.output and "  CIP data: " in english.output
