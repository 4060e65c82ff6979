"""Numbered figures, tables, equations and listings, references to them, the lists of figures
and tables, and the index, on the textbook fixture (tests/data/textbook)."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import EPUB_TYPE, NS, REPO, Epub, open_epub, write_manuscript
from ebook.build import build_epub, check_manuscript

TEXTBOOK = REPO / "tests" / "data" / "textbook"
H = "{http://www.w3.org/1999/xhtml}"


def copy_textbook(root: Path) -> Path:
    shutil.copytree(TEXTBOOK, root, ignore=shutil.ignore_patterns(".ebook-cache"))
    return root


def build(root: Path) -> Epub:
    out = root.parent / f"{root.name}.epub"
    build_epub(root, out)
    return open_epub(out)


@pytest.fixture(scope="module")
def textbook(tmp_path_factory) -> Epub:
    return build(copy_textbook(tmp_path_factory.mktemp("textbook") / "book"))


def numbers(epub: Epub, name: str) -> list[tuple[str, str]]:
    """(id of the numbered element, its number) in document order."""
    found = []
    for span in epub.doc(name).iter(f"{H}span"):
        if span.get("class") in ("label-number", "equation-number"):
            owner = next(a for a in span.iterancestors() if a.get("id"))
            found.append((owner.get("id"), span.text))
    return found


def test_captions_and_equations_are_numbered_by_chapter_and_appendix_letter(textbook):
    assert numbers(textbook, "ch1.xhtml") == [
        ("fig-arch", "图1-1"),
        ("tbl-stages", "表1-1"),
        ("eq-scale", "（1-1）"),
        ("lst-api", "代码1-1"),
        ("fig-flow", "图1-2"),
    ]
    assert numbers(textbook, "ch2.xhtml") == [
        ("fig-platform", "图2-1"),
        ("tbl-metrics", "表2-1"),
        ("eq-load", "（2-1）"),
    ]
    assert numbers(textbook, "ch3.xhtml") == [
        ("fig-city", "图3-1"),
        ("tbl-cities", "表3-1"),
        ("eq-cost", "（3-1）"),
    ]
    assert numbers(textbook, "appendix.xhtml") == [
        ("fig-glossary", "图A-1"),
        ("tbl-sources", "表A-1"),
    ]
    caption = textbook.doc("ch1.xhtml").find(".//h:figure[@id='fig-arch']/h:figcaption", NS)
    assert "".join(caption.itertext()) == "图1-1\u3000数字政府的总体架构"


def references(epub: Epub, name: str) -> list[tuple[str, str]]:
    return [
        (a.get("href"), a.text) for a in epub.doc(name).iter(f"{H}a") if a.get("class") == "xref"
    ]


def test_every_reference_reads_its_target_number_and_lands_on_it(textbook):
    shown = {}  # "file#id" -> how a reference reads it
    for name in ("ch1.xhtml", "ch2.xhtml", "ch3.xhtml", "appendix.xhtml"):
        for anchor, number in numbers(textbook, name):
            word = "式" if anchor.startswith("eq-") else ""
            shown[f"{name}#{anchor}"] = word + number
    shown["ch1.xhtml#sec-portal"] = "第二节 一网通办"
    count = 0
    for name in ("ch1.xhtml", "ch2.xhtml", "ch3.xhtml", "appendix.xhtml"):
        for href, text in references(textbook, name):
            target = href if not href.startswith("#") else name + href
            file, _, anchor = target.partition("#")
            assert textbook.doc(file).find(f".//*[@id='{anchor}']") is not None, target
            # `[-@fig:x]` would read the number alone; the textbook writes none.
            assert text == shown[target], (name, href)
            count += 1
    assert count == 22
    # Across chapters, and two references in one bracket joined as Chinese joins them.
    ch3 = etree.tostring(textbook.doc("ch3.xhtml"), encoding="unicode")
    assert re.search(
        r'href="ch1.xhtml#fig-arch">图1-1</a>、<a class="xref" href="ch2.xhtml#fig-platform">图2-1</a>',
        ch3,
    )


def test_lists_of_figures_and_tables_follow_the_contents(textbook):
    figures = textbook.doc("figures.xhtml")
    assert figures.find(".//h:section", NS).get(EPUB_TYPE) == "loi"
    entries = [("".join(a.itertext()), a.get("href")) for a in figures.iterfind(".//h:li/h:a", NS)]
    assert entries == [
        ("图1-1\u3000数字政府的总体架构", "ch1.xhtml#fig-arch"),
        ("图1-2\u3000一网通办的办事流程", "ch1.xhtml#fig-flow"),
        ("图2-1\u3000一体化政务服务平台", "ch2.xhtml#fig-platform"),
        ("图3-1\u3000城市大脑的组成", "ch3.xhtml#fig-city"),
        ("图A-1\u3000术语关系图", "appendix.xhtml#fig-glossary"),
    ]
    tables = [a.text for a in textbook.doc("tables.xhtml").iterfind(".//h:li/h:a", NS)]
    assert tables == [
        "表1-1\u3000数字政府的发展阶段",
        "表2-1\u3000平台评价指标",
        "表3-1\u3000典型城市的平台",
        "表A-1\u3000数据来源",
    ]
    manifest = {i.get("id"): i.get("href") for i in textbook.opf.iterfind(".//opf:item", NS)}
    spine = [manifest[i.get("idref")] for i in textbook.opf.iterfind(".//opf:itemref", NS)]
    assert spine[spine.index("nav.xhtml") :][:4] == [
        "nav.xhtml",
        "figures.xhtml",
        "tables.xhtml",
        "ch1.xhtml",
    ]
    nav = textbook.doc("nav.xhtml")
    toc = [a.text for a in nav.iterfind(".//h:nav[@id='toc']/h:ol/h:li/h:a", NS)]
    assert toc[:3] == ["图目录", "表目录", "第一章 数字政府的兴起"]
    landmarks = {
        a.get(EPUB_TYPE): a.get("href") for a in nav.iterfind(".//h:nav[@id='landmarks']//h:a", NS)
    }
    assert (landmarks["loi"], landmarks["lot"]) == ("figures.xhtml", "tables.xhtml")


def index_entries(epub: Epub) -> list[etree._Element]:
    return list(epub.doc("index.xhtml").iterfind(".//h:li", NS))


def test_the_index_lists_every_term_with_links_to_where_it_stands(textbook):
    doc = textbook.doc("index.xhtml")
    (index,) = doc.findall(".//h:section[@epub:type='index']", NS)
    assert index.get("role") == "doc-index" and index.get("aria-labelledby") == "index-索引"
    item = next(
        i for i in textbook.opf.iterfind(".//opf:item", NS) if i.get("href") == "index.xhtml"
    )
    assert "index" in item.get("properties").split()
    entries = index_entries(textbook)
    main_entries = doc.findall(".//h:section[@epub:type='index-group']/h:ul/h:li", NS)
    assert len(main_entries) >= 40 and len(entries) >= 50
    pages = {}  # "file#id" of each marked term -> the print page it stands on
    for name in ("ch1.xhtml", "ch2.xhtml", "ch3.xhtml", "appendix.xhtml"):
        page = ""
        for el in textbook.doc(name).iter():
            if el.get(EPUB_TYPE) == "pagebreak":
                page = el.get("aria-label")
            elif el.get("id", "").startswith(name[:-6] + "-idx-"):
                pages[f"{name}#{el.get('id')}"] = (page, "".join(el.itertext()))
    locators = same = 0
    for entry in entries:
        term = entry.find("h:span[@epub:type='index-term']", NS).text
        for locator in entry.iterfind("h:a[@epub:type='index-locator']", NS):
            page, text = pages[locator.get("href")]
            assert locator.text == page, (term, locator.get("href"))
            locators += 1
            same += text == term  # (城市治理 is marked as the entry 治理, 社会治理)
    assert locators >= 45 and same >= locators - 5
    # Sub-entries, and see / see also leading to the entry named.
    governance = next(e for e in entries if e.find("h:span", NS).text == "治理")
    assert [s.find("h:span", NS).text for s in governance.iterfind("h:ul/h:li", NS)] == [
        "基层治理",
        "社会治理",
        "政府治理",
    ]
    old_name = next(e for e in entries if e.find("h:span", NS).text == "电子政务")
    see = old_name.find("h:span[@epub:type='index-xref-preferred']", NS)
    target = see.find("h:a", NS).get("href")[1:]
    assert "".join(see.itertext()) == "见 数字政府"
    assert doc.find(f".//*[@id='{target}']/h:span", NS).text == "数字政府"


def test_the_index_is_grouped_and_ordered_by_pinyin(textbook):
    doc = textbook.doc("index.xhtml")
    groups = [h.text for h in doc.iterfind(".//h:section[@epub:type='index-group']/h:h2", NS)]
    assert groups == [
        "符号与数字",
        "A",
        "B",
        "C",
        "D",
        "F",
        "G",
        "H",
        "J",
        "P",
        "Q",
        "R",
        "S",
        "W",
        "X",
        "Y",
        "Z",
    ]
    by_group = {
        section.find("h:h2", NS).text: [
            li.find("h:span", NS).text for li in section.iterfind("h:ul/h:li", NS)
        ]
        for section in doc.iterfind(".//h:section[@epub:type='index-group']", NS)
    }
    # Each word by its own reading: 长三角 cháng (given in the terms file), 重庆 chóng, 银行
    # háng, 行政审批 xíng.
    assert by_group["C"] == ["长三角", "城市大脑", "重庆"]
    assert by_group["Y"] == [
        "一网通办",
        "医院",
        "银行",
        "隐私保护",
        "营商环境",
        "应急管理",
        "云计算",
    ]
    assert "行政审批" in by_group["X"]


# The members of the 19th and 18th Political Bureau of the CPC Central Committee as Xinhua
# published them, "按姓氏笔画为序" (by the strokes of the surname): the surnames in that
# order, each once. Source: https://baike.so.com/doc/6406226-6619890.html (stored copy),
# section 历届委员. An order made by people, by the standard's rules (stroke count, then the
# order of the strokes 横竖撇点折), independent of the data the tool uses.
OFFICIAL_STROKE_ORDERS = (
    "丁 习 王 刘 许 孙 李 杨 汪 张 陈 赵 胡 栗 郭 黄 韩 蔡",
    "习 马 王 刘 许 孙 李 汪 张 范 孟 赵 胡 俞 栗 郭 韩",
)


@pytest.mark.parametrize("official", OFFICIAL_STROKE_ORDERS)
def test_the_stroke_order_is_the_one_official_lists_print(official):
    from ebook.core.collation import sort_key

    names = official.split()
    assert sorted(reversed(names), key=lambda t: sort_key(t, "strokes")) == names


def test_an_index_in_stroke_order_is_grouped_by_stroke_count(tmp_path):
    root = copy_textbook(tmp_path / "book")
    config = root / "book.yaml"
    config.write_text(config.read_text("utf-8") + "  index_order: strokes\n", "utf-8")
    doc = build(root).doc("index.xhtml")
    groups = [h.text for h in doc.iterfind(".//h:section[@epub:type='index-group']/h:h2", NS)]
    assert groups[:3] == ["符号与数字", "A", "一画"]
    counts = [_numeral(g[:-1]) for g in groups[2:]]
    assert counts == sorted(counts) and all(g.endswith("画") for g in groups[2:])
    first = doc.find(".//h:section[@epub:type='index-group'][3]/h:ul/h:li/h:span", NS).text
    assert first == "一网通办"


def _numeral(text: str) -> int:
    from ebook.core.chinese import parse_numeral

    return parse_numeral(text)


def test_adding_a_figure_renumbers_the_later_ones_and_the_references_and_diff_says_so(tmp_path):
    from ebook.editions import load_edition
    from ebook.editions.diff import compare

    old = copy_textbook(tmp_path / "old")
    new = copy_textbook(tmp_path / "new")
    chapter = new / "01-ch1.md"
    text = chapter.read_text("utf-8")
    chapter.write_text(
        text.replace(
            "# 第一章 数字政府的兴起\n\n",
            '# 第一章 数字政府的兴起\n\n![全书导图](images/arch.png "全书导图"){#fig:map}\n\n',
            1,
        ),
        "utf-8",
    )
    epub = build(new)
    assert [n for n in numbers(epub, "ch1.xhtml") if n[0].startswith("fig")] == [
        ("fig-map", "图1-1"),
        ("fig-arch", "图1-2"),
        ("fig-flow", "图1-3"),
    ]
    assert ("ch1.xhtml#fig-arch", "图1-2") in references(epub, "ch2.xhtml")
    assert ("ch1.xhtml#fig-arch", "图1-2") in references(epub, "ch3.xhtml")
    diff = compare(load_edition(str(old)), load_edition(str(new)))
    assert diff.renumbered == [
        ("图1-1", "图1-2", "数字政府的总体架构"),
        ("图1-2", "图1-3", "一网通办的办事流程"),
    ]
    # The new figure is the only text change: no caption or reference reads as edited.
    (chapter_diff,) = diff.chapters
    assert [(c.kind, c.block) for c in chapter_diff.text] == [
        ("added", "image"),
        ("added", "caption"),
    ]


BOOK = {
    "title": "书",
    "language": "zh-CN",
    "contributors": [{"name": "某", "role": "著"}],
    "publisher": {"name": "社"},
    "date": "2024-05",
}


def test_numbering_through_the_book_and_in_english(tmp_path):
    files = {
        "a.md": '# 一\n\n见@fig:b。\n\n![甲](x.png "甲"){#fig:a}\n',
        "b.md": '# 二\n\n![乙](x.png "乙"){#fig:b}\n\n$$ x $$ {#eq:x}\n\n见[@eq:x]。\n',
        "x.png": _png(),
    }
    through = build(
        write_manuscript(tmp_path / "through", {**BOOK, "options": {"numbering": "book"}}, files)
    )
    assert numbers(through, "b.xhtml") == [("fig-b", "图2"), ("eq-x", "（1）")]
    dotted = build(
        write_manuscript(tmp_path / "dotted", {**BOOK, "options": {"number_separator": "."}}, files)
    )
    assert numbers(dotted, "b.xhtml") == [("fig-b", "图2.1"), ("eq-x", "（2.1）")]
    english = {**BOOK, "language": "en"}
    files_en = {
        **files,
        "a.md": '# One\n\nSee @fig:b.\n\n![A](x.png "A"){#fig:a}\n',
        "b.md": '# Two\n\n![B](x.png "B"){#fig:b}\n',
    }
    en = build(write_manuscript(tmp_path / "en", english, files_en))
    assert references(en, "a.xhtml") == [("b.xhtml#fig-b", "Figure 2.1")]


def _png() -> bytes:
    from test_fixture_books import png

    return png()


def test_a_caption_numbered_by_hand_gets_one_number_and_a_finding(tmp_path):
    files = {
        "a.md": '# 第一章 甲\n\n文。\n\n![架构](x.png "图 1-3 架构"){#fig:arch}\n',
        "x.png": _png(),
    }
    root = write_manuscript(tmp_path / "m", BOOK, files)
    found = [(f.code, f.line) for f in check_manuscript(root).findings if f.code.startswith("X")]
    assert found == [("X003", 5)]
    caption = build(root).doc("a.xhtml").find(".//h:figcaption", NS)
    assert "".join(caption.itertext()) == "图1-1\u3000架构"


def test_without_print_pages_a_locator_names_the_chapter_and_the_occurrence(tmp_path):
    files = {
        "a.md": "# 第一章 甲\n\n[治理]{.index}一。\n\n又见[治理]{.index}。\n",
        "b.md": "# 第二章 乙\n\n[治理]{.index}二。\n",
        "c.md": "---\nkind: index\n---\n# 索引\n",
    }
    doc = build(write_manuscript(tmp_path / "m", BOOK, files)).doc("c.xhtml")
    locators = [
        (a.text, a.get("href")) for a in doc.iterfind(".//h:a[@epub:type='index-locator']", NS)
    ]
    assert locators == [
        ("1.1", "a.xhtml#a-idx-1"),
        ("1.2", "a.xhtml#a-idx-2"),
        ("2", "b.xhtml#b-idx-1"),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("order", ["pinyin", "strokes"])
def test_the_textbook_passes_epubcheck_and_ace(tmp_path, order):
    from conftest import assert_ace_clean, assert_epubcheck_clean

    root = copy_textbook(tmp_path / "book")
    config = root / "book.yaml"
    config.write_text(config.read_text("utf-8") + f"  index_order: {order}\n", "utf-8")
    build(root)
    assert_epubcheck_clean(tmp_path / "book.epub")
    assert_ace_clean(tmp_path / "book.epub")


# Where ICU (CLDR's pinyin collation, in Node) reads a character by its most common reading
# and the word reads it otherwise: 长三角 cháng (ICU zhǎng), 应急 yìng (ICU yīng).
ICU_MISREADS = {"长三角", "应急管理"}


@pytest.mark.slow
def test_the_pinyin_order_agrees_with_icu_where_icu_reads_the_word_right(textbook):
    """An independent implementation of the pinyin order: CLDR's collation data as ICU applies
    it (Node's Intl.Collator). The terms starting with Chinese characters, in the index's
    order, are ICU's order once the words ICU misreads are left out."""
    import json
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    doc = textbook.doc("index.xhtml")
    terms = [
        li.find("h:span", NS).text
        for li in doc.iterfind(".//h:section[@epub:type='index-group']/h:ul/h:li", NS)
    ]
    chinese = [t for t in terms if not t[0].isascii() and t not in ICU_MISREADS]
    script = (
        "const c = new Intl.Collator('zh-u-co-pinyin');"
        "console.log(JSON.stringify(JSON.parse(process.argv[1]).sort(c.compare)))"
    )
    run = subprocess.run([node, "-e", script, json.dumps(chinese)], capture_output=True, text=True)
    assert len(chinese) >= 35 and json.loads(run.stdout) == chinese


def foliate() -> Path:
    """foliate-js as `.ci/run` installs it (npm, global)."""
    import os
    import subprocess

    npm = shutil.which("npm")
    root = (
        subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
        if npm
        else ""
    )
    folder = Path(root) / "foliate-js"
    if not (folder / "view.js").is_file():
        if os.environ.get("CI"):
            pytest.fail("foliate-js is missing under CI (.ci/run installs it)")
        pytest.skip("foliate-js is not installed (npm install -g foliate-js)")
    return folder


def harness(setup: str = "") -> str:
    """A page that opens book.epub in foliate-js as `view`, after the module code `setup`
    (which may import from ./foliate/ and attach to `view`), and then sets window.ready."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"/></head><body style="margin:0">
<script type="module">
import './foliate/view.js'
const view = document.createElement('foliate-view')
view.style.cssText = 'display:block;width:800px;height:600px'
document.body.append(view)
{setup}
await view.open('book.epub')
window.view = view
window.ready = true
</script></body></html>
"""


HARNESS = harness()

# Whether foliate-js shows section `index` with the element `id` on the page it shows.
SHOWN = """([index, id]) => {
  const [contents] = view.renderer.getContents()
  if (!contents || contents.index !== index) return false
  const target = contents.doc.getElementById(id)
  const range = view.lastLocation?.range
  return !!target && !!range && range.intersectsNode(target)
}"""


@contextlib.contextmanager
def foliate_page(site: Path, epub: Path, harness: str):
    """A Chromium page with `harness` open on `epub` in foliate-js (served from `site` on
    127.0.0.1), once the harness says `window.ready`."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright
    from test_preview import CHROMIUM_FLAGS, chromium

    executable = chromium()
    site.mkdir()
    (site / "foliate").symlink_to(foliate(), target_is_directory=True)
    shutil.copy(epub, site / "book.epub")
    (site / "index.html").write_text(harness, "utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            page.wait_for_function("window.ready === true", timeout=30_000)
            yield page
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_foliate_follows_a_reference_and_an_index_link(tmp_path, textbook):
    """In foliate-js (the reading engine of Foliate), a reader clicks a reference to a figure
    of another chapter, then a locator of the index: each time the reader lands on the place."""
    with foliate_page(tmp_path / "site", textbook.path, HARNESS) as page:
        spine = page.evaluate("view.book.sections.map(s => s.id)")
        index_of = {Path(s).name: n for n, s in enumerate(spine)}

        def open_and_click(file: str, selector: str) -> None:
            page.evaluate("href => view.goTo(href)", f"EPUB/{file}")
            page.wait_for_function(
                "([index]) => view.renderer.getContents()[0]?.index === index",
                arg=[index_of[file]],
            )
            page.evaluate(
                "selector => view.renderer.getContents()[0].doc.querySelector(selector).click()",
                selector,
            )

        entries = textbook.doc("index.xhtml").iterfind(".//h:li", NS)
        entry = next(e for e in entries if e.find("h:span", NS).text == "重庆")
        href = entry.find("h:a[@epub:type='index-locator']", NS).get("href")
        file, _, anchor = href.partition("#")
        # Both places are past chapter 1's first page: landing on the chapter is not enough.
        page.evaluate("href => view.goTo(href)", "EPUB/ch1.xhtml")
        page.wait_for_function(SHOWN, arg=[index_of["ch1.xhtml"], "fig-arch"])  # page 1
        assert not page.evaluate(f"({SHOWN})", [index_of["ch1.xhtml"], "fig-flow"])
        assert not page.evaluate(f"({SHOWN})", [index_of[file], anchor])
        # Chapter 2's reference to chapter 1's figure 1-2.
        open_and_click("ch2.xhtml", "a.xref[href='ch1.xhtml#fig-flow']")
        page.wait_for_function(SHOWN, arg=[index_of["ch1.xhtml"], "fig-flow"], timeout=15_000)
        # The index's entry 重庆 leads to the end of chapter 1, where the term stands.
        open_and_click("index.xhtml", f"a[href='{href}']")
        page.wait_for_function(SHOWN, arg=[index_of[file], anchor], timeout=15_000)


def test_the_cache_gives_the_bytes_a_fresh_build_gives_before_and_after_a_renumbering(tmp_path):
    """Chapters are cached before the book is numbered: a warm build after a figure is added
    (which renumbers chapters the cache still holds) is a fresh build's bytes."""
    root = copy_textbook(tmp_path / "book")
    fresh, cold, warm = (tmp_path / f"{name}.epub" for name in ("fresh", "cold", "warm"))
    build_epub(root, fresh, cache=False)
    build_epub(root, cold)
    assert cold.read_bytes() == fresh.read_bytes()
    chapter = root / "01-ch1.md"
    chapter.write_text(
        chapter.read_text("utf-8").replace(
            "\n\n", '\n\n![导图](images/arch.png "导图"){#fig:map}\n\n', 1
        ),
        "utf-8",
    )
    build_epub(root, warm)
    build_epub(root, fresh, cache=False)
    assert warm.read_bytes() == fresh.read_bytes()
    assert ("ch1.xhtml#fig-arch", "图1-2") in references(open_epub(warm), "ch3.xhtml")
