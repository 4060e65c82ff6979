"""`ebook import`: turn the plain text of a printed book (OCR) into a manuscript.

The stages: split the text into paragraphs -> read the copyright page (front.py) -> read the
contents, headings, page-bottom notes and page breaks (body.py) -> write Markdown and book.yaml
(here). Every decision the text does not settle goes into the report, with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ...core.i18n import say
from .body import (
    _PLACEHOLDER,
    BREAK_MARK,
    SIGNATURE,
    Block,
    Body,
    Part,
    is_matter_heading,
    parse_body,
)
from .cip_block import APPROVAL
from .front import parse_front
from .text import Paragraph, paragraphs

# The print edition's order of book.yaml keys, so the file reads like the hand-made one.
KEY_ORDER = (
    "title",
    "subtitle",
    "parallel_title",
    "title_statement",
    "file_as",
    "language",
    "contributors",
    "publisher",
    "date",
    "isbn",
    "volume",
    "series",
    "original",
    "cip",
    "colophon",
    "edition",
    "printing",
    "chapters",
    "options",
)


@dataclass(frozen=True)
class ImportResult:
    files: dict[str, str]  # file name -> content, book.yaml first
    report: tuple[tuple[int, str], ...]  # (line in the text, what was unsure)


def _cut_after_cip_number(paras: list[Paragraph]) -> list[Paragraph]:
    """The CIP number ends the block: what OCR glued to it on its line (…第257284号前言)
    starts a paragraph of its own, on the same line of the text."""
    result = []
    for para in paras:
        for index, line in enumerate(para.lines):
            found = APPROVAL.search(line)
            if found and line[found.end() :].strip():
                head = Paragraph(para.line, [*para.lines[:index], line[: found.end()]])
                tail = Paragraph(para.line + index, [line[found.end() :], *para.lines[index + 1 :]])
                result += [head, tail]
                break
        else:
            result.append(para)
    return result


def import_text(text: str) -> ImportResult:
    """Make a manuscript (file name -> text) from the plain text of a printed book."""
    paras = _cut_after_cip_number(paragraphs(text))
    start = next((i for i, p in enumerate(paras) if is_matter_heading(p.text.strip())), len(paras))
    front = parse_front(paras[:start])
    title = front.fields.get("title", "")
    subtitle = front.fields.get("subtitle", "")
    body = parse_body(paras[start:], (title, f"{title}：{subtitle}" if subtitle else ""))
    report = list(front.report) + list(body.report)
    if not body.parts and paras:
        # Nothing to split on: keep every paragraph rather than write a book without text.
        body.parts.append(
            Part(
                "chapter",
                "",
                title or "正文",
                paras[0].line,
                [Block("text", p.text, p.line) for p in paras],
            )
        )
        report.append(
            (
                paras[0].line,
                say(
                    "no chapter heading (第…章) recognised: the whole text became one "
                    "chapter; split it where the chapters begin"
                ),
            )
        )
    files: dict[str, str] = {}
    contributors = list(front.contributors)
    names = _file_names(body.parts)
    plus_words = _plus_words(text)
    for part, name in zip(body.parts, names, strict=True):
        signer = _signature(part)
        if signer and part.kind == "foreword":
            contributors.append({"name": signer, "role": "序"})
        files[name] = _markdown(part, body, plus_words, report)
    fields = dict(front.fields)
    fields["contributors"] = contributors
    if "colophon" in fields and fields["colophon"].get("title_romanized"):
        fields["file_as"] = fields["colophon"]["title_romanized"]
    fields["language"] = "zh-CN"
    fields["chapters"] = list(files)
    fields["options"] = {"toc_depth": 3, "note_markers": "circled"}
    ordered = {k: fields[k] for k in KEY_ORDER if k in fields}
    config = "# Imported by `ebook import`; check the report it printed.\n\n" + yaml.safe_dump(
        ordered, allow_unicode=True, sort_keys=False, width=100
    )
    return ImportResult({"book.yaml": config, **files}, tuple(sorted(report)))


def _file_names(parts: list[Part]) -> list[str]:
    names, counts = [], {"chapter": 0, "appendix": 0}
    for part in parts:
        if part.kind in counts:
            counts[part.kind] += 1
            stem = (
                f"ch{counts['chapter']:02}"
                if part.kind == "chapter"
                else f"appendix{counts['appendix']}"
            )
        else:
            stem = part.kind
        part.id = stem
        names.append(f"{stem}.md")
    return names


def _plus_words(text: str) -> set[str]:
    """Words the book writes with a '+' after them ('互联网+'), to mend OCR's '十' for '+'."""
    return set(re.findall(r"([\u4e00-\u9fff]{2,6})\s?\+", text))


def _signature(part: Part) -> str | None:
    """The name under a foreword or preface ('…教授 陈文权'), marked as its signature."""
    last = part.blocks[-1] if part.blocks else None
    if part.kind not in ("foreword", "preface") or last is None or last.kind != "text":
        return None
    match = SIGNATURE.match(last.text)
    if not match:
        return None
    part.signature = last.text
    part.blocks.pop()
    return match.group(1)


def _markdown(part: Part, body: Body, plus_words: set[str], report: list) -> str:
    lines = ["---", f"id: {part.id}"]
    if part.kind != "chapter":
        lines += [f"kind: {part.kind}", f"title: {part.title}"]
    lines += ["---", ""]
    number = body.parts.index(part)
    if (number, -1) in body.starts:  # the chapter's page begins before its title
        lines += [f"{{page={body.starts[number, -1]}}}", ""]
    if part.kind == "chapter":
        lines += [f"# {part.title}", ""]
    section_pages = {
        id(block): body.starts[number, k]
        for k, block in enumerate(part.blocks)
        if (number, k) in body.starts
    }
    labels: dict[int, str] = {}  # id(note) -> label, by first reference in this file
    blocks = _epigraph(part.blocks)
    for block in blocks:
        if block.kind == "pagebreak":
            mark = _pages(block.text, body)
            if mark:
                lines += [mark, ""]
        elif block.kind == "heading":
            if id(block) in section_pages:
                lines += [f"{{page={section_pages[id(block)]}}}", ""]
            lines += ["#" * block.level + " " + block.text, ""]
        elif block.kind == "quote":
            quoted = [_text(t, block.line, body, labels, plus_words, report) for t in block.lines]
            lines += ["\n>\n".join("> " + q for q in quoted), ""]
        else:
            lines += [_text(block.text, block.line, body, labels, plus_words, report), ""]
    if part.signature:
        lines += [part.signature, "{: .signature }", ""]
    notes = {id(r.note): r.note for r in body.references if r.note and id(r.note) in labels}
    for key, label in labels.items():
        lines.append(f"[^{label}]: {_escape(notes[key].text)}")
    if labels:
        lines.append("")
    return "\n".join(lines)


def _epigraph(blocks: list[Block]) -> list[Block]:
    """Paragraphs at a chapter's head followed by a '——source' line are its epigraph."""
    for end, block in enumerate(blocks):
        if block.kind != "text":
            return blocks
        if block.text.startswith("——") and end > 0:
            quote = Block("quote", "", blocks[0].line, lines=[b.text for b in blocks[: end + 1]])
            return [quote] + blocks[end + 1 :]
    return blocks


def _text(
    text: str, line: int, body: Body, labels: dict[int, str], plus_words: set[str], report: list
) -> str:
    def reference(match: re.Match) -> str:
        ref = body.references[int(match.group(1))]
        if ref.note is None:
            return ref.marker if ref.bare else f"^{ref.marker}"
        label = labels.setdefault(id(ref.note), f"n{len(labels) + 1}")
        return f"[^{label}]"

    def plus(match: re.Match) -> str:
        if match.group(1) not in plus_words:
            return match.group(0)
        report.append(
            (
                line,
                say(
                    "'十{value}' read as '+{value}' (OCR takes + for 十; the book writes "
                    "'{value}+')",
                    value=match.group(1),
                ),
            )
        )
        return f"“+{match.group(1)}”"

    text = _escape(text)
    text = re.sub(r"“十([\u4e00-\u9fff]{2,6})”", plus, text)
    return _pages(_PLACEHOLDER.sub(reference, text), body)


def _pages(text: str, body: Body) -> str:
    """Page breaks as `{page=N}` marks (a break whose page is unknown leaves no mark)."""

    def mark(match: re.Match) -> str:
        page = body.breaks[int(match.group(1))]
        return "" if page is None else f"{{page={page}}}"

    return BREAK_MARK.sub(mark, text)


def _escape(text: str) -> str:
    """Keep Markdown from reading plain text as markup."""
    text = re.sub(r"([\\`*_\[\]<])", r"\\\1", text)
    return re.sub(r"^([#>+-]|\d+\.)(?=\s)", r"\\\1", text)
