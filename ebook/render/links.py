"""Links between chapters and out of the book; the document's ids, each once."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from ..core.model import Link
from ..core.xhtml import EPUB, XHTML
from .draft import Draft

# Where a link out of the book may go; anything else (data:, file:, javascript:…) cannot
# work in a reading system, and EPUBCheck rejects some of them.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def resolve_links(draft: Draft) -> None:
    """Point links to other manuscript files at their XHTML files; report links out of the book."""
    chapter = draft.chapter
    for a in draft.holder.iter(f"{{{XHTML}}}a"):
        line = draft.line_of(a)
        href = a.get("href")
        if not href or a.get(f"{{{EPUB}}}type") == "noteref" or a.get("role") == "doc-backlink":
            continue
        scheme = re.match(r"^\s*([a-z][a-z0-9+.-]*):", href, re.I)
        if scheme and scheme.group(1).lower() in LINK_SCHEMES:
            continue  # out of the book, as written
        if scheme:
            draft.problem(
                "L007",
                "link to a '{value}:' URL cannot work in an e-book",
                line,
                draft.column_of(line, href[:40]),
                "link to a web page (https:), an e-mail address (mailto:) or a chapter",
                value=scheme.group(1),
            )
            del a.attrib["href"]
            continue
        # The parser percent-encodes the link (`#第一节` -> `#%E7%AC%AC…`); files and ids
        # are named decoded.
        written = unquote(href)
        path, _, fragment = written.partition("#")
        target = f"{chapter.id}.xhtml" if not path else draft.files.get(Path(path).name)
        column = draft.column_of(line, written)
        if target is None or (path and Path(path).suffix != ".md"):
            draft.problem(
                "L001",
                "link '{href}' points to no file of this book",
                line,
                column,
                "link to another chapter by its Markdown file, e.g. ch02.md#anchor",
                href=written,
            )
            continue
        a.set(
            "href",
            f"{target}#{fragment}" if path and fragment else (target if path else f"#{fragment}"),
        )
        draft.links.append(Link(target, fragment, written, line, column))


def unique_ids(draft: Draft) -> None:
    """Collect the document's ids in order; a repeated one is renamed so the XHTML stays valid."""
    chapter = draft.chapter
    seen: set[str] = {chapter.id}
    ordered = [chapter.id]
    written: dict[str, int] = {}  # id -> how often it was met, to find the repeat's line
    for el in draft.holder.iter(f"{{{XHTML}}}*"):
        anchor = el.get("id")
        if anchor is None:
            continue
        written[anchor] = written.get(anchor, 0) + 1
        if anchor in seen:
            n = 2
            while f"{anchor}-{n}" in seen:
                n += 1
            # An id has no place in the parser's map: it is found where it is written.
            found = draft.find(f'id="{anchor}"', written[anchor])
            line, column = found or draft.find(f"#{anchor}", written[anchor]) or draft.start
            draft.problem(
                "H005",
                "id '{anchor}' is used twice in this file; the second is renamed '{anchor}-{n}'",
                line,
                column,
                "give every heading and element its own id",
                anchor=anchor,
                n=n,
            )
            anchor = f"{anchor}-{n}"
            el.set("id", anchor)
        seen.add(anchor)
        ordered.append(anchor)
    draft.ids = ordered
