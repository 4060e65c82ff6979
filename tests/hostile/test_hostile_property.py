"""The promise as a property over whole manuscripts: either `check` reports an error, or the
build passes EPUBCheck with no error or warning and holds every paragraph's text."""

from __future__ import annotations

import re
import unicodedata
import zipfile

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import BASE_YAML, assert_epubcheck_clean, write_manuscript
from ebook.build import build_epub, check_manuscript
from test_fixture_books import png

# Words the package, nav and XHTML use for their own ids and file names, and ones like them.
TAKEN = (
    "publisher title subtitle creator1 contributor1 print-isbn clc1 css ncx landmarks "
    "cover-image note-icon img-1 id ch01 ch01-fn-a notes-ch01 x-fn-n alias-x c01 c02".split()
)
RESERVED = "nav toc cover titlepage copyright notes revisions NAV".split()
IDS = st.sampled_from(TAKEN * 3 + RESERVED)
KINDS = st.sampled_from(["chapter", "preface", "appendix", "part", "foreword"])
BENIGN = [
    "", "*强调*", "**粗**", "`code`", "<b>粗</b>", "<div>块</div>", "<span>", "</div>",
    "[链接](c01.md)", "[外](https://example.org)", "![图](images/p.png)", "![矢](images/s.svg)",
    "[^n]", "[^m]", "<", "&", "{#dup}", "<名>", "<q>引</q>",
    # Raw HTML attributes EPUBCheck rejects as written: mended, with a warning (H001).
    '<span id="a b">空</span>', '<span lang="en_US">x</span>', '<span role="bogus">r</span>',
    '<a href="http://exa mple.com/">网</a>', '<time datetime="x">t</time>', "<bdo>b</bdo>",
    '<img src="images/p.png" alt="图" width="abc"/>', '<span aria-hidden="maybe">h</span>',
]  # fmt: skip
HOSTILE = [
    "[坏](data:text/plain,x)", "[脚本](&#106;avascript:x)", "![](images/p.png)",
    "![假](images/fake.png)", "![坏矢](images/bad.svg)", "[^gone]", "\x01", "\ufffe",
    "<script>x</script>", "*甲**乙*`码`",
]  # fmt: skip
# Mostly what a book may hold (a hostile atom in about one paragraph in fifteen), so that
# many examples build and face EPUBCheck.
NOISE = st.sampled_from(BENIGN * 20 + HOSTILE)
WORD = st.text(alphabet="甲乙丙丁戊己庚辛壬癸天地玄黄宇宙洪荒", min_size=2, max_size=6)


@st.composite
def paragraph(draw, n: int) -> tuple[str, str]:
    """(markdown, the plain text it must keep): a sentinel with noise around it."""
    sentinel = f"段{n}{draw(WORD)}"
    # Nesting past the limit (S006) in about one paragraph in thirty: a manuscript holds some
    # ten, and most manuscripts must still be able to build (MIN_BUILT).
    prefix = draw(
        st.sampled_from(
            [""] * 45 + ["> ", "- ", "1. ", "## ", "### ", "#### ", "> " * 20] * 2 + ["> " * 70]
        )
    )
    nested = draw(st.sampled_from([""] * 59 + ["<div>" * 70]))
    text = f"{draw(NOISE)}{sentinel}{draw(NOISE)}。"
    if nested:
        text = nested + text + "</div>" * 70
    return prefix + text, sentinel


@st.composite
def chapter(draw, index: int) -> tuple[str, str, list[str]]:
    paragraphs = draw(st.lists(paragraph(index), min_size=1, max_size=6))
    front = ""
    if draw(st.booleans()):
        front = f"---\nid: {draw(IDS)}\nkind: {draw(KINDS)}\n---\n\n"
    notes = draw(
        st.sampled_from(
            ["\n[^n]: 一条完整的注释文字。\n\n[^m]: 第二条完整的注释。\n"] * 6
            + ["", "\n[^n]: 一条完整的注释文字。\n\n[^m]: 另一条注释，见[^n]。\n"]
        )
    )
    body = f"# 第{index}篇\n\n" + "\n\n".join(p for p, _ in paragraphs) + "\n" + notes
    return f"c{index:02}.md", front + body, [s for _, s in paragraphs]


MANUSCRIPTS = st.integers(1, 4).flatmap(
    lambda count: st.tuples(*[chapter(i + 1) for i in range(count)])
)
MEDIA = {
    "images/p.png": png(),
    "images/fake.png": b"not an image",
    "images/s.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>',
    "images/bad.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
}


def epub_text(path) -> str:
    with zipfile.ZipFile(path) as archive:
        texts = [
            "".join(etree.fromstring(archive.read(name)).itertext())
            for name in archive.namelist()
            if name.endswith(".xhtml")
        ]
    return normalised(" ".join(texts))


def normalised(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


# Of the manuscripts drawn, at least this share must build (the rest are refused by an
# error): a property that refuses everything would prove nothing.
MIN_BUILT = 0.25


@pytest.mark.slow
def test_clean_check_means_valid_and_complete_epub(tmp_path_factory):
    outcomes: list[str] = []

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(chapters=MANUSCRIPTS)
    def prop(chapters):
        outcomes.append(_built_or_refused(tmp_path_factory, chapters))

    prop()
    built = outcomes.count("built")
    assert built >= MIN_BUILT * len(outcomes), f"only {built} of {len(outcomes)} built"


def _built_or_refused(tmp_path_factory, chapters) -> str:
    files = {name: text for name, text, _ in chapters} | MEDIA
    root = write_manuscript(tmp_path_factory.mktemp("prop"), BASE_YAML, files)
    checked = check_manuscript(root)
    out = tmp_path_factory.mktemp("out") / "book.epub"
    if checked.errors:
        event(
            "refused: "
            + " ".join(sorted({f.code for f in checked.findings if f.severity == "error"}))
        )
        with pytest.raises(Exception) as refused:
            build_epub(root, out)
        assert type(refused.value).__name__ == "BookHasErrors"
        assert not out.exists()
        return "refused"
    build_epub(root, out)
    event("built")
    assert_epubcheck_clean(out)
    text = epub_text(out)
    for _, _, sentinels in chapters:
        for sentinel in sentinels:
            assert normalised(sentinel) in text, sentinel
    return "built"
