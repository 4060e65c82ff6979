"""Every key of book.yaml, declared once: its type, whether it is required, its nested keys,
what it means (for the README) and how `ebook init` writes it.

The loader's schema (which keys exist, of which type, which are required, which keys a
contributor or a revision takes), the README's book.yaml table and `ebook init`'s book.yaml
are all derived from here (tests/test_settings.py keeps the README and the template in step).
The settings sections (`options:`, `notes:`, `accessibility:`) are declared in settings.py,
with their values and defaults, and joined in here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from .settings import SECTIONS, SETTINGS, yaml_value


@dataclass(frozen=True)
class Key:
    name: str
    kind: type  # str, int, list, or dict (a mapping of `keys`)
    doc: str  # the README's meaning (Markdown)
    doc_zh: str  # the comment `ebook init` writes beside it
    required: bool = False
    keys: tuple[Key, ...] = ()  # a mapping's keys, or the keys of each item of a list
    example: str = ""  # what `ebook init` writes as its value ({title}, … filled in)
    commented: bool = False  # `ebook init` shows it as a comment (rarely needed)


def _text(name: str, doc_zh: str, example: str = "", commented: bool = False) -> Key:
    """A key of a mapping, documented by its parent."""
    return Key(name, str, "", doc_zh, example=example, commented=commented)


BOOK_KEYS: tuple[Key, ...] = (
    Key("title", str, "the title", "书名 / title", required=True, example="{title}"),
    Key("subtitle", str, "subtitle (other title information)", "副书名 / subtitle"),
    Key(
        "parallel_title",
        str,
        "the title in another language (并列书名, printed after ` = `)",
        "并列书名 / the title in another language, printed after ' = '",
        commented=True,
    ),
    Key(
        "title_statement",
        str,
        "words about the title printed after it (`英文`, `汉英对照`)",
        "书名说明文字 / words about the title, e.g. 英文, 汉英对照",
        commented=True,
    ),
    Key(
        "file_as", str, "sort key of the title (e.g. its romanization)", "书名排序用形式（如拼音）"
    ),
    Key(
        "language",
        str,
        "BCP 47 tag, e.g. `zh-CN`",
        "语种（BCP 47）/ language tag: zh-CN, zh-TW, en …",
        required=True,
        example="{language}",
    ),
    Key(
        "uid",
        str,
        "the unique identifier when there is no e-ISBN; by default a `urn:uuid` derived from"
        " the print ISBN (else from title and authors), so it stays the same from build to build",
        "唯一标识，勿改 / unique identifier, keep it from edition to edition",
        example="{uid}",
    ),
    Key(
        "contributors",
        list,
        "the people responsible; a foreign author prints as `（英）利兹·赖斯（Liz Rice）`. `role`"
        " is the term the book prints or a MARC relator code: 著/编著 → `aut`, 主编 → `edt`,"
        " 编 → `com`, 译 → `trl`, 责任编辑 → `edt`, 美术编辑 → `bkd`, 封面设计 → `cov`,"
        " 责任校对 → `pfr`, 序 → `aui`, … Authors, editors-in-chief and translators make the"
        " statement of responsibility (authors and editors are `dc:creator`s; translators and"
        " the rest `dc:contributor`s). More than three of one role print as the first and 等"
        " (`张三等著`); `et_al: true` on a contributor says the data names only the first",
        "责任者 / contributors: role 著 编著 主编 编 译 责任编辑 … or aut, edt, trl …",
        required=True,
        keys=(
            *(_text(n, "") for n in ("name", "role", "file_as", "nationality", "original_name")),
            Key("et_al", bool, "", ""),
        ),
        # A second item, commented: a foreign author as the CIP data names them.
        example="\n  - {{name: {author}, role: 著}}"
        "\n  # - {{name: 利兹·赖斯, role: 著, nationality: 英, original_name: Liz Rice}}",
    ),
    Key(
        "publisher",
        dict,
        "the publisher",
        "出版者 / publisher",
        required=True,
        keys=(
            _text("name", "名称 / name", "出版社名称"),
            _text("place", "出版地 / place, e.g. 北京"),
            _text("address", "社址 / address"),
        ),
    ),
    Key(
        "date",
        str,
        "publication date, a W3C date such as `2017-02`",
        "出版日期 / publication date (YYYY-MM)",
        required=True,
        example="{date}",
    ),
    Key("isbn", str, "the print ISBN; goes to `dc:source`", "纸书 ISBN / print ISBN, 978-7-…"),
    Key(
        "eisbn",
        str,
        "the e-book's own ISBN; when given it is the unique identifier",
        "电子书 ISBN（如有）/ the e-book's own ISBN, if any",
    ),
    Key(
        "description",
        str,
        "内容简介, what stores and library tools show first: `dc:description`",
        "内容简介 / description, shown by stores and library tools",
        commented=True,
    ),
    Key(
        "keywords",
        list,
        "keywords a reader may search for, each a `dc:subject` (after the CIP subject headings)",
        "关键词 / keywords, e.g. [数字政府, 电子政务]",
        commented=True,
    ),
    Key(
        "bibliography",
        list,
        "the reference manager's export the citations `[@key]` name: CSL-JSON (`.json`), BibTeX"
        " or BibLaTeX (`.bib`) or RIS (`.ris`) files in the manuscript folder (one name or a"
        " list); see Citations",
        "参考文献数据文件 / CSL-JSON, BibTeX or RIS export, e.g. 参考文献.bib",
        commented=True,
    ),
    Key(
        "series",
        dict,
        "丛书项; also `belongs-to-collection` (type `series`, `group-position`, the ISSN) and a"
        " `dc:title` of type `collection`",
        "丛书项 / series",
        keys=(
            _text("title", "丛书名"),
            _text("parallel_title", "并列丛书名"),
            _text("editor", "丛书主编, e.g. 张三主编"),
            _text("issn", "ISSN"),
            _text("number", "丛书编号 / number in the series"),
        ),
        commented=True,
    ),
    Key(
        "volume",
        dict,
        "one volume of a multi-volume work (`label` defaults to `第N卷`); also"
        " `belongs-to-collection` of type `set`",
        "多卷书 / one volume of a set",
        keys=(
            Key("number", int, "", "卷次"),
            _text("label", "e.g. 第1卷"),
            _text("title", "分册名"),
            _text("set_isbn", "全套 ISBN"),
        ),
        commented=True,
    ),
    Key(
        "original",
        dict,
        "the work a translation is made from: printed as 书名原文 (2001 and transitional"
        " layouts), recorded as `schema:translationOfWork` with its `xml:lang`",
        "原书 / the work a translation is made from",
        keys=(_text("title", "原书名, e.g. Learning eBPF"), _text("language", "e.g. en")),
        commented=True,
    ),
    Key(
        "cip",
        dict,
        "图书在版编目（CIP）数据: `subjects` (主题词), `classifications` (中图法 numbers, written"
        " `D63-39`; printed `D63—39` in the 2001 layout), `number` (CIP 数据核字: `2017-035467`"
        " for （2017）第 035467 号, `2024AB1234` for the GB/T 12451-2023 form), `standard` (the"
        " layout: `2001`, `transitional`, `2023`; by default the 2023 form of the number gives"
        " `2023`, an older form from 2023 on `transitional`, else `2001`), `notes` (附注项),"
        " `single_points` (`circled`/`plain`: whether a one-item retrieval section is numbered"
        " ①, when the CIP data differs from its layout's habit), `class_dash` (`-` when the"
        " page prints K103-49 where its layout prints a dash), `reprint` (`false`: the block of"
        " a later printing leaves out its date, `2023.1（2023.5重印）`)",
        "图书在版编目（CIP）数据 / CIP data",
        keys=(
            Key(
                "subjects",
                list,
                "",
                "主题词 / subject headings, e.g. [电子政务—研究—中国]",
                example="[]",
            ),
            Key(
                "classifications",
                list,
                "",
                "中图法分类号 / CLC numbers, e.g. [D630.1]",
                example="[]",
            ),
            _text("number", "CIP 数据核字号 / approval number: 2017-035467 or 2024AB1234"),
            _text("standard", "版式 / layout: 2001, transitional, 2023", commented=True),
            Key("notes", list, "", "附注项 / notes printed in the block", commented=True),
            _text("single_points", "单项检索点不加圈码: plain", commented=True),
            _text("class_dash", "分类号复分号印作 - 而非 —", commented=True),
            Key(
                "reprint", bool, "", "重印本是否印重印日期 / print the reprint date", commented=True
            ),
        ),
    ),
    Key(
        "colophon",
        dict,
        "版本记录: `format` is 开本, `sheets` 印张, `characters` 字数",
        "版本记录 / colophon",
        keys=(
            _text("title_romanized", "书名拼音 / romanized title"),
            _text("format", "开本 / format, e.g. 787 毫米×1092 毫米 1/16"),
            _text("sheets", "印张 / printed sheets"),
            Key("characters", int, "", "字数 / character count, e.g. 208000"),
            _text("printer", "印刷 / printer"),
            _text("price", "定价 / price, e.g. 30.00 元"),
            _text("rights", "版权声明 / rights line", "版权所有 翻印必究"),
        ),
    ),
    Key(
        "edition",
        dict,
        "版次; `statement` is 版本项 as printed (`修订本`, `影印本`; default `N版` from the second"
        " edition on), `responsibility` who made this edition (`张三修订`)",
        "版次 / edition",
        keys=(
            Key("number", int, "", "版次", example="1"),
            _text("date", "", "{date}"),
            _text("statement", "版本项, e.g. 修订本", commented=True),
            _text("responsibility", "e.g. 张三修订", commented=True),
        ),
    ),
    Key(
        "printing",
        dict,
        "印次",
        "印次 / printing",
        keys=(Key("number", int, "", "印次", example="1"), _text("date", "", "{date}")),
    ),
    Key(
        "revisions",
        list,
        "the revision history, one entry per new edition; a book with revisions gets a"
        " 修订说明 page",
        "修订记录 / revision history: {{date, edition, summary, changes: […]}}",
        keys=tuple(_text(n, "") for n in ("date", "edition", "summary", "changes")),
        example="[]",
    ),
    Key(
        "accepted",
        list,
        "warnings accepted on purpose, each with the `reason`: `code`, and where (`file`, `line`,"
        " part of the message as `text`; any left out matches any); such a warning is not"
        " reported, and an entry that no longer matches anything is (B019)",
        "接受的警告 / warnings accepted on purpose: {{code: T001, file: ch01.md, reason: …}}",
        keys=tuple(_text(n, "") for n in ("code", "file", "line", "text", "reason")),
        example="[]",
    ),
    Key(
        "chapters",
        list,
        "the order of the files; when absent, the `*.md` files in natural order (`2.md` before"
        " `10.md`)",
        "文件顺序 / order of the files",
        example="\n  - preface.md\n  - ch01.md\n  - ch02.md",
    ),
    *(
        Key(
            section,
            dict,
            f"the settings below (`{section}.…`)",
            title,
            keys=tuple(
                Key(
                    s.name,
                    s.kind,
                    "",
                    s.doc_zh,
                    example="" if s.default is None else yaml_value(s.default),
                )
                for s in SETTINGS
                if s.section == section
            ),
        )
        for section, title in SECTIONS.items()
    ),
)

REQUIRED = tuple(k.name for k in BOOK_KEYS if k.required)
_BY_NAME = {k.name: k for k in BOOK_KEYS}


def item_keys(name: str) -> tuple[str, ...]:
    """The keys a mapping of book.yaml, or each item of a list, may hold."""
    return tuple(k.name for k in _BY_NAME[name].keys)


def schema() -> dict[str, Any]:
    """The loader's schema: key -> type, or for a mapping a dict of its keys."""
    return {
        k.name: {c.name: c.kind for c in k.keys} if k.kind is dict else k.kind for k in BOOK_KEYS
    }


def readme_table() -> str:
    """The README's book.yaml table."""
    rows = ["| key | type | meaning |", "| --- | --- | --- |"]
    for k in BOOK_KEYS:
        kind = {str: "text", int: "number", list: "list", dict: "mapping"}[k.kind]
        if k.keys and k.kind is list:
            kind = "list of `{" + ", ".join(c.name for c in k.keys) + "}`"
        elif k.keys:
            kind = "`{" + ", ".join(c.name for c in k.keys) + "}`"
        required = " (required)" if k.required else ""
        rows.append(f"| `{k.name}` | {kind} | {k.doc}{required} |")
    return "\n".join(rows)


def init_yaml(values: dict[str, str]) -> str:
    """`ebook init`'s book.yaml: every key, with its comment; `values` fill in the title,
    language, uid, author and date."""
    lines = [
        "# book.yaml — 全书信息 / book-level data. `ebook check` explains every problem it finds.",
        "",
    ]
    for key in BOOK_KEYS:
        if key.kind is dict and lines[-1]:
            lines.append("")
        lines += _lines(key, "", key.commented, values)
        if key.kind is dict or key.example.startswith("\n"):
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _lines(key: Key, indent: str, commented: bool, values: dict[str, str]) -> list[str]:
    mark = "# " if commented or key.commented else ""
    example = key.example.format(**values)
    value = f" {example}" if example and not example.startswith("\n") else ""
    lines = [_with_comment(f"{indent}{mark}{key.name}:{value}", key.doc_zh.format(**values))]
    if example.startswith("\n"):  # a block list
        lines += [f"{mark}{line}" for line in example.split("\n")[1:]]
    for child in key.keys if key.kind is dict else ():
        lines += _lines(child, indent + "  ", commented or key.commented, values)
    return lines


def _with_comment(text: str, comment: str) -> str:
    """`text` and its comment in the comment column (wide characters count two)."""
    if not comment:
        return text
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, 31 - width) + f"# {comment}"
