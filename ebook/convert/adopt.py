"""`ebook adopt`: an existing Markdown book (mdBook, GitBook/HonKit, Docusaurus, Hugo, Jekyll
or plain files) made into a manuscript, without touching the source.

The order comes from what the source declares: SUMMARY.md (mdBook and GitBook share it: parts,
nested chapters, draft links), else the site's folders, each in the order of its pages' front
matter (weight / sidebar_position / nav_order), else of their names. Every decision the source
did not settle goes into the report, with its file and line. Nothing outside the source folder
is read, whatever a link, an include or a symbolic link says.
"""

from __future__ import annotations

import json
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import EbookError
from ..core.i18n import N_, say
from ..core.markdown_syntax import fenced
from ..load import RESERVED_IDS, load_yaml, natural_key

# mdBook and GitBook: `- [Title](path.md)`, nested by indentation; `# Part` titles.
_SUMMARY_ITEM = re.compile(r"^(\s*)[-*+]\s+\[([^\]]*)\]\(([^)]*)\)")
_SUMMARY_PREFIX = re.compile(r"^\[([^\]]*)\]\(([^)]+)\)\s*$")
_SUMMARY_PART = re.compile(r"^#{1,2}\s+(.+?)\s*$")
_REFERENCE = re.compile(r"^ {0,3}\[([^\]^\n][^\]\n]*)\]:[ \t]*(\S+)")
_HTML_IMAGE = re.compile(r"<img\b([^>]*?\bsrc=\")([^\"]+)(\"[^>]*>)")
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)((?:\s+\"[^\"]*\")?)\)")
_SITE_ONLY = [
    (re.compile(r"\{\{[<%].*?[>%]\}\}"), N_("a Hugo shortcode")),
    (re.compile(r"\{%.*?%\}"), N_("a Liquid tag")),
    (re.compile(r"^\s*\[\[?toc\]?\]\s*$", re.I), N_("a table-of-contents marker")),
]
# mdBook's {{#include file}}, {{#include file:anchor}} / :from:to, {{#rustdoc_include …}}.
_INCLUDE = re.compile(r"\{\{#(include|rustdoc_include|playground)\s+([^}\s]+)\s*\}\}")
_ANCHOR_LINE = re.compile(r"\bANCHOR(_END)?:\s*\w+")
# `:from:to` line numbers of an include: short, so that int() reads them at once.
_LINE_RANGE = re.compile(r"\d{0,9}(:\d{0,9})?")
# {{< glossary_tooltip text="Pod" … >}}: a Hugo shortcode that shows a word.
_SHORTCODE_TEXT = re.compile(r"\{\{[<%]\s*[\w-]+[^}]*?\btext=\"([^\"]*)\"[^}]*?[>%]\}\}")
# Each box ends before the next `<details`: a page of unclosed ones costs linear time.
_DETAILS = re.compile(
    r"^[ \t]*<details\b[^>]*>\s*(?:<summary\b[^>]*>((?:(?!<details\b).)*?)</summary>)?"
    r"((?:(?!<details\b).)*?)</details>[ \t]*$",
    re.S | re.M,
)
_ORDER_KEYS = ("weight", "sidebar_position", "nav_order")
_TITLE_KEYS = ("title", "linkTitle", "sidebar_label")
_CARRIED = {"title", "linkTitle", "sidebar_label", "description", "id", "slug", *_ORDER_KEYS}


@dataclass
class Entry:
    """One file of the book, in order."""

    path: Path  # in the source
    title: str
    kind: str = "chapter"
    line: int = 0  # in SUMMARY.md, or 0


@dataclass
class AdoptResult:
    files: dict[str, str | bytes] = field(default_factory=dict)  # manuscript path -> content
    report: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, what)
    source: Path = Path()  # the book folder: nothing outside it is read
    drafts: bool = False  # take in pages marked draft
    front_matter: dict[Path, dict] = field(default_factory=dict, repr=False)  # read once
    headings: dict[Path, list] = field(default_factory=dict, repr=False)  # read once


def adopt(source: Path, drafts: bool = False) -> AdoptResult:
    """Make a manuscript (path -> content) from the book folder `source`; pages marked draft
    are left out unless `drafts`."""
    source = source.resolve()
    result = AdoptResult(source=source, drafts=drafts)
    config, root = _config(source, result)
    entries = _order(root, result)
    names = _names(entries, root)
    by_source = {e.path.resolve(): names[n] for n, e in enumerate(entries)}
    chapters = []
    for n, entry in enumerate(entries):
        name = names[n]
        chapters.append(name)
        result.files[name] = _chapter(entry, name, root, by_source, result)
    result.files = {"book.yaml": _book_yaml(config, chapters), **result.files}
    return result


# A file of the site larger than this is no page or config of a book.
MAX_FILE_BYTES = 32 * 2**20
# Folders nested deeper than this are left out (a site's own go two or three deep).
MAX_DEPTH = 12


def _read(path: Path, result: AdoptResult) -> str | None:
    """A file of the source as text: a regular file inside the book (symbolic links followed
    and checked), of a sane size, in UTF-8; anything else is reported and read as None."""
    shown = str(_relative(path, result.source))
    try:
        real = path.resolve()
        if not real.is_relative_to(result.source):
            result.report.append(
                (shown, 0, say("leads outside the book (a symbolic link): not read"))
            )
            return None
        status = real.stat()
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            result.report.append((shown, 0, say("not a text file of a readable size: not read")))
            return None
        data = real.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        result.report.append((shown, 0, say("cannot be read: left out")))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        result.report.append((shown, line, say("not UTF-8 text: left out")))
        return None


def _parse(path: Path, result: AdoptResult) -> dict:
    """A config file of the site (TOML, JSON or YAML by its name) as a mapping; what cannot be
    read or is not a mapping is reported, and its settings are not used."""
    text = _read(path, result)
    if text is None:
        return {}
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = load_yaml(text, path)[0]
    except (tomllib.TOMLDecodeError, ValueError, RecursionError, EbookError):
        data = None
    if not isinstance(data, dict):
        shown = str(_relative(path, result.source))
        result.report.append(
            (shown, 1, say("not a valid settings file: its settings are not used"))
        )
        return {}
    return data


def _text_of(data: dict, key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _mapping(data: dict, key: str) -> dict:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _config(source: Path, result: AdoptResult) -> tuple[dict, Path]:
    """What the tool's config says of the book, and the folder the chapters live in."""
    config: dict = {}
    root = source
    if (source / "book.toml").is_file():  # mdBook
        book = _mapping(_parse(source / "book.toml", result), "book")
        authors = book.get("authors")
        config = {"title": _text_of(book, "title"),
                  "authors": authors if isinstance(authors, list) else [],
                  "language": _text_of(book, "language")}  # fmt: skip
        root = source / (_text_of(book, "src") or "src")
    elif (source / "book.json").is_file():  # GitBook, HonKit
        data = _parse(source / "book.json", result)
        config = {"title": _text_of(data, "title"), "authors": [_text_of(data, "author")],
                  "language": _text_of(data, "language")}  # fmt: skip
        root = source / (_text_of(data, "root") or ".")
    elif (source / "_config.yml").is_file():  # Jekyll
        data = _parse(source / "_config.yml", result)
        config = {"title": _text_of(data, "title"), "authors": [_text_of(data, "author")],
                  "language": _text_of(data, "lang")}  # fmt: skip
    else:
        for name in ("hugo.toml", "config.toml"):  # Hugo
            if (source / name).is_file():
                data = _parse(source / name, result)
                languages = sorted(
                    (v for v in _mapping(data, "languages").values() if isinstance(v, dict)),
                    key=lambda v: v.get("weight") if isinstance(v.get("weight"), int) else 0,
                )  # the first language of a multilingual site is its main one
                first = languages[0] if languages else {}
                config = {"title": _text_of(first, "title") or _text_of(data, "title"),
                          "authors": [], "language": _text_of(data, "languageCode")}  # fmt: skip
                content = _text_of(first, "contentDir") or _text_of(data, "contentDir") or "content"
                root = source / content if (source / content).is_dir() else source
                break
    config["authors"] = [a for a in config.get("authors") or [] if isinstance(a, str) and a]
    try:
        root = root.resolve()
    except (OSError, RuntimeError):
        root = source / "\0"  # a symlink loop: no folder
    if not root.is_dir() or not root.is_relative_to(source):
        raise EbookError(say("{path} has no folder {root}", path=source, root=root), source)
    return config, root


def _order(root: Path, result: AdoptResult) -> list[Entry]:
    summary = root / "SUMMARY.md"
    if summary.is_file():
        return _from_summary(summary, root, result)
    entries = _folder(root, root, 0, result)
    if not result.drafts:
        for entry in [e for e in entries if _is_draft(_meta(e.path, result))]:
            entries.remove(entry)
            result.report.append(
                (
                    str(_relative(entry.path, root)),
                    1,
                    say("a draft: left out (--drafts takes drafts in)"),
                )  # fmt: skip
            )
    if any(_weight(_meta(e.path, result)) is not None for e in entries):
        result.report.append(
            (str(root), 0, say("the order comes from weight / sidebar_position / nav_order"))
        )
    return entries


_INDEX_NAMES = ("_index.md", "index.md", "README.md")


def _folder(folder: Path, root: Path, depth: int, result: AdoptResult) -> list[Entry]:
    """The files of `folder` in the order a site generator shows them: its index page first,
    then its pages and subfolders by weight (unweighted last), then by name. Pages in a
    folder nest under the folder's index page as sections (one level, as the contents can)."""
    index = next((folder / n for n in _INDEX_NAMES if _inside(folder / n, root)), None)
    items = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "_")) and path.name != "_index.md" or path == index:
            continue
        if path.is_symlink() and path.is_dir():
            # A linked folder (`ln -s . x`) would show the book again, or for ever.
            result.report.append(
                (str(_relative(path, root)), 0, say("a linked folder: its pages are not read"))
            )
            continue
        if not _inside(path, root) and not path.is_dir():
            continue  # a symbolic link out of the book
        if path.is_dir() and depth >= MAX_DEPTH:
            result.report.append(
                (str(_relative(path, root)), 0, say("nested too deep: its pages are not read"))
            )
            continue
        if path.is_dir():
            sub_index = next((path / n for n in _INDEX_NAMES if (path / n).is_file()), None)
            position = _category_position(path, result)
            if position is None and sub_index:
                position = _weight(_meta(sub_index, result))
            items.append((position, path))
        elif path.suffix == ".md" and path.name != "SUMMARY.md":
            items.append((_weight(_meta(path, result)), path))
    items.sort(key=lambda i: (i[0] is None, i[0] or 0, natural_key(i[1].name)))
    if depth == 0 and index is None and len(items) == 1 and items[0][1].is_dir():
        return _folder(items[0][1], root, 0, result)  # content/docs/…: one level down
    entries = [Entry(index, "", "chapter" if depth <= 1 else "section")] if index else []
    page_kind = "chapter" if depth == 0 or (depth == 1 and index is None) else "section"
    for _, path in items:
        if path.is_dir():
            entries.extend(_folder(path, root, depth + 1, result))
        else:
            entries.append(Entry(path, "", page_kind))
    return entries


def _category_position(folder: Path, result: AdoptResult) -> float | None:
    """Docusaurus places a folder by the `position` of its _category_.json (or .yml)."""
    for name in ("_category_.json", "_category_.yml"):
        if (folder / name).is_file():
            position = _parse(folder / name, result).get("position")
            return position if isinstance(position, int | float) else None
    return None


def _inside(path: Path, folder: Path) -> bool:
    """`path` is a file, and it is in `folder` once symbolic links are followed."""
    try:
        return path.is_file() and path.resolve().is_relative_to(folder)
    except (OSError, RuntimeError):  # a symlink loop
        return False


def _meta(path: Path, result: AdoptResult) -> dict:
    """A page's front matter, read once per adoption however often the order asks for it."""
    if path not in result.front_matter:
        result.front_matter[path] = _front_matter(_read(path, result) or "")[0]
    return result.front_matter[path]


def _is_draft(meta: dict) -> bool:
    return meta.get("draft") is True or meta.get("published") is False


def _weight(meta: dict) -> float | None:
    return next((meta[k] for k in _ORDER_KEYS if isinstance(meta.get(k), int | float)), None)


def _from_summary(summary: Path, root: Path, result: AdoptResult) -> list[Entry]:
    """SUMMARY.md: its parts, chapters (nested ones as sections of their chapter) and drafts."""
    entries: list[Entry] = []
    listed = False
    step = 0  # the indentation of the first nested item

    def note(what: str) -> None:
        result.report.append((summary.name, number, what))

    for number, line in enumerate((_read(summary, result) or "").splitlines(), start=1):
        item = _SUMMARY_ITEM.match(line)
        prefix = _SUMMARY_PREFIX.match(line.strip())
        part = _SUMMARY_PART.match(line)
        if item:
            listed = True
            indent, title, target = item.groups()
            if not target.strip():
                note(say("draft chapter '{title}' has no file: left out", title=title))
                continue
            path = summary.parent / target.split("#")[0]
            if not _inside(path, result.source) and path.exists():
                note(say("'{target}' is outside the book folder: left out", target=target))
                continue
            if not path.is_file():
                note(say("'{target}' does not exist: left out", target=target))
                continue
            path = path.resolve()
            width = len(indent.expandtabs(4))
            step = step or width
            if step and width > step:
                note(
                    say(
                        "'{title}' is nested two levels deep; the contents show it one level "
                        "under its chapter",
                        title=title,
                    )
                )
            entries.append(Entry(path, title, "section" if indent else "chapter", number))
        elif prefix and _inside(summary.parent / prefix.group(2), result.source):
            # mdBook's prefix and suffix chapters: before the list, and after it.
            kind = "appendix" if listed else "introduction"
            path = (summary.parent / prefix.group(2)).resolve()
            entries.append(Entry(path, prefix.group(1), kind, number))
        elif part and number > 1 and not re.match(r"(?i)^(summary|目录)$", part.group(1)):
            entries.append(Entry(summary, part.group(1), "part", number))
    return entries


def _names(entries: list[Entry], root: Path) -> list[str]:
    """A stable ASCII file name for each entry, from its path in the source."""
    names: list[str] = []
    used: set[str] = set()
    for entry in entries:
        if entry.kind == "part":
            stem = f"part-{sum(e.kind == 'part' for e in entries[: len(names)]) + 1}"
        else:
            relative = (
                entry.path.relative_to(root) if entry.path.is_relative_to(root) else entry.path
            )
            stem = re.sub(r"[^A-Za-z0-9]+", "-", relative.with_suffix("").as_posix()).strip("-")
            stem = stem.lower() or "chapter"
            if not stem[0].isalpha():
                stem = "c-" + stem
            if stem.casefold() in RESERVED_IDS or stem.startswith("notes-"):
                stem = "c-" + stem
        name, n = stem, 2
        while name in used:
            name, n = f"{stem}-{n}", n + 1
        used.add(name)
        names.append(name)
    return [f"{name}.md" for name in names]


def _relative(path: Path, root: Path) -> Path:
    return path.relative_to(root) if path.is_relative_to(root) else Path(path.name)


def _front_matter(text: str) -> tuple[dict, str, int]:
    """(front matter, body, the body's first line) for YAML (---) and TOML (+++) front matter.
    What between the fences is no mapping was no front matter (a page may begin with a rule):
    the text is kept whole."""
    for fence in ("---", "+++"):
        if text.startswith(fence + "\n"):
            end = text.find("\n" + fence, len(fence))
            if end > 0:
                inside = text[len(fence) + 1 : end]
                try:
                    meta = tomllib.loads(inside) if fence == "+++" else load_yaml(inside, Path())[0]
                except (tomllib.TOMLDecodeError, EbookError, RecursionError):
                    meta = None
                if not isinstance(meta, dict):
                    return {}, text, 1
                body = text[end + len(fence) + 1 :].lstrip("\n")
                return meta, body, text[:end].count("\n") + 3
    return {}, text, 1


def _chapter(entry: Entry, name: str, root: Path, by_source: dict, result: AdoptResult) -> str:
    stem = name.removesuffix(".md")
    if entry.kind == "part":
        return f"---\nid: {stem}\nkind: part\n---\n\n# {entry.title}\n"
    shown = str(_relative(entry.path, root))
    meta, body, first_line = _front_matter(_read(entry.path, result) or "")
    for key in sorted(set(meta) - _CARRIED):
        result.report.append((shown, 1, say("front matter '{key}' is not carried over", key=key)))
    title = next((str(meta[k]) for k in _TITLE_KEYS if meta.get(k)), "") or entry.title
    # A reference definition whose target is on the next line, joined (the line count kept).
    body = re.sub(
        r"^( {0,3}\[[^\]^\n][^\]\n]*\]:)[ \t]*\n[ \t]*(\S+)", r"\1 \2\n", body, flags=re.M
    )
    lines = []
    for offset, line in enumerate(body.splitlines()):
        number = first_line + offset
        line = _INCLUDE.sub(lambda m, at=number: _include(m, entry, result, shown, at), line)
        line = _SHORTCODE_TEXT.sub(r"\1", line)
        for pattern, what in _SITE_ONLY:
            if pattern.search(line):
                result.report.append(
                    (shown, number, say("{what} is site-only syntax: removed", what=what))
                )
                line = pattern.sub("", line)
                if re.fullmatch(r"\s*#+\s*", line):
                    line = ""  # `## {{% heading "whatsnext" %}}`: a heading with nothing left
        where = (entry, root, by_source, result, shown, number)
        line = _LINK.sub(lambda m, w=where: _link(m, *w), line)
        line = _REFERENCE.sub(lambda m, w=where: _reference(m, *w), line)
        line = _HTML_IMAGE.sub(lambda m, w=where: _html_image(m, *w), line)
        lines.append(line)
    text = _unlinked(_without_hidden_lines("\n".join(lines)))
    at = iter([first_line + i for i, x in enumerate(body.splitlines()) if "<details" in x])
    text = _DETAILS.sub(lambda m: _details(m, result, shown, next(at, 0)), text)
    text = text.strip("\n") + "\n"
    has_title = re.search(r"^#\s", text, re.M) is not None
    head = [f"id: {stem}"]
    if entry.kind != "chapter":
        head.append(f"kind: {entry.kind}")
    if not has_title:
        head.append(f"title: {json.dumps(title or stem, ensure_ascii=False)}")
    return "---\n" + "\n".join(head) + "\n---\n\n" + text


def _include(m: re.Match, entry: Entry, result: AdoptResult, shown: str, number: int) -> str:
    """The text mdBook puts in place of {{#include …}}: a file, or the part of it an anchor or a
    line range marks (rustdoc_include shows that part; the rest is hidden in mdBook too)."""
    target = m.group(2)
    path_text, _, selector = target.partition(":")
    path = entry.path.parent / path_text
    if not _inside(path, result.source):
        result.report.append(
            (shown, number, say("included file '{target}' is not in the book", target=path_text))
        )
        return m.group(0)
    text = _read(path, result)
    if text is None:
        return m.group(0)
    lines = text.splitlines()
    if selector and re.fullmatch(r"[\d:]*", selector) and not _LINE_RANGE.fullmatch(selector):
        result.report.append(
            (
                shown,
                number,
                say("the line range '{range}' is not one: the whole file", range=selector[:20]),
            )
        )
        selector = ""
    if selector and not _LINE_RANGE.fullmatch(selector):
        start = next((i + 1 for i, x in enumerate(lines) if f"ANCHOR: {selector}" in x), None)
        end = next((i for i, x in enumerate(lines) if f"ANCHOR_END: {selector}" in x), len(lines))
        if start is None:
            result.report.append(
                (
                    shown,
                    number,
                    say(
                        "anchor '{anchor}' is not in '{target}'", anchor=selector, target=path_text
                    ),
                )  # fmt: skip
            )
            start = 0
        lines = lines[start:end]
    elif selector:
        first, _, last = selector.partition(":")
        lines = lines[int(first or 1) - 1 : int(last) if last else None]
    return "\n".join(x for x in lines if not _ANCHOR_LINE.search(x))


def _details(m: re.Match, result: AdoptResult, shown: str, number: int) -> str:
    """`<details><summary>…</summary>…</details>`, which a page folds, becomes a box titled
    by its summary (`::: details …`): an e-reader may not fold it, and its Markdown is read."""
    result.report.append(
        (shown, number, say("<details> becomes a box titled by its <summary>"))  # fmt: skip
    )
    summary = " ".join((m.group(1) or "").split())
    return f"\n::: details {summary}\n\n{m.group(2).strip()}\n\n:::\n"


def _unlinked(text: str) -> str:
    """`[text][label]` whose definition was dropped (it led nowhere) becomes its text."""
    defined = {m.group(1).casefold() for m in re.finditer(_REFERENCE.pattern, text, re.M)}
    return re.sub(
        r"\[([^\]\n]+)\]\[([^\]\n]*)\]",
        lambda m: m.group(0) if (m.group(2) or m.group(1)).casefold() in defined else m.group(1),
        text,
    )


def _without_hidden_lines(text: str) -> str:
    """mdBook hides the lines of a Rust code block that start with '# '; so does the book."""
    return "\n".join(
        line
        for line, language, opening in fenced(text.split("\n"))
        if opening or language != "rust" or not re.match(r"^\s*#(\s|$)", line)
    )


def _link(m: re.Match, entry, root, by_source, result, shown: str, number: int) -> str:
    """A link or image of the source, pointed at the manuscript's file; a link to no chapter
    of the book keeps its text."""
    bang, text, target, title = m.groups()
    href = _href(target, bool(bang), entry, root, by_source, result, shown, number)
    if href is None:
        return "" if bang else text
    return f"{bang}[{text}]({href}{title})"


def _reference(m: re.Match, entry, root, by_source, result, shown: str, number: int) -> str:
    """A link reference definition `[label]: target`; one that leads nowhere is dropped."""
    label, target = m.groups()
    href = _href(target, False, entry, root, by_source, result, shown, number)
    return "" if href is None else f"[{label}]: {href}"


def _html_image(m: re.Match, entry, root, by_source, result, shown: str, number: int) -> str:
    href = _href(m.group(2), True, entry, root, by_source, result, shown, number)
    return "" if href is None else f"<img{m.group(1)}{href}{m.group(3)}"


def _href(target: str, image: bool, entry, root, by_source, result, shown, number) -> str | None:
    """Where `target` leads in the manuscript, or None (reported) where it leads nowhere."""
    if target.startswith("#") and len(target) > 1:
        own = by_source.get(entry.path.resolve())
        found_anchor = _anchor(entry.path, target[1:], own, result) if own else target[1:]
        if found_anchor is None:
            result.report.append(
                (
                    shown,
                    number,
                    say(
                        "link '{target}' leads to no heading of the chapter: its text is kept",
                        target=target,
                    ),
                )  # fmt: skip
            )
            return None
        return "#" + found_anchor
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
        if image and target.startswith(("http:", "https:")):
            result.report.append(
                (shown, number, say("image '{target}' is on the web: download it", target=target))
            )
        return target
    path, _, anchor = target.partition("#")
    if path.startswith(f"/{root.name}/"):  # /cn/docs/… on a site whose pages are in content/cn
        path = path[len(root.name) + 1 :]
    base = root if path.startswith("/") else entry.path.parent
    found = (base / path.lstrip("/")).resolve()
    if image:
        if not found.is_file() and path.startswith("/"):  # Hugo and Docusaurus: static/
            found = (result.source / "static" / path.lstrip("/")).resolve()
        if not _inside(found, result.source):
            result.report.append(
                (
                    shown,
                    number,
                    say("image '{target}' is not in the book: left out", target=target),
                )  # fmt: skip
            )
            return None
        home = root if found.is_relative_to(root) else result.source
        href = "images/" + found.relative_to(home).as_posix()
        try:
            result.files[href] = found.read_bytes()
        except OSError:
            return None
        return href
    candidates = [found, found.with_suffix(".md"), found / "index.md", found / "README.md",
                  found / "_index.md"]  # fmt: skip
    target_file = next((by_source[c] for c in candidates if c in by_source), None)
    if target_file is None:
        result.report.append(
            (
                shown,
                number,
                say(
                    "link '{target}' leads to no chapter of the book: its text is kept",
                    target=target,
                ),
            )  # fmt: skip
        )
        return None
    if anchor:
        found_anchor = _anchor(_found_source(candidates, by_source), anchor, target_file, result)
        if found_anchor is None:
            result.report.append(
                (
                    shown,
                    number,
                    say(
                        "link '{target}': no heading '{anchor}' there; the link "
                        "leads to the chapter",
                        target=target,
                        anchor=anchor,
                    ),
                )  # fmt: skip
            )
        anchor = found_anchor
    return f"{target_file}{'#' + anchor if anchor else ''}"


def _found_source(candidates: list[Path], by_source: dict) -> Path:
    return next(c for c in candidates if c in by_source)


def _slug(text: str) -> str:
    """A heading's anchor as GitHub, mdBook and most site generators make it."""
    text = re.sub(r"\{[^}]*\}\s*$", "", text).strip().lower()
    return re.sub(r"\s+", "-", re.sub(r"[^\w\s-]", "", text))


def _anchor(source: Path, anchor: str, target_file: str, result: AdoptResult) -> str | None:
    """The manuscript's anchor for a heading the source linked to by its slug (or None)."""
    from ..render import heading_id

    for explicit, title in _headings(source, result):
        if explicit == anchor:
            return anchor
        if _slug(title) == anchor.lower():
            return explicit or heading_id(target_file[:-3], title)
    return None


def _headings(source: Path, result: AdoptResult) -> list[tuple[str | None, str]]:
    """(explicit id, text) of each heading of a page, read once however many links ask."""
    if source not in result.headings:
        found = []
        for line, language, _ in fenced((_read(source, result) or "").splitlines()):
            heading = None if language is not None else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if heading:
                explicit = re.search(r"\{[^}]*#([^\s}]+)[^}]*\}\s*$", heading.group(1))
                title = _plain(re.sub(r"\s*\{[^}]*\}\s*$", "", heading.group(1)).strip())
                found.append((explicit.group(1) if explicit else None, title))
        result.headings[source] = found
    return result.headings[source]


def _plain(text: str) -> str:
    """A heading's text as a reader sees it (and the renderer names it): no code marks,
    emphasis marks or link targets."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("`", "")
    return re.sub(r"(\*\*|__|\*|\b_)(?=\S)(.+?)(?<=\S)\1", r"\2", text)


def _book_yaml(config: dict, chapters: list[str]) -> str:
    title = config.get("title") or "TODO"
    language = config.get("language") or "zh-CN"
    authors = config.get("authors") or ["TODO"]
    lines = [
        "# Adopted by `ebook adopt`; fill what is marked TODO, then `ebook check`.",
        "",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"language: {json.dumps(language)}",
        "contributors:",
        *(f"  - {{name: {json.dumps(a, ensure_ascii=False)}, role: 著}}" for a in authors),
        "publisher:                # TODO: {name: …, place: …}",
        "date:                     # TODO: the publication date (YYYY, YYYY-MM or YYYY-MM-DD)",
        "",
        "chapters:",
        *(f"  - {name}" for name in chapters),
        "",
    ]
    return "\n".join(lines)
