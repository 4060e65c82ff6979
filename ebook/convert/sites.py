"""A site generator's book as the site shows it: its configuration (title, language, authors),
the pages in the site's order, each page's front matter; files read with a size cap, never
through a link that leads out of the source."""

from __future__ import annotations

import json
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import EbookError
from ..core.i18n import say
from ..load import RESERVED_IDS, load_yaml, natural_key

# mdBook and GitBook: `- [Title](path.md)`, nested by indentation; `# Part` titles.
_SUMMARY_ITEM = re.compile(r"^(\s*)[-*+]\s+\[([^\]]*)\]\(([^)]*)\)")
_SUMMARY_PREFIX = re.compile(r"^\[([^\]]*)\]\(([^)]+)\)\s*$")
_SUMMARY_PART = re.compile(r"^#{1,2}\s+(.+?)\s*$")
# docsify's sidebar groups its pages under a top-level item that links nowhere.
_SIDEBAR_GROUP = re.compile(r"^[-*+]\s+([^\[\s].*?)\s*$")
ORDER_KEYS = ("weight", "sidebar_position", "nav_order")
TITLE_KEYS = ("title", "linkTitle", "sidebar_label")


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
    # How the site reads its pages: "mkdocs" (Python-Markdown; its syntax is written as the
    # manuscript's), "markdown-it" (VitePress, VuePress), "marked" (docsify) or "commonmark"
    # (the others).
    dialect: str = "commonmark"
    math: bool = False  # the site typesets `$…$` formulas
    base: str = "/"  # the site's base path (VitePress, VuePress), which its own links start with
    headings: dict[Path, tuple] = field(default_factory=dict, repr=False)  # read once


# A file of the site larger than this is no page or config of a book.
MAX_FILE_BYTES = 32 * 2**20
# Folders nested deeper than this are left out (a site's own go two or three deep).
MAX_DEPTH = 12


def read_file(path: Path, result: AdoptResult) -> str | None:
    """A file of the source as text: a regular file inside the book (symbolic links followed
    and checked), of a sane size, in UTF-8; anything else is reported and read as None."""
    shown = str(relative(path, result.source))
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
    text = read_file(path, result)
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
    return settings_or_report(data, path, result)


def settings_or_report(data: object, path: Path, result: AdoptResult) -> dict:
    """A config file's settings: `data` when it is a mapping, else none (reported)."""
    if isinstance(data, dict):
        return data
    shown = str(relative(path, result.source))
    result.report.append((shown, 1, say("not a valid settings file: its settings are not used")))
    return {}


def _text_of(data: dict, key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _mapping(data: dict, key: str) -> dict:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def read_config(source: Path, result: AdoptResult) -> tuple[dict, Path]:
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
    elif docsify := _docsify_home(source):  # docsify: window.$docsify in index.html
        page = read_file(docsify / "index.html", result) or ""
        found = re.search(r"""\bname\s*:\s*(['"])(.+?)\1""", page)
        # Else the cover page's heading: `# 书名 <small>1.0</small>`.
        cover_page = docsify / "_coverpage.md"
        cover_text = read_file(cover_page, result) if cover_page.is_file() else None
        cover = re.search(r"(?m)^#\s+(.+?)\s*$", cover_text or "")
        title = (
            found.group(2)
            if found
            else cover and re.sub(r"<[^>]+>.*?</[^>]+>", "", cover.group(1)).strip()
        )
        config = {"title": title or None, "authors": [], "language": None}
        root = docsify
        result.dialect = "marked"
        # Formulas are typeset where the page loads KaTeX or MathJax (not in a comment).
        result.math = bool(re.search(r"katex|mathjax", re.sub(r"(?s)<!--.*?-->", "", page), re.I))
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
    return config, site_folder(root, source)


def _docsify_home(source: Path) -> Path | None:
    """The folder of a docsify site's index.html (the site's folder or its docs/)."""
    for folder in (source, source / "docs"):
        page = folder / "index.html"
        try:
            if page.is_file() and b"$docsify" in page.read_bytes()[:MAX_FILE_BYTES]:
                return folder
        except OSError:
            continue
    return None


def site_folder(root: Path, source: Path) -> Path:
    """The folder the pages live in, links followed: inside the source, else an error."""
    try:
        root = root.resolve()
    except (OSError, RuntimeError):
        root = source / "\0"  # a symlink loop: no folder
    if not root.is_dir() or not root.is_relative_to(source):
        raise EbookError(say("{path} has no folder {root}", path=source, root=root), source)
    return root


def site_order(root: Path, result: AdoptResult) -> list[Entry]:
    summary = root / "SUMMARY.md"
    if summary.is_file():
        return _from_summary(summary, root, result)
    sidebar = root / "_sidebar.md"  # docsify: its home page (README.md), then the sidebar
    if sidebar.is_file():
        entries = _from_summary(sidebar, root, result)
        home = root / "README.md"
        if home.is_file() and home.resolve() not in {e.path for e in entries}:
            entries.insert(0, Entry(home.resolve(), "", "chapter"))
        return entries
    entries = _folder(root, root, 0, result)
    if not result.drafts:
        for entry in [e for e in entries if _is_draft(_meta(e.path, result))]:
            entries.remove(entry)
            result.report.append(
                (
                    str(relative(entry.path, root)),
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
    index = next((folder / n for n in _INDEX_NAMES if inside(folder / n, root)), None)
    items = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "_")) and path.name != "_index.md" or path == index:
            continue
        if path.is_symlink() and path.is_dir():
            # A linked folder (`ln -s . x`) would show the book again, or for ever.
            result.report.append(
                (str(relative(path, root)), 0, say("a linked folder: its pages are not read"))
            )
            continue
        if not inside(path, root) and not path.is_dir():
            continue  # a symbolic link out of the book
        if path.is_dir() and depth >= MAX_DEPTH:
            result.report.append(
                (str(relative(path, root)), 0, say("nested too deep: its pages are not read"))
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


def inside(path: Path, folder: Path) -> bool:
    """`path` is a file, and it is in `folder` once symbolic links are followed."""
    try:
        return path.is_file() and path.resolve().is_relative_to(folder)
    except (OSError, RuntimeError):  # a symlink loop
        return False


def _meta(path: Path, result: AdoptResult) -> dict:
    """A page's front matter, read once per adoption however often the order asks for it."""
    if path not in result.front_matter:
        result.front_matter[path] = front_matter(read_file(path, result) or "")[0]
    return result.front_matter[path]


def _is_draft(meta: dict) -> bool:
    return meta.get("draft") is True or meta.get("published") is False


def _weight(meta: dict) -> float | None:
    return next((meta[k] for k in ORDER_KEYS if isinstance(meta.get(k), int | float)), None)


def _from_summary(summary: Path, root: Path, result: AdoptResult) -> list[Entry]:
    """SUMMARY.md: its parts, chapters (nested ones as sections of their chapter) and drafts."""
    entries: list[Entry] = []
    listed = False
    step = 0  # the indentation of the first nested item

    def note(what: str) -> None:
        result.report.append((summary.name, number, what))

    for number, line in enumerate((read_file(summary, result) or "").splitlines(), start=1):
        item = _SUMMARY_ITEM.match(line)
        prefix = _SUMMARY_PREFIX.match(line.strip())
        part = _SUMMARY_PART.match(line)
        if item:
            listed = True
            indent, title, target = item.groups()
            if not target.strip():
                note(say("draft chapter '{title}' has no file: left out", title=title))
                continue
            path = _page_file(summary.parent / target.split("#")[0].lstrip("/"))
            if not inside(path, result.source) and path.exists():
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
        elif prefix and inside(summary.parent / prefix.group(2), result.source):
            # mdBook's prefix and suffix chapters: before the list, and after it.
            kind = "appendix" if listed else "introduction"
            path = (summary.parent / prefix.group(2)).resolve()
            entries.append(Entry(path, prefix.group(1), kind, number))
        elif part and number > 1 and not re.match(r"(?i)^(summary|目录)$", part.group(1)):
            entries.append(Entry(summary, part.group(1), "part", number))
        elif group := _SIDEBAR_GROUP.match(line):  # docsify: `- 基础` over its pages
            entries.append(Entry(summary, group.group(1), "part", number))
    return entries


def _page_file(path: Path) -> Path:
    """The page a link of a sidebar means: the file, or as a site resolves it, with `.md`
    added (`guide/intro`) or its folder's README.md (`guide/`)."""
    for candidate in (path, path.with_name(path.name + ".md"), path / "README.md"):
        if candidate.is_file():
            return candidate
    return path


def chapter_names(entries: list[Entry], root: Path) -> list[str]:
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


def relative(path: Path, root: Path) -> Path:
    return path.relative_to(root) if path.is_relative_to(root) else Path(path.name)


def front_matter(text: str) -> tuple[dict, str, int]:
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
