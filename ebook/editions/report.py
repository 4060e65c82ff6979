"""An edition diff as a person reads it: text for the terminal (coloured when it is one), and
a Markdown draft of the next `revisions:` entry in the book's language."""

from __future__ import annotations

import json
import re

from ..core.labels import labels_for
from .diff import ChapterDiff, EditionDiff, char_diff

# Metadata shown as a character diff: a whole CIP paragraph old → new would hide the change.
_LONG_FIELDS = {"cip_description", "cip_data", "contributors"}


def change_lines(diff: ChapterDiff, labels: dict[str, str]) -> list[tuple[str, str]]:
    """(label, detail) for every change inside one chapter, in a fixed order."""
    rows: list[tuple[str, str]] = []
    if diff.old_id:
        rows.append((labels["file_renamed"], f"{diff.old_id} → {diff.id}"))
    if diff.old_title:
        rows.append((labels["renamed"], f"{diff.old_title} → {diff.title}"))
    if diff.old_source:
        rows.append((labels["source_moved"], diff.old_source))
    rows += [(labels["section_added"], t) for t in diff.sections_added]
    rows += [(labels["section_removed"], t) for t in diff.sections_removed]
    rows += [(labels["section_renamed"], f"{a} → {b}") for a, b in diff.sections_renamed]
    rows += [(labels["section_renumbered"], f"{a} → {b}") for a, b in diff.sections_renumbered]
    rows += [(labels["section_moved"], t) for t in diff.sections_moved]
    rows += [
        (labels["section_moved_in"], f"{a}（{chapter}）→ {b}")
        for a, chapter, b in diff.sections_moved_in
    ]
    rows += [(labels["note_added"], n) for n in diff.notes_added]
    rows += [(labels["note_removed"], n) for n in diff.notes_removed]
    rows += [(labels["note_changed"], f"{n}: {x}") for n, x in diff.notes_changed]
    rows += [
        (labels["note_moved_in"], f"{a}（{chapter}）→ {b}") for a, chapter, b in diff.notes_moved_in
    ]
    for change in diff.text:
        kind = labels[f"block_{change.block}"]
        where = f"{kind} {_place(change.source, change.line, change.file, change.position)}"
        if change.kind == "moved":
            was = _place(change.old_source, change.old_line, change.old_file, change.old_position)
            where = f"{where} ← {was}"
        rows.append((labels[f"text_{change.kind}"], f"{where}: {change.excerpt}"))
    return rows


def _place(source: str | None, line: int | None, file: str | None, position: int | None) -> str:
    """Where a block is: its manuscript file and line when known, else its XHTML file and
    its place among the chapter's blocks."""
    return f"{source}:{line}" if source and line else f"{file} #{position}"


def format_text(diff: EditionDiff, language: str, style=lambda text, kind: text) -> str:
    """Readable report; `style(text, kind)` may colour 'old', 'new' and 'heading' parts."""
    labels = labels_for(language)
    lines: list[str] = []
    if diff.metadata:
        lines.append(style(labels["metadata"], "heading"))
        for field, old, new in diff.metadata:
            name = _field_name(field, labels)
            if field in _LONG_FIELDS and old and new:
                lines.append(f"  {name}: {_style_excerpt(char_diff(old, new), style)}")
            else:
                lines.append(f"  {name}: {style(old or '—', 'old')} → {style(new or '—', 'new')}")
    for chapter in diff.chapters:
        title = f"{chapter.id} {chapter.title}: {_status(chapter, labels)}"
        lines.append(style(title, "heading"))
        for label, detail in change_lines(chapter, labels):
            lines.append(f"  {label}: {_style_excerpt(detail, style)}")
    if diff.renumbered:
        lines.append(style(labels["renumbered"], "heading"))
        lines += [_renumbering(row, style) for row in diff.renumbered]
    if diff.vanished:
        lines.append(style(labels["vanished"], "heading"))
        lines += [f"  {style(anchor, 'old')}" for anchor in diff.vanished]
    return "\n".join(lines) if lines else labels["no_changes"]


def _renumbering(row: tuple[str, str, str], style) -> str:
    was, now, caption = row
    return f"  {style(was, 'old')} → {style(now, 'new')} {caption}".rstrip()


def _field_name(field: str, labels: dict[str, str]) -> str:
    """A metadata field as the report's language names it (`edition` -> 版本)."""
    return labels.get(f"meta_{field}", field)


def _status(chapter: ChapterDiff, labels: dict[str, str]) -> str:
    return labels[chapter.status].format(chapter.related or "")


def _style_excerpt(text: str, style) -> str:
    text = re.sub(r"\[-(.*?)-\]", lambda m: style(m.group(0), "old"), text)
    return re.sub(r"\{\+(.*?)\+\}", lambda m: style(m.group(0), "new"), text)


def format_markdown(diff: EditionDiff, language: str, edition: str, date: str) -> str:
    """A draft of the next `revisions:` entry, with the full list of changes above it."""
    labels = labels_for(language)
    out = [f"## {labels['draft'].format(edition or '?')}", ""]
    changes: list[str] = []
    if diff.metadata:
        detail = "；".join(
            f"{_field_name(n, labels)}: {char_diff(o, v)}"
            if n in _LONG_FIELDS and o and v
            else f"{_field_name(n, labels)}: {o or '—'} → {v or '—'}"
            for n, o, v in diff.metadata
        )
        out.append(f"- {labels['metadata']}：{detail}")
    for chapter in diff.chapters:
        out.append(f"- {chapter.title}（{chapter.id}）：{_status(chapter, labels)}")
        rows = change_lines(chapter, labels)
        out += [f"  - {label}：{detail}" for label, detail in rows]
        changes += (
            [f"{chapter.title}：{_status(chapter, labels)}"]
            if not rows
            else [f"{chapter.title}：{label}：{detail}" for label, detail in rows]
        )
    if diff.renumbered:
        renumbering = "、".join(f"{was} → {now}" for was, now, _ in diff.renumbered)
        out.append(f"- {labels['renumbered']}：{renumbering}")
        changes.append(f"{labels['renumbered']}：{renumbering}")
    if diff.vanished:
        out.append(f"- {labels['vanished']}：" + "、".join(diff.vanished))
    out += [
        "",
        "```yaml",
        "revisions:",
        f"  - date: {date}",
        f"    edition: {edition or '?'}",
        "    summary: ",
        "    changes:",
    ]
    out += [f"      - {_yaml_string(c)}" for c in changes]
    out += ["```", ""]
    return "\n".join(out)


def _yaml_string(text: str) -> str:
    # A JSON string is a valid YAML scalar, whatever punctuation the text holds.
    return json.dumps(text, ensure_ascii=False)
