"""Warnings accepted on purpose (book.yaml `accepted:`): not reported where an entry matches
them; an entry that matches nothing any more is reported itself (B019), as Standard Ebooks'
lint reports an ignore rule that no longer applies."""

from __future__ import annotations

from pathlib import Path

from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.model import AcceptedFinding, Book


def without_accepted(book: Book, findings: list[Diagnostic]) -> list[Diagnostic]:
    """`findings` less the warnings an entry of `accepted:` matches, plus B019 for each entry
    that matched none."""
    if not book.accepted:
        return findings
    matched: set[int] = set()
    kept = []
    root = book.root.resolve()
    for found in findings:
        entry = next((i for i, a in enumerate(book.accepted) if _matches(a, found, root)), None)
        if entry is None:
            kept.append(found)
        else:
            matched.add(entry)
    for i, entry in enumerate(book.accepted):
        if i not in matched:
            kept.append(
                finding(
                    "B019",
                    "accepted {named} no longer occurs{place}",
                    book.config_path,
                    *entry.where,
                    "remove this entry from accepted:, or correct where it points",
                    named=entry.code,
                    place=f" ({entry.file}{f':{entry.line}' if entry.line else ''})"
                    if entry.file
                    else "",
                )
            )
    return kept


def _matches(entry: AcceptedFinding, found: Diagnostic, root: Path) -> bool:
    if found.severity != "warning" or found.code != entry.code:
        return False
    if entry.line is not None and found.line != entry.line:
        return False
    if entry.text and entry.text not in found.message and entry.text not in found.text():
        return False
    if entry.file:
        if found.path is None:
            return False
        try:
            relative = found.path.resolve().relative_to(root).as_posix()
        except ValueError:
            return False
        return relative == entry.file.removeprefix("./")
    return True
