"""The Markdown authors write (CommonMark + GFM, as Typora, VS Code and GitHub show it), the
CJK rules, what a book adds, and findings placed by the parser's source map."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import NS, assert_epubcheck_clean, open_epub, write_manuscript
from ebook.build import build_epub
from ebook.checks.rendered import check_rendered
from ebook.cli import main
from ebook.load import load_book
from ebook.render import Renderer
from ebook.render.cjk import flanking, is_cjk, joins_without_space

BOOK = {
    "title": "T",
    "language": "zh-CN",
    "contributors": [{"name": "甲", "role": "著"}],
    "publisher": {"name": "乙出版社"},
    "date": "2024",
}

# The chapter of issue 21: what every Markdown editor shows as lists, code and bold.
AUTHORS_CHAPTER = """\
# 第一章

其设计目标是：
- 第一项
- 第二项
  - 嵌套两格

1. 有序一
2. 有序二
   - 三格嵌套

<div class="note">

一个组件可以通过 `activated` 注册，**加粗**。

</div>

这是**“重点”**内容，以及*《书名》*后文。
第二行接着写
"""


def render(tmp_path, body: str, files: dict | None = None):
    root = write_manuscript(tmp_path / "m", BOOK, {"c.md": body, **(files or {})})
    book = load_book(root)
    rendered = Renderer(book, ["css/book.css"]).render(book.chapters[0])
    return etree.fromstring(rendered.body), rendered, check_rendered(rendered)


def texts(elements) -> list[str]:
    return ["".join(el.itertext()).strip() for el in elements]


def test_the_chapter_authors_write_reads_as_their_editor_shows_it(tmp_path):
    doc, _, findings = render(tmp_path, AUTHORS_CHAPTER)
    assert findings == []
    section = doc.find(".//h:section", NS)
    kinds = [etree.QName(el).localname for el in section]
    assert kinds == ["h1", "p", "ul", "ol", "div", "p"]
    bullets = section.find("h:ul", NS)
    assert texts(bullets.findall("h:li", NS))[0] == "第一项"
    assert texts(bullets.findall("h:li/h:ul/h:li", NS)) == ["嵌套两格"]
    numbered = section.find("h:ol", NS)
    assert texts(numbered.findall("h:li/h:ul/h:li", NS)) == ["三格嵌套"]
    note = section.find("h:div[@class='note']", NS)
    assert note.findtext("h:p/h:code", namespaces=NS) == "activated"
    assert note.findtext("h:p/h:strong", namespaces=NS) == "加粗"
    last = section[-1]
    assert last.findtext("h:strong", namespaces=NS) == "“重点”"
    assert last.findtext("h:em", namespaces=NS) == "《书名》"
    # The line broken inside the Chinese sentence joins without a space.
    assert "".join(last.itertext()) == "这是“重点”内容，以及《书名》后文。第二行接着写"
    assert "- " not in "".join(doc.itertext()) and "**" not in "".join(doc.itertext())


@pytest.mark.parametrize(
    ("markdown", "tag", "text"),
    [
        ("这是**“重点”**内容", "strong", "“重点”"),
        ("以及*《书名》*后文", "em", "《书名》"),
        ("**（注）**说明", "strong", "（注）"),
        ("甲**乙。**丙", "strong", "乙。"),
        ("a **“重点”** b", "strong", "“重点”"),  # CommonMark's own case still holds
    ],
)
def test_emphasis_next_to_full_width_punctuation(tmp_path, markdown, tag, text):
    doc, _, _ = render(tmp_path, f"# 题\n\n{markdown}\n")
    assert doc.findtext(f".//h:p/h:{tag}", namespaces=NS) == text


def test_without_cjk_emphasis_is_commonmarks():
    # a**"b"**c: punctuation inside, letters outside: neither opens nor closes (CommonMark).
    assert flanking("a", '"') == (False, True)
    assert flanking('"', "c") == (True, False)
    # The CJK amendment: a CJK character outside lets the run open or close.
    assert flanking("是", "“") == (True, True)
    assert flanking("”", "内") == (True, True)


@pytest.mark.parametrize(
    ("markdown", "joined"),
    [
        ("中文\n继续", "中文继续"),
        ("中文。\n继续", "中文。继续"),
        ("**重点**\n内容", "重点内容"),  # the characters either side, through the markup
        ("中文\nEnglish", "中文\nEnglish"),  # CJK next to Latin: a space (CSS Text 3)
        ("English\n中文", "English\n中文"),
        ("English\ntext", "English\ntext"),
        ("한국어\n문장", "한국어\n문장"),  # Hangul keeps its spaces
        ("全角ＡＢ\nＣＤ", "全角ＡＢＣＤ"),  # full-width Latin is wide too
    ],
)
def test_a_soft_line_break_as_css_text_3_transforms_it(tmp_path, markdown, joined):
    doc, _, _ = render(tmp_path, f"# 题\n\n{markdown}\n")
    assert "".join(doc.find(".//h:section/h:p", NS).itertext()) == joined


@given(
    st.text(alphabet="中文字。，“”abc XYZ１２한글", min_size=1, max_size=6),
    st.text(alphabet="中文字。，“”abc XYZ１２한글", min_size=1, max_size=6),
)
@settings(max_examples=200, deadline=None)
def test_a_line_break_disappears_exactly_between_wide_non_hangul_characters(before, after):
    joined = joins_without_space(before[-1], after[0])
    wide = all(is_cjk(c) and not "가" <= c <= "힣" for c in (before[-1], after[0]))
    assert joined == wide
    assert joins_without_space(after[0], before[-1]) == joined  # symmetric


def test_what_a_book_adds(tmp_path):
    body = (
        "# 题\n\n"
        "## 第一节 开始 {#start .lead}\n\n"
        "[Hello]{lang=en} 与 ~~删去~~{page=2}文字。\n\n"
        "术语\n: 它的解释。\n\n"
        "| 省份 | 数量 |\n|:---|---:|\n| 浙江 | 10 |\n\n"
        "Table: 表 1-1 数量\n\n"
        "重庆市行政管理学会 陈文权\n{: .signature }\n"
    )
    doc, rendered, findings = render(tmp_path, body)
    assert findings == []
    h2 = doc.find(".//h:h2", NS)
    assert (h2.get("id"), h2.get("class")) == ("start", "lead")
    assert doc.find(".//h:span[@lang='en']", NS).text == "Hello"
    assert doc.findtext(".//h:del", namespaces=NS) == "删去"
    assert [p.label for p in rendered.pages] == ["2"] and rendered.pages[0].line == 5
    assert doc.findtext(".//h:dl/h:dt", namespaces=NS) == "术语"
    assert doc.findtext(".//h:dl/h:dd", namespaces=NS).strip() == "它的解释。"
    table = doc.find(".//h:table", NS)
    assert table.findtext("h:caption", namespaces=NS) == "表 1-1 数量"
    assert [td.get("class") for td in table.findall(".//h:td", NS)] == [
        "align-left",
        "align-right",
    ]
    assert doc.find(".//h:p[@class='signature']", NS).text == "重庆市行政管理学会 陈文权"


def test_a_signature_keeps_its_two_lines(tmp_path):
    """Name, then place and date: a backslash (or two spaces) at the end of the first line is
    CommonMark's hard line break, and it stays one in the signature."""
    doc, _, findings = render(
        tmp_path, "# 前言\n\n正文。\n\n闫建\\\n2016年10月于北京\n{: .signature }\n"
    )
    assert findings == []
    signature = doc.find(".//h:p[@class='signature']", NS)
    assert signature.text == "闫建" and signature[0].tag == f"{{{NS['h']}}}br"
    assert signature[0].tail.strip() == "2016年10月于北京"


def test_notes_defined_anywhere_with_several_paragraphs(tmp_path):
    body = (
        "# 题\n\n- 列表项[^a]\n\n  [^a]: 列表里的注。\n\n      第二段。\n\n"
        "> 引文[^b]\n>\n> [^b]: 引文里的注。\n\n正文[^c]。\n\n[^c]: 末尾的注。\n"
    )
    doc, rendered, findings = render(tmp_path, body)
    assert findings == []
    assert rendered.note_count == 3
    notes = doc.findall(".//h:aside[@epub:type='footnote']", NS)
    assert [n.get("id") for n in notes] == ["c-fn-a", "c-fn-b", "c-fn-c"]
    assert texts(notes[0].findall("h:p", NS)) == ["列表里的注。", "第二段。"]
    # The definitions left the list and the quote: they live at the chapter's end only.
    assert doc.find(".//h:li//h:aside", NS) is None
    assert doc.find(".//h:blockquote//h:aside", NS) is None


def test_a_finding_points_at_the_use_it_is_about(tmp_path):
    """The parser's line map places a finding, not the first place the text occurs."""
    body = "# 题\n\n![说明](a.png)\n\n一段。\n\n![](a.png) 再用一次。\n\n[坏](data:text/html,x)\n"
    _, _, findings = render(tmp_path, body, {"a.png": b""})
    found = {(f.code, f.line) for f in findings}
    assert ("L004", 7) in found  # the second use has no alt text: line 7, not line 3
    assert ("L007", 9) in found


def test_raw_html_repairs_are_reported_at_their_line(tmp_path):
    body = "# 题\n\n段落。\n\n<div>\n\n**粗**\n\n<p>未闭合的<b>粗体</p>\n\n</div>\n"
    doc, _, findings = render(tmp_path, body)
    assert doc.findtext(".//h:div/h:p/h:strong", namespaces=NS) == "粗"
    assert [(f.code, f.line) for f in findings] == [("H001", 9)]


def test_a_display_formula_may_follow_a_line_of_text(tmp_path):
    """`…贝尔曼方程：` then `$$` on the next line (no blank line): the formula is a formula, its
    `_{…}` subscripts intact, and the text after it a paragraph; a `$$` that never closes is
    text."""
    body = (
        "# 题\n\n方程：\n$$\nV=\\underbrace{R}_{\\text{即时}}+\\underbrace{x}_{\\text{未来}}\n$$\n"
        "其中，R 是奖励。\n\n价格\n$$5 元\n"
    )
    doc, _, findings = render(tmp_path, body)
    paragraphs = ["".join(p.itertext()) for p in doc.iterfind(".//h:section/h:p", NS)]
    assert paragraphs[:2] == ["方程：", "其中，R 是奖励。"]
    assert paragraphs[2].startswith("价格") and "$$5 元" in paragraphs[2]
    (formula,) = doc.iterfind(".//{http://www.w3.org/1998/Math/MathML}math", NS)
    assert "_{\\text{即时}}" in formula.get("alttext")
    assert doc.find(".//h:em", NS) is None


def test_a_tag_inside_a_comment_is_no_tag(tmp_path):
    """`<!--<VueSchoolLink …/>-->` (a site's component, commented out) stays an unseen
    comment: no repair of an unknown tag is reported; one outside a comment still is."""
    body = '# 题\n\n<!--<VueSchoolLink href="x"/>-->\n\n段落。\n\n<Demo>\n'
    doc, _, findings = render(tmp_path, body)
    assert "VueSchoolLink" not in "".join(doc.itertext())
    assert [(f.code, f.line) for f in findings] == [("H001", 7)]


def test_links_written_as_github_and_editors_make_them_resolve(tmp_path):
    root = write_manuscript(
        tmp_path / "m",
        BOOK,
        {
            "ch01.md": "# 第一章\n\n[见第一节](ch02.md#第一节-总体进展)，[本章](#第一章)。\n",
            "ch02.md": "# 第二章\n\n## 第一节 总体进展\n\n正文。\n",
        },
    )
    result = CliRunner().invoke(main, ["check", "--strict", str(root)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "b.epub"
    build_epub(root, out)
    epub = open_epub(out)
    hrefs = [a.get("href") for a in epub.doc("ch01.xhtml").iterfind(".//h:p/h:a", NS)]
    assert hrefs == ["ch02.xhtml#第一节-总体进展", "#第一章"]
    target = epub.doc("ch02.xhtml").find(".//*[@id='第一节-总体进展']", NS)
    assert target is not None and etree.QName(target.getparent()).localname == "h2"
    # Its own id is readable and unique across the book: the chapter's id, then the slug.
    assert target.getparent().get("id") == "ch02-总体进展"  # the title without its number


def test_a_links_anchor_that_no_heading_has_is_an_error(tmp_path):
    root = write_manuscript(
        tmp_path / "m",
        BOOK,
        {"ch01.md": "# 第一章\n\n[见](ch02.md#第九节)。\n", "ch02.md": "# 第二章\n\n正文。\n"},
    )
    result = CliRunner().invoke(main, ["check", str(root)])
    assert result.exit_code == 1
    assert "ch01.md:3:" in result.output and "第九节" in result.output


@pytest.mark.slow
def test_the_authors_chapter_builds_an_epub_epubcheck_accepts(tmp_path):
    root = write_manuscript(tmp_path / "m", BOOK, {"ch.md": AUTHORS_CHAPTER})
    out = tmp_path / "b.epub"
    build_epub(root, out)
    assert_epubcheck_clean(out)
