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
from ..core.references import TYPE_CODES, Name, Reference, code_of, date_of, language_of
from .reference_checks import unreadable
from .safe_yaml import read_text


def references_of(paths: tuple[Path, ...], found: list[Diagnostic]) -> tuple[Reference, ...]:
    """The entries of book.yaml's bibliography files, checked (load/reference_checks.py); what
    is wrong goes to `found`."""
    if not paths:
        return ()
    from .reference_checks import check_references

    references, problems = load_references(list(paths))
    found += problems + check_references(references)
    return references


def load_references(paths: list[Path]) -> tuple[tuple[Reference, ...], list[Diagnostic]]:
    """Every entry of the files in order; an entry whose key an earlier one has is reported
    (G009) and left out."""
    found: list[Diagnostic] = []
    entries: list[Reference] = []
    keys: dict[str, Reference] = {}
    for path in paths:
        text = read_text(path, "F007")
        reader = _READERS[path.suffix.lower()]
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


# CSL-JSON -------------------------------------------------------------------------------


def _csl_json(path: Path, text: str, found: list[Diagnostic]) -> list[Reference]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        found.append(unreadable(path, exc.lineno, exc.colno, exc.msg))
        return []
    if isinstance(items, dict):
        items = items.get("items", [items])
    if not isinstance(items, list):
        found.append(unreadable(path, 1, 1, "not a list of entries"))
        return []
    starts = _json_entry_lines(text)
    refs = []
    for position, item in enumerate(items):
        line = starts[position] if position < len(starts) else 1
        if not isinstance(item, dict) or not str(item.get("id", "")).strip():
            found.append(unreadable(path, line, 1, "an entry without an id"))
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
    code, part = (kind, False) if kind in TYPE_CODES else code_of(kind, title, bool(container))
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


def _bibtex(path: Path, text: str, found: list[Diagnostic]) -> list[Reference]:
    from .bibtex_ris import bibtex

    return bibtex(path, text, found)


def _ris(path: Path, text: str, found: list[Diagnostic]) -> list[Reference]:
    from .bibtex_ris import ris

    return ris(path, text, found)


_READERS = {".json": _csl_json, ".bib": _bibtex, ".ris": _ris}
