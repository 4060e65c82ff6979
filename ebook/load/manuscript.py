"""Read a manuscript folder (book.yaml + one Markdown file per section) into a Book."""

from __future__ import annotations

import datetime
import difflib
import os
import re
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from stdnum.isbn import compact as isbn_compact

from ..core import settings
from ..core.codes import finding
from ..core.errors import Diagnostic, ManuscriptError
from ..core.i18n import N_
from ..core.model import (
    IMAGE_TYPES,
    KINDS,
    Book,
    Chapter,
    Cip,
    Colophon,
    Contributor,
    Impression,
    Options,
    Original,
    Publisher,
    Revision,
    Series,
    Volume,
    body_digest,
)
from ..core.roles import resolve_role
from ..core.settings import SETTINGS
from ..incremental.source_index import SourceIndex

CONFIG_NAME = "book.yaml"

# Allowed keys of book.yaml; a nested dict describes a nested mapping.
BOOK_SCHEMA: dict[str, Any] = {
    "title": str,
    "subtitle": str,
    "parallel_title": str,
    "title_statement": str,
    "file_as": str,
    "language": str,
    "contributors": list,
    "publisher": {"name": str, "place": str, "address": str},
    "date": str,
    "isbn": str,
    "eisbn": str,
    "uid": str,
    "cip": {
        "subjects": list,
        "classifications": list,
        "number": str,
        "standard": str,
        "notes": list,
        "single_points": str,
    },
    "series": {"title": str, "parallel_title": str, "editor": str, "issn": str, "number": str},
    "volume": {"number": int, "label": str, "title": str, "set_isbn": str},
    "original": {"title": str, "language": str},
    "colophon": {
        "title_romanized": str,
        "format": str,
        "sheets": str,
        "characters": int,
        "printer": str,
        "price": str,
        "rights": str,
    },
    "edition": {"number": int, "date": str, "statement": str, "responsibility": str},
    "printing": {"number": int, "date": str},
    "revisions": list,
    "notes": settings.schema("notes"),
    "chapters": list,
    "options": settings.schema("options"),
    "accessibility": settings.schema("accessibility"),
}
REQUIRED = ("title", "language", "contributors", "publisher", "date")
CONTRIBUTOR_KEYS = ("name", "role", "file_as", "nationality", "original_name")
FRONT_MATTER_KEYS = ("title", "id", "kind", "aliases")
REVISION_KEYS = ("date", "edition", "summary", "changes")
# The files the tool writes itself (<id>.xhtml): no chapter or alias may take their names,
# in any letter case (OCF file names must differ after case folding).
RESERVED_IDS = frozenset({"nav", "toc", "titlepage", "copyright", "cover", "notes", "revisions"})
# The book-end notes file groups each chapter's notes under id "notes-<chapter id>", which
# a chapter named "notes-…" could make equal to another chapter's note id.
RESERVED_PREFIX = "notes-"


def usable_id(name: str) -> bool:
    """An id a chapter or alias may take: an ASCII XML name that is not the tool's own."""
    folded = name.casefold()
    return (
        bool(_XML_NAME.match(name))
        and folded not in RESERVED_IDS
        and not folded.startswith(RESERVED_PREFIX)
    )


Lines = dict[tuple, tuple[int, int]]
# Key-path suffix for where a value starts (a bare key path gives where its key starts).
VALUE = "<value>"
# Characters XML 1.0 cannot hold (C0 controls but tab and line ends) and the noncharacters
# U+FFFE/U+FFFF: no XHTML document can contain them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_ATX_H1 = re.compile(r"^#(?!#)\s*(.+?)\s*#*\s*(\{[^}]*\})?\s*$")


# A manuscript's YAML is small and hand-written: it needs no anchors, aliases or tags, and
# allowing them lets a few lines expand without bound ("billion laughs").
MAX_YAML_DEPTH = 32


class _YamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader when PyYAML has it (the same results, many times faster); dates
    stay text, so an impossible date is a finding at its line rather than a crash."""


_YamlLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def read_text(path: Path, code: str) -> str:
    """A manuscript file's text: UTF-8 (a BOM is dropped), else a located error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManuscriptError(
            "cannot read {name}: {strerror}", path, code=code, name=path.name, strerror=exc.strerror
        ) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ManuscriptError(
            "{name} is UTF-16 text",
            path,
            1,
            1,
            hint="save it as UTF-8",
            code="F007",
            name=path.name,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise ManuscriptError(
            "{name} is not UTF-8 text: byte 0x{data:02x} cannot be read",
            path,
            line,
            column,
            hint="save the file as UTF-8 (most editors offer it under 'Save as' or 'Encoding')",
            code="F007",
            name=path.name,
            data=data[exc.start],
        ) from exc
    return text.removeprefix("\ufeff")


def _yaml_error(message: str, path: Path, mark, first_line: int, code: str, hint: str, **arguments):
    return ManuscriptError(
        message,
        path,
        mark.line + first_line if mark else first_line,
        mark.column + 1 if mark else None,
        hint=hint,
        code=code,
        **arguments,
    )


def _refuse_expansions(text: str, path: Path, first_line: int, code: str) -> None:
    """Refuse anchors, aliases, explicit tags and deep nesting before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=_YamlLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _yaml_error(
                "YAML anchors and aliases (&name, *name) are not allowed here",
                path,
                event.start_mark,
                first_line,
                code,
                "write the value out where it is needed",
            )
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise _yaml_error(
                "YAML tag '{value}' is not allowed here",
                path,
                event.start_mark,
                first_line,
                code,
                "remove the tag; quote the value if it is text",
                value=tag.replace("tag:yaml.org,2002:", "!!"),
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _yaml_error(
                    "YAML nested more than {MAX_YAML_DEPTH} levels deep",
                    path,
                    event.start_mark,
                    first_line,
                    code,
                    "a manuscript's settings need only a few levels",
                    MAX_YAML_DEPTH=MAX_YAML_DEPTH,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _unclosed_bracket(text: str, mark) -> tuple[int, int, str] | None:
    """(line, column, bracket) of the last [ or { still open where the parser stopped."""
    if mark is None:
        return None
    lines = text.splitlines()[: mark.line + 1]
    if len(lines) > mark.line:
        lines[mark.line] = lines[mark.line][: mark.column]
    stack: list[tuple[int, int, str]] = []
    for number, line in enumerate(lines):
        quote = None
        for column, char in enumerate(line):
            if quote:
                quote = None if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#" and (column == 0 or line[column - 1] in " \t"):
                break
            elif char in "[{":
                stack.append((number, column, char))
            elif char in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def load_yaml(text: str, path: Path, first_line: int = 1, code: str = "B001") -> tuple[Any, Lines]:
    """Parse YAML, returning the data and the (line, column) of every key path."""
    hint = "check indentation and quote values that contain ': ' or start with a symbol"
    try:
        _refuse_expansions(text, path, first_line, code)
        loader = _YamlLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + first_line
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise ManuscriptError(
            "invalid YAML: character U+{character:04X} is not allowed",
            path,
            line,
            column,
            hint="remove the control character",
            code=code,
            character=exc.character,
        ) from exc
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or str(exc)
        opened = (
            _unclosed_bracket(text, exc.problem_mark)
            if exc.context and "flow" in (exc.context)
            else None
        )
        if opened is not None:
            # An unclosed [ or {: the parser notices only later; point at where it opened.
            line, column, bracket = opened
            where = exc.problem_mark.line + first_line
            raise ManuscriptError(
                "invalid YAML: this {bracket} is not closed (the parser stopped at line {where_}:"
                " {problem})",
                path,
                line + first_line,
                column + 1,
                hint="close it on the same line, or write one '- item' / 'key: value' per line",
                code=code,
                bracket=bracket,
                where_=where,
                problem=problem,
            ) from exc
        raise _yaml_error(
            "invalid YAML: {problem}",
            path,
            exc.problem_mark or exc.context_mark,
            first_line,
            code,
            hint,
            problem=problem,
        ) from exc
    except yaml.YAMLError as exc:
        message = f"invalid YAML: {exc}"
        raise ManuscriptError(message, path, first_line, code=code, hint=hint) from exc
    lines: Lines = {}

    def walk(n: yaml.Node, key_path: tuple) -> None:
        mark = n.start_mark
        if isinstance(n, yaml.ScalarNode) and NOT_XML.search(n.value):
            # Only an escape ("\x01") gets one past the YAML reader.
            bad = NOT_XML.search(n.value).group(0)
            raise _yaml_error(
                "control character U+{value:04X} in a value",
                path,
                mark,
                first_line,
                code,
                "remove it: no e-book file can contain it",
                value=ord(bad),
            )
        lines[key_path + (VALUE,)] = (mark.line + first_line, mark.column + 1)
        lines.setdefault(key_path, lines[key_path + (VALUE,)])
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                if not isinstance(k, yaml.ScalarNode):
                    continue  # a list or mapping as a key: reported as a wrong type
                lines[key_path + (k.value,)] = (
                    k.start_mark.line + first_line,
                    k.start_mark.column + 1,
                )
                walk(v, key_path + (k.value,))
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                walk(v, key_path + (i,))

    if node is not None:
        walk(node, ())
    return data, lines


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
    if not slug or not _XML_NAME.match(slug):
        slug = "ch-" + (slug or re.sub(r"\W+", "", path.stem) or "x")
    return slug


W3C_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def is_w3c_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a day the calendar has."""
    if not W3C_DATE.match(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


class _Findings:
    """Collects findings for one file while loading."""

    def __init__(self, path: Path, lines: Lines) -> None:
        self.path = path
        self.lines = lines
        self.items: list[Diagnostic] = []

    def add(self, code: str, message: str, key: tuple = (), hint: str | None = None, **arguments):
        """Record a finding at `key` (a key path; end it with VALUE to point at the value);
        `message` and `hint` are templates filled in from `arguments`."""
        line, col = self.lines.get(key, (1, 1) if key in ((), (VALUE,)) else (None, None))
        self.items.append(finding(code, message, self.path, line, col, hint, **arguments))


def _near(near: list[str], known, otherwise: str = N_("known keys: {known}")) -> dict[str, object]:
    """The hint for an unknown name: the nearest known one, else what is known (as keyword
    arguments for a finding: `hint` and its fields)."""
    if near:
        return {"hint": N_("did you mean '{near}'?"), "near": near[0]}
    return {"hint": otherwise, "known": ", ".join(known)}


def inside(root: Path, value: str, base: Path | None = None) -> Path | None:
    """The file `value` names relative to `root`, resolved (symlinks too), if it stays inside.
    `base` is root resolved, when the caller asks about many files."""
    if not value or "\0" in value or Path(value).is_absolute():
        return None
    base = base or root.resolve()
    if "/" not in value and "\\" not in value and value not in (".", ".."):
        # A plain file name stays inside unless it is a symlink: one lstat, not a resolve of
        # every folder above it (a book of thousands of chapters asks this thousands of times).
        candidate = base / value
        try:
            if not stat.S_ISLNK(os.lstat(candidate).st_mode):
                return candidate
        except OSError:
            return candidate  # no such file: the caller reports that
    try:
        resolved = (base / value).resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return None
    return resolved if base in resolved.parents else None


def _check_keys(data: dict, schema: dict, prefix: tuple, found: _Findings) -> set[str]:
    """Report unknown keys and wrong types (a wrong value becomes None); return those keys."""
    wrong: set[str] = set()
    for key, value in list(data.items()):
        if key not in schema:
            near = difflib.get_close_matches(str(key), list(schema), n=1)
            where = ".".join(map(str, prefix + (key,)))
            found.add(
                "B002",
                "unknown key '{where_}' is ignored",
                prefix + (key,),
                **_near(near, schema),
                where_=where,
            )
            continue
        expected = schema[key]
        want = dict if isinstance(expected, dict) else expected
        ok = isinstance(value, want) or (want is str and isinstance(value, int | float))
        if want is int and isinstance(value, bool):
            ok = False
        if not ok and value is not None:
            found.add(
                "B004",
                "'{value}' must be {value2}, not {value3}",
                prefix + (key, VALUE),
                _type_example(want),
                value=".".join(map(str, prefix + (key,))),
                value2=_type_name(want),
                value3=_type_name(type(value)),
            )
            data[key] = None
            wrong.add(key)
        elif isinstance(expected, dict) and value is not None:
            _check_keys(value, expected, prefix + (key,), found)
    return wrong


def _type_example(t: type) -> str:
    return {
        str: N_("write it as text, quoted if it contains ': '"),
        int: N_("write a whole number without quotes"),
        list: N_("write a list: [a, b] or one '- item' per line"),
        dict: N_("write indented 'key: value' lines below it"),
    }.get(t, N_("see the README for this key"))


def _type_name(t: type) -> str:
    names = {str: N_("text"), int: N_("a whole number"), list: N_("a list"), dict: N_("a mapping")}
    return names.get(t, t.__name__)


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class Located:
    """A manuscript found from a working folder, and where its builds go by default."""

    root: Path
    output_dir: Path


def locate_manuscript(start: Path) -> Located:
    """`start/manuscript` when it holds a book.yaml (the EPUB goes to `start/dist`), else the
    nearest of `start` and its parents that holds one (the EPUB goes to its `dist/`)."""
    conventional = start / "manuscript"
    if (conventional / CONFIG_NAME).is_file():
        return Located(conventional, start / "dist")
    for folder in (start, *start.resolve().parents):
        if (folder / CONFIG_NAME).is_file():
            return Located(folder, folder / "dist")
    raise ManuscriptError(
        "no manuscript here: no {conventional}/{CONFIG_NAME}, and no {CONFIG_NAME} in {value} or "
        "a folder above it",
        start,
        hint="name the manuscript folder, or `ebook init DIR` to start one",
        code="B000",
        conventional=conventional,
        CONFIG_NAME=CONFIG_NAME,
        value=start.resolve(),
    )


def load_book(root: Path, cache: bool = True) -> Book:
    """Read book.yaml and every chapter file of the manuscript at `root` (with `cache`, what
    the last run found in the files unchanged since is not worked out again)."""
    root = Path(root)
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        raise ManuscriptError(
            "no {CONFIG_NAME} in {root}",
            root,
            hint="is this a manuscript folder? `ebook init DIR` creates one",
            code="B000",
            CONFIG_NAME=CONFIG_NAME,
            root=root,
        )
    raw, lines = load_yaml(read_text(config_path, "B001"), config_path)
    if not isinstance(raw, dict):
        raise ManuscriptError(
            "{CONFIG_NAME} must be a mapping of keys to values",
            config_path,
            1,
            code="B004",
            CONFIG_NAME=CONFIG_NAME,
        )
    found = _Findings(config_path, lines)
    wrong = _check_keys(raw, BOOK_SCHEMA, (), found)
    for key in REQUIRED:
        if not raw.get(key) and key not in wrong:
            found.add("B003", "required field '{key_}' is missing", (), "add '{key_}:'", key_=key)

    contributors = _load_contributors(raw.get("contributors") or [], found)
    pub = raw.get("publisher") or {}
    cip = raw.get("cip") or {}
    colo = raw.get("colophon") or {}
    options = _load_options(
        {section: raw.get(section) or {} for section in settings.SECTIONS}, root, found
    )
    index = SourceIndex(root if cache else None)
    chapters, chapter_findings = _load_chapters(root, raw.get("chapters"), found, index)
    index.save()

    isbn = _text(raw, "isbn") or None
    eisbn = _text(raw, "eisbn") or None
    # The package's unique identifier: the e-book's own ISBN, else book.yaml's uid, else a
    # urn:uuid that stays the same from build to build (never random): from the print ISBN,
    # else from title and authors.
    uid = _text(raw, "uid") or None
    if eisbn:
        uid = f"urn:isbn:{isbn_compact(eisbn)}"
    elif uid is None:
        seed = (
            f"urn:isbn:{isbn_compact(isbn)}"
            if isbn
            else "\n".join([_text(raw, "title")] + [c.name for c in contributors if c.primary])
        )
        uid = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, seed))

    return Book(
        root=root,
        config_path=config_path,
        title=_text(raw, "title"),
        subtitle=_text(raw, "subtitle"),
        title_file_as=_text(raw, "file_as") or None,
        language=_text(raw, "language") or "zh-CN",
        contributors=contributors,
        publisher=Publisher(_text(pub, "name"), _text(pub, "place"), _text(pub, "address")),
        date=_text(raw, "date"),
        isbn=isbn,
        eisbn=eisbn,
        uid=uid,
        parallel_title=_text(raw, "parallel_title"),
        title_statement=_text(raw, "title_statement"),
        cip=Cip(
            subjects=tuple(str(s) for s in cip.get("subjects") or ()),
            classifications=tuple(str(s) for s in cip.get("classifications") or ()),
            number=_text(cip, "number"),
            standard=_text(cip, "standard"),
            notes=tuple(str(s) for s in cip.get("notes") or ()),
            single_points=_text(cip, "single_points"),
        ),
        series=_series(raw.get("series")),
        volume=_volume(raw.get("volume")),
        original=_original(raw.get("original")),
        colophon=Colophon(
            title_romanized=_text(colo, "title_romanized"),
            format=_text(colo, "format"),
            sheets=_text(colo, "sheets"),
            characters=colo.get("characters"),
            printer=_text(colo, "printer"),
            price=_text(colo, "price"),
            rights=_text(colo, "rights"),
        ),
        revisions=_load_revisions(raw.get("revisions") or [], found),
        edition=_impression(raw.get("edition")),
        printing=_impression(raw.get("printing")),
        options=options,
        chapters=tuple(chapters),
        findings=tuple(found.items + chapter_findings),
        config_lines=lines,
    )


def _impression(value: dict | None) -> Impression | None:
    if not value or value.get("number") is None:
        return None
    return Impression(
        int(value["number"]),
        _text(value, "date"),
        _text(value, "statement"),
        _text(value, "responsibility"),
    )


def _series(value: dict | None) -> Series | None:
    if not value or not _text(value, "title"):
        return None
    keys = ("title", "parallel_title", "editor", "issn", "number")
    return Series(*(_text(value, k) for k in keys))


def _volume(value: dict | None) -> Volume | None:
    if not value or value.get("number") is None:
        return None
    number = int(value["number"])
    return Volume(
        number,
        _text(value, "label") or f"第{number}卷",
        _text(value, "title"),
        _text(value, "set_isbn"),
    )


def _original(value: dict | None) -> Original | None:
    if not value or not _text(value, "title"):
        return None
    return Original(_text(value, "title"), _text(value, "language"))


def _load_contributors(items: list, found: _Findings) -> tuple[Contributor, ...]:
    result = []
    for i, item in enumerate(items):
        key = ("contributors", i)
        if (
            not isinstance(item, dict)
            or not item.get("name")
            or not all(isinstance(item.get(k) or "", str | int) for k in CONTRIBUTOR_KEYS)
        ):
            found.add(
                "B004",
                "a contributor needs at least 'name' and 'role'",
                key,
                "write it as {name: 闫建, role: 著}",
            )
            continue
        for extra in set(item) - set(CONTRIBUTOR_KEYS):
            found.add(
                "B002",
                "unknown contributor key '{extra}' is ignored",
                key + (extra,),
                "known keys: {value}",
                extra=extra,
                value=", ".join(CONTRIBUTOR_KEYS),
            )
        role = str(item.get("role") or "aut")
        resolved = resolve_role(role)
        if resolved is None:
            found.add(
                "B006",
                "unknown contributor role '{role}'",
                key + ("role", VALUE),
                "use a printed term (著, 主编, 译, 责任编辑, 美术编辑, 封面设计, 责任校对…)"
                " or a MARC relator code (aut, edt, trl…)",
                role=role,
            )
            continue
        code, label, primary = resolved
        file_as = item.get("file_as")
        result.append(
            Contributor(
                str(item["name"]).strip(),
                code,
                label,
                primary,
                str(file_as) if file_as else None,
                _text(item, "nationality"),
                _text(item, "original_name"),
            )
        )
    return tuple(result)


def _load_revisions(items: list, found: _Findings) -> tuple[Revision, ...]:
    result = []
    for i, item in enumerate(items):
        key = ("revisions", i)
        if not isinstance(item, dict) or item.get("edition") is None or not item.get("date"):
            found.add(
                "B004",
                "a revision needs at least 'date' and 'edition'",
                key + (VALUE,),
                "write it as {date: 2024-05, edition: 2, summary: …, changes: [...]}",
            )
            continue
        edition = item["edition"]
        if not isinstance(edition, int) or isinstance(edition, bool):
            found.add(
                "B004",
                "a revision's edition must be a whole number, not '{edition}'",
                key + ("edition", VALUE),
                "write the edition number without quotes, e.g. edition: 2",
                edition=edition,
            )
            continue
        if not isinstance(item["date"], str) or not is_w3c_date(item["date"]):
            found.add(
                "B011",
                "'{item}' is not a W3C date",
                key + ("date", VALUE),
                "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-05",
                item=item["date"],
            )
            continue
        for extra in set(item) - set(REVISION_KEYS):
            near = difflib.get_close_matches(str(extra), REVISION_KEYS, n=1)
            found.add(
                "B002",
                "unknown revision key '{extra}' is ignored",
                key + (extra,),
                **_near(near, REVISION_KEYS),
                extra=extra,
            )
        changes = item.get("changes") or []
        result.append(
            Revision(
                date=item["date"],
                edition=int(item["edition"]),
                summary=str(item.get("summary") or "").strip(),
                changes=tuple(
                    str(c) for c in (changes if isinstance(changes, list) else [changes])
                ),
            )
        )
    return tuple(sorted(result, key=lambda r: (r.edition, r.date)))


def _load_options(sections: dict[str, dict], root: Path, found: _Findings) -> Options:
    """Every setting of `options:` and `notes:`, validated and defaulted as settings.py says."""
    values: dict[str, object] = {}
    for setting in SETTINGS:
        raw = sections[setting.section].get(setting.name)
        where = (setting.section, setting.name, VALUE)
        value = setting.default if raw is None or raw == "" else raw
        if setting.choices and value not in setting.choices:
            found.add(
                "B004",
                "{key_} must be one of {value}, not '{value2}'",
                where,
                "the default is {default}",
                key_=setting.key,
                value=", ".join(setting.choices),
                value2=value,
                default=setting.default,
            )
            value = setting.default
        elif setting.bounds and not setting.bounds[0] <= value <= setting.bounds[1]:
            low, high = setting.bounds
            found.add(
                "B004",
                "{key_} must be between {low} and {high}, not {value}",
                where,
                "the default is {default}",
                key_=setting.key,
                low=low,
                high=high,
                value=value,
                default=setting.default,
            )
            value = setting.default
        elif setting.path and value is not None:
            value = _file_setting(setting.name, str(value), root, found)
        values[setting.field] = value
    values["output_name"] = _output_name(values["output_name"], found)  # type: ignore[arg-type]
    if values["note_compat"] == "duokan" and values["note_placement"] == "book-end":
        found.add(
            "B004",
            "notes.compat duokan needs the notes at the chapter's end",
            ("notes", "compat", VALUE),
            "Duokan pops up only notes in the same file:"
            " drop placement: book-end, or compat: duokan",
        )
    return Options(**values)  # type: ignore[arg-type]


def _file_setting(name: str, value: str, root: Path, found: _Findings) -> Path | None:
    """The file a path setting names, when it is inside the manuscript and usable."""
    where = ("options", name, VALUE)
    path = inside(root, value)
    if path is None:
        found.add(
            "B016",
            "{name} '{value}' is outside the manuscript folder",
            where,
            "copy the file into the manuscript folder and give its path from there",
            name=name,
            value=value,
        )
    elif name == "cover" and path.suffix.lower() not in IMAGE_TYPES:
        found.add(
            "L003",
            "cover '{value}' is of a type EPUB does not allow",
            where,
            "use a JPEG or PNG cover",
            value=value,
        )
    elif not path.is_file():
        found.add(
            "B007",
            "{name} file '{value}' does not exist",
            where,
            "give a path relative to the manuscript folder",
            name=name,
            value=value,
        )
    elif name == "cover" and (problem := _image_problem(path)):
        code, template, arguments = problem
        found.add(
            code,
            template,
            where,
            "save the cover again as a plain JPEG or PNG file",
            file=value,
            **arguments,
        )
    else:
        return path
    return None


def _image_problem(path: Path) -> tuple[str, str, dict] | None:
    from ..core.media import image_problem  # lxml: only when a cover is named

    return image_problem(path)


def _output_name(value: str | None, found: _Findings) -> str | None:
    """A file name for the EPUB in the output folder: never a path that leads elsewhere."""
    if not value:
        return None
    name = str(value).removesuffix(".epub")
    if (
        not name
        or name.strip(".") == ""
        or any(c in name for c in "/\\\0:")
        or (not name.isprintable())
    ):
        found.add(
            "B017",
            "output_name '{value}' is not a file name",
            ("options", "output_name", VALUE),
            "give a name without folders, e.g. output_name: my-book (-o chooses another folder)",
            value=value,
        )
        return None
    return name


def _load_chapters(
    root: Path, listed: list | None, found: _Findings, index: SourceIndex
) -> tuple[list[Chapter], list[Diagnostic]]:
    on_disk = sorted((p.name for p in root.glob("*.md")), key=natural_key)
    base = root.resolve()
    if listed is None:
        # Unlisted files are found, not named: one that leads out of the folder is left out.
        outside = {name for name in on_disk if inside(root, name, base) is None}
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
    chapters: list[Chapter] = []
    findings: list[Diagnostic] = []
    seen: set[str] = set()
    for name, key in entries:
        path = root / name
        # Files found rather than listed were weighed above already.
        if listed is not None and inside(root, name, base) is None:
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
        if not path.is_file():
            near = difflib.get_close_matches(name, on_disk, n=1)
            found.add(
                "B007",
                "chapter file '{name}' does not exist",
                key + (VALUE,),
                **_near(near, (), N_("check the file name")),
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


def _without_control_characters(body: str, first_line: int, found: _Findings) -> str:
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
    found = _Findings(path, lines)
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            near = difflib.get_close_matches(str(key), FRONT_MATTER_KEYS, n=1)
            found.add(
                "F002",
                "unknown front matter key '{key_}' is ignored",
                (key,),
                **_near(near, FRONT_MATTER_KEYS),
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
            **_near(near, KINDS, N_("use one of {known}")),
            kind=kind,
        )
        kind = "chapter"
    title = meta.get("title")
    if title is None and not any(_ATX_H1.match(line) for line in _first_lines(body, 50)):
        found.add(
            "F006",
            "no title: neither front matter 'title' nor a '#' heading",
            (),
            "add 'title: …' to the front matter or start the text with '# Title'",
        )
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
    body = _without_control_characters(body, body_line, found)
    chapter = Chapter(
        aliases=tuple(str(a) for a in aliases),
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
