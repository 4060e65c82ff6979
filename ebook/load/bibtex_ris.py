"""BibTeX/BibLaTeX (bibtexparser) and RIS (rispy) files read into References
(load/bibliography.py reads CSL-JSON and dispatches)."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.model import Diagnostic
from ..core.references import Name, Reference, code_of, date_of, language_of
from .reference_checks import unreadable

# BibTeX ----------------------------------------------------------------------------------

_BIB_TYPES: dict[str, tuple[str, bool]] = {
    "article": ("J", False),
    "periodical": ("J", False),
    "book": ("M", False),
    "mvbook": ("M", False),
    "collection": ("M", False),
    "mvcollection": ("M", False),
    "reference": ("M", False),
    "booklet": ("M", False),
    "manual": ("M", False),
    "inbook": ("M", True),
    "incollection": ("M", True),
    "bookinbook": ("M", True),
    "inreference": ("M", True),
    "suppbook": ("M", True),
    "inproceedings": ("C", True),
    "conference": ("C", True),
    "proceedings": ("C", False),
    "mvproceedings": ("C", False),
    "thesis": ("D", False),
    "phdthesis": ("D", False),
    "mastersthesis": ("D", False),
    "report": ("R", False),
    "techreport": ("R", False),
    "standard": ("S", False),
    "patent": ("P", False),
    "newspaper": ("N", False),
    "online": ("EB", False),
    "www": ("EB", False),
    "electronic": ("EB", False),
    "webpage": ("EB", False),
    "dataset": ("DS", False),
    "software": ("CP", False),
    "archive": ("A", False),
}


def bibtex(path: Path, text: str, found: list[Diagnostic]) -> list[Reference]:
    import bibtexparser
    from bibtexparser import middlewares

    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.LatexDecodingMiddleware(),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    for block in library.failed_blocks:
        what = (str(getattr(block, "error", "")).splitlines() or [""])[0] or "a malformed entry"
        found.append(unreadable(path, block.start_line + 1, 1, what))
    return [_from_bibtex(entry, path) for entry in library.entries]


def _from_bibtex(entry, path: Path) -> Reference:
    fields = {f.key.lower(): f.value for f in entry.fields}
    lines = {f.key.lower(): f.start_line + 1 for f in entry.fields}

    def text(*names: str) -> str:
        for name in names:
            value = fields.get(name)
            if isinstance(value, str) and value.strip():
                return re.sub(r"[ \t\r\n]+", " ", value.strip())  # (an em space stays)
        return ""

    kind = entry.entry_type.lower()
    code, part = _BIB_TYPES.get(kind, ("EB" if text("url") else "Z", False))
    if kind == "article" and text("entrysubtype").lower() == "newspaper":
        code = "N"
    if code == "M" and not part:  # a book titled as proceedings is [C]
        code = code_of("book", text("title"), False)[0]
    serial = code in ("J", "N")
    return Reference(
        key=entry.key,
        code=code,
        part=part,
        language=language_of(text("langid", "language"), text("title")),
        title=text("title"),
        path=path,
        line=entry.start_line + 1,
        authors=_bib_names(fields.get("author")),
        editors=_bib_names(fields.get("editor")),
        translators=_bib_names(fields.get("translator")),
        container_authors=_bib_names(fields.get("bookauthor")),
        container_title=text("journaltitle", "journal", "booktitle", "maintitle"),
        edition=text("edition"),
        volume=text("volume"),
        issue=text("number", "issue") if serial else text("issue"),
        pages=text("pages"),
        number="" if serial else text("number"),
        publisher=text("publisher", "school", "institution", "organization"),
        place=text("location", "address"),
        issued=text("date") or date_of(text("year"), text("month") or None, text("day") or None)
        if text("date", "year")
        else "",
        accessed=text("urldate"),
        url=text("url"),
        doi=text("doi"),
        isbn=text("isbn"),
        issn=text("issn"),
        lines=lines,
    )


def _bib_names(value: object) -> tuple[Name, ...]:
    """bibtexparser's name parts; `others` (BibTeX's `and others`) is kept as a marker."""
    if not isinstance(value, list):
        return ()
    names = []
    for parts in value:
        if isinstance(parts, str):
            names.append(Name(literal=parts.strip()))
            continue
        family = " ".join(parts.last).strip()
        if not parts.first and not parts.von and family.startswith("{"):
            names.append(Name(literal=family.strip("{}")))
            continue
        names.append(
            Name(
                family=family,
                given=" ".join(parts.first),
                particle=" ".join(parts.von),
                suffix=" ".join(parts.jr),
            )
        )
    return tuple(names)


# RIS -------------------------------------------------------------------------------------

_RIS_TYPES: dict[str, tuple[str, bool]] = {
    "BOOK": ("M", False),
    "EBOOK": ("M", False),
    "EDBOOK": ("M", False),
    "CHAP": ("M", True),
    "ECHAP": ("M", True),
    "CONF": ("C", False),
    "CPAPER": ("C", True),
    "JOUR": ("J", False),
    "EJOUR": ("J", False),
    "JFULL": ("J", False),
    "MGZN": ("J", False),
    "NEWS": ("N", False),
    "THES": ("D", False),
    "RPRT": ("R", False),
    "STAND": ("S", False),
    "PAT": ("P", False),
    "ELEC": ("EB", False),
    "WEB": ("EB", False),
    "BLOG": ("EB", False),
    "DATA": ("DS", False),
    "COMP": ("CP", False),
    "MAP": ("CM", False),
}


def ris(path: Path, text: str, found: list[Diagnostic]) -> list[Reference]:
    """The records of a RIS file, each read by rispy on its own: rispy runs a record that is
    not closed by `ER  -` into the next one without a word, so such a record is reported at
    its `TY  -` line (G003) and left out instead."""
    import rispy

    refs = []
    for line, record in _ris_records(path, text, found):
        try:
            (entry,) = rispy.loads(record)
        except Exception as exc:  # rispy raises IOError and bare exceptions on bad input
            found.append(unreadable(path, line, 1, (str(exc).splitlines() or ["?"])[0]))
            continue
        refs.append(_from_ris(entry, path, line))
    return refs


def _ris_records(path: Path, text: str, found: list[Diagnostic]) -> list[tuple[int, str]]:
    """Each record's first line and text, from `TY  -` to `ER  -`."""
    records, start, lines = [], None, text.splitlines()
    for number, line in enumerate(lines, start=1):
        if line.startswith("TY  -"):
            if start is not None:
                found.append(unreadable(path, start, 1, "a record without its ER line"))
            start = number
        elif line.startswith("ER  -") and start is not None:
            records.append((start, "\n".join(lines[start - 1 : number]) + "\n"))
            start = None
    if start is not None:
        found.append(unreadable(path, start, 1, "a record without its ER line"))
    return records


def _from_ris(record: dict, path: Path, line: int) -> Reference:
    def text(*names: str) -> str:
        for name in names:
            value = record.get(name)
            if isinstance(value, list):
                value = value[0] if value else ""
            if isinstance(value, str) and value.strip():
                return value.strip()
        return ""

    title = text("title", "primary_title")
    code, part = _RIS_TYPES.get(text("type_of_reference"), ("Z", False))
    start, end = text("start_page"), text("end_page")
    year = re.match(r"\d{4}", text("year", "publication_year", "date"))
    return Reference(
        key=text("id") or f"ris-{line}",
        code=code,
        part=part,
        language=language_of(text("language"), title),
        title=title,
        path=path,
        line=line,
        authors=_ris_names(record.get("authors") or record.get("first_authors")),
        editors=_ris_names(record.get("secondary_authors") or record.get("editor")),
        translators=_ris_names(record.get("translated_author")),
        container_title=text("secondary_title", "journal_name", "alternate_title1"),
        edition=text("edition"),
        volume=text("volume"),
        issue=text("number"),
        pages="-".join(p for p in (start, end) if p),
        publisher=text("publisher"),
        place=text("place_published"),
        issued=_ris_date(text("date")) or (year.group(0) if year else ""),
        accessed=_ris_date(text("access_date")),
        url=text("urls", "url", "link_to_pdf"),
        doi=text("doi"),
        isbn=text("issn") if code in ("M", "C") else "",
        issn=text("issn") if code == "J" else "",
    )


def _ris_names(people: object) -> tuple[Name, ...]:
    if not isinstance(people, list):
        return ()
    names = []
    for person in people:
        family, comma, given = str(person).partition(",")
        names.append(
            Name(family=family.strip(), given=given.strip())
            if comma
            else Name(literal=family.strip())
        )
    return tuple(names)


def _ris_date(written: str) -> str:
    """RIS writes `2012/01/16/`."""
    parts = [p for p in re.split(r"[/-]", written) if p.strip()]
    return date_of(*parts[:3]) if parts and parts[0].isdigit() else written
