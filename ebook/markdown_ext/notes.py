"""Footnotes as EPUB 3 popup notes.

`[^label]` marks a reference and `[^label]: text` (with indented continuation lines) defines
the note; labels are local to one file. Unlike Python-Markdown's `footnotes` extension the
output is the markup reading systems turn into popups: a bare `<a epub:type="noteref">`
holding only the marker, and one `<aside epub:type="footnote">` per note, back-link first.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..chinese import circled
from ..settings import DEFAULTS
from .syntax import DEFINITION, REFERENCE

_INDENTED = re.compile(r"^(?: {4}|\t)")
_HOLDER = "ebook-notes"
_LABEL_ATTR = "data-ebook-note"


def label_id(label: str) -> str:
    """Return an ASCII id fragment for a note label (hashing non-ASCII labels)."""
    if re.fullmatch(r"[A-Za-z0-9_.-]+", label):
        return label
    return "n" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:8]


@dataclass
class NotesResult:
    """What one conversion found: used by the renderer and by checks."""

    numbers: dict[str, int] = field(default_factory=dict)  # label -> number, by first reference
    references: int = 0
    missing: list[str] = field(default_factory=list)  # referenced, never defined
    unused: list[str] = field(default_factory=list)  # defined, never referenced


class NotesExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "prefix": ["", "id prefix: the chapter id"],
            "markers": [DEFAULTS["note_markers"], "'circled' (①②③) or 'numeric' (1 2 3)"],
        }
        super().__init__(**kwargs)
        self.reset()

    def reset(self) -> None:
        self.definitions: dict[str, str] = {}
        self.result = NotesResult()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown API)
        md.registerExtension(self)
        # After fenced code (25) and raw HTML (20) are stashed, so both stay untouched.
        md.preprocessors.register(_DefinitionPreprocessor(md, self), "ebook_note_defs", 15)
        md.inlinePatterns.register(_ReferencePattern(REFERENCE.pattern, md), "ebook_noteref", 175)
        # Before inline processing (20) so note text gets emphasis, links...; then after it.
        md.treeprocessors.register(_NoteBodies(md, self), "ebook_note_bodies", 25)
        md.treeprocessors.register(_NumberNotes(md, self), "ebook_note_numbers", 15)

    def marker(self, number: int) -> str:
        return circled(number) if self.getConfig("markers") == "circled" else str(number)

    def note_id(self, label: str) -> str:
        return f"{self.getConfig('prefix')}-fn-{label_id(label)}"

    def ref_id(self, label: str, occurrence: int) -> str:
        suffix = "" if occurrence == 1 else f"-{occurrence}"
        return f"{self.getConfig('prefix')}-fnref-{label_id(label)}{suffix}"


class _DefinitionPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, ext: NotesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        kept: list[str] = []
        i = 0
        while i < len(lines):
            match = DEFINITION.match(lines[i])
            if not match:
                kept.append(lines[i])
                i += 1
                continue
            label, first = match.groups()
            # A definition may stand inside a list item or a quote, as GitHub and pandoc read
            # it: what comes before '[^' is that container's indentation and '>' markers, and
            # the definition's own lines continue after the same prefix.
            prefix = lines[i][: lines[i].index("[^")]
            body = [first]
            i += 1

            def inner(line: str, prefix: str = prefix) -> str | None:
                """The line without the container's prefix, or None if it is not inside."""
                if line.startswith(prefix):
                    return line[len(prefix) :]
                if not line.strip() or line.rstrip() == prefix.rstrip():
                    return ""  # a blank line, or a quote's empty '>' line
                return None

            # Continuation: indented lines, and blank lines followed by an indented one.
            while i < len(lines):
                current = inner(lines[i])
                following = inner(lines[i + 1]) if i + 1 < len(lines) else None
                if current is not None and _INDENTED.match(current):
                    body.append(_INDENTED.sub("", current))
                elif (
                    current is not None
                    and not current.strip()
                    and following is not None
                    and _INDENTED.match(following)
                ):
                    body.append("")
                else:
                    break
                i += 1
            # The first definition wins; duplicates are reported by the checks.
            self.ext.definitions.setdefault(label, "\n".join(body).strip())
        return kept


class _ReferencePattern(InlineProcessor):
    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 (Python-Markdown API)
        a = ET.Element("a")
        a.set(_LABEL_ATTR, m.group(1))
        return a, m.start(0), m.end(0)


class _NoteBodies(Treeprocessor):
    """Parse each definition into an unnumbered aside, kept in a holder at the end."""

    def __init__(self, md: Markdown, ext: NotesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        if not self.ext.definitions:
            return
        holder = ET.SubElement(root, "div", {"class": _HOLDER})
        for label, text in self.ext.definitions.items():
            aside = ET.SubElement(holder, "aside", {_LABEL_ATTR: label})
            self.md.parser.parseChunk(aside, text)


class _NumberNotes(Treeprocessor):
    """Number references in reading order and turn them and the asides into final markup."""

    def __init__(self, md: Markdown, ext: NotesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        ext, result = self.ext, self.ext.result
        holder = next((e for e in root if e.get("class") == _HOLDER), None)
        bodies = {a.get(_LABEL_ATTR): a for a in holder} if holder is not None else {}
        occurrences: dict[str, int] = {}
        in_notes = set(holder.iter()) if holder is not None else set()
        for a in root.iter("a"):
            label = a.get(_LABEL_ATTR)
            if label is None:
                continue
            del a.attrib[_LABEL_ATTR]
            if label not in bodies or a in in_notes:
                # Undefined, or a reference inside a note: leave the text as written.
                if label not in bodies and label not in result.missing:
                    result.missing.append(label)
                a.tag = "span"
                a.text = f"[^{label}]"
                continue
            number = result.numbers.setdefault(label, len(result.numbers) + 1)
            occurrences[label] = occurrences.get(label, 0) + 1
            result.references += 1
            a.set("id", ext.ref_id(label, occurrences[label]))
            a.set("href", "#" + ext.note_id(label))
            a.set("class", "noteref")
            a.set("epub:type", "noteref")
            a.set("role", "doc-noteref")
            # Only the marker, no <sup> or other element inside: Apple Books fails to pop up
            # a note whose link holds elements, KOReader one whose link holds only an image.
            a.text = ext.marker(number)
        if holder is None:
            return
        root.remove(holder)
        result.unused = [label for label in bodies if label not in result.numbers]
        if not result.numbers:
            return
        notes = ET.SubElement(root, "div", {"class": "notes"})
        for label in sorted(result.numbers, key=result.numbers.__getitem__):
            aside = bodies[label]
            del aside.attrib[_LABEL_ATTR]
            aside.set("id", ext.note_id(label))
            aside.set("class", "note")
            aside.set("epub:type", "footnote")
            aside.set("role", "doc-footnote")
            # Kindle pops up a note only when the links go both ways, the back-link is at the
            # very start of the note and each note is its own element; the back-link goes to
            # the first reference when a note is cited more than once.
            back = ET.Element(
                "a",
                {
                    "class": "note-backlink",
                    "href": "#" + ext.ref_id(label, 1),
                    "role": "doc-backlink",
                },
            )
            back.text = ext.marker(result.numbers[label])
            back.tail = aside.text
            aside.text = None
            aside.insert(0, back)
            notes.append(aside)
