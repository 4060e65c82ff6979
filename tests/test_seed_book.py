"""The repository's own book, built and taken apart: the first proof that the tool works."""

from __future__ import annotations

import re
import unicodedata

import pytest

from conftest import EPUB_TYPE, NS, REPO, XML_LANG, assert_epubcheck_clean

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭"
# The print edition's plain text (the seed); lines 7-46 are its copyright page.
SEED_TEXT = REPO / "tests" / "data" / "seed.txt"


@pytest.mark.slow
def test_epubcheck_reports_nothing(seed_epub):
    assert_epubcheck_clean(seed_epub.path)


def test_files_are_named_from_stable_ids(seed_epub):
    names = seed_epub.names()
    assert names[0] == "mimetype"
    assert seed_epub.zip.getinfo("mimetype").compress_type == 0
    for name in ("foreword", "ch01", "ch02", "nav", "titlepage", "copyright"):
        assert f"EPUB/{name}.xhtml" in names
    spine = [i.get("idref") for i in seed_epub.opf.findall("opf:spine/opf:itemref", NS)]
    # Manifest ids are the file names: no chapter id can collide with an id of the package.
    assert spine == [
        f"{n}.xhtml" for n in ("titlepage", "copyright", "foreword", "nav", "ch01", "ch02")
    ]


def test_every_document_has_language_title_and_semantics(seed_epub):
    for name in seed_epub.names():
        if not name.endswith(".xhtml"):
            continue
        html = seed_epub.xml(name)
        assert html.get("lang") == "zh-CN" and html.get(XML_LANG) == "zh-CN", name
        assert html.findtext("h:head/h:title", namespaces=NS).strip(), name
        body = html.find("h:body", NS)
        assert body.get(EPUB_TYPE) in ("frontmatter", "bodymatter", "backmatter"), name
    expected = {
        "foreword.xhtml": ("foreword", "doc-foreword", "frontmatter"),
        "ch01.xhtml": ("chapter", "doc-chapter", "bodymatter"),
        "ch02.xhtml": ("chapter", "doc-chapter", "bodymatter"),
    }
    for name, (semantic, role, matter) in expected.items():
        body = seed_epub.doc(name).find("h:body", NS)
        section = body.find("h:section", NS)
        assert (section.get(EPUB_TYPE), section.get("role"), body.get(EPUB_TYPE)) == (
            semantic,
            role,
            matter,
        )
    copyright_section = seed_epub.doc("copyright.xhtml").find(".//h:section", NS)
    assert copyright_section.get(EPUB_TYPE) == "copyright-page"
    assert seed_epub.doc("titlepage.xhtml").find(".//h:section", NS).get(EPUB_TYPE) == "titlepage"


def _nav_tree(ol):
    return [
        (li.findtext("h:a", namespaces=NS), _nav_tree(li.find("h:ol", NS)))
        if li.find("h:ol", NS) is not None
        else (li.findtext("h:a", namespaces=NS), [])
        for li in ol.findall("h:li", NS)
    ]


SEED_TOC = [
    ("序", []),
    (
        "第一章 绪论",
        [
            ("第一节 研究问题的提出", []),
            (
                "第二节 国内外研究现状述评",
                [
                    ("一、治理的相关研究", []),
                    ("二、政府治理的相关研究", []),
                    ("三、“互联网+”背景下政府治理的相关研究", []),
                ],
            ),
            (
                "第三节 研究价值、技术路线与方法",
                [("一、研究价值", []), ("二、技术路线", []), ("三、研究方法", [])],
            ),
        ],
    ),
    ("第二章 互联网、“互联网+”与习近平同志的互联网思维", []),
]


def test_nav_nests_chapter_section_subsection(seed_epub):
    nav = seed_epub.doc("nav.xhtml")
    toc = nav.find(".//h:nav[@epub:type='toc']", NS)
    assert toc.get("role") == "doc-toc"
    assert toc.findtext("h:h1", namespaces=NS) == "目录"
    assert _nav_tree(toc.find("h:ol", NS)) == SEED_TOC
    # Every link resolves to a heading with that id, and anchors are XML names (EPUBCheck).
    for a in toc.iter(f"{{{NS['h']}}}a"):
        file_name, _, anchor = a.get("href").partition("#")
        doc = seed_epub.doc(file_name)
        if anchor:
            assert re.fullmatch(r"ch0[12]-[\w-]+", anchor) and "h" + anchor[5:] != anchor
            target = doc.find(f".//*[@id='{anchor}']")
            assert target is not None and target.tag.endswith(("h2", "h3"))


def test_landmarks_are_labelled_in_chinese(seed_epub):
    marks = seed_epub.doc("nav.xhtml").find(".//h:nav[@epub:type='landmarks']", NS)
    links = {a.get(EPUB_TYPE): (a.get("href"), a.text) for a in marks.iter(f"{{{NS['h']}}}a")}
    assert links == {
        "titlepage": ("titlepage.xhtml", "扉页"),
        "copyright-page": ("copyright.xhtml", "版权页"),
        "toc": ("nav.xhtml#toc", "目录"),
        "bodymatter": ("ch01.xhtml", "正文"),
    }


def test_ncx_matches_nav_and_identifier(seed_epub):
    ncx = seed_epub.xml("EPUB/toc.ncx")
    meta = {m.get("name"): m.get("content") for m in ncx.findall("ncx:head/ncx:meta", NS)}
    uid = seed_epub.opf.findtext("opf:metadata/dc:identifier", namespaces=NS)
    assert meta["dtb:uid"] == uid
    assert meta["dtb:depth"] == "3"

    def tree(parent):
        return [
            (p.findtext("ncx:navLabel/ncx:text", namespaces=NS), tree(p))
            for p in parent.findall("ncx:navPoint", NS)
        ]

    assert tree(ncx.find("ncx:navMap", NS)) == SEED_TOC


def test_notes_pair_references_and_asides(seed_epub):
    doc = seed_epub.doc("ch01.xhtml")
    refs = doc.findall(".//h:a[@epub:type='noteref']", NS)
    asides = doc.findall(".//h:aside[@epub:type='footnote']", NS)
    assert (len(refs), len(asides)) == (15, 14)
    ids = {el.get("id"): el for el in doc.iter() if el.get("id")}
    for ref in refs:
        assert ref.get("role") == "doc-noteref"
        assert len(ref) == 0 and ref.text in CIRCLED  # nothing but the marker inside
        aside = ids[ref.get("href")[1:]]
        assert aside.tag == f"{{{NS['h']}}}aside"
    for number, aside in enumerate(asides, start=1):
        assert aside.get("role") == "doc-footnote"
        back = aside[0]
        assert back.tag == f"{{{NS['h']}}}a" and not (aside.text or "").strip()
        assert back.get("role") == "doc-backlink" and back.text == CIRCLED[number - 1]
        first_ref = ids[back.get("href")[1:]]
        assert first_ref.get("href") == "#" + aside.get("id")
    # Stoker is cited twice: ③ twice, both to one aside.
    markers = [ref.text for ref in refs]
    assert markers.count("③") == 2
    stoker = [r for r in refs if r.text == "③"]
    assert stoker[0].get("href") == stoker[1].get("href")
    assert stoker[0].get("id") != stoker[1].get("id")
    assert "斯托克著" in "".join(ids[stoker[0].get("href")[1:]].itertext())
    # Markers are numbered by first reference, in reading order.
    first_seen = list(dict.fromkeys(markers))
    assert first_seen == list(CIRCLED)


def test_no_python_markdown_footnote_markup(seed_epub):
    for name in seed_epub.names():
        if name.endswith(".xhtml"):
            text = seed_epub.zip.read(name).decode()
            assert 'class="footnote"' not in text and "footnote-backref" not in text
            assert "<sup" not in text
            assert "Jump back to footnote" not in text


def test_epigraphs(seed_epub):
    for name, source in (
        ("ch01.xhtml", "——2015 年 12 月 16 日"),
        ("ch02.xhtml", "——2014年2月27日"),
    ):
        quote = seed_epub.doc(name).find(".//h:blockquote", NS)
        assert quote.get(EPUB_TYPE) == "epigraph" and quote.get("role") == "doc-epigraph"
        assert quote[-1].text.startswith(source)
        assert quote.getprevious().tag == f"{{{NS['h']}}}h1"


def test_split_paragraphs_are_whole_and_ocr_fixed(seed_epub):
    ch01 = "".join(seed_epub.doc("ch01.xhtml").itertext())
    assert "提高监管和服务的针对性" in ch01
    assert "而政府的能力和责任均在于此" in ch01
    assert "散见于报纸期刊中" in ch01
    assert "公私合作如何、何时以及为何" in ch01
    assert "絮论" not in ch01
    foreword = "".join(seed_epub.doc("foreword.xhtml").itertext())
    assert "关于网络治国" in foreword
    assert "十互联网" not in foreword and "“+互联网”" in foreword


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_copyright_page_equals_the_printed_block(seed_epub):
    # Lines 7-46 of the seed text (the print edition's copyright page), reviewed by eye.
    seed = SEED_TEXT.read_text("utf-8").splitlines()
    printed = [_norm(line) for line in seed[6:46] if line.strip()]
    section = seed_epub.doc("copyright.xhtml").find(".//h:section", NS)
    ours = [_norm("".join(el.itertext())) for el in section.find("h:div", NS)]
    for row in section.iterfind(".//h:tr", NS):
        label, value = row
        parts = [value.text] + [br.tail for br in value]
        ours.append(_norm(label.text + parts[0]))
        ours += [_norm(p) for p in parts[1:]]
    ours.append(_norm(section.findtext("h:p[@class='rights']", namespaces=NS)))
    assert ours == printed


def test_cip_numbers_never_break_inside(seed_epub):
    """foliate-js broke ②D63—39 as 'D63—' / '39', and a line at 360 px ended in a lone '②':
    each number is one unbreakable span, and a circled number keeps the character it numbers."""
    cip = seed_epub.doc("copyright.xhtml").find(".//h:div[@class='cip']", NS)
    spans = [s.text for s in cip.iterfind(".//h:span[@class='nowrap']", NS)]
    assert spans == [
        "ISBN 978-7-202-11899-3",
        "①互",
        "①闫",
        "②高",
        "①国",
        "②电",
        "①D630.1",
        "②D63—39",
        "（2017）第 035467 号",
    ]
    css = seed_epub.zip.read("EPUB/css/book.css").decode()
    assert re.search(r"div\.cip span\.nowrap \{\s*white-space: nowrap;", css)
    # Left-aligned: justified, the line before a number pushed down would be stretched apart.
    assert re.search(r"div\.cip p \{[^}]*text-align: left;", css)


def test_package_metadata(seed_epub):
    md = seed_epub.opf.find("opf:metadata", NS)
    uid_id = seed_epub.opf.get("unique-identifier")
    uid = md.find(f"dc:identifier[@id='{uid_id}']", NS).text
    assert uid.startswith("urn:uuid:")

    def refines(el_id, prop):
        return [
            m.text for m in md.findall(f"opf:meta[@refines='#{el_id}'][@property='{prop}']", NS)
        ]

    source = md.find("dc:source", NS)
    assert source.text == "urn:isbn:9787202118993"
    assert refines(source.get("id"), "identifier-type") == ["15"]
    title = md.find("dc:title", NS)
    assert title.text == "“互联网+”背景下政府治理创新研究"
    assert refines(title.get("id"), "file-as") == [
        "HULIANGWANG+ BEIJINGXIA ZHENGFUZHILI CHUANGXIN YANJIU"
    ]
    creators = {c.text: refines(c.get("id"), "role") for c in md.findall("dc:creator", NS)}
    assert creators == {"闫建": ["aut"], "高华丽": ["aut"]}
    contributors = {c.text: refines(c.get("id"), "role") for c in md.findall("dc:contributor", NS)}
    assert contributors == {
        "陈冠英": ["edt"],
        "李欣": ["bkd"],
        "王婧": ["cov"],
        "张三铁": ["pfr"],
        "陈文权": ["aui"],
    }
    for m in md.findall("opf:meta[@property='role']", NS):
        assert m.get("scheme") == "marc:relators"
    publisher = md.find("dc:publisher", NS)
    assert publisher.text == "河北人民出版社" and refines(publisher.get("id"), "role") == ["pbl"]
    assert md.findtext("dc:date", namespaces=NS) == "2017-02"
    assert md.findtext("dc:language", namespaces=NS) == "zh-CN"
    assert md.findtext("dc:rights", namespaces=NS) == "版权所有 翻印必究"
    subjects = md.findall("dc:subject", NS)
    plain = [s.text for s in subjects if s.get("id") is None]
    assert plain == ["国家行政机关—行政管理—研究—中国", "电子政务—研究—中国"]
    clc = [
        (s.text, refines(s.get("id"), "authority"), refines(s.get("id"), "term"))
        for s in subjects
        if s.get("id")
    ]
    assert clc == [("D630.1", ["CLC"], ["D630.1"]), ("D63—39", ["CLC"], ["D63-39"])]

    def prop(name):
        return [m.text for m in md.findall(f"opf:meta[@property='{name}']", NS)]

    assert prop("schema:bookEdition") == ["1"]
    assert prop("schema:accessMode") == ["textual"]
    assert prop("schema:accessModeSufficient") == ["textual"]
    assert "tableOfContents" in prop("schema:accessibilityFeature")
    assert "alternativeText" not in prop("schema:accessibilityFeature")  # no images
    assert prop("schema:accessibilityHazard") == ["none"]
    assert "14条注释" in prop("schema:accessibilitySummary")[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", prop("dcterms:modified")[0])
