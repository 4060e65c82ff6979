"""One Markdown file per section: found, ordered, its front matter split off and read."""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from ..core.codes import finding
from ..core.errors import Diagnostic, ManuscriptError
from ..core.i18n import N_
from ..core.model import (
    KINDS,
    Chapter,
    body_digest,
)
from ..incremental.source_index import SourceIndex
from .safe_yaml import NOT_XML, VALUE, Lines, load_yaml, read_text
from .schema import (
    FRONT_MATTER_KEYS,
    RESERVED_IDS,
    RESERVED_PREFIX,
    XML_NAME,
    Findings,
    near_hint,
    usable_id,
)

_ATX_H1 = re.compile(r"^#(?!#)\s*(.+?)\s*#*\s*(\{[^}]*\})?\s*$")


def inside(
    root: Path, value: str, base: Path | None = None, entry: os.DirEntry | None = None
) -> Path | None:
    """The file `value` names relative to `root`, resolved (symlinks too), if it stays inside.
    `base` is root resolved, when the caller asks about many files; `entry` is the file's entry
    in root's listing, when the caller has it (it tells a symlink without a system call)."""
    if not value or "\0" in value or Path(value).is_absolute():
        return None
    base = base or root.resolve()
    if "/" not in value and "\\" not in value and value not in (".", ".."):
        # A plain file name stays inside unless it is a symlink: one lstat at most, not a
        # resolve of every folder above it (a book of thousands of chapters asks this
        # thousands of times).
        candidate = base / value
        try:
            if not (entry.is_symlink() if entry else stat.S_ISLNK(os.lstat(candidate).st_mode)):
                return candidate
        except OSError:
            return candidate  # no such file: the caller reports that
    try:
        resolved = (base / value).resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return None
    return resolved if base in resolved.parents else None


# A line and its end, as str.splitlines(keepends=True) divides a text.
_ENDS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE = re.compile(f"[^{_ENDS}]*(?:\r\n|[{_ENDS}])?")


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where each of text.splitlines(keepends=True) starts and ends, one at a time: the
    front matter is a few lines at the top of a long text."""
    position = 0
    while position < len(text):
        end = _LINE.match(text, position).end()
        yield position, end
        position = end


def _first_lines(text: str, count: int) -> list[str]:
    """text.splitlines()[:count], without splitting the rest of a long text."""
    end = -1
    for _ in range(count):
        end = text.find("\n", end + 1)
        if end < 0:
            break
    return (text[: end + 1] if end >= 0 else text).splitlines()[:count]


def split_front_matter(text: str, path: Path) -> tuple[str | None, int, str, int]:
    """Split `---` front matter off; return (yaml, its first line, body, body's first line)."""
    lines = _line_spans(text)
    first = next(lines, None)
    if first is None or text[first[0] : first[1]].rstrip() != "---":
        return None, 0, text, 1
    for number, (start, end) in enumerate(lines, start=2):
        if text[start:end].rstrip() in ("---", "..."):
            return text[first[1] : start], 2, text[end:], number + 1
    raise ManuscriptError(
        "front matter is not closed",
        path,
        1,
        1,
        hint="end the front matter with a line '---'",
        code="F001",
    )


def natural_key(name: str) -> tuple:
    """Sort key for file names: '2.md' before '10.md', 'ch.md' before 'ch2.md'."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    parts = [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", stem) if p]
    return parts, suffix


def default_chapter_id(path: Path) -> str:
    """Derive a stable ASCII id from a file name: '01-intro.md' -> 'intro'."""
    stem = re.sub(r"^[\d_.\- ]+", "", path.stem) or path.stem
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-")
    if not slug or not XML_NAME.match(slug):
        slug = "ch-" + (slug or re.sub(r"\W+", "", path.stem) or "x")
    return slug


def load_chapters(
    root: Path, listed: list | None, found: Findings, index: SourceIndex
) -> tuple[list[Chapter], list[Diagnostic]]:
    """The chapters book.yaml lists (else the folder's Markdown files in natural order), each
    loaded; what is wrong with the list is reported to `found`."""
    listing = _markdown_files(root)
    on_disk, entries = _entries(root, listing, listed, found)
    base = root.resolve()
    chapters: list[Chapter] = []
    findings: list[Diagnostic] = []
    seen: set[str] = set()
    for name, key in entries:
        path = root / name
        entry = listing.get(name)
        # Files found rather than listed were weighed above already.
        if listed is not None and not _stays_inside(root, name, base, entry):
            found.add(
                "B016",
                "chapter '{name}' is outside the manuscript folder",
                key + (VALUE,),
                "keep every chapter file inside the manuscript folder (symlinks pointing out"
                " do not count)",
                name=name,
            )
            continue
        if name in seen:
            found.add(
                "B013",
                "'{name}' is listed twice in chapters",
                key + (VALUE,),
                "remove the second entry",
                name=name,
            )
            continue
        seen.add(name)
        if not (entry.is_file() if entry is not None else path.is_file()):
            near = difflib.get_close_matches(name, on_disk, n=1)
            found.add(
                "B007",
                "chapter file '{name}' does not exist",
                key + (VALUE,),
                **near_hint(near, (), N_("check the file name")),
                name=name,
            )
            continue
        try:
            chapter, chapter_findings = load_chapter(path, index)
        except ManuscriptError as exc:
            # One broken file must not hide the findings in the others.
            findings.append(exc.diagnostic)
            continue
        chapters.append(chapter)
        findings.extend(chapter_findings)
    return chapters, findings


def _stays_inside(root: Path, name: str, base: Path, entry: os.DirEntry | None) -> bool:
    """Whether the chapter file `name` stays inside the folder: a plain file of its listing
    does, without a path made for it (a book of thousands of chapters asks for each)."""
    if entry is not None and not entry.is_symlink():
        return True
    return inside(root, name, base, entry) is not None


def _markdown_files(root: Path) -> dict[str, os.DirEntry]:
    """The folder's *.md entries by name: listed once, they tell which are files and which
    symlinks without a system call per file (a book of thousands of chapters)."""
    try:
        with os.scandir(root) as entries:
            return {e.name: e for e in entries if e.name.endswith(".md")}
    except OSError:
        return {}


def _entries(
    root: Path, listing: dict[str, os.DirEntry], listed: list | None, found: Findings
) -> tuple[list[str], list[tuple[str, tuple]]]:
    """The Markdown files in the folder, and the (name, key path) of each chapter to load:
    as listed (a file left out is B014), else every file of the folder that stays inside it
    (B016)."""
    on_disk = sorted(listing, key=natural_key)
    base = root.resolve()
    if listed is None:
        # Unlisted files are found, not named: one that leads out of the folder is left out.
        outside = {n for n in on_disk if not _stays_inside(root, n, base, listing[n])}
        for name in sorted(outside, key=natural_key):
            found.add(
                "B016",
                "{name} leads outside the manuscript folder (a symlink) and is left out",
                (),
                "copy the file into the manuscript folder instead of linking to it",
                name=name,
            )
        on_disk = [name for name in on_disk if name not in outside]
    if listed is None:
        entries = [(name, ("chapters",)) for name in on_disk]
    else:
        entries = [(str(name), ("chapters", i)) for i, name in enumerate(listed)]
        named = {name for name, _ in entries}
        for name in on_disk:
            if name not in named and not name.upper().startswith("README"):
                found.add(
                    "B014",
                    "{name} is not listed in chapters and is left out",
                    ("chapters",),
                    "add '- {name}' to chapters, or move the file elsewhere",
                    name=name,
                )
    return on_disk, entries


def _unchanged_body(path: Path, offset: int, digest: str) -> str:
    """The body of a chapter file the source index knew unchanged, read when it is needed;
    a file saved since (its digest differs) stops the run rather than mix two versions."""
    body = read_text(path, "F001")[offset:]
    if body_digest(body) != digest:
        raise ManuscriptError(
            "{name} changed while the book was being built",
            path,
            hint="build again",
            code="F008",
            name=path.name,
        )
    return body


_T005 = N_("remove it: it is invisible, and no e-book file can contain it")


def _without_control_characters(body: str, first_line: int, found: Findings) -> str:
    """Report each line holding a character XML cannot hold; replace it, so rendering the
    rest (for the other checks) still works while the error stops the build."""
    if not NOT_XML.search(body):
        return body
    for offset, line in enumerate(body.splitlines()):
        bad = NOT_XML.search(line)
        if bad:
            found.items.append(
                finding(
                    "T005",
                    "control character U+{value:04X} in the text",
                    found.path,
                    first_line + offset,
                    bad.start() + 1,
                    _T005,
                    value=ord(bad.group(0)),
                )
            )
    return NOT_XML.sub("\ufffd", body)


def load_chapter(path: Path, index: SourceIndex | None = None) -> tuple[Chapter, list[Diagnostic]]:
    """Read one Markdown file with optional YAML front matter (as `index` remembers it, when
    the file has not changed since)."""
    if index is not None and (known := index.recall(path, _unchanged_body)) is not None:
        return known, []
    text = read_text(path, "F001")
    fm_text, fm_line, body, body_line = split_front_matter(text, path)
    meta: dict = {}
    lines: Lines = {}
    if fm_text is not None and fm_text.strip():
        meta, lines = load_yaml(fm_text, path, fm_line, code="F001")
        if not isinstance(meta, dict):
            raise ManuscriptError(
                "front matter must be a mapping of keys to values", path, fm_line, code="F001"
            )
    found = Findings(path, lines)
    chapter_id, kind = _front_matter_keys(meta, path, found)
    title = meta.get("title")
    if title is None and not any(_ATX_H1.match(line) for line in _first_lines(body, 50)):
        found.add(
            "F006",
            "no title: neither front matter 'title' nor a '#' heading",
            (),
            "add 'title: …' to the front matter or start the text with '# Title'",
        )
    aliases = _aliases(meta, found)
    body = _without_control_characters(body, body_line, found)
    chapter = Chapter(
        aliases=aliases,
        id=chapter_id,
        path=path,
        kind=kind,
        title=str(title).strip() if title is not None else None,
        text=body,
        body_line=body_line,
        front_matter=meta,
        front_matter_lines=lines,
    )
    if index is not None and not found.items:
        index.remember(chapter, text)
    return chapter, found.items


def _front_matter_keys(meta: dict, path: Path, found: Findings) -> tuple[str, str]:
    """The chapter's id and kind, after every key of the front matter is weighed: unknown keys,
    values that are not text, an unusable id, an unknown kind (which stays a chapter)."""
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            near = difflib.get_close_matches(str(key), FRONT_MATTER_KEYS, n=1)
            found.add(
                "F002",
                "unknown front matter key '{key_}' is ignored",
                (key,),
                **near_hint(near, FRONT_MATTER_KEYS),
                key_=key,
            )
    for key in ("title", "id", "kind"):
        if isinstance(meta.get(key), list | dict):
            found.add(
                "F001",
                "front matter '{key_}' must be text, not a list or mapping",
                (key, VALUE),
                "write it as {key_}: value",
                key_=key,
            )
            meta[key] = None
    chapter_id = str(meta.get("id") or default_chapter_id(path))
    if not usable_id(chapter_id):
        found.add(
            "F003",
            "id '{chapter_id}' is not usable as a file name and anchor",
            ("id", VALUE),
            "use ASCII letters, digits, '-', '_' and '.', starting with a letter; not one of "
            "{value} nor starting with '{RESERVED_PREFIX}'",
            chapter_id=chapter_id,
            value=", ".join(sorted(RESERVED_IDS)),
            RESERVED_PREFIX=RESERVED_PREFIX,
        )
    kind = str(meta.get("kind") or "chapter")
    if kind not in KINDS:
        near = difflib.get_close_matches(kind, list(KINDS), n=1)
        found.add(
            "F005",
            "unknown kind '{kind}'",
            ("kind", VALUE),
            **near_hint(near, KINDS, N_("use one of {known}")),
            kind=kind,
        )
        kind = "chapter"
    return chapter_id, kind


def _aliases(meta: dict, found: Findings) -> tuple[str, ...]:
    """The ids this file had in earlier editions, each usable as a file name and anchor."""
    aliases = meta.get("aliases") or []
    if not isinstance(aliases, list):
        aliases = [aliases]
    for alias in aliases:
        if not usable_id(str(alias)):
            found.add(
                "F003",
                "alias '{alias}' is not usable as a file name and anchor",
                ("aliases", VALUE),
                "aliases are earlier ids of this file: ASCII letters, digits, '-', '_', '.'",
                alias=alias,
            )
    return tuple(str(a) for a in aliases)
