"""A bibliography's entries as the book holds them, whatever file they came from (CSL-JSON,
BibTeX, RIS: load/bibliography.py), and the citations a chapter makes of them.

Each entry carries its GB/T 7714-2015 document type (the code printed in brackets: M, J, …)
and its language, which decide how it is written (core/gbt7714.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# The files a bibliography may be, by their ending.
FORMATS = {".json": "CSL-JSON", ".bib": "BibTeX", ".ris": "RIS"}

# GB/T 7714-2015, annex B: the document type codes.
TYPE_CODES = ("M", "C", "N", "J", "D", "R", "S", "P", "DB", "CP", "EB", "A", "CM", "DS", "Z")

# CSL types (what Zotero and most managers export) -> (type code, is a part of a whole).
# A chapter is printed with its book's code and `//` before the book (析出文献).
CSL_TYPES: dict[str, tuple[str, bool]] = {
    "book": ("M", False),
    "classic": ("M", False),
    "collection": ("M", False),
    "chapter": ("M", True),
    "entry": ("M", True),
    "entry-dictionary": ("M", True),
    "entry-encyclopedia": ("M", True),
    "paper-conference": ("C", True),
    "article-journal": ("J", False),
    "article-magazine": ("J", False),
    "article": ("J", False),
    "periodical": ("J", False),
    "article-newspaper": ("N", False),
    "thesis": ("D", False),
    "report": ("R", False),
    "standard": ("S", False),
    "patent": ("P", False),
    "legislation": ("A", False),
    "regulation": ("A", False),
    "webpage": ("EB", False),
    "post": ("EB", False),
    "post-weblog": ("EB", False),
    "dataset": ("DS", False),
    "software": ("CP", False),
    "map": ("CM", False),
}

# A whole conference proceedings has no CSL type of its own (Zotero exports it as a book).
_PROCEEDINGS = re.compile(r"论文集|会议录|会议文集|proceedings", re.I)

_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile("[\u3040-\u30ff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


@dataclass(frozen=True)
class Name:
    """A person (family, given: `陈`, `登原`; `Peebles`, `P. Z.`, suffix `Jr.`) or a body
    written as it is (`literal`: 中国图书馆学会)."""

    family: str = ""
    given: str = ""
    literal: str = ""
    particle: str = ""  # "von", "van der"
    suffix: str = ""  # "Jr."


@dataclass(frozen=True)
class Reference:
    key: str
    code: str  # GB/T 7714 type code: M, C, J, N, D, R, S, P, EB, A, …
    part: bool  # a contribution to a whole (析出文献): a chapter, a conference paper
    language: str  # "zh", "ja", "en", "ru", …; "" when neither the file nor the title tells
    title: str
    path: Path
    line: int
    authors: tuple[Name, ...] = ()
    editors: tuple[Name, ...] = ()  # of the whole a part stands in (or of the work)
    translators: tuple[Name, ...] = ()
    container_authors: tuple[Name, ...] = ()  # the author of the book a chapter is part of
    container_title: str = ""  # the book, proceedings, journal or newspaper
    edition: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    number: str = ""  # a standard's, patent's or document's number
    publisher: str = ""
    place: str = ""
    issued: str = ""  # "2012", "2013-01-12", "1865(清同治四年)"
    accessed: str = ""  # 引用日期: "2013-03-20"
    url: str = ""
    doi: str = ""
    isbn: str = ""
    issn: str = ""
    # Where each field stands in the file, for the checks' findings: field -> line.
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def online(self) -> bool:
        """Read online (载体标识 OL): it has an address."""
        return bool(self.url)

    @property
    def year(self) -> str:
        found = re.match(r"\d{4}", self.issued)
        return found.group(0) if found else self.issued


@dataclass(frozen=True)
class Cited:
    """One entry a citation names: `@key`, with what the brackets add to it."""

    key: str
    locator: str = ""  # "29", "326-329", or what was written after the comma ("第3章")
    prefix: str = ""  # text before the `@` inside the brackets ("见")
    suppress_author: bool = False  # `[-@key]`


@dataclass(frozen=True)
class Citation:
    """A citation in a chapter: `[@a, 第12页; @b]` (bracketed) or `@a` in the running text
    (narrative), with where it stands."""

    cited: tuple[Cited, ...]
    narrative: bool
    line: int
    column: int


def code_of(csl_type: str, title: str, has_container: bool) -> tuple[str, bool]:
    """The GB/T 7714 type code and part-ness of a CSL type; a book titled as proceedings is
    论文集 [C]; a conference paper without its proceedings is the proceedings itself."""
    code, part = CSL_TYPES.get(csl_type, ("Z", False))
    if code == "M" and not part and _PROCEEDINGS.search(title):
        code = "C"
    if csl_type == "paper-conference" and not has_container:
        part = False
    return code, part


def language_of(declared: str, title: str) -> str:
    """The entry's language: what the file declares (`zh-CN`, `chinese`, `en`), else what its
    title is written in; "" when neither tells."""
    tag = declared.strip().lower().replace("_", "-")
    named = {"chinese": "zh", "english": "en", "japanese": "ja", "russian": "ru"}
    if tag:
        tag = named.get(tag, tag)
        return {"中文": "zh", "英文": "en", "日文": "ja", "俄文": "ru"}.get(tag, tag.split("-")[0])
    if _KANA.search(title):
        return "ja"
    if _CJK.search(title):
        return "zh"
    if _CYRILLIC.search(title):
        return "ru"
    if _LATIN.search(title):
        return "en"
    return ""


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def date_of(year: object, month: object = None, day: object = None) -> str:
    written = [str(year).strip()]
    for part in (month, day):
        if part in (None, ""):
            break
        written.append(f"{int(part):02d}" if str(part).strip().isdigit() else str(part))
    return "-".join(written)
