"""What is wrong with a bibliography's entries, found before a reader sees it in print: a
field the standard's layout for the type needs (GB/T 7714-2015, clause 8), an invalid ISBN,
ISSN or DOI, the same work entered twice, an entry whose language cannot be told (it decides
等 or et al.). Each finding stands at the entry's line in its file."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.codes import finding
from ..core.model import Diagnostic
from ..core.references import FORMATS, Reference

# Per type code, the fields its layout prints; "volume|issue" is one of them.
REQUIRED: dict[str, tuple[str, ...]] = {
    "M": ("publisher", "place", "issued"),
    "C": ("publisher", "issued"),
    "J": ("container_title", "issued", "volume|issue", "pages"),
    "N": ("container_title", "issued"),
    "D": ("publisher", "place", "issued"),
    "R": ("issued", "publisher|url"),
    "S": ("number", "issued"),
    "P": ("number", "issued"),
    "EB": ("url", "accessed"),
    "A": ("issued",),
}
_PART = ("container_title", "publisher", "issued", "pages")
# How the files name each field, for the message.
FIELD_NAMES = {
    "container_title": "container-title / journal / booktitle",
    "place": "publisher-place / address",
    "issued": "issued / year",
    "accessed": "accessed / urldate",
    "pages": "page / pages",
    "issue": "issue / number",
    "url": "URL",
}
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def check_references(references: tuple[Reference, ...]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    seen_doi: dict[str, Reference] = {}
    seen_title: dict[tuple[str, str], Reference] = {}
    for ref in references:
        found += _missing(ref) + _identifiers(ref)
        if not ref.language:
            found.append(
                finding(
                    "G007",
                    "the language of '{key}' cannot be told: its title has no letters",
                    ref.path,
                    ref.line,
                    1,
                    "add language: zh or en (it decides 等 or et al. and the order in the list)",
                    key=ref.key,
                )
            )
        doi = ref.doi.lower().removeprefix("https://doi.org/")
        title = (re.sub(r"\W+", "", ref.title.lower()), ref.year)
        first = (seen_doi.get(doi) if doi else None) or (
            seen_title.get(title) if title[0] else None
        )
        if first is not None:
            found.append(
                finding(
                    "G006",
                    "'{key}' is the same work as '{first}' ({where}): same {what}",
                    ref.path,
                    ref.line,
                    1,
                    "keep one entry and cite it by one key",
                    key=ref.key,
                    first=first.key,
                    where=f"{first.path.name}:{first.line}",
                    what="DOI" if doi and doi in seen_doi else "title and year",
                )
            )
        if doi:
            seen_doi.setdefault(doi, ref)
        if title[0]:
            seen_title.setdefault(title, ref)
    return found


def _missing(ref: Reference) -> list[Diagnostic]:
    needs = _PART if ref.part else REQUIRED.get(ref.code, ())
    needs = ("title", *needs, *(("accessed",) if ref.online and ref.code != "EB" else ()))
    missing = [
        need.replace("|", " or ")
        for need in needs
        if not any(getattr(ref, name) for name in need.split("|"))
    ]
    return [
        finding(
            "G004",
            "'{key}' ({type_code}) has no {field}",
            ref.path,
            ref.line,
            1,
            "add it in the reference manager and export again: GB/T 7714 prints it for this type",
            key=ref.key,
            type_code=f"[{ref.code}]",
            field=" or ".join(FIELD_NAMES.get(n, n) for n in name.split(" or ")),
        )
        for name in missing
    ]


def _identifiers(ref: Reference) -> list[Diagnostic]:
    from stdnum import isbn, issn

    bad = []
    for value in re.split(r"[\s,;]+", ref.isbn):
        if value and not isbn.is_valid(value):
            bad.append(("ISBN", value, "isbn"))
    for value in re.split(r"[\s,;]+", ref.issn):
        if value and not issn.is_valid(value):
            bad.append(("ISSN", value, "issn"))
    doi = ref.doi.removeprefix("https://doi.org/").removeprefix("doi:")
    if doi and not _DOI.match(doi):
        bad.append(("DOI", ref.doi, "doi"))
    return [
        finding(
            "G005",
            "{kind} '{value}' of '{key}' is not valid",
            ref.path,
            ref.lines.get(field, ref.line),
            1,
            "copy it again from the book's copyright page or the publisher's page",
            kind=kind,
            value=value,
            key=ref.key,
        )
        for kind, value, field in bad
    ]


def unreadable(path: Path, line: int, column: int, what: str) -> Diagnostic:
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
