"""The book as data: frozen values that flow from loading to writing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import Diagnostic
from .references import Citation, Reference
from .settings import DEFAULTS

Matter = Literal["front", "body", "back"]
# Where a document stands -> its <body>'s epub:type.
BODY_TYPES = {"front": "frontmatter", "body": "bodymatter", "back": "backmatter"}

# kind -> (where it stands in the book, EPUB structural semantics, DPUB-ARIA role or "").
KINDS: dict[str, tuple[Matter, str, str]] = {
    "dedication": ("front", "dedication", "doc-dedication"),
    "epigraph": ("front", "epigraph", "doc-epigraph"),
    "foreword": ("front", "foreword", "doc-foreword"),
    "preface": ("front", "preface", "doc-preface"),
    "introduction": ("front", "introduction", "doc-introduction"),
    "acknowledgments": ("front", "acknowledgments", "doc-acknowledgments"),
    "prologue": ("body", "prologue", "doc-prologue"),
    "part": ("body", "part", "doc-part"),
    "chapter": ("body", "chapter", "doc-chapter"),
    # A file that continues the chapter before it (mdBook and GitBook nest files so).
    "section": ("body", "subchapter", ""),
    "epilogue": ("body", "epilogue", "doc-epilogue"),
    "conclusion": ("body", "conclusion", "doc-conclusion"),
    "afterword": ("back", "afterword", "doc-afterword"),
    "appendix": ("back", "appendix", "doc-appendix"),
    "bibliography": ("back", "bibliography", "doc-bibliography"),
    "glossary": ("back", "glossary", "doc-glossary"),
    "index": ("back", "index", "doc-index"),
    "colophon": ("back", "colophon", "doc-colophon"),
}


# Image types EPUB 3 core media types allow.
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


def body_digest(body: str) -> str:
    """What a chapter's Markdown is known by in the caches: the SHA-256 (hex) of its text."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def deferred(holder, given, empty):
    """`given`, or when it is None what `holder.reader()` reads (once; kept on the holder): a
    long book's unchanged files and cached parts are read only if something needs them."""
    if given is not None:
        return given
    value = holder.__dict__.get("_deferred")
    if value is None:
        value = holder.reader() if holder.reader is not None else empty
        object.__setattr__(holder, "_deferred", value)  # a cache, not a change of the value
    return value


# A dataclass field that cache records leave out (incremental/records.py): whoever reads the
# record gives it back.
NOT_STORED = {"stored": False}


@dataclass(frozen=True)
class Contributor:
    name: str
    role: str  # MARC relator code, e.g. "aut"
    label: str  # the role as the book prints it, e.g. "著", "责任编辑"
    primary: bool  # named in the statement of responsibility (dc:creator)
    file_as: str | None = None
    # A foreign author as the CIP data names them: （英）利兹·赖斯（Liz Rice）.
    nationality: str = ""
    original_name: str = ""
    # 等: others of the same role share the work whom the data does not name (李四等著).
    et_al: bool = False


@dataclass(frozen=True)
class Publisher:
    name: str
    place: str = ""
    address: str = ""


@dataclass(frozen=True)
class Cip:
    """Chinese CIP data (GB/T 12451): retrieval data, approval number, layout, notes."""

    subjects: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()  # CLC numbers, canonical form "D63-39"
    # Approval number: "2017-035467" for （2017）第035467号, or "2024PR2624" (GB/T 12451-2023).
    number: str = ""
    standard: str = ""  # "2001", "transitional", "2023"; "" = from the approval number
    notes: tuple[str, ...] = ()  # 附注项: 教材, 本书获…资助 ...
    # Whether a retrieval area with one item numbers it (Ⅰ.①互…) or not (Ⅰ.C…), as the CIP
    # centre delivered it; "" = the layout's habit.
    single_points: str = ""
    # How the classification's subdivision prints: "—" (D63—39) or "-" (K103-49); "" = the
    # layout's habit.
    class_dash: str = ""
    # Whether the block of a later printing prints its date, 2023.1（2023.5 重印）: "" = yes
    # for a printing after the first, "no" = as the first printing's block.
    reprint: str = ""


@dataclass(frozen=True)
class Series:
    """丛书项: the series the book belongs to."""

    title: str
    parallel_title: str = ""
    editor: str = ""  # as printed: 张三主编
    issn: str = ""
    number: str = ""  # the book's number in the series, as printed: 5, 第5辑


@dataclass(frozen=True)
class Volume:
    """One volume of a multi-volume work (多卷书)."""

    number: int
    label: str  # as printed: 第1卷, 上册
    title: str = ""
    set_isbn: str = ""  # the ISBN of the whole set


@dataclass(frozen=True)
class Original:
    """The work a translation was made from."""

    title: str
    language: str = ""


@dataclass(frozen=True)
class Impression:
    """An edition (版次) or a printing (印次): its number and date."""

    number: int
    date: str  # W3C date, "2017-02"
    statement: str = ""  # 版本项 as printed: 2版, 修订本, 影印本; "" = "{number}版" after the first
    responsibility: str = ""  # who is responsible for this edition, as printed: 张三修订


@dataclass(frozen=True)
class Colophon:
    """版本记录: the print facts a copyright page lists."""

    title_romanized: str = ""
    format: str = ""
    sheets: str = ""
    characters: int | None = None
    printer: str = ""
    price: str = ""
    rights: str = ""


@dataclass(frozen=True)
class Options:
    """book.yaml's `options:` and `notes:`, loaded; each is declared in settings.py."""

    toc_depth: int = DEFAULTS["toc_depth"]
    note_markers: Literal["circled", "numeric"] = DEFAULTS["note_markers"]
    stylesheet: Path | None = None
    cover: Path | None = None
    output_name: str | None = None
    revision_history: Literal["front", "back"] = DEFAULTS["revision_history"]
    # Where notes stand: at the end of each chapter, or all in one notes file at the back.
    note_placement: Literal["chapter-end", "book-end"] = DEFAULTS["note_placement"]
    # Extra markup for a reader family: "duokan" adds Duokan's popup markup (多看, 微信读书, 掌阅).
    note_compat: Literal["none", "duokan"] = DEFAULTS["note_compat"]
    # Who evaluated the book's accessibility (a11y:certifiedBy).
    certified_by: str | None = None
    # Figures, tables, equations and listings (render/apparatus.py, core/numbering.py).
    numbering: Literal["chapter", "book"] = DEFAULTS["numbering"]
    number_separator: Literal["auto", "-", "."] = DEFAULTS["number_separator"]
    list_of_figures: bool = DEFAULTS["list_of_figures"]
    list_of_tables: bool = DEFAULTS["list_of_tables"]
    index_order: Literal["pinyin", "strokes"] = DEFAULTS["index_order"]
    index_terms: Path | None = None
    # Citations of the bibliography (render/citations.py, core/gbt7714.py).
    citation_style: Literal["numeric", "author-date", "notes"] = DEFAULTS["citation_style"]
    citation_repeat: Literal["same", "ibid", "short", "full"] = DEFAULTS["citation_repeat"]
    citations_per_chapter: bool = DEFAULTS["citations_per_chapter"]


@dataclass(frozen=True)
class Revision:
    """One entry of book.yaml's `revisions:`: what a new edition changed."""

    date: str
    edition: int
    summary: str = ""
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chapter:
    """One manuscript file: front matter read, body kept as Markdown."""

    id: str
    path: Path
    kind: str
    title: str | None
    # The Markdown after the front matter, or None when the loader knew the file unchanged
    # and left it unread: `body` reads it through `reader` when first asked.
    text: str | None = field(compare=False)
    body_line: int  # 1-based line of the file where `body` starts
    # Ids this chapter had in earlier editions; each still resolves, to this chapter.
    aliases: tuple[str, ...] = ()
    front_matter: dict = field(default_factory=dict, compare=False)
    front_matter_lines: dict = field(default_factory=dict, compare=False)
    digest: str = ""  # SHA-256 of `body` (hex), for cache keys
    reader: Callable[[], str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # The digest stands for the text in comparisons (the text itself may be unread): a
        # chapter made without one gets it from its text.
        if not self.digest and self.text is not None:
            object.__setattr__(self, "digest", body_digest(self.text))

    @property
    def body(self) -> str:
        return deferred(self, self.text, "")

    @property
    def matter(self) -> Matter:
        return KINDS[self.kind][0]


@dataclass(frozen=True)
class AcceptedFinding:
    """A warning the publisher accepts in one place (book.yaml `accepted:`), and why: it is not
    reported there, and an entry that matches nothing any more is reported itself."""

    code: str
    reason: str
    file: str = ""  # the file's path inside the manuscript folder; "" any file
    line: int | None = None  # None: any line
    text: str = ""  # part of the finding's message; "" any
    where: tuple[int | None, int | None] = (None, None)  # the entry's line, column in book.yaml


@dataclass(frozen=True)
class Book:
    root: Path
    config_path: Path
    title: str
    language: str
    contributors: tuple[Contributor, ...]
    publisher: Publisher
    date: str
    isbn: str | None
    chapters: tuple[Chapter, ...]
    subtitle: str = ""
    parallel_title: str = ""  # 并列书名, printed after " = "
    title_statement: str = ""  # words about the title printed after it: 英文, 汉英对照
    title_file_as: str | None = None
    eisbn: str | None = None
    description: str = ""  # 内容简介
    keywords: tuple[str, ...] = ()
    uid: str = ""  # the package's unique identifier (see manuscript.load_book)
    cip: Cip = Cip()
    series: Series | None = None
    volume: Volume | None = None
    original: Original | None = None
    colophon: Colophon = Colophon()
    edition: Impression | None = None
    printing: Impression | None = None
    options: Options = Options()
    revisions: tuple[Revision, ...] = ()
    accepted: tuple[AcceptedFinding, ...] = ()
    # The terms of options.index_terms, each with its line in that file: ("治理!政府治理", 3).
    index_terms: tuple[tuple[str, int], ...] = ()
    # The files of `bibliography:` and their entries, in the files' order.
    bibliography: tuple[Path, ...] = ()
    references: tuple[Reference, ...] = ()
    # Findings made while loading that do not stop it (unknown keys...).
    findings: tuple[Diagnostic, ...] = ()
    # Key path in book.yaml -> (line, column), for findings about book-level values.
    config_lines: dict = field(default_factory=dict, compare=False)

    @property
    def primary_contributors(self) -> tuple[Contributor, ...]:
        return tuple(c for c in self.contributors if c.primary)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = chapter title
    id: str
    text: str


@dataclass(frozen=True)
class Label:
    """A figure, table, equation, listing or section a chapter numbers or names (`{#fig:x}`),
    in document order; or an unlabelled figure or table whose caption the author numbered by
    hand (`name` ""), kept to see that the numbers a reader sees run in order."""

    kind: str  # "fig", "tbl", "eq", "lst" or "sec"
    name: str  # "fig:arch" as written; "" for a caption numbered by hand only
    id: str  # its anchor in the chapter's XHTML
    caption: str  # the caption's text without its number (a section: its heading)
    line: int
    column: int
    typed: str = ""  # the number the author typed at the caption's start: "表 1-1"


@dataclass(frozen=True)
class CrossReference:
    """`@fig:arch`, `[@fig:a; @tbl:b]` or `[-@eq:e]` in the text: the labels it names."""

    names: tuple[str, ...]
    line: int
    column: int


@dataclass(frozen=True)
class IndexMark:
    """A term marked for the index (`[互联网+]{.index}`) where it stands in the text."""

    term: tuple[str, ...]  # the entry and its sub-entries: ("治理", "政府治理")
    id: str  # its anchor in the chapter's XHTML
    page: str  # the print page it stands on ("" before any page mark)
    line: int
    column: int
    see: str = ""  # `see="…"`: the term the reader is sent to instead
    see_also: str = ""  # `seealso="…"`
    reading: str = ""  # `sort="chang2 san1 jiao3"`: how the entry reads, for the pinyin order


@dataclass(frozen=True)
class MovedAnchor:
    """An anchor an earlier edition had in another chapter's file, now on a heading of this
    one (`{aliases="ch03-old"}` or `{aliases="ch03.xhtml#old"}` on a section moved here):
    the old file keeps the id, as a link to the heading's new place."""

    file: str  # the XHTML file that had it
    id: str
    target: str  # "file.xhtml#heading-id"
    title: str  # the heading's text, what the reader is shown


@dataclass(frozen=True)
class Link:
    """A link from a chapter to an anchor in the book, kept to verify it resolves."""

    target: str  # XHTML file name
    fragment: str
    written: str  # as the manuscript wrote it
    line: int
    column: int


@dataclass(frozen=True)
class PageBreak:
    """Where a page of the print edition begins (`{page=12}` in the text)."""

    label: str  # the printed page number: "12", or "iv" in front matter
    id: str  # the anchor in the chapter's XHTML
    line: int  # in the chapter's file
    column: int = 1  # of the mark on its line


@dataclass(frozen=True)
class Problem:
    """Something the renderer found wrong in a chapter, at its line in the chapter's file;
    the checks make it a finding (the catalogue gives its severity)."""

    code: str
    message: str  # an English template, filled in from `arguments`
    line: int
    column: int
    hint: str
    arguments: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Repair:
    """Raw HTML the renderer had to mend into valid XHTML, at its line in the chapter's file."""

    line: int
    message: str


@dataclass(frozen=True)
class RenderedChapter:
    # Fields marked NOT_STORED are not in the chapter cache's record: the cache gives them
    # back (the chapter loaded now, its body as an entry of its own, images by their place
    # inside the manuscript folder).
    chapter: Chapter = field(metadata=NOT_STORED)
    file_name: str
    title: str
    # The XHTML document, or None when it stays in the cache until `body` asks `reader`.
    content: bytes | None = field(compare=False, metadata=NOT_STORED)
    headings: tuple[Heading, ...]
    note_count: int
    noteref_count: int
    # (source file, href inside the EPUB)
    images: tuple[tuple[Path, str], ...] = field(metadata=NOT_STORED)
    image_alts_complete: bool
    ids: tuple[str, ...] = ()  # every id in the document, in document order
    # With book-end notes: this chapter's notes (<div class="notes">), moved out of its body.
    endnotes: bytes | None = None
    links: tuple[Link, ...] = ()
    problems: tuple[Problem, ...] = ()
    pages: tuple[PageBreak, ...] = ()
    repairs: tuple[Repair, ...] = ()
    mathml: bool = False  # the body holds MathML (its document needs the mathml property)
    digest: str = ""  # SHA-256 of `body` (hex): what it is known by in the caches
    moved: tuple[MovedAnchor, ...] = ()  # earlier anchors of other files, now headings here
    labels: tuple[Label, ...] = ()
    references: tuple[CrossReference, ...] = ()
    index_marks: tuple[IndexMark, ...] = ()
    citations: tuple[Citation, ...] = ()
    refs_block: bool = False  # holds `::: {#refs}`: the list of references goes there
    # The text has more than headings (an index page without, and with no term marked, is X009).
    own_text: bool = False
    # Whether the book-wide pass wrote a generated index into this document (render/apparatus).
    holds_index: bool = False
    reader: Callable[[], bytes] | None = field(
        default=None, compare=False, repr=False, metadata=NOT_STORED
    )
    # The body compressed for the zip, by the process that rendered it (rendering runs in
    # parallel; packaging would compress every chapter in one process): (CRC-32, size, data).
    packed: tuple[int, int, bytes] | None = field(
        default=None, compare=False, repr=False, metadata=NOT_STORED
    )

    @property
    def body(self) -> bytes:
        return deferred(self, self.content, b"")
