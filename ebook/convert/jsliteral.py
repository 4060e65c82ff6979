"""The literal values of a site's JavaScript or TypeScript config, read without running it.

A VitePress, VuePress or Docusaurus site keeps its title and sidebar in `config.mts` or
`sidebars.js`: object and array literals of strings and numbers, often named by a `const` or
returned by a `function` of the same file. This reads those literals; whatever is computed
(a call to an import, an arrow function, a template with `${…}`) is `UNKNOWN`. Nothing is
executed: a config is text here.
"""

from __future__ import annotations

import re
from typing import Any

UNKNOWN = object()  # a value only running the code could tell

_TOKEN = re.compile(
    r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\$]|\\.|\$(?!\{)|\$\{[^{}`]*\})*`)
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<spread>\.\.\.)
  | (?P<punct>[{}\[\]():,;=.<>?|&!+*/-])
  | (?P<other>.)
    """,
    re.S | re.X,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "`": "`"}
# The generators' config helpers: each returns the object it is given.
_DEFINE = re.compile(r"^define\w*Config\w*$")
# How deep literals nest before the rest is UNKNOWN (a config's nest two or three deep).
MAX_DEPTH = 32


def tokens(text: str) -> list[tuple[str, str]]:
    return [
        (found.lastgroup or "other", found.group())
        for found in _TOKEN.finditer(text)
        if found.lastgroup != "space"
    ]


def _string(written: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), written[1:-1])


class Source:
    """One config file's tokens, and its top-level names (`const x = …`, `function f() {
    … return …}`) for the values that refer to them."""

    def __init__(self, text: str) -> None:
        self.tokens = tokens(text[: 4 * 2**20])
        self.names: dict[str, int] = {}  # name -> where its value (or return value) starts
        for index, (kind, value) in enumerate(self.tokens):
            if kind != "name" or index + 2 >= len(self.tokens):
                continue
            if value in ("const", "let", "var") and self.tokens[index + 1][0] == "name":
                start = self._after(index + 2, "=")
                if start is not None:
                    self.names.setdefault(self.tokens[index + 1][1], start)
            elif value == "function" and self.tokens[index + 1][0] == "name":
                start = self._after(index + 2, "return")
                if start is not None:
                    self.names.setdefault(self.tokens[index + 1][1], start)

    def _after(self, index: int, mark: str) -> int | None:
        """Where the value after `mark` starts, looking a short way on (past a type)."""
        for position in range(index, min(index + 200, len(self.tokens))):
            if self.tokens[position][1] == mark:
                return position + 1
            if mark == "=" and self.tokens[position][1] in (";", "const", "function"):
                return None
        return None

    def exported(self) -> Any:
        """The config object: `export default …`, `defineConfig(…)`, `module.exports = …`."""
        for index, (_, value) in enumerate(self.tokens):
            following = self.tokens[index + 1][1] if index + 1 < len(self.tokens) else ""
            if value == "export" and following == "default":
                return self.value(index + 2)
            if value == "exports" and following == "=":
                return self.value(index + 2)
        return UNKNOWN

    def named(self, name: str) -> Any:
        start = self.names.get(name)
        return UNKNOWN if start is None else self.value(start)

    def value(self, index: int, depth: int = 0) -> Any:
        return self._read(index, depth)[0]

    def _read(self, index: int, depth: int, seen: frozenset[str] = frozenset()) -> tuple:
        """(the value starting at `index`, where it ends)."""
        if index >= len(self.tokens) or depth > MAX_DEPTH:
            return UNKNOWN, len(self.tokens)
        kind, value = self.tokens[index]
        if kind == "string":
            if value.startswith("`") and "${" in value:
                return UNKNOWN, index + 1
            return _string(value), index + 1
        if kind == "number":
            return float(value) if "." in value else int(value), index + 1
        if value == "{":
            return self._object(index + 1, depth, seen)
        if value == "[":
            return self._array(index + 1, depth, seen)
        if kind == "name":
            if value in ("true", "false", "null"):
                return {"true": True, "false": False, "null": None}[value], index + 1
            opening = self._past_type_arguments(index + 1)
            call = opening < len(self.tokens) and self.tokens[opening][1] == "("
            end = self._skip(index + 1) if call else index + 1
            if _DEFINE.match(value) and call:
                # defineConfig({…}), defineConfigWithTheme<T>({…}), defineUserConfig({…}):
                # the generators' typing helpers return their argument.
                return self._read(opening + 1, depth + 1, seen)[0], end
            if value in seen or value not in self.names:
                return UNKNOWN, end
            # A name of this file (`sidebarGuide()`, `const sidebar = {…}`): its value.
            return self._read(self.names[value], depth + 1, seen | {value})[0], end
        return UNKNOWN, self._skip(index)

    def _object(self, index: int, depth: int, seen) -> tuple:
        found: dict[str, Any] = {}
        while index < len(self.tokens) and self.tokens[index][1] != "}":
            kind, value = self.tokens[index]
            if value == ",":
                index += 1
                continue
            if kind == "spread":
                index = self._skip(index + 1)
                continue
            key = _string(value) if kind == "string" else value
            nxt = self.tokens[index + 1][1] if index + 1 < len(self.tokens) else ""
            if nxt == ":":
                found[key], index = self._read(index + 2, depth + 1, seen)
            elif nxt in (",", "}") and kind == "name":  # `{ sidebar }`: shorthand
                found[key] = self._read(index, depth + 1, seen)[0]
                index += 1
            else:  # a method, a computed key: what it holds is code
                index = self._skip(index)
        return found, index + 1

    def _array(self, index: int, depth: int, seen) -> tuple:
        found: list = []
        while index < len(self.tokens) and self.tokens[index][1] != "]":
            if self.tokens[index][1] == ",":
                index += 1
                continue
            if self.tokens[index][0] == "spread":
                index = self._skip(index + 1)
                continue
            item, index = self._read(index, depth + 1, seen)
            found.append(item)
        return found, index + 1

    def _past_type_arguments(self, index: int) -> int:
        """Past TypeScript's `<ThemeConfig>` after a function's name (where the call's `(`
        is); `index` itself where there is none."""
        if index >= len(self.tokens) or self.tokens[index][1] != "<":
            return index
        level = 0
        for position in range(index, min(index + 100, len(self.tokens))):
            value = self.tokens[position][1]
            level += (value == "<") - (value == ">")
            if level == 0:
                return position + 1
        return index

    def _skip(self, index: int) -> int:
        """Past one expression: to the `,` or closing bracket that ends it, nested brackets
        and all."""
        level = 0
        while index < len(self.tokens):
            value = self.tokens[index][1]
            if value in "([{" and self.tokens[index][0] == "punct":
                level += 1
            elif value in ")]}" and self.tokens[index][0] == "punct":
                if level == 0:
                    return index
                level -= 1
            elif value in (",", ";") and level == 0:
                return index
            index += 1
        return index
