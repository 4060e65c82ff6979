"""An MkDocs site as it shows itself: `mkdocs.yml` (the site's name, author, language, its
`docs_dir` and its `nav`), and the syntax its pages are written in beyond the manuscript's
Markdown — Python-Markdown's admonitions (`!!! note "标题"`), pymdown-extensions' details
(`??? note`, `???+ note`), content tabs (`=== "标签"`) and snippets (`--8<-- "file"`) —
written as the manuscript writes them: `::: note 标题` boxes, the tabs one box each, the
snippet's text in its place. Every change is reported with its file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import EbookError
from ..core.i18n import say
from ..core.markdown_syntax import fenced, plain
from ..load import load_yaml
from .sites import AdoptResult, Entry, inside, read_file, relative, settings_or_report

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
# A YAML tag at a value's start (`!!python/name:material.emoji.twemoji`, `!ENV [X, y]`,
# `!relative $config_dir`): MkDocs' loader runs them; here the tag goes and its value stays
# (the safe loader refuses every tag, and the site's nav and name are plain values).
_VALUE_TAG = re.compile(r"^(\s*(?:-\s+|[^#\n:'\"]+:\s+))!{1,2}[^\s\[\]{},]+[ \t]*", re.M)
_BOX_KINDS = {
    "tip": "tip",
    "hint": "tip",
    "success": "tip",
    "check": "tip",
    "done": "tip",
    "important": "important",
    "warning": "warning",
    "attention": "warning",
    "caution": "caution",
    "danger": "caution",
    "error": "caution",
    "failure": "caution",
    "fail": "caution",
    "missing": "caution",
    "bug": "caution",
}
# `!!! note "标题"`, `??? tip`, `???+ warning inline end ""` (the type, then classes, then the
# title in quotes), and a content tab `=== "标签"`.
_BOX_OPEN = re.compile(
    r'^(\s*)(!!!|\?\?\?\+?)[ \t]+([\w-]+)((?:[ \t]+[\w-]+)*)[ \t]*(?:"(.*)")?[ \t]*$'
)
_TAB_OPEN = re.compile(r'^(\s*)===\+?[ \t]+"(.*)"[ \t]*$')
_SNIPPET = re.compile(r'^(\s*)-{1,}8<-{1,}[ \t]+["\']([^"\']+)["\'][ \t]*$')
_SNIPPET_BLOCK = re.compile(r"^(\s*)-{1,}8<-{1,}[ \t]*$")
# Boxes nested deeper than this are left as written (a page of them is no page of a book).
MAX_NESTING = 16


def read_mkdocs(source: Path, result: AdoptResult) -> tuple[dict, Path, object] | None:
    """The site's config (title, authors, language, description), its docs folder and its
    nav (None when it has none); None when `source` is no MkDocs site."""
    path = next((source / n for n in CONFIG_NAMES if (source / n).is_file()), None)
    if path is None:
        return None
    text = read_file(path, result) or ""
    try:
        data = load_yaml(_VALUE_TAG.sub(r"\1", text), path)[0]
    except (EbookError, RecursionError):
        data = None
    data = settings_or_report(data, path, result)
    # Pages are read as Python-Markdown reads them; `$…$` is a formula with arithmatex.
    result.dialect = "mkdocs"
    extensions = data.get("markdown_extensions") or []
    result.math = any("arithmatex" in str(item) for item in extensions)
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    config = {
        "title": _text(data.get("site_name")),
        "authors": [a for a in [_text(data.get("site_author"))] if a],
        "language": _text(theme.get("language")) or _text(data.get("language")),
        "description": _text(data.get("site_description")),
        # How the site reads its pages (convert/fidelity.py compares the book with it).
        "markdown_extensions": extensions,
    }
    docs = source / (_text(data.get("docs_dir")) or "docs")
    return config, docs, data.get("nav")


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def nav_entries(nav: object, root: Path, result: AdoptResult) -> list[Entry]:
    """The pages in the order of `nav`, with its titles: a section at the top is a part of
    the book, its pages chapters; deeper sections' pages are chapters of their part (the
    contents show two levels of files)."""
    entries: list[Entry] = []
    if not isinstance(nav, list):
        return entries

    def walk(items: list, depth: int) -> None:
        for item in items:
            title, target = _nav_item(item)
            if isinstance(target, list):
                if depth == 0:
                    entries.append(Entry(root / "mkdocs.yml", title or "", "part"))
                elif title:
                    result.report.append(
                        (
                            "mkdocs.yml",
                            0,
                            say(
                                "nav section '{title}' is nested: its pages join its part",
                                title=title,
                            ),
                        )
                    )
                walk(target, depth + 1)
            elif isinstance(target, str):
                page = _nav_page(title, target, root, result)
                if page is not None and depth == 0 and any(e.kind == "part" for e in entries):
                    _after_part(page, result)
                if page is not None:
                    entries.append(page)

    walk(nav, 0)
    listed = {e.path for e in entries}
    for path in sorted(root.rglob("*.md")):
        if path.resolve() not in listed and inside(path, result.source):
            shown = str(relative(path, root))
            result.report.append((shown, 0, say("not in the site's nav: left out")))
    return entries


def _after_part(entry: Entry, result: AdoptResult) -> None:
    """A page the nav puts at the top after a section: an appendix leaves the part (it is back
    matter); any other page the contents list in that part, as a book's parts go on."""
    if re.match(r"(?i)^\s*(附录|appendix)", entry.title):
        entry.kind = "appendix"
        return
    result.report.append(
        (
            "mkdocs.yml",
            0,
            say(
                "'{title}' follows a section: the contents list it in that part", title=entry.title
            ),
        )
    )


def _nav_item(item: object) -> tuple[str | None, object]:
    if isinstance(item, str):
        return None, item
    if isinstance(item, dict) and len(item) == 1:
        ((title, target),) = item.items()
        return str(title), target
    return None, None


def _nav_page(title: str | None, target: str, root: Path, result: AdoptResult) -> Entry | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
        what = say("nav link '{target}' leads out of the site: left out", target=target)
        result.report.append(("mkdocs.yml", 0, what))
        return None
    path = root / target
    if not inside(path, result.source) or path.suffix != ".md":
        what = say("'{target}' does not exist: left out", target=target)
        result.report.append(("mkdocs.yml", 0, what))
        return None
    return Entry(path.resolve(), title or "", "chapter")


# MultiMarkdown's meta-data, which MkDocs reads too: `author: …` lines at a page's top, each
# line a key and its value (a line indented under it goes on with the value).
_META_LINE = re.compile(r"^([A-Za-z][\w-]*):[ \t]*(.*)$")


def multimarkdown_meta(body: str) -> tuple[dict[str, str], str]:
    """The page's MultiMarkdown meta-data and its body, the meta-data's lines left blank (so
    later lines keep their numbers)."""
    lines = body.split("\n")
    meta: dict[str, str] = {}
    key = None
    for index, line in enumerate(lines):
        found = _META_LINE.match(line)
        if found:
            key = found.group(1).lower()
            meta[key] = found.group(2).strip()
        elif key is not None and line.startswith((" ", "\t")) and line.strip():
            meta[key] = f"{meta[key]} {line.strip()}"
        else:
            if line.strip() or key is None:
                return ({}, body) if line.strip() else (meta, body)
            return meta, "\n" * index + "\n".join(lines[index:])
    return meta, "\n" * len(lines) if meta else body


def mkdocs_syntax(text: str, page: Path, first_line: int, shown: str, result: AdoptResult) -> str:
    """The page's MkDocs syntax written as the manuscript writes it (see the module)."""
    lines = text.split("\n")
    out, _ = _blocks(lines, 0, len(lines), page, first_line, shown, result, 0)
    return "\n".join(out)


def _blocks(lines, start, end, page, first_line, shown, result, depth) -> tuple[list[str], int]:
    """Lines start..end converted; and the longest container marker written (so that an
    outer box's marker is longer than every inner one's, as the container syntax nests)."""
    out: list[str] = []
    longest = 0
    in_code = [language is not None for _, language, _ in fenced(lines[start:end])]
    index = start
    while index < end:
        line = lines[index]
        number = first_line + index
        if in_code[index - start]:
            if _SNIPPET.match(line):  # snippets are put in before the page is read: in code too
                taken, index = _snippets(lines, index, end, page, number, shown, result)
                out += taken
                continue
            out.append(line)
            index += 1
            continue
        box = _BOX_OPEN.match(line)
        tab = _TAB_OPEN.match(line)
        snippet = _SNIPPET.match(line)
        if (box or tab) and depth < MAX_NESTING:
            indent = (box or tab).group(1)
            body_end = _indented_end(lines, index + 1, end, len(indent))
            body = [_dedent(x, len(indent) + 4) for x in lines[index + 1 : body_end]]
            inner, inner_longest = _blocks(
                body, 0, len(body), page, number + 1, shown, result, depth + 1
            )
            marker = ":" * max(3, inner_longest + 1)
            kind, title, what = _box_kind(box, tab)
            result.report.append((shown, number, what))
            out.append(f"{indent}{marker} {kind} {title}".rstrip())
            out += [f"{indent}{x}" if x.strip() else x for x in _trimmed(inner)]
            out.append(f"{indent}{marker}")
            longest = max(longest, len(marker))
            index = body_end
            continue
        if snippet or _SNIPPET_BLOCK.match(line):
            taken, index = _snippets(lines, index, end, page, number, shown, result)
            out += taken
            continue
        out.append(line)
        index += 1
    return out, longest


def _box_kind(box: re.Match | None, tab: re.Match | None) -> tuple[str, str, str]:
    """(the manuscript's box kind, its title, what the report says) of an admonition, a
    collapsible block or a content tab."""
    if box is None:
        return "note", tab.group(2), say("a content tab becomes a box titled by its label")
    kind_word, title = box.group(3).lower(), box.group(5)
    # The title as the site shows it: its links and marks as their text (a box's title is
    # plain text in the manuscript).
    title = kind_word.capitalize() if title is None else plain(title)
    what = (
        say("an admonition becomes a box")
        if box.group(2) == "!!!"
        else say("a collapsible block becomes a box (an e-reader does not fold it)")
    )
    return _BOX_KINDS.get(kind_word, "note"), title, what


def _indented_end(lines: list[str], index: int, end: int, indent: int) -> int:
    """Where a box's body (lines indented past `indent`, blank lines between them) ends."""
    last = index
    while index < end:
        line = lines[index]
        if line.strip():
            if len(line) - len(line.lstrip()) < indent + 4 and not line.startswith("\t"):
                break
            last = index + 1
        index += 1
    return last


def _dedent(line: str, width: int) -> str:
    if line.startswith("\t"):
        return line[1:]
    return line[min(width, len(line) - len(line.lstrip(" "))) :]


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _snippets(lines, index, end, page, number, shown, result) -> tuple[list[str], int]:
    """`--8<-- "file"` (one line) or a `--8<--` block of file names: each file's text in its
    place, read from the site's folder only (pymdownx.snippets' base path)."""
    one = _SNIPPET.match(lines[index])
    if one:
        names, after = [(one.group(2), number)], index + 1
    else:
        names, after = [], index + 1
        while after < end and not _SNIPPET_BLOCK.match(lines[after]):
            if lines[after].strip():
                names.append((lines[after].strip(), number + after - index))
            after += 1
        after += 1
    out: list[str] = []
    for name, at in names:
        file, _, span = name.partition(":")
        # pymdownx.snippets' base path is the site's folder; a path beside the page is tried
        # after it. Nothing outside the site is read.
        candidates = [
            p for p in (result.source / file, page.parent / file) if inside(p, result.source)
        ]
        text = read_file(candidates[0], result) if candidates else None
        if text is None:
            result.report.append(
                (shown, at, say("snippet '{target}' is not in the site: left out", target=name))
            )
            continue
        taken = text.split("\n")
        numbers = [int(n) for n in span.split(":") if n.isdigit()][:2]
        if numbers:
            taken = taken[numbers[0] - 1 : numbers[1] if len(numbers) > 1 else None]
        result.report.append(
            (shown, at, say("snippet '{target}' is put in its place", target=name))
        )
        out += taken
    return out, after
