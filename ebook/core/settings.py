"""The book's settings (book.yaml's `options:`, `notes:` and `accessibility:`), each declared
once.

A setting holds its type, allowed values or range, default and documentation. The loader
validates and defaults from here, `model.Options` takes its defaults from here, the cache key
takes the settings that shape a chapter's rendering from here, and the README's settings
table and `ebook init`'s book.yaml are written from here (a test keeps the README in step).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    section: str  # "options", "notes", "citations" or "accessibility"
    name: str  # the key in book.yaml
    field: str  # the attribute of model.Options
    kind: type  # int, str or bool
    default: Any
    doc: str  # one line for the README
    doc_zh: str  # one line for `ebook init`'s commented book.yaml
    choices: tuple[str, ...] = ()
    bounds: tuple[int, int] | None = None
    path: bool = False  # a file inside the manuscript folder
    shapes_chapters: bool = False  # changes each chapter's XHTML: part of its cache key

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "options",
        "toc_depth",
        "toc_depth",
        int,
        3,
        "levels of headings in the contents",
        "目录层级 / levels of headings in the contents",
        bounds=(1, 6),
    ),
    Setting(
        "options",
        "note_markers",
        "note_markers",
        str,
        "circled",
        "note markers: `circled` ①②③ or `numeric` 1 2 3",
        "注码：circled ①②③ 或 numeric 1 2 3",
        choices=("circled", "numeric"),
        shapes_chapters=True,
    ),
    Setting(
        "options",
        "stylesheet",
        "stylesheet",
        str,
        None,
        "your own CSS file instead of `styles/ebook.css`",
        "自定样式表 / your own CSS instead of the default",
        path=True,
    ),
    Setting(
        "options",
        "cover",
        "cover",
        str,
        None,
        "the cover image (JPEG, PNG, GIF, WebP or SVG)",
        "封面图片 / cover image, e.g. images/cover.jpg",
        path=True,
    ),
    Setting(
        "options",
        "output_name",
        "output_name",
        str,
        None,
        "file name of the EPUB in `dist/` (default: the ISBN); a name, not a path",
        "EPUB 文件名 / file name of the EPUB (default: the ISBN)",
    ),
    Setting(
        "options",
        "revision_history",
        "revision_history",
        str,
        "back",
        "where the 修订说明 page stands: `back` or `front`",
        "修订说明的位置 / where the revision page stands: back or front",
        choices=("back", "front"),
    ),
    Setting(
        "options",
        "numbering",
        "numbering",
        str,
        "chapter",
        "figures, tables, equations and listings numbered `chapter` by chapter (图1-2) or"
        " through the `book` (图12)",
        "图表公式编号：chapter 按章（图1-2）或 book 全书连续（图12）",
        choices=("chapter", "book"),
    ),
    Setting(
        "options",
        "number_separator",
        "number_separator",
        str,
        "auto",
        "between a chapter's number and the item's: `-` (图1-2), `.` (Figure 1.2) or `auto`"
        " (`-` in Chinese, `.` otherwise)",
        "章号与序号之间：- （图1-2）、. （图1.2）或 auto（中文用 -）",
        choices=("auto", "-", "."),
    ),
    Setting(
        "options",
        "list_of_figures",
        "list_of_figures",
        bool,
        False,
        "a 图目录 page listing every numbered figure, after the contents",
        "图目录 / a list of figures after the contents",
    ),
    Setting(
        "options",
        "list_of_tables",
        "list_of_tables",
        bool,
        False,
        "a 表目录 page listing every numbered table, after the contents",
        "表目录 / a list of tables after the contents",
    ),
    Setting(
        "options",
        "index_terms",
        "index_terms",
        str,
        None,
        "a file of index terms, one per line (`治理!政府治理` for a sub-entry): each is marked"
        " for the 索引 where a paragraph first has it",
        "索引词表文件：每行一词（子条目写作 治理!政府治理），自动在正文中标记",
        path=True,
    ),
    Setting(
        "options",
        "index_order",
        "index_order",
        str,
        "pinyin",
        "the 索引's order: `pinyin` (grouped A, B, …) or `strokes` (grouped 一画, 二画, …)",
        "索引排序：pinyin 按拼音 或 strokes 按笔画",
        choices=("pinyin", "strokes"),
    ),
    Setting(
        "citations",
        "style",
        "citation_style",
        str,
        "numeric",
        "how `[@key]` is cited (GB/T 7714-2015): `numeric` ([1], 顺序编码制), `author-date`"
        " (（张三，2017）, 著者-出版年制) or `notes` (a footnote with the entry, 注释体)",
        "引文著录：numeric 顺序编码制 [1]、author-date 著者-出版年制（张三，2017）或 notes 脚注",
        choices=("numeric", "author-date", "notes"),
        shapes_chapters=True,
    ),
    Setting(
        "citations",
        "repeat",
        "citation_repeat",
        str,
        "same",
        "in `notes`, a work cited again in the chapter: `same` (同②: 12, as the standard"
        " shows), `ibid` (同上 after a note of the same work), `short` (author. title: page)"
        " or `full`",
        "注释体中再次引用：same 同②、ibid 同上、short 简略著录 或 full 完整著录",
        choices=("same", "ibid", "short", "full"),
    ),
    Setting(
        "citations",
        "per_chapter",
        "citations_per_chapter",
        bool,
        False,
        "a 参考文献 list at the end of each chapter, numbered in the chapter (textbooks)",
        "每章末列出本章参考文献（教材常用）",
    ),
    Setting(
        "notes",
        "placement",
        "note_placement",
        str,
        "chapter-end",
        "`chapter-end` or `book-end` (all notes in one notes file at the back)",
        "chapter-end 章末 或 book-end 书末集中 / at each chapter's end or all at the back",
        choices=("chapter-end", "book-end"),
        shapes_chapters=True,
    ),
    Setting(
        "notes",
        "compat",
        "note_compat",
        str,
        "none",
        '`none` or `duokan` (adds Duokan\'s popup markup, see "Popup notes in readers")',
        "none 或 duokan：加多看弹注标记（多看、微信读书、掌阅）/ add Duokan popup markup",
        choices=("none", "duokan"),
        shapes_chapters=True,
    ),
    Setting(
        "accessibility",
        "certified_by",
        "certified_by",
        str,
        None,
        "who evaluated the book's accessibility (`a11y:certifiedBy`, written with the"
        " conformance claim)",
        "无障碍评估方 / who evaluated the accessibility, e.g. 出版社名称",
    ),
)

DEFAULTS: dict[str, Any] = {s.field: s.default for s in SETTINGS}
SECTIONS = {
    "notes": "注释 / notes",
    "options": "选项 / options",
    "accessibility": "无障碍 / accessibility",
    "citations": "引文 / citations",
}


def schema(section: str) -> dict[str, type]:
    """The keys of one section of book.yaml and their types, for the loader's type check."""
    return {s.name: s.kind for s in SETTINGS if s.section == section}


def readme_table() -> str:
    """The README's settings table."""
    rows = ["| setting | values | default | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        if s.choices:
            values = ", ".join(f"`{c}`" for c in s.choices)
        elif s.kind is bool:
            values = "`true`, `false`"
        elif s.bounds:
            values = f"{s.bounds[0]}–{s.bounds[1]}"
        else:
            values = "a file in the manuscript folder" if s.path else "text"
        default = "—" if s.default is None else f"`{yaml_value(s.default)}`"
        rows.append(f"| `{s.key}` | {values} | {default} | {s.doc} |")
    return "\n".join(rows)


def yaml_value(value: Any) -> str:
    """A default as book.yaml writes it."""
    return str(value).lower() if isinstance(value, bool) else str(value)
