"""Citations and the 参考文献 list (GB/T 7714-2015) on the citations fixture
(tests/data/citations): the entries against the standard's own examples, the three styles,
BibTeX and RIS beside CSL-JSON, the lists, pandoc's citeproc beside us, and the EPUB."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EPUB_TYPE, NS, REPO, Epub, open_epub
from ebook.build import build_epub, check_manuscript
from ebook.core.gbt7714 import AUTHOR_DATE, entry
from ebook.load.bibliography import load_references

FIXTURE = REPO / "tests" / "data" / "citations"
DATA = REPO / "tests" / "data" / "references"
H = "{http://www.w3.org/1999/xhtml}"


def references() -> dict:
    found, problems = load_references([FIXTURE / "references.json"])
    assert problems == []
    return {ref.key: ref for ref in found}


def expected(name: str) -> list[tuple[str, str]]:
    """(key, the standard's printed example) of a file in tests/data/references."""
    lines = (DATA / name).read_text("utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line]


def test_every_numeric_entry_is_printed_as_the_standard_prints_its_example():
    """The 52 examples of clauses 8 and 9 (顺序编码制): monographs, parts of them, proceedings,
    theses, reports, standards, patents, newspapers, journals, online resources; Chinese and
    Western; 等 and et al."""
    refs = references()
    pairs = expected("expected-numeric.tsv")
    assert len(pairs) == 52
    assert [(key, entry(refs[key])) for key, _ in pairs] == pairs


def test_every_author_date_entry_is_printed_as_the_standard_prints_its_example():
    """The 19 examples of 9.3.2 (著者-出版年制): the year after the names, none after the
    publisher, `中国出版(5)` without a volume, 1975a and 1975b, Anon."""
    refs = references()
    pairs = expected("expected-author-date.tsv")
    suffix = {"kennedy1975a": "a", "kennedy1975b": "b"}
    assert [(k, entry(refs[k], AUTHOR_DATE, suffix.get(k, ""))) for k, _ in pairs] == pairs


def copy_fixture(root: Path, style: str | None = None, extra: str = "") -> Path:
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".ebook-cache"))
    config = root / "book.yaml"
    added = (f"citations:\n  style: {style}\n" if style else "") + extra
    config.write_text(config.read_text("utf-8") + added, "utf-8")
    return root


def build(root: Path) -> Epub:
    out = root.parent / f"{root.name}.epub"
    build_epub(root, out)
    return open_epub(out)


def text(el) -> str:
    return "".join(el.itertext())


def paragraphs(epub: Epub, name: str) -> list[str]:
    return [text(p) for p in epub.doc(name).iterfind(".//h:section/h:p", NS)]


def listed(epub: Epub) -> list:
    return epub.doc("refs.xhtml").findall(".//h:li[@epub:type='biblioentry']", NS)


@pytest.fixture(scope="module")
def numeric(tmp_path_factory) -> Epub:
    return build(copy_fixture(tmp_path_factory.mktemp("numeric") / "book"))


def test_numeric_citations_are_numbered_by_first_citation_and_link_to_their_entries(numeric):
    first, second, third, _ = paragraphs(numeric, "ch1.xhtml")
    assert first == (
        "研究电子图书馆，先读汪冰的专著[1]和杨宗英的论文[2]。资源共享的讨论见[3-5]，国史的"
        "记述见[6]29。"
    )
    # `@key` gives the author and the number; a prefix stays before it.
    assert second == "KANAMORI[7] 讨论了无震的滑动；湿地管理的论文集见[8]。同一部国史，再看[6]29。"
    # `[-@key]`: the number inline, part of the sentence.
    assert third == "数字素养的定义[9-10]各有侧重，较早的研究见[11]。"
    doc = numeric.doc("ch1.xhtml")
    sups = doc.findall(".//h:sup[@class='citation']", NS)
    assert [text(s) for s in sups[:3]] == ["[1]", "[2]", "[3-5]"]
    assert doc.find(".//h:section/h:p[4]", NS) is not None
    # Every citation link lands on its entry, in the list in the order of first citation.
    ids = {li.get("id") for li in listed(numeric)}
    links = [
        a
        for name in ("ch1.xhtml", "ch2.xhtml")
        for a in numeric.doc(name).iterfind(".//h:a[@role='doc-biblioref']", NS)
    ]
    assert len(links) == 21
    for link in links:
        file, _, anchor = link.get("href").partition("#")
        assert file == "refs.xhtml" and anchor in ids
    entries = listed(numeric)
    assert (
        text(entries[0])
        == "[1] 汪冰. 电子图书馆理论与实践研究[M]. 北京: 北京图书馆出版社, 1997: 16."
    )
    assert [e.get("id") for e in entries[:7]] == [
        "ref-wang1997",
        "ref-yang1996",
        "ref-baker1995",
        "ref-dowler1995",
        "ref-chernik1982",
        "ref-chen2000",
        "ref-kanamori1998",
    ]
    # nocite="@*": every entry of both files is listed, the cited ones first.
    assert len(entries) == 65
    # Chapter 2 goes on counting; a citation in the author's own note is a citation too.
    assert paragraphs(numeric, "ch2.xhtml")[0] == (
        "再次引用[1]16与[2]，并新引[13]、[14]和[15]。连续引用[16-18]。"
    )
    note = doc.find(".//h:aside[@epub:type='footnote']", NS)
    assert text(note).strip() == "①作者的说明，参见[12]。"


def test_an_entrys_url_and_doi_are_links(numeric):
    (myburg,) = [e for e in listed(numeric) if e.get("id") == "ref-myburg2014"]
    hrefs = [a.get("href") for a in myburg.iterfind("h:a", NS)]
    assert hrefs == [
        "http://www.nature.com/nature/journal/v510/n7505/pdf/nature13308.pdf",
        "https://doi.org/10.1038/nature13308",
    ]
    assert myburg.get(EPUB_TYPE) == "biblioentry" and myburg.get("role") is None


def test_the_bibliography_page_is_in_the_contents_and_landmarks(numeric):
    nav = numeric.doc("nav.xhtml")
    toc = [a.get("href") for a in nav.iterfind(".//h:nav[@epub:type='toc']//h:a", NS)]
    assert "refs.xhtml" in [h.split("#")[0] for h in toc]
    landmarks = nav.findall(".//h:nav[@epub:type='landmarks']//h:a", NS)
    assert ("bibliography", "refs.xhtml") in [
        (a.get(EPUB_TYPE), a.get("href").split("#")[0]) for a in landmarks
    ]
    page = numeric.doc("refs.xhtml").find(".//h:section", NS)
    assert page.get(EPUB_TYPE) == "bibliography" and page.get("role") == "doc-bibliography"


def test_author_date_citations_and_list(tmp_path):
    epub = build(copy_fixture(tmp_path / "book", "author-date"))
    first, second, third, _ = paragraphs(epub, "ch1.xhtml")
    assert first == (
        "研究电子图书馆，先读汪冰的专著（汪冰，1997）和杨宗英的论文（杨宗英，1996）。资源共享的讨论见"
        "（BAKER et al.，1995；DOWLER，1995；CHERNIK，1982），国史的记述见（陈登原，2000）29。"
    )
    assert second.startswith(
        "KANAMORI（1998） 讨论了无震的滑动；湿地管理的论文集（见牛志明 等，2012）。"
    )
    assert (
        third == "数字素养的定义（BAWDEN，2008；HOPKINSON，2009）各有侧重，较早的研究见（1972）。"
    )
    page = epub.doc("ch1.xhtml").find(".//h:sup[@class='citation-page']", NS)
    assert page.text == "29"  # the page as a superscript after the parenthesis (10.2.4)
    # The same authors' works of one year: a and b, in the text and the list.
    assert (
        "（KENNEDY et al.，1975a）和（KENNEDY et al.，1975b）" in paragraphs(epub, "ch2.xhtml")[0]
    )
    entries = [text(li) for li in listed(epub)]
    assert "KENNEDY W L, GARRISON R E, 1975b. Morphology and genesis of nodular phosphates" in (
        "\n".join(entries)
    )
    # The list is not numbered; Chinese first, by pinyin, then Western by letter.
    assert epub.doc("refs.xhtml").find(".//h:ul[@class='references author-date']", NS) is not None
    chinese = [e for e in entries if "\u4e00" <= e[0] <= "\u9fff"]
    assert entries[: len(chinese)] == chinese
    assert entries[0].startswith("北京市人民政府办公厅, 2005.")


def test_the_author_date_list_orders_the_standards_example_as_the_standard_does(tmp_path):
    """9.3.2's example list (Chinese by pinyin: 陈, 刘, 尼, 裴, 汪, 王, 王…, 杨, 张, 中; then
    Anon, BAKER, …, STIEG), cited here in the reverse order."""
    order = [key for key, _ in expected("expected-author-date.tsv")]
    root = copy_fixture(tmp_path / "book", "author-date")
    cites = "".join(f"[@{key}]" for key in reversed(order))
    (root / "02-ch2.md").write_text(f"# 第二章\n\n{cites}。\n", "utf-8")
    (root / "01-ch1.md").write_text("# 第一章\n\n正文。\n", "utf-8")
    (root / "03-refs.md").write_text("---\nkind: bibliography\n---\n# 参考文献\n", "utf-8")
    epub = build(root)
    assert [li.get("id") for li in listed(epub)] == [f"ref-{key}" for key in order]
    assert [text(li) for li in listed(epub)] == [
        line for _, line in expected("expected-author-date.tsv")
    ]


NOTE_EXAMPLE = (
    "# 第一章\n\n甲[@sunstein1996]。乙[@morris2010, 260]。丙[@rogers2011]。"
    "丁[@morris2010, 第326-329页]。戊[@chen2000, 29]。己[@chen2000, 30]。\n"
)


def notes_of(epub: Epub, name: str) -> list[str]:
    return [text(a) for a in epub.doc(name).iterfind(".//h:aside[@epub:type='footnote']", NS)]


@pytest.mark.parametrize(
    "repeat, fourth, sixth",
    [
        ("same", "④同②: 326-329.", "⑥同⑤: 30."),
        ("ibid", "④MORRI I. Why the west rules for now: 326-329.", "⑥同上: 30."),
        ("short", "④MORRI I. Why the west rules for now: 326-329.", "⑥陈登原. 国史旧闻: 30."),
        (
            "full",
            "④MORRI I. Why the west rules for now: the patterns of history, and what they reveal"
            " about the future[M]. New York: Farrar, Straus and Giroux, 2010: 326-329.",
            "⑥陈登原. 国史旧闻: 第1卷[M]. 北京: 中华书局, 2000: 30.",
        ),
    ],
)
def test_notes_style_reproduces_the_standards_note_example(tmp_path, repeat, fourth, sixth):
    """10.1.3's example: the full entry with the cited page, then `同②: 326-329.` for a work
    cited before (the standard's form; the others as citations.repeat asks)."""
    root = copy_fixture(tmp_path / "book", "notes", f"  repeat: {repeat}\n")
    (root / "01-ch1.md").write_text(NOTE_EXAMPLE, "utf-8")
    (root / "02-ch2.md").write_text("# 第二章\n\n再引[@morris2010, 12]。\n", "utf-8")
    epub = build(root)
    notes = notes_of(epub, "ch1.xhtml")
    numeric = {k: entry(v) for k, v in references().items()}
    assert notes[:3] == [
        "①" + numeric["sunstein1996"],
        "②" + numeric["morris2010"].replace("2010.", "2010: 260."),
        "③" + numeric["rogers2011"],
    ]
    assert notes[3] == fourth
    assert notes[4] == "⑤" + numeric["chen2000"]
    assert notes[5] == sixth
    # Each chapter starts afresh: its first note of a work is the full entry.
    assert notes_of(epub, "ch2.xhtml") == [
        "①" + numeric["morris2010"].replace("2010.", "2010: 12.")
    ]
    # The note markers stand where the citations stood, each a note reference.
    refs = epub.doc("ch1.xhtml").findall(".//h:a[@epub:type='noteref']", NS)
    assert [a.text for a in refs] == ["①", "②", "③", "④", "⑤", "⑥"]


BIBTEX = r"""
@incollection{chen1980,
  author = {陈晋镳 and 张惠民 and 朱士兴 and 赵震},
  title = {蓟县震旦亚界研究},
  editor = {{中国地质科学院天津地质矿产研究所}},
  booktitle = {中国震旦亚界},
  address = {天津}, publisher = {天津科学技术出版社}, year = {1980}, pages = {56--114},
  language = {chinese},
}
@book{peebles2001,
  author = {Peebles, Jr., Peyton Z.},
  title = {Probability, random variables, and random signal principles},
  edition = {4}, address = {New York}, publisher = {McGraw-Hill}, year = 2001,
}
@article{myburg2014,
  author = {Myburg, Alexander A. and Grattapaglia, Dario and Tuskan, Gerald A. and others},
  title = {The genome of eucalyptus grandis},
  journal = {Nature}, year = {2014}, volume = {510}, pages = {356--362},
  url = {http://www.nature.com/nature/journal/v510/n7505/pdf/nature13308.pdf},
  urldate = {2014-06-25}, doi = {10.1038/nature13308},
}
@incollection{weinstein1974,
  author = {Weinstein, Louis and Swertz, Morton N.},
  title = {Pathogenic properties of invading microorganism},
  editor = {Sodeman, Jr., William A. and Sodeman, William A.},
  booktitle = {Pathologic physiology: mechanisms of disease},
  address = {Philadelphia}, publisher = {Saunders}, year = {1974}, pages = {745--772},
}
@report{cnnic2012,
  author = {{中国互联网络信息中心}},
  title = {第29次中国互联网络发展现状统计报告},
  date = {2012-01-16}, urldate = {2013-03-26},
  url = {http://www.cnnic.net.cn/hlwfzyj/hlwxzbg/201201/P020120709345264469680},
}
@standard{gbt25100,
  author = {{全国信息与文献标准化技术委员会}},
  title = {信息与文献 都柏林核心元数据元素集},
  number = {GB/T 25100—2010},
  address = {北京}, publisher = {中国标准出版社}, year = {2010}, pages = {2-3},
}
"""

RIS = "\n".join(
    [
        "TY  - JOUR",
        "ID  - kanamori1998",
        "AU  - Kanamori, Hiroo",
        "TI  - Shaking without quaking",
        "T2  - Science",
        "PY  - 1998",
        "VL  - 279",
        "IS  - 5359",
        "SP  - 2063",
        "LA  - en",
        "ER  - ",
        "",
        "TY  - BOOK",
        "ID  - chen2000",
        "AU  - 陈登原",
        "TI  - 国史旧闻",
        "VL  - 1",
        "CY  - 北京",
        "PB  - 中华书局",
        "PY  - 2000",
        "SP  - 29",
        "LA  - zh",
        "ER  - ",
        "",
    ]
)


@pytest.mark.parametrize("name, written", [("more.bib", BIBTEX), ("more.ris", RIS)])
def test_bibtex_and_ris_entries_print_as_the_same_works_in_csl_json(tmp_path, name, written):
    """What a BibTeX or RIS export says of a work (names split as BibTeX splits them, `and
    others`, `Jr.`, braces around a body's name, LaTeX `--`) prints as its CSL-JSON does."""
    path = tmp_path / name
    path.write_text(written, "utf-8")
    found, problems = load_references([path])
    assert problems == []
    refs = references()
    assert len(found) >= 2
    assert [(r.key, entry(r)) for r in found] == [(r.key, entry(refs[r.key])) for r in found]


def test_a_bibtex_syntax_error_is_found_at_its_line(tmp_path):
    path = tmp_path / "broken.bib"
    path.write_text(
        "@book{a,\n  title = {A},\n  year = 2000,\n}\n\n@book{b,\n  title = {B\n", "utf-8"
    )
    found, problems = load_references([path])
    assert [r.key for r in found] == ["a"]
    assert [(p.code, p.line) for p in problems] == [("G003", 6)]


def test_a_ris_record_left_open_is_reported_not_lost(tmp_path):
    path = tmp_path / "refs.ris"
    path.write_text(RIS.replace("ER  - \n\nTY  - BOOK", "\nTY  - BOOK"), "utf-8")
    found, problems = load_references([path])
    assert [(p.code, p.line) for p in problems] == [("G003", 1)]
    assert [r.key for r in found] == ["chen2000"]


def test_per_chapter_lists_stand_at_each_chapters_end_numbered_in_it(tmp_path):
    root = copy_fixture(tmp_path / "book", None, "citations: {per_chapter: true}\n")
    (root / "03-refs.md").unlink()
    epub = build(root)
    for name, first in (("ch1.xhtml", "ref-wang1997"), ("ch2.xhtml", "ref-wang1997")):
        section = epub.doc(name).find(".//h:section[@epub:type='bibliography']", NS)
        assert section.get("role") == "doc-bibliography"
        assert section.find("h:h2", NS).text == "参考文献"
        items = section.findall(".//h:li", NS)
        assert items[0].get("id") == first and text(items[0]).startswith("[1] ")
    # Chapter 2 numbers its own: [1] is 汪冰 again, [3] MYBURG.
    assert paragraphs(epub, "ch2.xhtml")[0].startswith("再次引用[1]16与[2]，并新引[3]")
    # The list stands before the chapter's notes.
    body = epub.doc("ch1.xhtml").find(".//h:section", NS)
    kinds = [child.get("class") for child in body]
    assert kinds.index("references") < kinds.index("notes")


def test_without_a_bibliography_a_citation_stays_text_as_it_always_was(tmp_path):
    """A book written before citations (an e-mail, a handle, `[联系 @admin]`) builds as it did;
    the bracketed form is a warning, since it reads as a citation."""
    root = copy_fixture(tmp_path / "book")
    config = root / "book.yaml"
    config.write_text(
        config.read_text("utf-8").replace("bibliography: [references.json, more.bib]\n", ""),
        "utf-8",
    )
    (root / "01-ch1.md").write_text("# 一\n\n请联系@someone，或写信 a@b.com。\n", "utf-8")
    (root / "02-ch2.md").write_text("# 二\n\n见[@wang1997]。\n", "utf-8")
    checked = check_manuscript(root)
    assert [(f.code, f.path.name, f.line, f.column) for f in checked.findings] == [
        ("G010", "02-ch2.md", 3, 3)
    ]
    epub = build(root)
    assert paragraphs(epub, "ch1.xhtml") == ["请联系@someone，或写信 a@b.com。"]
    assert paragraphs(epub, "ch2.xhtml") == ["见[@wang1997]。"]


def test_an_edited_bibliography_rebuilds_and_the_cache_gives_a_fresh_builds_bytes(tmp_path):
    root = copy_fixture(tmp_path / "book")
    first = build(root)
    assert "汪冰. 电子图书馆理论与实践研究" in text(listed(first)[0])
    data = json.loads((root / "references.json").read_text("utf-8"))
    for item in data:
        if item["id"] == "wang1997":
            item["title"] = "电子图书馆理论与实践"
    (root / "references.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    again = build(root)
    assert text(listed(again)[0]).startswith("[1] 汪冰. 电子图书馆理论与实践[M].")
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(".ebook-cache"))
    out = tmp_path / "fresh.epub"
    build_epub(fresh, out, cache=False)
    assert out.read_bytes() == again.path.read_bytes()


def test_diff_reports_a_changed_reference(tmp_path):
    from ebook.editions import load_edition
    from ebook.editions.diff import compare

    old = copy_fixture(tmp_path / "old")
    new = copy_fixture(tmp_path / "new")
    bib = new / "more.bib"
    bib.write_text(bib.read_text("utf-8").replace("{2008}", "{2012}"), "utf-8")
    diff = compare(load_edition(str(old)), load_edition(str(new)))
    (changed,) = diff.chapters
    assert changed.title == "参考文献"
    (edit,) = changed.text
    assert (edit.kind, edit.block) == ("changed", "list item")
    assert edit.excerpt == "…民出版社, 20[-08-]{+12+}."


# Where pandoc 3's citeproc with the public GB/T 7714-2015 CSL styles (tests/data/references,
# from citation-style-language/styles) prints an entry otherwise than the tool: the rule of the
# standard that decides it for the tool, each shown by the standard's own example.
RULES = {
    "chen2000": "a volume is written 第1卷 after the title: example [1] of 8.1.4 prints 国史旧闻: 第1卷",
    "gu1992": "other title information follows ': ' (8.2.2): example [6] prints 昌平山水记: 京东考古录",
    "niu2012": "a conference proceedings is [C] (annex B): example [8] prints 论文集[C]; CSL has no proceedings type",
    "mingdang2001": "an archive is [A] (annex B), given by Zotero's Extra line `type: A`, which citeproc does not read: example [9]",
    "zaozhi2003": "other title information follows ': ' (8.2.2): example [13] prints 中国造纸年鉴: 2003",
    "peebles2001": "an English edition is written in English, 4th ed. (8.3.1), and a name's suffix after a comma: example [14] prints PEEBLES P Z, Jr. ... 4th ed.",
    "yufin2000": "a conference proceedings is [C] (annex B): example [15] prints Proceedings ...[C]",
    "fan2013": "an English edition is written in English (8.3.1): example [17] prints 2nd ed.",
    "zhouyi2011": "other title information follows ': ', and the whole's volume is as written: example [18] prints 周易外传: 卷5 and 船山全书: 第6册",
    "marx2013": "the whole's volume is as written: example [21] prints 马克思恩格斯全集: 第35卷",
    "jia2011": "the whole's volume is as written: example [22] prints 中国图书馆学会年会论文集: 2011年卷",
    "weinstein1974": "a name's suffix follows a comma, without a point in the list of names: example [23] prints SODEMAN W A, Jr, SODEMAN W A",
    "roberson2011": "only personal family names are in capitals (8.1.2), and an English edition in English: example [24] prints American Water Works Association ... 6th ed.",
    "yuan2012": "other title information follows ': ' (8.2.2): example [28] prints 蓝田生物群: 一个认识…",
    "yu2013": "other title information follows ': ' (8.2.2): example [29] prints 我们的科技一直在追赶: 访中国工程院院长周济",
    "li2010": "other title information follows ': ' (8.2.2): example [31] prints 循证医学研究方法: 附视频",
    "myburg2014": "more than three Western names end with et al. (8.1.2), by the entry's language: example [36] prints MYBURG A A, GRATTAPAGLIA D, TUSKAN G A, et al.",
    "tachibana2005": "more than three Western names end with et al. (8.1.2): example [39] prints TACHIBANA R, SHIMIZU S, KOBAYSHI S, et al.",
    "oclc": "a body's name is written as it is, not in capitals (8.1.2): example [43] prints Online Computer Library Center, Inc.",
    "rogers2011": "other title information follows ': ', and 等 joins 译 directly: example [55] prints 西方文明史: 问题与源头 ... 杨艳, 等译",
    "liu1998": "other title information follows ': ' (8.2.2): 9.3.2's example prints 中国的青年刊物: 个性特色为本仁",
    "anon1981": "a Western work without author is entered as Anon: 9.3.2's example prints Anon, 1981",
}
# What pandoc prints for them, in each style.
PANDOC_DIFFERS = {
    "numeric": {
        "chen2000": "陈登原. 国史旧闻: 卷 1[M]. 北京: 中华书局, 2000: 29.",
        "gu1992": "顾炎武. 昌平山水记：京东考古录[M]. 北京: 北京古籍出版社, 1992.",
        "niu2012": "牛志明, 斯温兰德, 雷光春. 综合湿地管理国际研讨会论文集[M]. 北京: 海洋出版社, 2012.",
        "mingdang2001": "中国第一历史档案馆, 辽宁省档案馆. 中国明朝档案总汇[M]. 桂林: 广西师范大学出版社, 2001.",
        "zaozhi2003": "中国造纸学会. 中国造纸年鉴：2003[M/OL]. 北京: 中国轻工业出版社, 2003[2014-04-25]. http://www.cadal.zju.edu.cn/book/view/25010080.",
        "peebles2001": "PEEBLES P Z Jr. Probability, random variables, and random signal principles[M]. 4 版. New York: McGraw-Hill, 2001.",
        "yufin2000": "YUFIN S A. Geoecology and computers: Proceedings of the Third International Conference on Advances of Computer Methods in Geotechnical and Geoenvironmental Engineering, Moscow, Russia, February 1–4, 2000[M]. Rotterdam: A. A. Balkema, 2000.",
        "fan2013": "FAN X, SOMMERS C H. Food irradiation research and technology[M/OL]. 2 版. Ames, Iowa: Blackwell Publishing, 2013: 25-26[2014-06-26]. http://onlinelibrary.wiley.com/doi/10.1002/9781118422557.ch2/summary.",
        "zhouyi2011": "周易外传：卷5[M]//王夫之. 船山全书: 卷 第6册. 长沙: 岳麓书社, 2011: 1109.",
        "marx2013": "马克思. 政治经济学批判[M]//马克思, 恩格斯. 马克思恩格斯全集: 卷 第35卷. 北京: 人民出版社, 2013: 302.",
        "jia2011": "贾东琴, 柯平. 面向数字素养的高校图书馆数字服务体系研究[C]//中国图书馆学会. 中国图书馆学会年会论文集: 卷 2011年卷. 北京: 国家图书馆出版社, 2011: 45-52.",
        "weinstein1974": "WEINSTEIN L, SWERTZ M N. Pathogenic properties of invading microorganism[M]//SODEMAN W A Jr., SODEMAN W A. Pathologic physiology: mechanisms of disease. Philadelphia: Saunders, 1974: 745-772.",
        "roberson2011": "ROBERSON J A, BURNESON E G. Drinking water standards, regulations and goals[M/OL]//AMERICAN WATER WORKS ASSOCIATION. Water quality & treatment: a handbook on drinking water. 6 版. New York: McGraw-Hill, 2011: 1.1-1.36[2012-12-10]. http://lib.myilibrary.com/Open.aspx?id=291430.",
        "yuan2012": "袁训来, 陈哲, 肖书海, 等. 蓝田生物群：一个认识多细胞生物起源和早期演化的新窗口[J]. 科学通报, 2012, 57(34): 3219.",
        "yu2013": "余建斌. 我们的科技一直在追赶：访中国工程院院长周济[N/OL]. 人民日报, 2013-01-12(2)[2013-03-20]. http://paper.people.com.cn/rmrb/html/2013-01/12/nw.D110000renmrb_20130112_5-02.htm.",
        "li2010": "李幼平, 王莉. 循证医学研究方法：附视频[J/OL]. 中华移植杂志(电子版), 2010, 4(3): 225-228[2014-06-09]. http://www.cqvip.com/Read/Read.aspx?id=36658332.",
        "myburg2014": "MYBURG A A, GRATTAPAGLIA D, TUSKAN G A, 等. The genome of eucalyptus grandis[J/OL]. Nature, 2014, 510: 356-362[2014-06-25]. http://www.nature.com/nature/journal/v510/n7505/pdf/nature13308.pdf. DOI:10.1038/nature13308.",
        "tachibana2005": "TACHIBANA R, SHIMIZU S, KOBAYSHI S, 等. Electronic watermarking method and system: US6915001[P/OL]. 2005-07-05[2013-11-11]. http://www.google.co.in/patents/US6915001.",
        "oclc": "ONLINE COMPUTER LIBRARY CENTER, INC. About OCLC: History of cooperation[EB/OL]. [2012-03-27]. http://www.oclc.org/about/cooperation.en.html.",
        "rogers2011": "罗杰斯. 西方文明史：问题与源头[M]. 潘惠霞, 魏婧, 杨艳, 等, 译. 大连: 东北财经大学出版社, 2011: 15-16.",
        "liu1998": "刘彻东. 中国的青年刊物：个性特色为本仁[J]. 中国出版, 1998(5): 38-39.",
    },
    "author-date": {
        "chen2000": "陈登原, 2000. 国史旧闻: 卷 1[M]. 北京: 中华书局: 29.",
        "gu1992": "顾炎武, 1992. 昌平山水记：京东考古录[M]. 北京: 北京古籍出版社.",
        "niu2012": "牛志明, 斯温兰德, 雷光春, 2012. 综合湿地管理国际研讨会论文集[M]. 北京: 海洋出版社.",
        "mingdang2001": "中国第一历史档案馆, 辽宁省档案馆, 2001. 中国明朝档案总汇[M]. 桂林: 广西师范大学出版社.",
        "zaozhi2003": "中国造纸学会, 2003. 中国造纸年鉴：2003[M/OL]. 北京: 中国轻工业出版社[2014-04-25]. http://www.cadal.zju.edu.cn/book/view/25010080.",
        "peebles2001": "PEEBLES P Z Jr., 2001. Probability, random variables, and random signal principles[M]. 4 版. New York: McGraw-Hill.",
        "yufin2000": "YUFIN S A, 2000. Geoecology and computers: Proceedings of the Third International Conference on Advances of Computer Methods in Geotechnical and Geoenvironmental Engineering, Moscow, Russia, February 1–4, 2000[M]. Rotterdam: A. A. Balkema.",
        "fan2013": "FAN X, SOMMERS C H, 2013. Food irradiation research and technology[M/OL]. 2 版. Ames, Iowa: Blackwell Publishing: 25-26[2014-06-26]. http://onlinelibrary.wiley.com/doi/10.1002/9781118422557.ch2/summary.",
        "zhouyi2011": "佚名, 2011. 周易外传：卷5[M]//王夫之. 船山全书: 卷 第6册. 长沙: 岳麓书社: 1109.",
        "marx2013": "马克思, 2013. 政治经济学批判[M]//马克思, 恩格斯. 马克思恩格斯全集: 卷 第35卷. 北京: 人民出版社: 302.",
        "jia2011": "贾东琴, 柯平, 2011. 面向数字素养的高校图书馆数字服务体系研究[C]//中国图书馆学会. 中国图书馆学会年会论文集: 卷 2011年卷. 北京: 国家图书馆出版社: 45-52.",
        "weinstein1974": "WEINSTEIN L, SWERTZ M N, 1974. Pathogenic properties of invading microorganism[M]//SODEMAN W A Jr., SODEMAN W A. Pathologic physiology: mechanisms of disease. Philadelphia: Saunders: 745-772.",
        "roberson2011": "ROBERSON J A, BURNESON E G, 2011. Drinking water standards, regulations and goals[M/OL]//AMERICAN WATER WORKS ASSOCIATION. Water quality & treatment: a handbook on drinking water. 6 版. New York: McGraw-Hill: 1.1-1.36[2012-12-10]. http://lib.myilibrary.com/Open.aspx?id=291430.",
        "yuan2012": "袁训来, 陈哲, 肖书海, 等, 2012. 蓝田生物群：一个认识多细胞生物起源和早期演化的新窗口[J]. 科学通报, 57(34): 3219.",
        "yu2013": "余建斌, 2013. 我们的科技一直在追赶：访中国工程院院长周济[N/OL]. 人民日报, 2013-01-12(2)[2013-03-20]. http://paper.people.com.cn/rmrb/html/2013-01/12/nw.D110000renmrb_20130112_5-02.htm.",
        "li2010": "李幼平, 王莉, 2010. 循证医学研究方法：附视频[J/OL]. 中华移植杂志(电子版), 4(3): 225-228[2014-06-09]. http://www.cqvip.com/Read/Read.aspx?id=36658332.",
        "myburg2014": "MYBURG A A, GRATTAPAGLIA D, TUSKAN G A, 等, 2014. The genome of eucalyptus grandis[J/OL]. Nature, 510: 356-362[2014-06-25]. http://www.nature.com/nature/journal/v510/n7505/pdf/nature13308.pdf. DOI:10.1038/nature13308.",
        "tachibana2005": "TACHIBANA R, SHIMIZU S, KOBAYSHI S, 等, 2005. Electronic watermarking method and system: US6915001[P/OL]. 2005-07-05[2013-11-11]. http://www.google.co.in/patents/US6915001.",
        "oclc": "ONLINE COMPUTER LIBRARY CENTER, INC., [2012]. About OCLC: History of cooperation[EB/OL]. [2012-03-27]. http://www.oclc.org/about/cooperation.en.html.",
        "rogers2011": "罗杰斯, 2011. 西方文明史：问题与源头[M]. 潘惠霞, 魏婧, 杨艳, 等, 译. 大连: 东北财经大学出版社: 15-16.",
        "liu1998": "刘彻东, 1998. 中国的青年刊物：个性特色为本仁[J]. 中国出版(5): 38-39.",
        "anon1981": "佚名, 1981. Coffee drinking and cancer of the pancreas[J]. Br Med J, 283(6292): 628.",
    },
}


def pandoc() -> str:
    try:
        from pypandoc import get_pandoc_path

        return get_pandoc_path()
    except (ImportError, OSError):
        if os.environ.get("CI"):
            pytest.fail("pypandoc-binary is missing under CI (the test extra installs it)")
        pytest.skip("pypandoc-binary is not installed")


@pytest.mark.parametrize("style", ["numeric", "author-date"])
def test_pandoc_citeproc_prints_the_same_entries_but_where_the_standard_says_otherwise(style):
    """All 63 works through pandoc --citeproc and the public CSL style of the same standard:
    every entry is the same string, but those listed above, each with its rule."""
    refs = list(references().values())
    run = subprocess.run(
        [
            pandoc(),
            "--from=markdown",
            "--to=plain",
            "--wrap=none",
            "--citeproc",
            f"--bibliography={FIXTURE / 'references.json'}",
            f"--csl={DATA / f'china-national-standard-gb-t-7714-2015-{style}.csl'}",
        ],
        input="\n\n".join(f"[@{ref.key}]" for ref in refs) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    printed = [p.strip() for p in run.stdout.split("\n\n") if p.strip()][len(refs) :]
    suffix = {"kennedy1975a": "a", "kennedy1975b": "b"}
    ours = {
        ref.key: entry(
            ref, AUTHOR_DATE if style == "author-date" else "numeric", suffix.get(ref.key, "")
        )
        for ref in refs
    }
    if style == "numeric":  # in the order of citation, numbered
        theirs = [line.split("] ", 1)[1] for line in printed]
    else:  # sorted by the style: compared as a set
        theirs = printed
    same = [text for text in theirs if text in ours.values()]
    differ = sorted(text for text in theirs if text not in ours.values())
    listed = PANDOC_DIFFERS[style]
    assert len(same) + len(differ) == len(refs) == 63
    assert differ == sorted(listed.values())
    assert sorted(ours[key] for key in listed) == sorted(set(ours.values()) - set(same))
    assert set(listed) <= set(RULES)


@pytest.mark.slow
@pytest.mark.parametrize("style", ["numeric", "author-date", "notes"])
def test_the_fixture_passes_epubcheck_and_ace_in_each_style(tmp_path, style):
    from conftest import assert_ace_clean, assert_epubcheck_clean

    epub = build(copy_fixture(tmp_path / "book", style))
    assert_epubcheck_clean(epub.path)
    assert_ace_clean(epub.path)


@pytest.mark.slow
def test_foliate_pops_up_a_citation_note_with_its_entry(tmp_path):
    """In the notes style (注释体), a citation is a note: foliate-js's own footnote handler
    takes it for one and pops up the full entry."""
    from test_note_profiles import first_note_popup

    epub = build(copy_fixture(tmp_path / "book", "notes"))
    popup = first_note_popup(tmp_path / "site", epub.path, "ch1.xhtml")
    assert popup["type"] == "footnote"
    assert "汪冰. 电子图书馆理论与实践研究[M]. 北京: 北京图书馆出版社, 1997: 16." in popup["text"]


def test_a_refs_block_in_any_chapter_takes_the_list(tmp_path):
    """`::: {#refs}` in a chapter that is not the bibliography page: the list goes there (as
    pandoc puts it), before that chapter's end, and the citations link to it."""
    root = copy_fixture(tmp_path / "book")
    (root / "03-refs.md").unlink()
    chapter = root / "02-ch2.md"
    chapter.write_text(
        chapter.read_text("utf-8") + '\n## 本书引用\n\n::: {#refs nocite="@*"}\n:::\n', "utf-8"
    )
    epub = build(root)
    block = epub.doc("ch2.xhtml").find(".//h:div[@class='references-block']", NS)
    assert block is not None and len(block.findall(".//h:li", NS)) == 65
    first = epub.doc("ch1.xhtml").find(".//h:a[@role='doc-biblioref']", NS)
    assert first.get("href") == "ch2.xhtml#ref-wang1997"
