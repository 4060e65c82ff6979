"""book.yaml and front matter read as the small, hand-written YAML they are: no anchors,
aliases or tags, bounded depth, every key and value located by line and column."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import ManuscriptError

Lines = dict[tuple, tuple[int, int]]
# Key-path suffix for where a value starts (a bare key path gives where its key starts).
VALUE = "<value>"
# Characters XML 1.0 cannot hold (C0 controls but tab and line ends) and the noncharacters
# U+FFFE/U+FFFF: no XHTML document can contain them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
    node, data = _parse(text, path, first_line, code)
    return data, _positions(node, path, first_line, code) if node is not None else {}


def _parse(text: str, path: Path, first_line: int, code: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree and its data; each YAML error as a located ManuscriptError."""
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
    return node, data


def _positions(node: yaml.Node, path: Path, first_line: int, code: str) -> Lines:
    """Where every key and value is, by key path; a control character in a value (only an
    escape gets one past the reader) is an error."""
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

    walk(node, ())
    return lines
