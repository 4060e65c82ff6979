"""Compare two editions: chapters, sections, notes, every block of text (paragraphs, list
items, table cells, captions, formulas, images, link targets), metadata, vanished anchors."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from ..render.headings import without_number
from .snapshot import Block, BookSnapshot, ChapterSnapshot, Section

CONTEXT = 8  # characters of unchanged text shown around a change


@dataclass
class TextChange:
    kind: str  # "changed", "added", "removed", "moved" (the same block, elsewhere)
    block: str  # what changed: "paragraph", "list item", "table cell", "caption", "formula"…
    position: int  # 1-based among the chapter's blocks, in the new edition (old: "removed")
    file: str  # the XHTML file of that edition
    excerpt: str  # "…context[-old-]{+new+}context…"
    # Where a changed or moved block stood in the old edition.
    old_position: int | None = None
    old_file: str | None = None
    # The manuscript file and line, for an edition read from a manuscript (or git).
    source: str | None = None
    line: int | None = None
    old_source: str | None = None
    old_line: int | None = None


@dataclass
class ChapterDiff:
    id: str
    # "added", "removed", "renamed", "changed"; "split" (most of an added chapter's text
    # comes from chapter `related`), "merged" (most of a removed one's went into `related`)
    status: str
    title: str
    related: str | None = None
    old_id: str | None = None
    old_title: str | None = None
    old_source: str | None = None  # manuscript file, when it changed
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)
    sections_renamed: list[tuple[str, str]] = field(default_factory=list)
    # Renumbered: the same title under another number (第一节 → 第二节).
    sections_renumbered: list[tuple[str, str]] = field(default_factory=list)
    sections_moved: list[str] = field(default_factory=list)  # out of order in the chapter
    # From another chapter: (old title, the chapter it was in, new title).
    sections_moved_in: list[tuple[str, str, str]] = field(default_factory=list)
    notes_added: list[str] = field(default_factory=list)
    notes_removed: list[str] = field(default_factory=list)
    # Notes named by marker and the start of their text (Note.name), as readers know them.
    notes_changed: list[tuple[str, str]] = field(default_factory=list)  # (note, excerpt)
    # From another chapter, with its section: (old name, the chapter it was in, new name).
    notes_moved_in: list[tuple[str, str, str]] = field(default_factory=list)
    text: list[TextChange] = field(default_factory=list)

    def empty(self) -> bool:
        return self.status == "changed" and not any(
            (
                self.sections_added,
                self.sections_removed,
                self.sections_renamed,
                self.sections_renumbered,
                self.sections_moved,
                self.sections_moved_in,
                self.notes_added,
                self.notes_removed,
                self.notes_changed,
                self.notes_moved_in,
                self.text,
            )
        )


@dataclass
class EditionDiff:
    metadata: list[tuple[str, str, str]]  # (field, old, new)
    chapters: list[ChapterDiff]
    vanished: list[str]  # "file.xhtml" or "file.xhtml#id" of the old edition, gone in the new
    # Figures, tables, equations and listings whose number changed: (old, new, caption).
    renumbered: list[tuple[str, str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def vanished_anchors(old: BookSnapshot, new: BookSnapshot) -> list[str]:
    """Files and anchors of the old edition the new one no longer has (bookmarks would break)."""
    gone = []
    for file, ids in sorted(old.anchors.items()):
        if file not in new.anchors:
            gone.append(file)
            continue
        gone += [f"{file}#{i}" for i in sorted(ids - new.anchors[file])]
    return gone


def compare(old: BookSnapshot, new: BookSnapshot) -> EditionDiff:
    metadata = [
        (k, old.metadata.get(k, ""), v)
        for k, v in new.metadata.items()
        if old.metadata.get(k, "") != v
    ]
    old_chapters = {c.id: c for c in old.chapters}
    matched: set[str] = set()
    chapters: list[ChapterDiff] = []
    blocks: dict[int, Block] = {}  # id(TextChange) -> its block, to find the same one moved
    files = {c.id: c.file for c in old.chapters} | {c.id: c.file for c in new.chapters}
    for chapter in new.chapters:
        previous = old_chapters.get(chapter.id)
        if previous is None:
            # Renamed file: the new edition keeps the old id as an alias.
            old_id = next(
                (
                    a
                    for a, target in new.aliases.items()
                    if target == chapter.id and a in old_chapters
                ),
                None,
            )
            previous = old_chapters.get(old_id) if old_id else None
        if previous is None:
            chapters.append(_whole(chapter, "added", blocks))
            continue
        matched.add(previous.id)
        chapters.append(_compare_chapter(previous, chapter, blocks))
    for chapter in old.chapters:
        if chapter.id not in matched:
            chapters.append(_whole(chapter, "removed", blocks))
    _find_moved_blocks(chapters, blocks)
    _find_moved_sections(chapters)
    _find_moved_notes(chapters)
    _find_splits_and_merges(chapters, files)
    chapters = [c for c in chapters if not c.empty()]
    return EditionDiff(metadata, chapters, vanished_anchors(old, new), renumbered(old, new))


def renumbered(old: BookSnapshot, new: BookSnapshot) -> list[tuple[str, str, str]]:
    """What kept its place (file and id) but not its number, in the new edition's order."""
    before = {(c.file, anchor): number for c in old.chapters for anchor, number, _ in c.numbers}
    return [
        (before[(c.file, anchor)], number, caption)
        for c in new.chapters
        for anchor, number, caption in c.numbers
        if before.get((c.file, anchor), number) != number
    ]


def _whole(chapter: ChapterSnapshot, status: str, blocks: dict[int, Block]) -> ChapterDiff:
    """A chapter only one edition has; its blocks listed until moves are found among them."""
    result = ChapterDiff(chapter.id, status, chapter.title)
    titles = [s.title for s in chapter.sections]
    if status == "added":
        result.sections_added = titles
    else:
        result.sections_removed = titles
    for position, block in enumerate(chapter.blocks, 1):
        change = _change(status, block, position, chapter, _describe(block))
        blocks[id(change)] = block
        result.text.append(change)
    return result


def _find_moved_blocks(chapters: list[ChapterDiff], blocks: dict[int, Block]) -> None:
    """A block removed in one place and the same block added in another is one block moved,
    within a chapter or between chapters, reported where it is now."""
    removed: dict[Block, list[tuple[ChapterDiff, TextChange]]] = {}
    for chapter in chapters:
        for change in chapter.text:
            if change.kind == "removed":
                removed.setdefault(blocks[id(change)], []).append((chapter, change))
    for chapter in chapters:
        for change in chapter.text:
            if change.kind != "added" or not removed.get(blocks[id(change)]):
                continue
            source, gone = removed[blocks[id(change)]].pop(0)
            source.text.remove(gone)
            change.kind, change.old_position, change.old_file = "moved", gone.position, gone.file
            change.old_source, change.old_line = gone.source, gone.line


def _find_moved_sections(chapters: list[ChapterDiff]) -> None:
    """A section gone from one chapter and one of the same title (numbers left out) new in
    another moved there; within a chapter, a new title like a gone one is a rewording, and
    a rename that changed only the number is a renumbering."""
    _pair_across(chapters, "sections", without_number)
    for chapter in chapters:
        for title in list(chapter.sections_added):
            scored = [
                (difflib.SequenceMatcher(None, without_number(t), without_number(title)).ratio(), t)
                for t in chapter.sections_removed
            ]
            score, was = max(scored, default=(0.0, ""))
            if score >= 0.5:
                chapter.sections_removed.remove(was)
                chapter.sections_added.remove(title)
                chapter.sections_renamed.append((was, title))
        renumbered = [
            (a, b) for a, b in chapter.sections_renamed if without_number(a) == without_number(b)
        ]
        chapter.sections_renumbered += renumbered
        chapter.sections_renamed = [r for r in chapter.sections_renamed if r not in renumbered]


def _find_moved_notes(chapters: list[ChapterDiff]) -> None:
    """A note gone from one chapter and one of the same text new in another moved there (its
    marker may differ: notes are numbered per chapter)."""
    _pair_across(chapters, "notes", lambda name: name.partition(" ")[2])


def _pair_across(chapters: list[ChapterDiff], what: str, key: Callable[[str], str]) -> None:
    """What one chapter gained (`{what}_added`) and another lost (`{what}_removed`), the same
    by `key`, moved: listed once, in `{what}_moved_in` of the chapter that has it now."""
    for chapter in chapters:
        added = getattr(chapter, f"{what}_added")
        for name in list(added):
            source = next(
                (
                    (c, n)
                    for c in chapters
                    if c is not chapter
                    for n in getattr(c, f"{what}_removed")
                    if key(n) == key(name)
                ),
                None,
            )
            if source:
                other, was = source
                getattr(other, f"{what}_removed").remove(was)
                added.remove(name)
                getattr(chapter, f"{what}_moved_in").append((was, other.id, name))


def _find_splits_and_merges(chapters: list[ChapterDiff], files: dict[str, str]) -> None:
    """A chapter only one edition has is reported as a whole, not block by block: an added
    one at least half of whose blocks came from one chapter was split from it, a removed one
    at least half of whose blocks went into one chapter was merged into it (and those moves
    are not listed again there)."""
    for chapter in chapters:
        if chapter.status == "added":
            came = [t.old_file for t in chapter.text if t.kind == "moved"]
            if came and 2 * len(came) >= len(chapter.text):
                chapter.status, chapter.related = "split", _most(came).removesuffix(".xhtml")
                # The section that became this chapter is part of the split, not a removal.
                for source in chapters:
                    if source.id == chapter.related:
                        source.sections_removed = [
                            t
                            for t in source.sections_removed
                            if without_number(t) != without_number(chapter.title)
                        ]
        elif chapter.status == "removed":
            file = files[chapter.id]
            went = [
                c.id for c in chapters for t in c.text if t.kind == "moved" and t.old_file == file
            ]
            if went and len(went) >= len(chapter.text):
                chapter.status, chapter.related = "merged", _most(went)
                for other in chapters:
                    other.text = [t for t in other.text if t.old_file != file]
    for chapter in chapters:
        if chapter.status in ("added", "removed", "split", "merged"):
            chapter.text = []
            chapter.sections_added, chapter.sections_removed = [], []
            if chapter.status == "split":
                chapter.sections_moved_in = []


def _most(values: list[str]) -> str:
    return max(sorted(set(values)), key=values.count)


def _compare_chapter(
    old: ChapterSnapshot, new: ChapterSnapshot, blocks: dict[int, Block]
) -> ChapterDiff:
    moved_file = bool(old.source and new.source and old.source != new.source)
    renamed = old.id != new.id or old.title != new.title or moved_file
    result = ChapterDiff(
        new.id,
        "renamed" if renamed else "changed",
        new.title,
        old_id=old.id if old.id != new.id else None,
        old_title=old.title if old.title != new.title else None,
        old_source=f"{old.source} → {new.source}" if moved_file else None,
    )
    _compare_sections(old.sections, new.sections, old.id, new.id, result)
    _compare_notes(old, new, result)
    _compare_blocks(old, new, result, blocks)
    return result


def _local(anchor: str, chapter_id: str) -> str:
    """An anchor without its chapter prefix, so a renamed chapter's anchors still match."""
    return anchor[len(chapter_id) + 1 :] if anchor.startswith(chapter_id + "-") else anchor


def _compare_sections(
    old: tuple[Section, ...],
    new: tuple[Section, ...],
    old_id: str,
    new_id: str,
    result: ChapterDiff,
) -> None:
    old_by_key = {_local(s.id, old_id): s for s in old}
    pairs: list[tuple[Section, Section]] = []
    for section in new:
        keys = [_local(section.id, new_id)] + [_local(a, new_id) for a in section.aliases]
        before = next((old_by_key[k] for k in keys if k in old_by_key), None)
        if before is None:
            result.sections_added.append(section.title)
            continue
        pairs.append((before, section))
        if before.title != section.title:
            result.sections_renamed.append((before.title, section.title))
    kept = {id(before) for before, _ in pairs}
    result.sections_removed = [s.title for s in old if id(s) not in kept]
    # Moved: kept sections out of their old relative order (not on the longest common run).
    old_order = [s.id for s in old if id(s) in kept]
    new_order = [before.id for before, _ in pairs]
    matcher = difflib.SequenceMatcher(None, old_order, new_order, autojunk=False)
    in_place = {old_order[b.a + k] for b in matcher.get_matching_blocks() for k in range(b.size)}
    result.sections_moved = [after.title for before, after in pairs if before.id not in in_place]


def _compare_notes(old: ChapterSnapshot, new: ChapterSnapshot, result: ChapterDiff) -> None:
    before = {_local(n.id, old.id): n for n in old.notes}
    after = {_local(n.id, new.id): n for n in new.notes}
    result.notes_added = [after[k].name for k in after if k not in before]
    result.notes_removed = [before[k].name for k in before if k not in after]
    result.notes_changed = [
        (after[k].name, char_diff(before[k].text, after[k].text))
        for k in after
        if k in before and before[k].text != after[k].text
    ]


def _compare_blocks(
    old: ChapterSnapshot, new: ChapterSnapshot, result: ChapterDiff, blocks: dict[int, Block]
) -> None:
    before, after = old.blocks, new.blocks
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # A block in place of one of its kind is that block changed; the rest came or went.
        paired = 0
        if tag == "replace":
            while (
                paired < min(i2 - i1, j2 - j1)
                and before[i1 + paired].kind == after[j1 + paired].kind
            ):
                paired += 1
        for k in range(paired):
            was, now = before[i1 + k], after[j1 + k]
            change = _change("changed", now, j1 + k + 1, new, _block_diff(was, now))
            change.old_position, change.old_file = i1 + k + 1, old.file
            change.old_source, change.old_line = old.source or None, was.line
            result.text.append(change)
        for k in range(j1 + paired, j2):
            change = _change("added", after[k], k + 1, new, _describe(after[k]))
            blocks[id(change)] = after[k]
            result.text.append(change)
        for k in range(i1 + paired, i2):
            change = _change("removed", before[k], k + 1, old, _describe(before[k]))
            blocks[id(change)] = before[k]
            result.text.append(change)


def _change(
    kind: str, block: Block, position: int, chapter: ChapterSnapshot, excerpt: str
) -> TextChange:
    return TextChange(
        kind,
        block.kind,
        position,
        chapter.file,
        excerpt,
        source=chapter.source or None,
        line=block.line,
    )


def _block_diff(old: Block, new: Block) -> str:
    """What changed in a block: its text, and where its links lead or which picture it is."""
    parts = [char_diff(old.text, new.text) if old.text != new.text else _clip(new.text)]
    if old.targets != new.targets:
        was, now = " ".join(old.targets), " ".join(new.targets)
        # A picture's hash is shown whole: a character diff of two hashes says nothing.
        parts.append(f"[-{was}-]{{+{now}+}}" if new.kind == "image" else char_diff(was, now))
    return " → ".join(p for p in parts if p) if len(parts) > 1 else parts[0]


def _describe(block: Block) -> str:
    targets = " ".join(t for t in block.targets if t)
    return f"{_clip(block.text)} ({targets})" if targets else _clip(block.text)


def char_diff(old: str, new: str) -> str:
    """A short character diff: '…context[-old-]{+new+}context…' around each change."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            text = old[i1:i2]
            if len(text) > 2 * CONTEXT:
                first = not parts
                last = i2 == len(old)
                head = "" if first else text[:CONTEXT]
                tail = "" if last else text[-CONTEXT:]
                text = head + "…" + tail
            parts.append(text)
            continue
        if i2 > i1:
            parts.append(f"[-{old[i1:i2]}-]")
        if j2 > j1:
            parts.append(f"{{+{new[j1:j2]}+}}")
    return "".join(parts)


def _clip(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[:size] + "…"
