"""Messages in the author's language: every message of the tool in English and Chinese."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from i18n_extract import message_ids
from test_checks import CASES

from conftest import REPO, write_manuscript
from ebook.build import check_manuscript
from ebook.cli import main
from ebook.core import i18n

PO = REPO / "ebook" / "locale" / "zh_CN" / "LC_MESSAGES" / "ebook.po"
FIELD = re.compile(r"\{[^{}]*\}")


@pytest.fixture(scope="module")
def catalogue():
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def test_every_message_of_the_tool_has_its_chinese(catalogue):
    singles, plurals, untranslatable = message_ids()
    assert untranslatable == [], "f-strings where a template must be: " + ", ".join(untranslatable)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue if m.id}
    missing = sorted(m for m in singles | {s for s, _ in plurals} if m not in translated)
    assert missing == []
    for text in singles:
        chinese = translated[text].string
        assert chinese and chinese != text or not re.search(r"[a-z]{3}", text), text
        # The same {fields} (and literal braces) in both languages.
        assert sorted(FIELD.findall(chinese)) == sorted(FIELD.findall(text)), text
    stale = sorted(set(translated) - singles - {s for s, _ in plurals})
    assert stale == [], "translations of messages the tool no longer has"


@pytest.mark.parametrize("name", ["ebook", "click"])
def test_the_compiled_catalogue_says_what_the_po_file_says(name):
    """The .mo the tool reads (standard gettext) holds every entry of the .po, unchanged: the
    tool's catalogue, and the one of Click's own words."""
    import gettext

    from babel.messages.pofile import read_po

    po = PO.with_name(f"{name}.po")
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            if compiled.ngettext(singular, plural, 1) != message.string[0]:
                stale.append(singular)
        elif compiled.gettext(message.id) != message.string:
            stale.append(message.id)
    assert stale == [], f"recompile {name}.mo from {name}.po (babel's write_mo): {stale[:3]!r}"


@pytest.mark.parametrize(
    ("code", "book", "files", "where", "needle"),
    CASES,
    ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)],
)
def test_each_finding_speaks_chinese(tmp_path, catalogue, code, book, files, where, needle):
    root = write_manuscript(tmp_path / "m", book, files)
    try:
        findings = list(check_manuscript(root).findings)
    except Exception as exc:  # noqa: BLE001 — a load-stopping error carries the same data
        findings = [exc.diagnostic]
    i18n.set_language("zh")
    for finding in findings:
        assert (finding.template or finding.message) in catalogue, finding.message
        if finding.hint:
            assert (finding.hint_template or finding.hint) in catalogue, finding.hint
        text = finding.format()
        assert "错误" in text or "警告" in text


def test_language_from_the_option_or_the_locale(tmp_path, monkeypatch):
    root = write_manuscript(
        tmp_path / "m",
        "title: 书\nlanguage: zh-CN\ncontributors: [{name: 张三, role: 著}]\n"
        "publisher: {name: 社}\ndate: 2024-05\n",
        {"ch.md": "# 一\n\n中文,中文。\n"},
    )
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    english = CliRunner().invoke(main, ["check", str(root)])
    assert "warning T001 half-width ',' between Chinese characters" in english.output
    assert english.output.rstrip().endswith("0 errors, 1 warning")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    chinese = CliRunner().invoke(main, ["check", str(root)])
    assert "警告 T001 汉字之间用了半角的“,”" in chinese.output
    assert "提示：请用全角的“，”" in chinese.output  # the colon of Chinese text
    assert chinese.output.rstrip().endswith("0 个错误，1 个警告")
    forced = CliRunner().invoke(main, ["--lang", "en", "check", str(root)])
    assert "warning T001" in forced.output
    # Codes and JSON keys are the same in both languages.
    rows = CliRunner().invoke(main, ["--lang", "zh", "check", "--format", "json", str(root)])
    assert '"code": "T001"' in rows.output and '"message": "汉字之间用了半角的“,”"' in rows.output


def test_explain_and_reports_in_chinese(tmp_path):
    explained = CliRunner().invoke(main, ["--lang", "zh", "check", "--explain", "N001"])
    assert explained.output.startswith("N001 (错误): 没有定义的注释引用")
    imported = CliRunner().invoke(
        main,
        [
            "--lang",
            "zh",
            "import",
            str(REPO / "tests" / "data" / "seed.txt"),
            "-o",
            str(tmp_path / "m"),
        ],
    )
    assert "导入报告：11 处决定待核" in imported.output
    assert "已采用目录的写法——请核对纸书" in imported.output
    built = CliRunner().invoke(
        main, ["--lang", "zh", "build", str(tmp_path / "m"), "-o", str(tmp_path / "b.epub")]
    )
    assert "3 章，14 条注释（15 处引用）" in built.output


def test_the_command_line_speaks_chinese_with_click_too(tmp_path, monkeypatch):
    """Click's own words (usage, errors, --help's headings) and every help text the commands
    declare, in Chinese under --lang zh; English otherwise."""
    import gettext

    from click.testing import CliRunner

    from ebook.cli import main

    wrong = CliRunner().invoke(main, ["--lang", "zh", "check", "--bogus"])
    assert wrong.exit_code == 2
    assert "用法：" in wrong.output and "错误：没有选项 '--bogus'。" in wrong.output
    helped = CliRunner().invoke(main, ["--lang", "zh", "build", "--help"]).output
    assert "检查书稿 MANUSCRIPT 并生成 EPUB。" in helped and "显示本帮助并退出。" in helped
    assert "Show this message" not in helped and "Check MANUSCRIPT" not in helped
    monkeypatch.setenv("LANGUAGE", "zh_CN")  # as during a run with --lang zh
    assert gettext.dgettext("click", "Aborted!") == "已中止。"  # Ctrl-C at a prompt
    monkeypatch.setenv("LANGUAGE", "en")
    english = CliRunner().invoke(main, ["--lang", "en", "check", "--bogus"])
    assert "Usage:" in english.output and "Error: No such option" in english.output
