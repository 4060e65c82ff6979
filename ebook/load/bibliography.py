"""The bibliography files book.yaml names (`bibliography:`), read into References: CSL-JSON
(what Zotero and most reference managers export), BibTeX/BibLaTeX (bibtexparser) and RIS
(rispy). Every problem is a finding at its line in the file; the entries' own faults
(a missing field, an invalid ISBN) are checked in load/reference_checks.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..core.codes import finding
from ..core.model import Diagnostic
from ..core.references import Name, Reference, code_of, language_of
from .safe_yaml import read_text

FORMATS = {".json": "CSL-JSON", ".bib": "BibTeX", ".ris": "RIS"}


def load_references(paths: list[Path]) -> tuple[tuple[Reference, ...], list[Diagnostic]]:
    """Every entry of the files in order; an entry whose key an earlier one has is reported
    (G009) and left out."""
    found: list[Diagnostic] = []
    entries: list[Reference] = []
    keys: dict[str, Reference] = {}
    for path in paths:
        text = read_text(path, "F007")
        reader = {".json": _csl_json, ".bib": _bibtex, ".ris": _ris}[path.suffix.lower()]
        for ref in reader(path, text, found):
            first = keys.get(ref.key)
            if first is not None:
                found.append(
                    finding(
                        "G009",
                        "citation key '{key}' is given twice; the entry at {first} is used",
                        path,
                        ref.line,
                        1,
                        "give each entry its own key",
                        key=ref.key,
                        first=f"{first.path.name}:{first.line}",
                    )
                )
                continue
            keys[ref.key] = ref
            entries.append(ref)
    return tuple(entries), found


def _unreadable(path: Path, line: int, column: int, what: str) -> Diagnostic:
    return finding(
        "G003",
        "{name} cannot be read as {format}: {what}",
        path,
        line,
        column,
        "export the bibliography again from the reference manager, or mend the file there",
        name=path.name,
        format=FORMATS[path.suffix.lower()],
        what=what,
    )


# CSL-JSON -------------------------------------------------------------------------------


def _csl_json(path: Path, text: str, found: list[Diagnostic]) -> list[Reference]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        found.append(_unreadable(path, exc.lineno, exc.colno, exc.msg))
        return []
    if isinstance(items, dict):
        items = items.get("items", [items])
    if not isinstance(items, list):
        found.append(_unreadable(path, 1, 1, "not a list of entries"))
        return []
    starts = _json_entry_lines(text)
    refs = []
    for position, item in enumerate(items):
        line = starts[position] if position < len(starts) else 1
        if not isinstance(item, dict) or not str(item.get("id", "")).strip():
            found.append(_unreadable(path, line, 1, "an entry without an id"))
            continue
        refs.append(_from_csl(_with_extra(item), path, line, _field_lines(text, line)))
    return refs


def _json_entry_lines(text: str) -> list[int]:
    """The line each top-level entry of a CSL-JSON list starts on (each `{` at depth 1)."""
    lines, depth, line, in_string, escaped = [], 0, 1, False, False
    for char in text:
        if char == "\n":
            line += 1
        elif in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            if char == "{" and depth == 1:
                lines.append(line)
            depth += 1
        elif char in "]}":
            depth -= 1
    return lines


def _field_lines(text: str, start: int) -> dict[str, int]:
    """Where the fields of the entry starting at line `start` stand: the first line after it
    that names each field."""
    lines: dict[str, int] = {}
    for offset, line in enumerate(text.splitlines()[start - 1 :]):
        for name in re.findall(r'"([A-Za-z-]+)"\s*:', line):
            if name == "id" and lines.get("id"):
                return lines
            lines.setdefault(name.lower(), start + offset)
    return lines


def _with_extra(item: dict) -> dict:
    """Zotero's Extra field comes out as `note`; its `key: value` lines set CSL variables
    (Zotero's own convention: `type: standard`, `original-date: 1865`)."""
    note = item.get("note")
    if not isinstance(note, str):
        return item
    item = dict(item)
    for line in note.splitlines():
        key, colon, value = line.partition(":")
        if colon and re.fullmatch(r"[A-Za-z-]+", key.strip()) and value.strip():
            item.setdefault(key.strip().lower(), value.strip())
            if key.strip().lower() == "type":
                item["type"] = value.strip()
    return item


def _from_csl(item: dict, path: Path, line: int, lines: dict[str, int]) -> Reference:
    def text(name: str) -> str:
        value = item.get(name, "")
        return str(value).strip() if isinstance(value, (str, int, float)) else ""

    title = text("title")
    container = text("container-title")
    kind = text("type")
    code, part = (kind, False) if kind in _CODES else code_of(kind, title, bool(container))
    return Reference(
        key=text("id"),
        code=code,
        part=part,
        language=language_of(text("language"), title),
        title=title,
        path=path,
        line=line,
        authors=_csl_names(item.get("author")),
        editors=_csl_names(item.get("editor")),
        translators=_csl_names(item.get("translator")),
        container_authors=_csl_names(item.get("container-author")),
        container_title=container,
        edition=text("edition"),
        volume=text("volume"),
        issue=text("issue"),
        pages=text("page"),
        number=text("number"),
        publisher=text("publisher"),
        place=text("publisher-place"),
        issued=_csl_date(item.get("issued")),
        accessed=_csl_date(item.get("accessed")),
        url=text("URL") or text("url"),
        doi=text("DOI") or text("doi"),
        isbn=text("ISBN"),
        issn=text("ISSN"),
        lines=lines,
    )


_CODES = frozenset({"M", "C", "N", "J", "D", "R", "S", "P", "DB", "CP", "EB", "A", "CM", "DS"})


def _csl_names(people: object) -> tuple[Name, ...]:
    if not isinstance(people, list):
        return ()
    names = []
    for person in people:
        if not isinstance(person, dict):
            continue
        particle = " ".join(
            str(person.get(p, "")).strip()
            for p in ("dropping-particle", "non-dropping-particle")
            if person.get(p)
        )
        names.append(
            Name(
                family=str(person.get("family", "")).strip(),
                given=str(person.get("given", "")).strip(),
                literal=str(person.get("literal", "")).strip(),
                particle=particle,
                suffix=str(person.get("suffix", "")).strip(),
            )
        )
    return tuple(names)


def _csl_date(value: object) -> str:
    """`{"date-parts": [[2013, 1, 12]]}` -> 2013-01-12; a literal or raw date as written."""
    if isinstance(value, str):
        return value.strip()
    if not isinstance(value, dict):
        return ""
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return date_of(*parts[0][:3])
    return str(value.get("literal") or value.get("raw") or "").strip()


def date_of(year: object, month: object = None, day: object = None) -> str:
    written = [str(year).strip()]
    for part in (month, day):
        if part in (None, ""):
            break
        written.append(f"{int(part):02d}" if str(part).strip().isdigit() else str(part))
    return "-".join(written)


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


def _bibtex(path: Path, text: str, found: list[Diagnostic]) -> list[Reference]:
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
        what = str(getattr(block, "error", "") or "a malformed entry").splitlines()[0]
        found.append(_unreadable(path, block.start_line + 1, 1, what or "a malformed entry"))
    return [_from_bibtex(entry, path) for entry in library.entries]


def _from_bibtex(entry, path: Path) -> Reference:
    fields = {f.key.lower(): f.value for f in entry.fields}
    lines = {f.key.lower(): f.start_line + 1 for f in entry.fields}

    def text(*names: str) -> str:
        for name in names:
            value = fields.get(name)
            if isinstance(value, str) and value.strip():
                return re.sub(r"\s+", " ", value.strip())
        return ""

    kind = entry.entry_type.lower()
    code, part = _BIB_TYPES.get(kind, ("EB" if text("url") else "Z", False))
    if kind == "article" and text("entrysubtype").lower() == "newspaper":
        code = "N"
    if code == "M" and not part and text("title") and code_of("book", text("title"), False)[0]:
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


def _ris(path: Path, text: str, found: list[Diagnostic]) -> list[Reference]:
    import rispy

    starts = [n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("TY  -")]
    try:
        records = rispy.loads(text)
    except Exception as exc:  # rispy raises IOError and bare exceptions on bad input
        found.append(_unreadable(path, 1, 1, str(exc).splitlines()[0] if str(exc) else "?"))
        return []
    refs = []
    for position, record in enumerate(records):
        line = starts[position] if position < len(starts) else 1
        refs.append(_from_ris(record, path, line))
    return refs


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
