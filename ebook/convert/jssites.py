"""Sites configured in JavaScript, read as they show themselves without running their code
(convert/jsliteral.py): VitePress and VuePress (`.vitepress/config.*`, `.vuepress/config.*`:
title, description, language, `srcDir`, `base` and the sidebar) and Docusaurus
(`docusaurus.config.*` for the title and tagline, `sidebars.*` for the order).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..core.i18n import say
from .jsliteral import UNKNOWN, Source
from .sites import (
    AdoptResult,
    Entry,
    front_matter,
    inside,
    read_file,
    relative,
    settings_or_report,
)

_ENDINGS = (".mts", ".ts", ".mjs", ".js", ".cjs")


def _config_file(folder: Path, stem: str) -> Path | None:
    return next(
        (folder / f"{stem}{e}" for e in _ENDINGS if (folder / f"{stem}{e}").is_file()), None
    )


def read_js_site(source: Path, result: AdoptResult) -> tuple[dict, Path, list[Entry] | None] | None:
    """(config, pages folder, pages in the sidebar's order or None) of a VitePress, VuePress
    or Docusaurus site; None for any other."""
    for project in (source, source / "docs"):
        for kind in (".vitepress", ".vuepress"):
            path = _config_file(project / kind, "config")
            if path is not None:
                return _vitepress(path, project, result)
    path = _config_file(source, "docusaurus.config")
    if path is not None:
        return _docusaurus(path, source, result)
    return None


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _source(path: Path, result: AdoptResult) -> dict:
    return settings_or_report(Source(read_file(path, result) or "").exported(), path, result)


def _vitepress(path: Path, project: Path, result: AdoptResult):
    data = _source(path, result)
    result.dialect = "markdown-it"
    markdown = data.get("markdown")
    result.math = isinstance(markdown, dict) and markdown.get("math") is True
    theme = data.get("themeConfig") if isinstance(data.get("themeConfig"), dict) else {}
    locales = data.get("locales") if isinstance(data.get("locales"), dict) else {}
    main = locales.get("/") or locales.get("root") or {}
    main = main if isinstance(main, dict) else {}
    config = {
        "title": _text(data.get("title")) or _text(main.get("title")),
        "authors": [],
        "language": _text(data.get("lang")) or _text(main.get("lang")),
        "description": _text(data.get("description")) or _text(main.get("description")),
    }
    root = project / (_text(data.get("srcDir")) or ".")
    sidebar = theme.get("sidebar")
    base = _text(data.get("base")) or "/"
    result.base = base
    if sidebar is None or sidebar is UNKNOWN or isinstance(sidebar, str):
        if isinstance(sidebar, str):  # VuePress's `sidebar: 'auto'`: the pages by folder
            what = say("sidebar '{value}': the pages in the order of their folders", value=sidebar)
            result.report.append((str(relative(path, result.source)), 0, what))
        return config, root, None
    groups = list(sidebar.values()) if isinstance(sidebar, dict) else [sidebar]
    walker = _Sidebar(root, base, result, path)
    for group in groups:
        walker.walk(group if isinstance(group, list) else [group], 0)
    walker.unlisted()
    return config, root, walker.entries


class _Sidebar:
    """A sidebar's items in order: a group at the top is a part, its pages chapters; deeper
    groups join their part; a link out of the site, a page listed twice or not at all is
    reported."""

    def __init__(self, root: Path, base: str, result: AdoptResult, config: Path) -> None:
        self.root, self.base, self.result = root, base, result
        self.shown = str(relative(config, result.source))
        self.entries: list[Entry] = []
        self.seen: set[Path] = set()

    def note(self, what: str) -> None:
        self.result.report.append((self.shown, 0, what))

    def walk(self, items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, str):  # VuePress 1: '/guide/' or 'intro'
                item = {"link": item}
            elif isinstance(item, list) and item and isinstance(item[0], str):  # [path, title]
                item = {"link": item[0], "text": item[1] if len(item) > 1 else None}
            if not isinstance(item, dict):
                continue
            title = _text(item.get("text")) or _text(item.get("title")) or _text(item.get("label"))
            children = item.get("items", item.get("children"))
            link = _text(item.get("link")) or _text(item.get("path"))
            if isinstance(children, list):
                if depth == 0 and title:
                    self.entries.append(Entry(self.root, title, "part"))
                elif title:
                    self.note(
                        say("nav section '{title}' is nested: its pages join its part", title=title)
                    )
                if link:
                    self.page(link, title)
                self.walk(children, depth + 1)
            elif link:
                self.page(link, title)

    def page(self, link: str, title: str | None) -> None:
        if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I):
            self.note(say("nav link '{target}' leads out of the site: left out", target=link))
            return
        path = page_of(self.root, link.split("#")[0], self.base)
        if path is None or not inside(path, self.result.source):
            self.note(say("'{target}' does not exist: left out", target=link))
            return
        if path in self.seen:
            return
        self.seen.add(path)
        self.entries.append(Entry(path, title or "", "chapter"))

    def unlisted(self) -> None:
        for path in _pages(self.root):
            if path.resolve() not in self.seen and inside(path, self.result.source):
                shown = str(relative(path, self.root))
                self.result.report.append((shown, 0, say("not in the site's nav: left out")))


def _pages(root: Path) -> list[Path]:
    """The Markdown files under `root`, its hidden folders (.vitepress) and node_modules not
    walked (a site's folder may hold thousands of packages)."""
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(
            d for d in subfolders if not d.startswith(".") and d != "node_modules"
        )
        found += [Path(folder) / name for name in sorted(names) if name.endswith(".md")]
    return found


def page_of(root: Path, link: str, base: str = "/") -> Path | None:
    """The page a site link means, as VitePress and VuePress resolve it: under the pages
    folder (`base` taken off), `.md` for an extensionless or `.html` link, the folder's
    index.md or README.md for one that ends in `/`."""
    if base != "/" and link.startswith(base):
        link = "/" + link[len(base) :]
    path = root / link.lstrip("/")
    stem = path.with_suffix("") if path.suffix == ".html" else path
    candidates = [path, stem.with_name(stem.name + ".md"), path / "index.md", path / "README.md"]
    return next((c.resolve() for c in candidates if c.is_file()), None)


def _docusaurus(path: Path, source: Path, result: AdoptResult):
    data = _source(path, result)
    config = {
        "title": _text(data.get("title")),
        "authors": [],
        "language": None,
        "description": _text(data.get("tagline")),
    }
    i18n = data.get("i18n") if isinstance(data.get("i18n"), dict) else {}
    config["language"] = _text(i18n.get("defaultLocale"))
    root = source / "docs"
    sidebars = _config_file(source, "sidebars")
    if sidebars is None or not root.is_dir():
        return config, root, None
    found = _source(sidebars, result)
    ids = _doc_ids(root, result)
    walker = _Sidebar(root, "/", result, sidebars)
    for sidebar in found.values():
        if isinstance(sidebar, dict):  # { Tutorial: ['a', 'b'] }: categories by name
            sidebar = [{"type": "category", "label": k, "items": v} for k, v in sidebar.items()]
        if isinstance(sidebar, list):
            _docusaurus_items(sidebar, 0, walker, ids)
    walker.unlisted()
    return config, root, walker.entries


def _docusaurus_items(items: list, depth: int, walker: _Sidebar, ids: dict[str, Path]) -> None:
    for item in items:
        if isinstance(item, str):
            item = {"type": "doc", "id": item}
        if not isinstance(item, dict):
            continue
        kind = item.get("type")
        if kind in ("doc", None) and isinstance(item.get("id"), str):
            path = ids.get(item["id"])
            if path is None:
                walker.note(say("'{target}' does not exist: left out", target=item["id"]))
            elif path not in walker.seen:
                walker.seen.add(path)
                walker.entries.append(Entry(path, _text(item.get("label")) or "", "chapter"))
        elif kind == "category" and isinstance(item.get("items"), list):
            title = _text(item.get("label")) or ""
            if depth == 0:
                walker.entries.append(Entry(walker.root, title, "part"))
            else:
                walker.note(
                    say("nav section '{title}' is nested: its pages join its part", title=title)
                )
            _docusaurus_items(item["items"], depth + 1, walker, ids)
        elif kind == "autogenerated":
            folder = walker.root / str(item.get("dirName") or ".")
            for path in sorted(folder.rglob("*.md*"), key=lambda p: p.as_posix()):
                resolved = path.resolve()
                if path.suffix in (".md", ".mdx") and resolved not in walker.seen:
                    walker.seen.add(resolved)
                    walker.entries.append(Entry(resolved, "", "chapter"))
        elif kind == "link":
            walker.note(
                say(
                    "nav link '{target}' leads out of the site: left out",
                    target=str(item.get("href")),
                )
            )


def _doc_ids(root: Path, result: AdoptResult) -> dict[str, Path]:
    """Docusaurus's id of each doc: its folder and its front matter `id`, else its file name
    without the number prefix (`01-intro.md` is `intro`)."""
    ids: dict[str, Path] = {}
    for path in sorted(root.rglob("*.md*")):
        if path.suffix not in (".md", ".mdx") or not inside(path, result.source):
            continue
        folder = path.parent.relative_to(root).parts
        folder = tuple(re.sub(r"^\d+[-_.]", "", part) for part in folder)
        meta = front_matter(read_file(path, result) or "")[0]
        name = _text(meta.get("id")) or re.sub(r"^\d+[-_.]", "", path.stem)
        ids.setdefault("/".join((*folder, name)), path.resolve())
    return ids
