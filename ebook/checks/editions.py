"""A new edition against the last published one: what readers' bookmarks would lose."""

from __future__ import annotations

from stdnum import isbn as stdisbn

from ..codes import finding
from ..diff import vanished_anchors
from ..errors import Diagnostic
from ..manuscript import VALUE
from ..model import Book, RenderedChapter
from ..snapshot import BookSnapshot


def check_against_previous(
    book: Book,
    rendered: list[RenderedChapter],
    old: BookSnapshot,
    new: BookSnapshot,
    previous_name: str,
) -> list[Diagnostic]:
    """R001/R002 for every file and anchor of `old` that `new` lacks; B015 and C003 for a new
    edition with the old ISBN or CIP number."""
    by_file = {r.file_name: r.chapter for r in rendered}
    # The level the lost heading had, for a hint the author can paste as it is.
    levels = {f"{c.file}#{s.id}": s.level for c in old.chapters for s in c.sections}
    findings = []
    for gone in vanished_anchors(old, new):
        file, _, anchor = gone.partition("#")
        chapter = by_file.get(file)
        path, line, col = (
            (chapter.path, chapter.body_line, 1)
            if chapter
            else (book.config_path, *book.config_lines.get(("chapters",), (1, 1)))
        )
        if anchor:
            findings.append(
                finding(
                    "R002",
                    "{previous_name} has {gone}; this edition does not",
                    path,
                    line,
                    col,
                    'keep it on the heading that replaced it: {value} Title {{aliases="{anchor}"}}',
                    previous_name=previous_name,
                    gone=gone,
                    value="#" * levels.get(gone, 2),
                    anchor=anchor,
                )
            )
        else:
            findings.append(
                finding(
                    "R001",
                    "{previous_name} has {file}; this edition does not",
                    path,
                    line,
                    col,
                    "add 'aliases: [{value}]' to the front matter of the chapter that replaced it",
                    previous_name=previous_name,
                    file=file,
                    value=file.removesuffix(".xhtml"),
                )
            )
    old_edition = old.metadata.get("edition", "")
    if (
        book.edition
        and old_edition.isdigit()
        and book.edition.number > int(old_edition)
        and book.isbn
        and old.metadata.get("isbn")
        and stdisbn.compact(book.isbn) == stdisbn.compact(old.metadata["isbn"])
    ):
        line, col = book.config_lines.get(("edition", VALUE), (1, 1))
        findings.append(
            finding(
                "B015",
                "edition {old_edition} → {number} but the ISBN is unchanged",
                book.config_path,
                line,
                col,
                "a new edition normally gets a new ISBN; a reprint changes printing, not edition",
                old_edition=old_edition,
                number=book.edition.number,
            )
        )
    if (
        book.edition
        and old_edition.isdigit()
        and book.edition.number > int(old_edition)
        and book.cip.number
        and book.cip.number == old.metadata.get("cip_number")
    ):
        line, col = book.config_lines.get(("cip", "number", VALUE), (1, 1))
        findings.append(
            finding(
                "C003",
                "edition {old_edition} → {number} but the CIP number {cip} is unchanged",
                book.config_path,
                line,
                col,
                "each edition gets its own CIP data: copy the number this edition was given",
                old_edition=old_edition,
                number=book.edition.number,
                cip=book.cip.number,
            )
        )
    return findings
