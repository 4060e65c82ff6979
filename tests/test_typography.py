"""The stylesheet as a reader sees it: the repository's book (and a chapter of tables and
formulas added to it) rendered in headless Chromium at a phone's width and a desktop's, each
claim a measured property of the laid-out page, not of the CSS text.

Chromium needs Chinese fonts to lay out Chinese: `.ci/run` installs Debian's
fonts-wqy-microhei and fonts-arphic-ukai (楷体) / fonts-arphic-uming.
"""

from __future__ import annotations

import shutil
import zipfile

import pytest
from test_preview import CHROMIUM_FLAGS, chromium

from conftest import REPO
from ebook.build import build_epub

WIDTHS = (360, 1000)
# A table of two-character words (the 省/份, 浙/江), a numbered formula and the text
# that goes on after it, a block quotation.
LAYOUT_CHAPTER = """# 第三章 排版

| 省份 | 浙江 | 江苏 | 广东 | 山东 | 河南 | 四川 | 湖北 | 湖南 |
|---|---|---|---|---|---|---|---|---|
| 人口 | 六千 | 八千 | 一亿 | 一亿 | 一亿 | 八千 | 六千 | 七千 |

政务服务的规模可以写成：

$$ S = N \\times r $$ {#eq:scale}

其中 $N$ 为办事人数，$r$ 为网上办理率。

> 数字政府建设是推进国家治理体系和治理能力现代化的重要举措，引文以仿宋排印，与正文的宋体相区别。
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The book's XHTML files, unpacked for the browser."""
    root = tmp_path_factory.mktemp("typography")
    book = root / "book"
    shutil.copytree(REPO / "manuscript", book)
    (book / "layout.md").write_text(LAYOUT_CHAPTER, "utf-8")
    config = book / "book.yaml"
    config.write_text(
        config.read_text("utf-8").replace("  - ch02.md\n", "  - ch02.md\n  - layout.md\n"), "utf-8"
    )
    build_epub(book, root / "book.epub")
    with zipfile.ZipFile(root / "book.epub") as epub:
        epub.extractall(root / "unpacked")
    return root / "unpacked" / "EPUB"


def require_chinese_fonts() -> None:
    import os
    import subprocess

    found = (
        shutil.which("fc-list")
        and subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True
        ).stdout.strip()
    )
    if not found:
        if os.environ.get("CI"):
            pytest.fail("no Chinese font under CI (.ci/run installs them)")
        pytest.skip("no Chinese font installed (apt-get install fonts-wqy-microhei)")


@pytest.fixture(scope="module")
def browser():
    require_chinese_fonts()
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def open_page(browser, pages, name: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((pages / name).as_uri())
    page.wait_for_function("document.fonts.status === 'loaded'")
    return page


def fonts_used(page, selector: str) -> list[str]:
    """The fonts Chromium drew the element's own text with (DevTools' "Rendered fonts")."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in sorted(fonts, key=lambda f: -f["glyphCount"])]


# The line tops of an element's text: one top per line it takes.
LINES = """selector => [...document.querySelectorAll(selector)].map(el => {
  const range = document.createRange(); range.selectNodeContents(el);
  return [...new Set([...range.getClientRects()].map(r => Math.round(r.top)))].length;
})"""


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_epigraph_in_kai_and_quotations_not_in_the_body_serif(browser, pages, width):
    page = open_page(browser, pages, "ch01.xhtml", width)
    epigraph = fonts_used(page, "blockquote.epigraph p")
    body = fonts_used(page, "section > p")
    assert "Kai" in epigraph[0], epigraph
    assert epigraph[0] != body[0]
    quotation = open_page(browser, pages, "layout.xhtml", width)
    family = quotation.evaluate("getComputedStyle(document.querySelector('blockquote')).fontFamily")
    assert family.split(",")[0].strip('" ') == "STFangsong"  # 仿宋 first (no 仿宋 on CI)


@pytest.mark.slow
def test_notes_hang_under_their_text_not_under_the_marker(browser, pages):
    # At a phone's width the long notes wrap (at 1000 px none of the book's does).
    page = open_page(browser, pages, "ch01.xhtml", 360)
    # Every note: its wrapped lines start where its first line's text starts, right of ①.
    hanging = page.evaluate(
        """() => [...document.querySelectorAll('aside.note')].map(note => {
          const marker = note.querySelector('a.note-backlink').getBoundingClientRect();
          const range = document.createRange(); range.selectNodeContents(note.querySelector('p'));
          const lines = [...range.getClientRects()];
          const tops = [...new Set(lines.map(r => Math.round(r.top)))];
          if (tops.length < 2) return null;
          const second = Math.min(...lines.filter(r => Math.round(r.top) === tops[1]).map(r => r.left));
          return second - marker.left;
        }).filter(x => x !== null)"""
    )
    assert len(hanging) >= 3, "too few notes wrap at this width to tell"
    assert all(offset >= 10 for offset in hanging), hanging


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_no_two_character_word_is_broken_in_a_table_cell(browser, pages, width):
    page = open_page(browser, pages, "layout.xhtml", width)
    assert page.evaluate(LINES, "th, td") == [1] * 18


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_a_formula_shows_its_number_at_the_right_and_the_text_goes_on(browser, pages, width):
    page = open_page(browser, pages, "layout.xhtml", width)
    box, number, math = page.evaluate(
        """() => ['div.math-display', 'span.equation-number', 'div.math-display math']
          .map(s => { const r = document.querySelector(s).getBoundingClientRect();
                      return [r.left, r.right, r.top, r.bottom]; })"""
    )
    assert abs(number[1] - box[1]) < 2  # flush right
    assert number[0] > math[1]  # beside the formula, not over it
    assert page.evaluate("document.querySelector('span.equation-number').textContent") == "（3-1）"
    after = page.evaluate(
        "getComputedStyle(document.querySelector('div.math-display + p')).textIndent"
    )
    assert after == "0px"


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_the_contents_tells_chapters_from_sections(browser, pages, width):
    page = open_page(browser, pages, "nav.xhtml", width)
    weights = page.evaluate(
        """() => ['nav#toc > ol > li > a', 'nav#toc > ol > li > ol a']
          .map(s => getComputedStyle(document.querySelector(s)).fontWeight)"""
    )
    assert int(weights[0]) >= 700 > int(weights[1])
    colours = page.evaluate(
        """() => [getComputedStyle(document.querySelector('nav#toc a')).color,
                  getComputedStyle(document.body).color]"""
    )
    assert colours[0] == colours[1]  # not link blue
    assert (
        page.evaluate("getComputedStyle(document.querySelector('nav[hidden]')).display") == "none"
    )


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_the_cip_block_breaks_no_number_and_leaves_no_circled_number_alone(browser, pages, width):
    page = open_page(browser, pages, "copyright.xhtml", width)
    assert set(page.evaluate(LINES, "div.cip span.nowrap")) == {1}
    if width == 360:
        page.screenshot(path=str(pages.parent.parent / "cip-360.png"), full_page=True)
