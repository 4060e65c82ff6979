"""Markdown in, XHTML out: notes, headings, epigraphs, raw HTML repair."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import EPUB_TYPE, NS, assert_ace_clean, assert_epubcheck_clean, write_manuscript
from ebook.build import build_epub
from ebook.checks.rendered import check_rendered
from ebook.core.chinese import circled
from ebook.load import load_book
from ebook.render import Renderer, heading_id

BOOK = {
    "title": "T",
    "language": "zh-CN",
    "contributors": [{"name": "甲", "role": "著"}],
    "publisher": {"name": "乙出版社"},
    "date": "2024",
}


def render(tmp_path: Path, body: str, markers: str = "circled"):
    book = dict(BOOK, options={"note_markers": markers})
    root = write_manuscript(tmp_path / "m", book, {"c.md": body})
    loaded = load_book(root)
    rendered = Renderer(loaded, ["css/book.css"]).render(loaded.chapters[0])
    findings = check_rendered(rendered)
    return etree.fromstring(rendered.body), rendered, findings


def test_circled_markers():
    assert [circled(n) for n in (1, 20, 21, 35, 36, 50)] == ["①", "⑳", "㉑", "㉟", "㊱", "㊿"]
    assert circled(51) == "51"


def test_numeric_markers(tmp_path):
    doc, rendered, _ = render(tmp_path, "# T\n\nA[^x] B[^y]\n\n[^x]: one\n[^y]: two\n", "numeric")
    assert [a.text for a in doc.iterfind(".//h:a[@epub:type='noteref']", NS)] == ["1", "2"]


def test_note_ids_come_from_chapter_and_label(tmp_path):
    doc, _, _ = render(tmp_path, "# T\n\nA[^src] B[^src]\n\n[^src]: note\n")
    refs = doc.findall(".//h:a[@epub:type='noteref']", NS)
    assert [r.get("id") for r in refs] == ["c-fnref-src", "c-fnref-src-2"]
    assert {r.get("href") for r in refs} == {"#c-fn-src"}


def test_multi_paragraph_note_and_inline_markup(tmp_path):
    body = "# T\n\nText[^n].\n\n[^n]: First *em*.\n\n    Second para.\n"
    doc, _, _ = render(tmp_path, body)
    aside = doc.find(".//h:aside", NS)
    assert [etree.QName(c).localname for c in aside] == ["a", "p", "p"]
    assert aside.find("h:p/h:em", NS).text == "em"


def test_heading_ids_are_explicit_or_from_text(tmp_path):
    body = "# Title\n\n## Intro {#intro}\n\n## 第一节 起点\n\n## Same\n\n## Same\n"
    doc, rendered, _ = render(tmp_path, body)
    ids = [h.id for h in rendered.headings]
    assert ids[1] == "intro"
    # Readable, as GitHub and editors make the slug; the slug alone is an anchor too.
    assert ids[2] == heading_id("c", "第一节 起点") == "c-起点"  # renumbering keeps it
    assert doc.find(".//h:h2/h:span[@id='第一节-起点']", NS) is not None
    assert ids[3] == "c-same" and ids[4] == "c-same-2"
    # Position-independent: with headings inserted before it, the heading keeps its id.
    _, moved, _ = render(tmp_path, "# Title\n\n## New\n\n### Newer\n\n## 第一节 起点\n")
    assert moved.headings[3].id == ids[2]


def test_front_matter_title_becomes_h1(tmp_path):
    doc, rendered, _ = render(tmp_path, "---\ntitle: 第九章\n---\n\n正文。\n")
    assert doc.xpath("string(.//h:h1)", namespaces=NS) == "第九章"
    assert rendered.title == "第九章"


def test_quote_after_text_is_not_an_epigraph(tmp_path):
    doc, _, _ = render(tmp_path, "# T\n\nText.\n\n> quote\n>\n> ——someone\n")
    assert doc.find(".//h:blockquote", NS).get(EPUB_TYPE) is None


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("a<br>b", "<p>a<br/>b</p>"),
        ("<div>unclosed <b>bold</div>", "<div>unclosed <b>bold</b></div>"),
        ("a <名字> b", "<p>a &lt;名字&gt; b</p>"),
        ("a <foo bar> b", "<p>a &lt;foo bar&gt; b</p>"),
        ("<ul><p>x</p></ul>", "<ul><li><p>x</p></li></ul>"),
        ("<table><td>x</td></table>", "<table><tr><td>x</td></tr></table>"),
        ("<p onclick='x()'>hi<script>x</script></p>", "<p>hi&lt;script&gt;x&lt;/script&gt;</p>"),
    ],
)
def test_raw_html_becomes_well_formed_xhtml(tmp_path, markdown, expected):
    doc, _, _ = render(tmp_path, "# T\n\n" + markdown + "\n")
    section = doc.find(".//h:section", NS)
    html = "".join(etree.tostring(child, encoding=str) for child in section[1:])
    for ns in (
        ' xmlns="http://www.w3.org/1999/xhtml"',
        ' xmlns:epub="http://www.idpf.org/2007/ops"',
    ):
        html = html.replace(ns, "")
    assert html.replace("\n", "") == expected


# Text mixing CJK, full-width punctuation, Markdown syntax and HTML-looking fragments.
ATOM_LIST = [
    "中文",
    "治理",
    "，",
    "。",
    "“",
    "”",
    "《",
    "》",
    "①",
    "^",
    "+",
    " ",
    "\n",
    "\n\n",
    "#",
    "## ",
    "### ",
    "> ",
    "——",
    "*",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "!",
    "<",
    ">",
    "&",
    ";",
    "<br>",
    "<b>",
    "</b>",
    "<div>",
    "</div>",
    "<span>",
    "</p>",
    "<p>",
    "<ul>",
    "<li>",
    "<table>",
    "<td>",
    "<a href='#x'>",
    "</a>",
    "<img src='x.png'>",
    "<名>",
    "<x y>",
    "- ",
    "1. ",
    "    ",
    "|",
    "---",
    "{#id}",
    "[^n]",
    "[^m]",
    "&nbsp;",
    "&amp;",
    "\\",
    "<script>",
    "<i onclick='x'>",
    "<q>",
    "<!--",
    "-->",
    "<h2>",
    "<dl>",
    "<dd>",
    "\t",
    "  \n",
    "**",
    "$",
    "$x^2$",
    "{page=3}",
    "[中文](#x)",
    "\u3000",
    '<div markdown="1">\n\n',
    "```\n",
    "~~~",
    "{: .x}",
    "\\*",
    "１. ",
    "＃",
    "：",
    # What the parser's own markup holds: titles over lines, attributes, marks, tables.
    '[t](u "a\nb")',
    "![alt](x.png 'ti&tle')",
    "[x]{lang=en}",
    "{.c #i k=v}",
    "~~s~~",
    "www.example.com/a?b=1&c=2",
    "a_b@example.com",
    "`x`{.y}",
    "> [!TIP] 提示\n> ",
    "::: tip 标题\n",
    ":::\n",
    "术语\n: 解释\n",
    "\n\n: 定义\n",
    "中文段落",
    "| a | b |\n|:-|-:|\n| 1 | 2 |\n",
    "Table: 表\n",
    "$$\nx\n$$\n",
    "```math\nx\n```\n",
    "\n\n",
    # Labels, references and index terms (render/apparatus.py).
    "@fig:a",
    "[@fig:a; -@tbl:b]",
    "![图](x.png){#fig:a}",
    "$$ x $$ {#eq:e}\n",
    '```python {#lst:l caption="c"}\n',
    ": 表题 {#tbl:b}\n",
    "## 节 {#sec:s}\n",
    "[治理]{.index}",
    '[词]{.index term="甲!乙" see="丙" sort="zhi4"}',
    # Citations (render/citations.py; without a bibliography they stay as written).
    "[@key]",
    "@wang2010",
    "[见@a, 第12页; -@b]",
    "@{张三2017}",
    "\\@handle",
    "::: {#refs}\n",
]
ATOMS = st.sampled_from(ATOM_LIST)
BODIES = st.lists(ATOMS, max_size=60).map("".join)
# The same without raw HTML: what the parser's own markup can hold.
MARKDOWN_ONLY = st.lists(st.sampled_from([a for a in ATOM_LIST if "<" not in a]), max_size=60).map(
    "".join
)
NOTES = "\n\n[^n]: 注释 *甲*。\n\n[^m]: 注释乙。\n"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=BODIES)
def test_any_markdown_renders_to_well_formed_xhtml(tmp_path, body):
    # Written for each example: the folder is reused, the files overwritten.
    doc, rendered, _ = render(tmp_path, "# 标题\n\n" + body + NOTES)
    ids = [el.get("id") for el in doc.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    for ref in doc.iterfind(".//h:a[@epub:type='noteref']", NS):
        assert ref.get("href")[1:] in ids
        assert len(ref) == 0


# Bodies without raw HTML, most of which take the direct route from Markdown's tree.
TREE_BODIES = st.lists(
    ATOMS.filter(lambda atom: "<" not in atom) | st.sampled_from(["&", "&amp;", "&lt;", "a&b"]),
    max_size=60,
).map("".join)


@pytest.mark.slow
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bodies=st.lists(BODIES, min_size=25, max_size=25))
def test_any_markdown_builds_an_epub_epubcheck_accepts(tmp_path_factory, bodies):
    files = {f"c{n:02}.md": "# 标题\n\n" + body + NOTES for n, body in enumerate(bodies)}
    root = write_manuscript(tmp_path_factory.mktemp("fuzz"), BOOK, files)
    out = root / "out.epub"
    try:
        build_epub(root, out)
    except Exception as exc:  # refusing to build is fine; building something invalid is not
        from ebook.core.errors import BookHasErrors

        assert isinstance(exc, BookHasErrors), exc
        return
    assert_epubcheck_clean(out)


# Notes defined where GitHub and pandoc take them: indented in a list item (with a second
# paragraph), and inside a block quote.
NOTES_IN_LIST_AND_QUOTE = (
    "1. 列表中的文字[^a]。\n\n   [^a]: 列表里定义的注释。\n\n       它的第二段。\n\n"
    "2. 第二项。\n\n> 引文中的文字[^b]。\n>\n> [^b]: 引文里定义的注释。\n"
)


def test_notes_defined_inside_list_items_and_quotes(tmp_path):
    body = "# 标题\n\n" + NOTES_IN_LIST_AND_QUOTE
    doc, rendered, findings = render(tmp_path, body)
    assert findings == []
    notes = {a.get("id"): "".join(a.itertext()) for a in doc.iterfind(".//h:aside", NS)}
    assert notes["c-fn-a"] == "①列表里定义的注释。\n它的第二段。\n"
    assert notes["c-fn-b"].startswith("②引文里定义的注释。")
    text = "".join(doc.find(".//h:ol", NS).itertext()) + "".join(
        doc.find(".//h:blockquote", NS).itertext()
    )
    assert "[^" not in text and "第二段" not in text


def test_table_alignment_survives_as_classes(tmp_path):
    body = (
        "# 标题\n\n| 左 | 中 | 右 |\n|:---|:---:|---:|\n| 1 | 2 | 3 |\n\n"
        '<table><tr><td align="right">甲</td></tr></table>\n'
    )
    doc, _, findings = render(tmp_path, body)
    assert findings == []  # align= is understood, not repaired away
    cells = [c.get("class") for c in doc.iter(f"{{{NS['h']}}}th", f"{{{NS['h']}}}td")]
    assert cells == ["align-left", "align-center", "align-right"] * 2 + ["align-right"]
    assert all(
        c.get("style") is None and c.get("align") is None for c in doc.iter(f"{{{NS['h']}}}td")
    )


@pytest.mark.slow
def test_notes_in_lists_tables_and_alerts_pass_epubcheck_and_ace(tmp_path):
    files = {
        "c.md": (
            "# 标题\n\n" + NOTES_IN_LIST_AND_QUOTE + "\n"
            "| 左 | 中 | 右 |\n|:---|:---:|---:|\n| 1 | 2 | 3 |\n\n```\ncode 代码\n```\n\n"
            "> [!TIP] 小窍门\n> 内容。\n\n::: warning\n容器。\n:::\n"
        )
    }
    root = write_manuscript(tmp_path / "m", BOOK, files)
    build_epub(root, tmp_path / "b.epub")
    assert_epubcheck_clean(tmp_path / "b.epub")
    assert_ace_clean(tmp_path / "b.epub")


def test_an_image_alone_in_its_paragraph_is_a_figure(tmp_path):
    (tmp_path / "m" / "images").mkdir(parents=True)
    from test_fixture_books import png

    (tmp_path / "m" / "images" / "a.png").write_bytes(png())
    body = '# 标题\n\n![一只红色方块](images/a.png "图 1-1 红色方块")\n\n文中的图![小图](images/a.png)不是插图。\n'
    doc, _, findings = render(tmp_path, body)
    assert findings == []
    figure = doc.find(".//h:figure", NS)
    assert figure.find("h:img", NS).get("alt") == "一只红色方块"
    assert figure.findtext("h:figcaption", namespaces=NS) == "图 1-1 红色方块"
    assert figure.find("h:img", NS).get("title") is None
    assert len(doc.findall(".//h:figure", NS)) == 1  # an image inside a sentence stays inline


def test_alerts_and_containers_are_labelled_boxes(tmp_path):
    body = (
        "# 标题\n\n> [!NOTE]\n> 注意的内容[^a]。\n\n> [!TIP] 小窍门\n> 第一段。\n>\n> 第二段。\n\n"
        "::: warning\n容器里的*文字*。\n:::\n\n> 普通引文。\n\n[^a]: 一条注释，足够长的文字。\n"
    )
    doc, _, findings = render(tmp_path, body)
    assert findings == []
    boxes = doc.findall(".//h:div[@role='note']", NS)
    assert [b.get("class") for b in boxes] == [
        "alert alert-note",
        "alert alert-tip",
        "alert alert-warning",
    ]
    assert [b.findtext("h:p[@class='alert-label']", namespaces=NS) for b in boxes] == [
        "注意",
        "小窍门",
        "警告",
    ]
    assert "[!" not in "".join(doc.itertext()) and ":::" not in "".join(doc.itertext())
    assert boxes[0].find(".//h:a[@role='doc-noteref']", NS) is not None
    assert doc.find(".//h:blockquote", NS).findtext("h:p", namespaces=NS) == "普通引文。"


def test_a_note_marker_stays_with_the_character_before_it(tmp_path):
    doc, _, _ = render(tmp_path, "# 标题\n\n正文结尾[^n]。\n\n[^n]: 一条注释，足够长的文字。\n")
    ref = doc.find(".//h:a[@role='doc-noteref']", NS)
    bind = ref.getparent()
    assert bind.get("class") == "nowrap" and bind.text == "尾" and bind.tail == "。"
    assert "".join(doc.find(".//h:p", NS).itertext()) == "正文结尾①。"


def test_a_table_caption_in_pandoc_syntax(tmp_path):
    body = "# 标题\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\nTable: 表 1-1 两列\n\n后面的正文: 不是表题。\n"
    doc, _, findings = render(tmp_path, body)
    assert findings == []
    table = doc.find(".//h:table", NS)
    assert table[0].tag == f"{{{NS['h']}}}caption" and table[0].text == "表 1-1 两列"
    assert "Table:" not in "".join(doc.itertext())
    assert doc.findall(".//h:p", NS)[-1].text == "后面的正文: 不是表题。"


MATH = (
    "# 标题\n\n质能方程 $E = mc^2$，价格 $5 和 $10 不是公式，`$x$` 是代码。\n\n"
    "$$\n\\frac{a}{b} + \\sqrt{x}\n$$\n\n```math\n\\sum_{i=1}^n i\n```\n"
    "\n$$\n\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\n$$\n"
)


def test_tex_math_becomes_mathml(tmp_path):
    doc, rendered, findings = render(tmp_path, MATH)
    assert findings == []
    mathml = "{http://www.w3.org/1998/Math/MathML}math"
    found = list(doc.iter(mathml))
    assert [m.get("display") for m in found] == ["inline", "block", "block", "block"]
    assert found[0].get("alttext") == "E = mc^2"
    text = "".join(doc.find(".//h:p", NS).itertext())
    assert "$5 和 $10" in text and "$x$" in text


ENVIRONMENTS = {
    "aligned": "\\begin{aligned} a &= b + c \\\\ d &= e \\end{aligned}",
    "aligned in braces": "f = \\left\\{ \\begin{aligned} a &= 1 \\\\ b &= 2 \\end{aligned} \\right.",
    "alignedat": "\\begin{alignedat}{2} a &= b & c &= d \\\\ e &= f & g &= h \\end{alignedat}",
    "align*": "\\begin{align*} a &= b \\\\ c &= d \\end{align*}",
    "cases": "|x| = \\begin{cases} x & x \\ge 0 \\\\ -x & x < 0 \\end{cases}",
    "matrix": "\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}",
    "array": "\\begin{array}{lr} a & b \\\\ c & d \\end{array}",
    "eqnarray": "\\begin{eqnarray} y &=& x^2 \\\\ z &=& y + 1 \\end{eqnarray}",
}


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_each_display_environment_becomes_a_table_of_mathml(tmp_path, name):
    """latex2mathml leaves the `&` of aligned, alignedat and eqnarray raw (not XML: the
    formula was shown as TeX code); they are laid out as the environments it reads as tables,
    every cell in its column."""
    tex = ENVIRONMENTS[name]
    doc, rendered, findings = render(tmp_path, f"# 标题\n\n$$\n{tex}\n$$\n")
    assert [p.code for p in rendered.problems] == [] and findings == []
    (math,) = doc.iter("{http://www.w3.org/1998/Math/MathML}math")
    assert math.get("alttext") == tex
    rows = math.findall(".//{*}mtr")
    assert len(rows) == 2 and all(len(row.findall("{*}mtd")) >= 2 for row in rows)
    assert "&" not in "".join(math.itertext())


def test_tex_latex2mathml_cannot_read_is_a_finding_with_the_reason(tmp_path):
    _, rendered, _ = render(tmp_path, "# 标题\n\n$$\n\\frac{a}{\n$$\n")
    [problem] = [p for p in rendered.problems if p.code == "M001"]
    assert dict(problem.arguments)["reason"]


def test_an_empty_display_formula_is_a_finding_at_its_line(tmp_path):
    """`$$    $$` once crashed the finding's location (hypothesis found it)."""
    _, rendered, _ = render(tmp_path, "# 标题\n\n正文。\n\n$$    $$\n")
    [problem] = [p for p in rendered.problems if p.code == "M001"]
    assert (problem.line, problem.column) == (5, 1)


@pytest.mark.slow
def test_a_book_with_math_is_valid_and_says_so(tmp_path):
    root = write_manuscript(tmp_path / "m", BOOK, {"c.md": MATH})
    build_epub(root, tmp_path / "b.epub")
    from conftest import open_epub

    epub = open_epub(tmp_path / "b.epub")
    item = epub.opf.find(".//opf:item[@href='c.xhtml']", NS)
    assert item.get("properties") == "mathml"
    features = [
        m.text
        for m in epub.opf.iterfind(".//opf:meta[@property='schema:accessibilityFeature']", NS)
    ]
    assert "MathML" in features
    assert_epubcheck_clean(tmp_path / "b.epub")
    assert_ace_clean(tmp_path / "b.epub")


def test_chapters_nest_under_their_part_in_nav_and_ncx(tmp_path):
    from conftest import open_epub

    files = {
        "01-part1.md": "---\nkind: part\n---\n\n# 第一编 总论\n",
        "02-one.md": "# 第一章 一\n\n## 第一节 甲\n\n文。\n",
        "03-two.md": "# 第二章 二\n\n文。\n",
        "04-part2.md": "---\nkind: part\n---\n\n# 第二编 分论\n",
        "05-three.md": "# 第三章 三\n\n文。\n",
        "06-app.md": "---\nkind: appendix\n---\n\n# 附录\n\n文。\n",
    }
    root = write_manuscript(tmp_path / "m", BOOK, files)
    build_epub(root, tmp_path / "b.epub")
    epub = open_epub(tmp_path / "b.epub")
    toc = epub.doc("nav.xhtml").find(".//h:nav[@epub:type='toc']/h:ol", NS)

    def tree(ol):
        return [
            (
                li.findtext("h:a", namespaces=NS),
                tree(li.find("h:ol", NS)) if li.find("h:ol", NS) is not None else [],
            )
            for li in ol.findall("h:li", NS)
        ]

    assert tree(toc) == [
        ("第一编 总论", [("第一章 一", [("第一节 甲", [])]), ("第二章 二", [])]),
        ("第二编 分论", [("第三章 三", [])]),
        ("附录", []),
    ]
    ncx = epub.xml("EPUB/toc.ncx")
    ncx_ns = {"n": "http://www.daisy.org/z3986/2005/ncx/"}
    top = [
        p.findtext("n:navLabel/n:text", namespaces=ncx_ns)
        for p in ncx.findall("n:navMap/n:navPoint", ncx_ns)
    ]
    assert top == ["第一编 总论", "第二编 分论", "附录"]
    depth = ncx.find("n:head/n:meta[@name='dtb:depth']", ncx_ns).get("content")
    assert depth == "3"


def test_a_fence_with_more_than_a_language_is_still_a_fence(tmp_path):
    # mdBook writes ```rust,ignore; CommonMark takes the info string's first word as the
    # language. Python-Markdown alone would not see a fence and pair the next one wrongly.
    body = (
        "# 章\n\n```rust,ignore\nlet x = 1;\n```\n\n中间的段落。\n\n"
        '``` python title="a.py"\nprint(1)\n```\n\n## 之后的标题\n'
    )
    root, rendered, _ = render(tmp_path, body)
    codes = root.findall(".//h:pre/h:code", NS)
    assert [c.text for c in codes] == ["let x = 1;\n", "print(1)\n"]
    assert codes[0].get("class") == "language-rust"
    assert [h.text for h in rendered.headings] == ["章", "之后的标题"]
    assert "中间的段落。" in [p.text for p in root.iter(f"{{{NS['h']}}}p")]


LABELS = st.text(alphabet="中a&<>\"' \t\r\n\x85\u2028\ufeff;#", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(labels=st.lists(LABELS, min_size=1, max_size=4))
def test_contents_entries_keep_any_label_and_link_exactly(labels):
    """nav.py writes the contents' entries as text and parses them: every label and link
    comes back as it was, nested as given, in nav.xhtml and toc.ncx alike."""
    from ebook.package.nav import NCX, NavNode, nav_document, ncx_document

    child = NavNode(labels[-1], f"c.xhtml#{labels[-1]}")
    toc = [NavNode(label, f"{label}.xhtml", (child,)) for label in labels]
    nav = etree.fromstring(nav_document(toc, [], "zh-CN", ["css/book.css"]))
    links = nav.findall(".//h:nav[@id='toc']//h:a", NS)
    expected = [text for label in labels for text in (label, child.label)]
    assert ["".join(a.itertext()) for a in links] == expected
    hrefs = [a.get("href") for a in links]
    assert hrefs == [h for node in toc for h in (node.href, child.href)]
    ncx = etree.fromstring(ncx_document(toc, "urn:x", "书"))
    texts = ncx.findall(f".//{{{NCX}}}navPoint/{{{NCX}}}navLabel/{{{NCX}}}text")
    assert [t.text for t in texts] == expected
    sources = [c.get("src") for c in ncx.iter(f"{{{NCX}}}content")]
    assert sources == hrefs
    assert [p.get("playOrder") for p in ncx.iter(f"{{{NCX}}}navPoint")] == [
        str(n) for n in range(1, 2 * len(labels) + 1)
    ]


@settings(max_examples=500, deadline=None)
@given(body=MARKDOWN_ONLY)
def test_the_parsers_own_markup_read_as_xml_is_what_the_html_parser_makes(body):
    """render/chapter.py reads a chapter without raw HTML as XML (mending.from_markup) instead of
    through the HTML parser and a copy of every element: the same tree."""
    from ebook.core.mending import TooDeep, from_markup, parse_fragment
    from ebook.render.parser import make_parser, parse

    parsed = parse(make_parser(), body + NOTES)
    if parsed.raw_html:
        return
    try:
        expected = etree.tostring(parse_fragment(parsed.html)[0])
    except TooDeep:
        return
    assert etree.tostring(from_markup(parsed.html)) == expected


@settings(max_examples=500, deadline=None)
@given(body=BODIES)
def test_one_line_chinese_paragraphs_taken_at_once_change_nothing(body):
    """render/parser.py's plain_paragraph rule takes a one-line paragraph of Chinese text
    before markdown-it's fifteen block rules: the same HTML as without it."""
    from ebook.render.parser import make_parser, parse

    shortcut = make_parser()
    plain = make_parser()
    plain.block.ruler.disable("plain_paragraph")
    text = body + NOTES
    assert parse(shortcut, text).html == parse(plain, text).html


@settings(max_examples=500, deadline=None)
@given(body=BODIES, extra=st.lists(st.sampled_from(list("#%+-=>]^}w@:a中 ")), max_size=12))
def test_text_taken_at_once_where_no_inline_rule_starts_changes_nothing(body, extra):
    """render/parser.py's inert_text rule takes `+`, `-`, `=`… as text before markdown-it's
    inline rules decline them one by one: the same HTML as without it."""
    from ebook.render.parser import make_parser, parse

    quick = make_parser()
    plain = make_parser()
    plain.inline.ruler.disable("inert_text")
    text = body + "".join(extra) + NOTES
    assert parse(quick, text).html == parse(plain, text).html


def test_a_front_matter_title_names_the_chapter_in_the_contents(tmp_path):
    """`title:` in the front matter is the contents' (and the document's) title even where
    the chapter has a `#` heading, which stays on the page; without it the heading names it."""
    from conftest import open_epub

    files = {
        "a.md": "---\ntitle: 第一章 习题\n---\n\n# 第一章 强化学习基础\n\n正文。\n",
        "b.md": "# 第二章 马尔可夫决策过程\n\n正文。\n",
    }
    root = write_manuscript(tmp_path / "m", {**BOOK, "chapters": ["a.md", "b.md"]}, files)
    build_epub(root, tmp_path / "b.epub")
    epub = open_epub(tmp_path / "b.epub")
    toc = epub.doc("nav.xhtml").find(".//h:nav[@epub:type='toc']/h:ol", NS)
    assert [li.findtext("h:a", namespaces=NS) for li in toc.findall("h:li", NS)] == [
        "第一章 习题",
        "第二章 马尔可夫决策过程",
    ]
    page = epub.doc("a.xhtml")
    assert page.findtext(".//h:title", namespaces=NS) == "第一章 习题"
    assert "".join(page.find(".//h:h1", NS).itertext()) == "第一章 强化学习基础"
