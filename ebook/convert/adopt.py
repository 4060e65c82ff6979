"""`ebook adopt`: an existing Markdown book (mdBook, GitBook/HonKit, Docusaurus, Hugo, Jekyll
or plain files) made into a manuscript, without touching the source.

The order comes from what the source declares: SUMMARY.md (mdBook and GitBook share it: parts,
nested chapters, draft links), else the site's folders, each in the order of its pages' front
matter (weight / sidebar_position / nav_order), else of their names. Every decision the source
did not settle goes into the report, with its file and line. Nothing outside the source folder
is read, whatever a link, an include or a symbolic link says.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from pathlib import Path

from ..core.i18n import N_, say
from ..core.markdown_syntax import fenced, outside_code_spans, plain
from ..render.site_dialects import markdown_it_reader
from .fidelity import compare_with_site, mkdocs_reader
from .jssites import read_js_site
from .mkdocs import mkdocs_syntax, multimarkdown_meta, nav_entries, read_mkdocs
from .site_links import REFERENCE, point_links, without_attributes
from .site_markup import site_markup
from .sites import (
    ORDER_KEYS,
    TITLE_KEYS,
    AdoptResult,
    Entry,
    chapter_names,
    front_matter,
    inside,
    read_config,
    read_file,
    relative,
    site_folder,
    site_order,
)

_SPACE = re.compile(r"\s+")
_DOLLAR = re.compile(r"(?<!\\)\$")
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
_CARRIED = {"title", "linkTitle", "sidebar_label", "description", "id", "slug", *ORDER_KEYS}


def adopt(source: Path, drafts: bool = False) -> AdoptResult:
    """Make a manuscript (path -> content) from the book folder `source`; pages marked draft
    are left out unless `drafts`."""
    source = source.resolve()
    result = AdoptResult(source=source, drafts=drafts)
    config, root, entries = _site(source, result)
    names = chapter_names(entries, root)
    by_source = {e.path.resolve(): names[n] for n, e in enumerate(entries)}
    chapters = []
    for n, entry in enumerate(entries):
        name = names[n]
        chapters.append(name)
        result.files[name] = _chapter(entry, name, root, by_source, result)
    result.files = {"book.yaml": _book_yaml(config, chapters), **result.files}
    reader = (
        mkdocs_reader(config, result)
        if result.dialect == "mkdocs"
        else markdown_it_reader(
            containers=result.dialect == "markdown-it",
            math=result.math,
            cjk_emphasis=result.dialect == "marked",
        )
    )
    page_text = functools.partial(_as_the_site_reads_it, result=result)
    compare_with_site(reader, page_text, entries, names, root, result)
    return result


def _as_the_site_reads_it(entry: Entry, result: AdoptResult) -> str:
    """A page's text as its generator hands it to its Markdown reader: without front matter,
    mdBook's includes in place and its Rust code's hidden lines out (what adopt reports of
    them was reported when the chapter was written)."""
    quiet = dataclasses.replace(result, report=[])
    body = front_matter(read_file(entry.path, quiet) or "")[1]
    lines = [_INCLUDE.sub(lambda m: _include(m, entry, quiet, "", 0), x) for x in body.split("\n")]
    return _without_hidden_lines("\n".join(lines))


def _site(source: Path, result: AdoptResult) -> tuple[dict, Path, list[Entry]]:
    """The site's config, pages folder and pages in order, read as its generator reads them:
    MkDocs, VitePress, VuePress and Docusaurus by their own configs, the others by theirs
    (sites.py)."""
    mkdocs = read_mkdocs(source, result)
    if mkdocs is not None:
        config, root, nav = mkdocs
        root = site_folder(root, source)
        return config, root, nav_entries(nav, root, result) if nav else site_order(root, result)
    scripted = read_js_site(source, result)
    if scripted is not None:
        config, root, entries = scripted
        root = site_folder(root, source)
        return config, root, entries if entries is not None else site_order(root, result)
    config, root = read_config(source, result)
    return config, root, site_order(root, result)


def _chapter(entry: Entry, name: str, root: Path, by_source: dict, result: AdoptResult) -> str:
    stem = name.removesuffix(".md")
    if entry.kind == "part":
        return f"---\nid: {stem}\nkind: part\n---\n\n# {entry.title}\n"
    shown = str(relative(entry.path, root))
    meta, body, first_line = front_matter(read_file(entry.path, result) or "")
    if result.dialect == "mkdocs" and not meta:
        meta, body = multimarkdown_meta(body)
    for key in sorted(set(meta) - _CARRIED):
        result.report.append((shown, 1, say("front matter '{key}' is not carried over", key=key)))
    title = next((str(meta[k]) for k in TITLE_KEYS if meta.get(k)), "") or entry.title
    # A reference definition whose target is on the next line, joined (the line count kept).
    body = re.sub(
        r"^( {0,3}\[[^\]^\n][^\]\n]*\]:)[ \t]*\n[ \t]*(\S+)", r"\1 \2\n", body, flags=re.M
    )
    body = site_markup(body, shown, first_line, result)
    lines = []
    # What is inside a code fence is code, copied as it is.
    for offset, (line, language, _) in enumerate(fenced(body.splitlines())):
        number = first_line + offset
        # mdBook's includes are expanded in code too: that is where they are mostly used.
        line = _INCLUDE.sub(lambda m, at=number: _include(m, entry, result, shown, at), line)
        if language is not None:
            lines.append(line)
            continue
        where = (entry, root, by_source, result, shown, number)
        line = outside_code_spans(line, lambda part, w=where: _site_syntax(part, *w))
        if re.fullmatch(r"\s*#+\s*", line):
            line = ""  # `## {{% heading "whatsnext" %}}`: a heading with nothing left
        lines.append(line)
    text = "\n".join(lines)
    if result.dialect == "mkdocs":
        text = mkdocs_syntax(text, entry.path, first_line, shown, result)
    text = _unlinked(_without_hidden_lines(text))
    at = iter([first_line + i for i, x in enumerate(body.splitlines()) if "<details" in x])
    text = _DETAILS.sub(lambda m: _details(m, result, shown, next(at, 0)), text)
    text = text.strip("\n") + "\n"
    heading = re.search(r"^#[ \t]+(.+)$", text, re.M)
    head = [f"id: {stem}"]
    if entry.kind != "chapter":
        head.append(f"kind: {entry.kind}")
    if heading is None:
        head.append(f"title: {json.dumps(title or stem, ensure_ascii=False)}")
    elif _names_otherwise(entry.title, plain(without_attributes(heading.group(1)))):
        # The site's nav names the page otherwise than its heading does ("第一章 习题" for a
        # page headed "第一章 强化学习基础"): the contents follow the nav.
        head.append(f"title: {json.dumps(entry.title, ensure_ascii=False)}")
        what = say(
            "the contents call it '{title}' as the site's nav does; its heading stays",
            title=entry.title,
        )
        result.report.append((shown, first_line, what))
    return "---\n" + "\n".join(head) + "\n---\n\n" + text


def _site_syntax(part: str, entry, root, by_source, result, shown: str, number: int) -> str:
    """A piece of a line outside code: Hugo shortcodes, Liquid tags and other site-only marks
    removed (each reported), links, reference definitions and images pointed at the
    manuscript's files."""
    part = _SHORTCODE_TEXT.sub(r"\1", part)
    for pattern, what in _SITE_ONLY:
        if pattern.search(part):
            result.report.append(
                (shown, number, say("{what} is site-only syntax: removed", what=what))
            )
            part = pattern.sub("", part)
    part = point_links(part, entry, root, by_source, result, shown, number)
    # A site that typesets no formulas shows `$` as it is; the manuscript would read math.
    return part if result.math else _DOLLAR.sub(r"\\$", part)


def _include(m: re.Match, entry: Entry, result: AdoptResult, shown: str, number: int) -> str:
    """The text mdBook puts in place of {{#include …}}: a file, or the part of it an anchor or a
    line range marks (rustdoc_include shows that part; the rest is hidden in mdBook too)."""
    target = m.group(2)
    path_text, _, selector = target.partition(":")
    path = entry.path.parent / path_text
    if not inside(path, result.source):
        result.report.append(
            (shown, number, say("included file '{target}' is not in the book", target=path_text))
        )
        return m.group(0)
    text = read_file(path, result)
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
    defined = {m.group(1).casefold() for m in re.finditer(REFERENCE.pattern, text, re.M)}
    return re.sub(
        r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])+)\]\[([^\[\]\n]*)\]",
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


def _names_otherwise(nav_title: str, heading: str) -> bool:
    """Whether a nav title says more than the page's heading, beyond the number a site puts
    before it ("1.1 背景" for "背景" does not)."""
    bare = re.sub(r"^\d+(\.\d+)*\s+", "", nav_title or "").strip()
    return bool(bare) and _SPACE.sub("", bare) != _SPACE.sub("", heading)


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
        *(
            [f"description: {json.dumps(config['description'], ensure_ascii=False)}"]
            if config.get("description")
            else []
        ),
        "publisher:                # TODO: {name: …, place: …}",
        "date:                     # TODO: the publication date (YYYY, YYYY-MM or YYYY-MM-DD)",
        "",
        "chapters:",
        *(f"  - {name}" for name in chapters),
        "",
    ]
    return "\n".join(lines)
