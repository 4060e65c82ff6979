"""The CIP block of real books of each layout: built, compared with the printed block, and read
back by `ebook import` (the blocks and their sources: tests/data/cip/SOURCE.md)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NS, assert_epubcheck_clean, open_epub, write_manuscript
from ebook.build import build_epub
from ebook.convert.importer import import_text
from ebook.core.errors import BookHasErrors

DATA = Path(__file__).parent / "data" / "cip"
BOOKS = sorted(p.stem for p in DATA.glob("*.txt"))
CHAPTER = {"ch01.md": "# 第一章\n\n正文。\n"}
# What book.yaml knows that the printed block does not show (the 2023 layout prints no
# 书名原文 note), so `ebook import` of the block cannot find it.
NOT_IN_BLOCK = {"learning-ebpf-2024": {"original"}}
# What the block says in place of what book.yaml knows: of more than three authors the block
# names the first and 等, so an import knows only that.
IMPORTED_AS = {
    "ceph-design-2017": {"contributors": [{"name": "谢型果", "role": "著", "et_al": True}]},
}


def printed_form(text: str) -> str:
    """Text as a reader compares two printings: NFKC (full- and half-width alike), white space
    ignored, and the area separator in any of the forms pages and OCR give (". —", ".——",
    ".--") read as one."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"\.(?:—{1,2}|-{2})", ".—", text)


def book_yaml(name: str) -> dict:
    return yaml.safe_load((DATA / f"{name}.yaml").read_text("utf-8"))


def build(tmp_path: Path, name: str) -> Path:
    book = {"language": "zh-CN", "chapters": ["ch01.md"], **book_yaml(name)}
    root = write_manuscript(tmp_path / name, book, CHAPTER)
    out = tmp_path / f"{name}.epub"
    build_epub(root, out)
    return out


def cip_text(epub_path: Path) -> str:
    doc = open_epub(epub_path).doc("copyright.xhtml")
    block = doc.find(".//h:div[@class='cip']", NS)
    return "\n".join("".join(el.itertext()) for el in block)


@pytest.mark.parametrize("name", BOOKS)
def test_the_built_block_is_the_printed_block(tmp_path, name):
    printed = (DATA / f"{name}.txt").read_text("utf-8")
    assert printed_form(cip_text(build(tmp_path, name))) == printed_form(printed)


@pytest.mark.parametrize("name", BOOKS)
def test_import_reads_the_printed_block_into_the_same_book_yaml(name):
    printed = (DATA / f"{name}.txt").read_text("utf-8")
    result = import_text(printed + "\n前言\n\n正文。\n")
    imported = yaml.safe_load(result.files["book.yaml"])
    expected = book_yaml(name) | IMPORTED_AS.get(name, {})
    for key in set(expected) - NOT_IN_BLOCK.get(name, set()):
        assert imported.get(key) == expected[key], key
    assert not set(imported) & {"series", "volume", "original", "parallel_title"} - set(expected)


def test_every_layout_is_among_the_real_blocks():
    standards = set()
    for name in BOOKS:
        number = book_yaml(name)["cip"]["number"]
        standards.add("2023" if "-" not in number else number[:4] >= "2023")
    assert standards == {"2023", True, False}


@pytest.mark.slow
def test_real_blocks_build_valid_epubs(tmp_path):
    for name in BOOKS:
        assert_epubcheck_clean(build(tmp_path, name))


# Forms no page in tests/data/cip shows (a second edition with its reviser, a volume of a set,
# a translation in a numbered series with notes): constructed books, not real ones, so these
# tests check the punctuation each layout prescribes and the round trip through import.
CONSTRUCTED = {
    "second-edition-2001": (
        {
            "title": "政府治理概论",
            "contributors": [{"name": "王五", "role": "主编"}],
            "publisher": {"name": "某某出版社", "place": "北京"},
            "date": "2019-08",
            "isbn": "978-7-109-00000-1",
            "edition": {"number": 2, "date": "2019-08", "responsibility": "赵六修订"},
            "cip": {
                "subjects": ["国家行政机关—行政管理—中国"],
                "classifications": ["D630.1"],
                "number": "2019-123456",
            },
        },
        [
            "政府治理概论 / 王五主编. —2版 / 赵六修订. —北京：某某出版社，2019.8",
            "ISBN 978-7-109-00000-1",
            "Ⅰ.①政… Ⅱ.①王… Ⅲ.①国家行政机关—行政管理—中国 Ⅳ.①D630.1",
            "中国版本图书馆 CIP 数据核字（2019）第 123456 号",
        ],
    ),
    "volume-2023": (
        {
            "title": "中国近代史",
            "volume": {
                "number": 2,
                "label": "第2卷",
                "title": "晚清",
                "set_isbn": "978-7-109-00001-8",
            },
            "contributors": [{"name": "张三", "role": "主编"}],
            "publisher": {"name": "某某出版社", "place": "北京"},
            "date": "2024-05",
            "isbn": "978-7-111-40000-4",
            "cip": {"classifications": ["K25"], "number": "2024AB1234"},
        },
        [
            "中国近代史. 第2卷, 晚清 / 张三主编.--北京：某某出版社，2024.5.--"
            "ISBN 978-7-111-40000-4.--ISBN 978-7-109-00001-8（全套）",
            "Ⅰ.K25",
            "中国国家版本馆 CIP 数据核字第 2024AB1234 号",
        ],
    ),
    "translation-in-series-2001": (
        {
            "title": "算法导论",
            "subtitle": "原书第3版",
            "contributors": [
                {
                    "name": "科尔曼",
                    "role": "著",
                    "nationality": "美",
                    "original_name": "Cormen, T.H.",
                },
                {"name": "甲乙", "role": "译"},
                {"name": "丙丁", "role": "译"},
            ],
            "publisher": {"name": "某某出版社", "place": "北京"},
            "date": "2013-01",
            "isbn": "978-7-301-00000-7",
            "series": {
                "title": "计算机科学丛书",
                "editor": "张三主编",
                "issn": "0317-8471",
                "number": "5",
            },
            "original": {"title": "Introduction to Algorithms"},
            "cip": {
                "subjects": ["电子计算机—算法理论—教材"],
                "classifications": ["TP301.6"],
                "number": "2012-300001",
                "notes": ["教材"],
            },
        },
        [
            "算法导论：原书第3版 / （美）科尔曼（Cormen, T.H.）著；甲乙，丙丁译. —北京：某某出版社，"
            "2013.1 （计算机科学丛书 / 张三主编，ISSN 0317-8471；5）",
            "书名原文：Introduction to Algorithms",
            "教材",
            "ISBN 978-7-301-00000-7",
            "Ⅰ.①算… Ⅱ.①科… ②甲… ③丙… Ⅲ.①电子计算机—算法理论—教材 Ⅳ.①TP301.6",
            "中国版本图书馆 CIP 数据核字（2012）第 300001 号",
        ],
    ),
}


def build_constructed(tmp_path: Path, name: str) -> Path:
    book = {"language": "zh-CN", "chapters": ["ch01.md"], **CONSTRUCTED[name][0]}
    root = write_manuscript(tmp_path / name, book, CHAPTER)
    out = tmp_path / f"{name}.epub"
    build_epub(root, out)
    return out


@pytest.mark.parametrize("name", CONSTRUCTED)
def test_each_area_prints_with_its_layouts_punctuation(tmp_path, name):
    lines = cip_text(build_constructed(tmp_path, name)).splitlines()
    assert lines == ["图书在版编目（CIP）数据", *CONSTRUCTED[name][1]]


@pytest.mark.parametrize("name", CONSTRUCTED)
def test_import_reads_every_area_back(name):
    printed = "\n".join(["图书在版编目（CIP）数据", *CONSTRUCTED[name][1]])
    imported = yaml.safe_load(import_text(printed + "\n\n前言\n\n正文。\n").files["book.yaml"])
    for key, value in CONSTRUCTED[name][0].items():
        if key == "edition":
            value = {k: v for k, v in value.items() if k != "date"}  # the colophon's 版次
        assert imported.get(key) == value, key


def test_series_volume_translators_and_titles_are_package_metadata(tmp_path):
    opf = open_epub(build_constructed(tmp_path, "translation-in-series-2001")).opf
    md = opf.find("opf:metadata", NS)

    def refines(id_: str, prop: str) -> str:
        return md.findtext(f"opf:meta[@refines='#{id_}'][@property='{prop}']", namespaces=NS)

    series = md.find("opf:meta[@property='belongs-to-collection']", NS)
    assert series.text == "计算机科学丛书"
    assert refines(series.get("id"), "collection-type") == "series"
    assert refines(series.get("id"), "group-position") == "5"
    assert refines(series.get("id"), "dcterms:identifier") == "urn:issn:03178471"
    titles = {refines(t.get("id"), "title-type"): t.text for t in md.iterfind("dc:title", NS)}
    assert titles == {"main": "算法导论", "subtitle": "原书第3版", "collection": "计算机科学丛书"}
    roles = {
        el.text: (el.tag.rpartition("}")[2], refines(el.get("id"), "role"))
        for el in [*md.iterfind("dc:creator", NS), *md.iterfind("dc:contributor", NS)]
    }
    assert roles["科尔曼"] == ("creator", "aut")
    assert roles["甲乙"] == roles["丙丁"] == ("contributor", "trl")
    original = md.find("opf:meta[@property='schema:translationOfWork']", NS)
    assert original.text == "Introduction to Algorithms"

    volume = open_epub(build_constructed(tmp_path, "volume-2023")).opf.find("opf:metadata", NS)
    collection = volume.find("opf:meta[@property='belongs-to-collection']", NS)
    assert collection.text == "中国近代史"
    assert (
        volume.findtext(
            f"opf:meta[@refines='#{collection.get('id')}'][@property='group-position']",
            namespaces=NS,
        )
        == "2"
    )
    edition = open_epub(build_constructed(tmp_path, "second-edition-2001")).opf
    assert [t.text for t in edition.iterfind(".//dc:title", NS) if t.get("id") == "edition"] == [
        "2版 / 赵六修订"
    ]


@pytest.mark.slow
def test_constructed_books_pass_epubcheck(tmp_path):
    for name in CONSTRUCTED:
        assert_epubcheck_clean(build_constructed(tmp_path, name))


def test_identifiers_and_numbers_never_break_inside(tmp_path):
    doc = open_epub(build_constructed(tmp_path, "translation-in-series-2001")).doc(
        "copyright.xhtml"
    )
    kept = [s.text for s in doc.iterfind(".//h:div[@class='cip']//h:span[@class='nowrap']", NS)]
    for whole in ("ISSN 0317-8471", "ISBN 978-7-301-00000-7", "①TP301.6", "（2012）第 300001 号"):
        assert whole in kept
    doc = open_epub(build(tmp_path, "redis-2024")).doc("copyright.xhtml")
    kept = [s.text for s in doc.iterfind(".//h:div[@class='cip']//h:span[@class='nowrap']", NS)]
    assert "第 2024SZ1581 号" in kept and "TP311" in kept


@pytest.mark.parametrize(
    ("approval", "standard"),
    [
        ("中国国家版本馆CIP数据核字（2022）第123456号", "transitional"),  # the year says 2001
        ("中国版本图书馆 CIP 数据核字（2023）第 123456 号", "2001"),  # the year says transitional
        ("中国国家版本馆CIP数据核字（2023）第123456号", None),
        ("中国国家版本馆CIP数据核字第2024AB1234号", None),
    ],
)
def test_import_keeps_the_agency_the_page_prints(approval, standard):
    block = "图书在版编目（CIP）数据\n书名/张三著. —北京：某出版社，2023.5\n" + approval
    imported = yaml.safe_load(import_text(block + "\n\n前言\n\n正文。\n").files["book.yaml"])
    assert imported["cip"].get("standard") == standard


CIP_ATOMS = st.sampled_from(
    list("书名甲乙丙著译编主北京出版社版第号年月卷册丛书原文英美瑞士教材套全")
    + list("/／.．—-–：:，,；;（）()=[]ＩⅠⅡⅢⅣIV①②③…… \n0123456789X")
    + [
        "ISBN ",
        "ISBN978-7-111-40000-4",
        "ISSN ",
        "中国版本图书馆 CIP 数据核字",
        "中国国家版本馆",
        "（2017）第 035467 号",
        "第2024AB1234号",
        ". —",
        ".--",
        "2024.5",
        "2版",
        "书名原文：",
    ]
)


JUNK = st.lists(CIP_ATOMS, max_size=12).map("".join)
# A description's shape with junk in every area: what real OCR gives most often.
SHAPED = st.tuples(JUNK, JUNK, JUNK, JUNK, JUNK, JUNK).map(
    lambda p: f"{p[0]}/{p[1]}著. —{p[2]}：{p[3]}，2024.5{p[4]}\nI. {p[5]}\n第2024AB1234号"
)


@settings(max_examples=300, deadline=None)
@given(block=st.one_of(st.lists(CIP_ATOMS, max_size=80).map("".join), SHAPED))
def test_import_reads_any_cip_block_without_a_traceback(block):
    """OCR can give anything between the heading and the approval number: the import writes
    a book.yaml (and says what it could not read), it never fails."""
    result = import_text("图书在版编目（CIP）数据\n" + block + "\n\n前言\n\n正文。\n")
    assert "book.yaml" in result.files
    yaml.safe_load(result.files["book.yaml"])


FIELD = st.text(
    alphabet=st.sampled_from(list("甲乙<>&\"'/=：；（）()·.—-1234567890abc \u3000")), max_size=12
)


@pytest.mark.slow
@settings(max_examples=6, deadline=None, database=None)
@given(
    texts=st.lists(FIELD, min_size=8, max_size=8),
    volume=st.integers(0, 99),
    standard=st.sampled_from(["", "2001", "transitional", "2023"]),
    number=st.sampled_from(["", "2017-035467", "2024AB1234"]),
)
def test_any_cip_data_builds_a_valid_epub_or_is_refused(
    tmp_path_factory, texts, volume, standard, number
):
    """Whatever a book.yaml puts in the new CIP fields (markup characters, quotes, empty
    values), the build refuses with findings or makes an EPUB that EPUBCheck accepts."""
    title, subtitle, parallel, statement, series, position, nationality, original = texts
    book = {
        "title": title or "书",
        "subtitle": subtitle,
        "parallel_title": parallel,
        "title_statement": statement,
        "language": "zh-CN",
        "contributors": [
            {"name": "张三", "role": "著", "nationality": nationality, "original_name": original},
            {"name": "李四", "role": "译"},
        ],
        "publisher": {"name": "出版社", "place": "北京"},
        "date": "2024-05",
        "series": {"title": series, "number": position},
        "volume": {"number": volume, "title": subtitle},
        "original": {"title": original},
        "edition": {"number": 2, "statement": statement},
        "cip": {"number": number, "standard": standard, "notes": [parallel], "subjects": ["甲—乙"]},
    }
    root = write_manuscript(tmp_path_factory.mktemp("cip"), book, CHAPTER)
    out = root / "out.epub"
    try:
        build_epub(root, out)
    except BookHasErrors:
        return
    assert_epubcheck_clean(out)


# Round two: what real pages print that book.yaml could not say, and what import misread.
# The description line of a reprint, as a public catalogue entry copies it from the book's
# CIP data (《中国传统色：故宫里的色彩美学》, 中信出版社 2020.10, reprinted 2021.2; source in
# tests/data/cip/SOURCE.md).
REPRINT_LINE = (
    "中国传统色：故宫里的色彩美学 / 郭浩，李健明著.--北京：中信出版社，2020.10（2021.2重印）"
)
REPRINT_BOOK = {
    "title": "中国传统色",
    "subtitle": "故宫里的色彩美学",
    "contributors": [{"name": "郭浩", "role": "著"}, {"name": "李健明", "role": "著"}],
    "publisher": {"name": "中信出版社", "place": "北京"},
    "date": "2020-10",
    "isbn": "978-7-5217-1605-4",
    "edition": {"number": 1, "date": "2020-10"},
    "printing": {"number": 2, "date": "2021-02"},
}


def description(tmp_path: Path, book: dict) -> str:
    root = write_manuscript(tmp_path / "m", {"language": "zh-CN", **book}, CHAPTER)
    build_epub(root, tmp_path / "m.epub")
    return cip_text(tmp_path / "m.epub").split("\n")[1]


def test_a_reprint_prints_its_date_unless_told_not_to(tmp_path):
    assert printed_form(description(tmp_path / "a", REPRINT_BOOK)) == printed_form(REPRINT_LINE)
    first = {**REPRINT_BOOK, "cip": {"reprint": False}}
    assert description(tmp_path / "b", first).endswith("中信出版社，2020.10")


def test_import_reads_a_reprint_date_as_the_printing_not_a_series():
    result = import_text(
        f"图书在版编目（CIP）数据\n{REPRINT_LINE}\nISBN 978-7-5217-1605-4\n\n前言\n\n正文。\n"
    )
    imported = yaml.safe_load(result.files["book.yaml"])
    assert (imported["date"], imported["printing"]) == ("2020-10", {"number": 2, "date": "2021-02"})
    assert "series" not in imported and imported["subtitle"] == "故宫里的色彩美学"
    assert any("printing.number" in note for _, note in result.report)


# A multi-volume title as a public catalogue copies it from the CIP data: the whole work's
# other title information (第2版) before the volume and its own title (source in SOURCE.md).
VOLUME_BOOK = {
    "title": "UNIX网络编程",
    "subtitle": "第2版",
    "volume": {"number": 2, "label": "第2卷", "title": "进程间通信"},
    "contributors": [{"name": "W. Richard Stevens", "role": "著", "nationality": "美"}],
    "publisher": {"name": "人民邮电出版社", "place": "北京"},
    "date": "2010-07",
    "isbn": "978-7-115-23028-7",
}


def test_the_whole_works_subtitle_prints_before_the_volume(tmp_path):
    line = description(tmp_path, VOLUME_BOOK)
    assert line.startswith("UNIX网络编程：第2版. 第2卷, 进程间通信 / （美）W. Richard Stevens著")


@pytest.mark.parametrize(
    "title, fields",
    [
        (
            "UNIX网络编程：第2版. 第2卷，进程间通信",
            {
                "title": "UNIX网络编程",
                "subtitle": "第2版",
                "volume": {"number": 2, "label": "第2卷", "title": "进程间通信"},
            },
        ),
        # The issue's own form (a made-up title): 卷 and a Roman numeral.
        (
            "某某技术：原书第12版. 卷Ⅱ, 某卷题名",
            {
                "title": "某某技术",
                "subtitle": "原书第12版",
                "volume": {"number": 2, "label": "卷Ⅱ", "title": "某卷题名"},
            },
        ),
    ],
)
def test_import_reads_the_volume_after_the_works_subtitle(title, fields):
    block = (
        f"图书在版编目（CIP）数据\n{title} / 张三著. —北京：某某出版社，2010.7\n\n前言\n\n正文。\n"
    )
    imported = yaml.safe_load(import_text(block).files["book.yaml"])
    assert {key: imported.get(key) for key in fields} == fields


@pytest.mark.parametrize("count, printed", [(3, "甲一，乙二，丙三著"), (4, "甲一等著")])
def test_more_than_three_of_a_role_print_as_the_first_and_deng(tmp_path, count, printed):
    names = ["甲一", "乙二", "丙三", "丁四"][:count]
    book = {**REPRINT_BOOK, "contributors": [{"name": n, "role": "著"} for n in names]}
    book.pop("printing")
    root = write_manuscript(
        tmp_path / "m",
        {"language": "zh-CN", **book, "cip": {"subjects": ["色彩"], "number": "2020-123456"}},
        CHAPTER,
    )
    build_epub(root, tmp_path / "m.epub")
    block = cip_text(tmp_path / "m.epub")
    assert f"/ {printed}" in block
    retrieval = block.split("\n")[3]
    assert retrieval.count("…") == 1 + (count if count <= 3 else 1)


def test_a_first_author_with_others_unnamed_prints_with_deng(tmp_path):
    book = {**REPRINT_BOOK, "contributors": [{"name": "李四", "role": "著", "et_al": True}]}
    assert "/ 李四等著" in description(tmp_path, book)


def test_import_reads_a_year_without_a_month():
    """No real block with a year alone turned up in the stored material: a constructed one."""
    block = "图书在版编目（CIP）数据\n某书 / 张三著. —北京：某某出版社，2018\nISBN 978-7-5217-1605-4\n\n前言\n\n正文。\n"
    imported = yaml.safe_load(import_text(block).files["book.yaml"])
    assert (imported["title"], imported["date"], imported["publisher"]["name"]) == (
        "某书",
        "2018",
        "某某出版社",
    )


def test_a_heading_glued_to_the_cip_number_starts_the_book():
    printed = (DATA / "ceph-2016.txt").read_text("utf-8").rstrip("\n")
    result = import_text(f"{printed}前言\n\n前言的正文。\n")
    assert list(result.files) == ["book.yaml", "preface.md"]
    preface = result.files["preface.md"]
    assert "CIP" not in preface and "前言的正文。" in preface
