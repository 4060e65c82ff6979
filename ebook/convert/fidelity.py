"""Whether an adopted page reads as its site showed it: the page rendered the site's way and
the adopted chapter rendered the manuscript's way, each cut into its text blocks (paragraphs,
list items, headings, table cells, code blocks, notes, formulas, box titles); every block that
is not in both is a difference.

The site's way: an MkDocs page by Python-Markdown with the site's own `markdown_extensions`
(pymdown-extensions among them); a VitePress or VuePress page by markdown-it with what those
generators add to it (`::: name title` containers, code groups, `{#id}` after a heading); a
docsify page as marked reads it (emphasis beside full-width punctuation); any other site's
page as CommonMark with GitHub's tables, strikethrough and footnotes; `$…$` as a formula only
where the site typesets formulas (render/site_dialects.py). The page's text is what the
generator reads after its own preprocessing (mdBook's includes and hidden lines), given by
the caller.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from lxml.html import defs as html_defs

from ..core.i18n import N_, say
from ..render.site_dialects import SiteReader
from .mkdocs import multimarkdown_meta
from .sites import Entry, relative

# The blocks compared: their text without that of the blocks inside them.
_BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre", "dt", "dd", "summary"}
    | {"label"}  # a content tab's title
    | {"figcaption"}
)
# What only one of the two readings puts there: a note's back-link and number, a heading's
# permalink, code's line numbers.
_DROPPED = re.compile(r"footnote-backref|footnote-ref|headerlink|linenos|note-backlink")
# What is no text of the page: a site's code and a demo's fields (adopt takes them out; a
# button's words it keeps, as the site shows them).
_NOT_TEXT = frozenset({"script", "style", "select", "textarea", "option", "input"})
_SPACE = re.compile(r"\s+")
# A formula's TeX, as either reading keeps it: arithmatex's \( \) \[ \] and $$ delimiters off.
_DELIMITERS = re.compile(r"^\\[(\[]|\\[)\]]$|^\$\$|\$\$$")


def site_extensions(config: dict, source: Path) -> tuple[list[str], dict[str, dict], list[str]]:
    """The Python-Markdown extensions of an mkdocs.yml that can be loaded here, their
    configs (values a YAML tag named, now None, left to their defaults; snippets read from
    the site's folder only), and the names that cannot be loaded."""
    import markdown

    names, configs, missing = [], {}, []
    for item in config.get("markdown_extensions") or []:
        name, options = (item, {}) if isinstance(item, str) else next(iter(item.items()), ("", {}))
        options = {k: v for k, v in (options or {}).items() if v is not None}
        if name == "pymdownx.snippets":
            options |= {
                "base_path": [str(source)],
                "check_paths": False,
                "restrict_base_path": True,
            }
        try:
            markdown.Markdown(extensions=[name], extension_configs={name: options})
        except Exception:  # an extension of the site's own, or a config it does not take
            missing.append(str(name))
            continue
        names.append(name)
        configs[name] = options
    return names, configs, missing


def mkdocs_reader(config: dict, result) -> SiteReader:
    """Python-Markdown with the site's extensions; each one that cannot be loaded here is
    reported."""
    import markdown

    extensions, configs, missing = site_extensions(config, result.source)
    for name in missing:
        what = say(
            "markdown extension '{name}' cannot be loaded here: what it does is not compared",
            name=name,
        )
        result.report.append(("mkdocs.yml", 0, what))

    def read(text: str) -> str:
        page = multimarkdown_meta(text)[1]
        return markdown.markdown(page, extensions=extensions, extension_configs=configs)

    return read


def site_blocks(text: str, reader: SiteReader) -> list[str]:
    return blocks(reader(text))


def manuscript_blocks(text: str) -> list[str]:
    """The adopted chapter's blocks as the manuscript's parser reads it, its formulas as TeX."""
    from ..render.parser import MATH_ATTR, make_parser, parse

    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    parsed = parse(make_parser(), body)

    def formula(found: re.Match) -> str:
        index = int(found.group(1))
        return (
            f"{found.group(0)}{escape(parsed.math[index][0], quote=False)}"
            if index < len(parsed.math)
            else ""
        )

    marked = re.sub(rf'<(?:span|div)[^>]*? {MATH_ATTR}="(\d+)"[^>]*>', formula, parsed.html)
    # An image's title is the caption the book shows under it (render/blocks.make_figures).
    marked = re.sub(
        r'(<img\b[^>]*?\btitle="([^"]*)"[^>]*>)', r"\1<figcaption>\2</figcaption>", marked
    )
    return blocks(marked)


def blocks(markup: str) -> list[str]:
    """The text of each block of `markup`, in order, normalised (spaces, Unicode, formula
    delimiters); empty blocks left out."""
    if not markup.strip():
        return []
    root = lxml_html.fromstring(f"<div>{markup}</div>")
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        reference = el.tag == "a" and el.get("data-ebook-note") is not None  # a note's number
        if reference or _DROPPED.search(el.get("class", "")) or el.tag in _NOT_TEXT:
            _remove_keeping_tail(el)
    found = []
    for el in root.iterdescendants():
        if not isinstance(el.tag, str):
            continue
        label = el.get("data-ebook-alert")
        if label:  # a box's title (the manuscript's reading keeps it in an attribute)
            found.append(_normal(label))
        # A <div> that holds text itself is a block too (docsify's `<div align=center>图 1.1
        # …</div>` caption), and so is a component's text.
        if el.tag in _BLOCKS or _text_div(el) or "admonition-title" in el.get("class", ""):
            text = _normal(_own_text(el))
            if text:
                found.append(text)
    return found


def _text_div(el: Any) -> bool:
    """A <div>, or a site's component (`<ScrimbaLink>`: a tag HTML does not have), holding
    text and no block: the site shows that text as a block of its own."""
    return _holder(el) and not any(
        isinstance(d.tag, str) and (d.tag in _BLOCKS or _holder(d)) for d in el.iterdescendants()
    )


def _holder(el: Any) -> bool:
    return el.tag == "div" or el.tag not in html_defs.tags


def _remove_keeping_tail(el: Any) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _own_text(el: Any) -> str:
    """The text of `el` but what blocks inside it hold."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and (
            child.tag in _BLOCKS
            or child.tag in ("ul", "ol", "table", "div", "details", "blockquote")
        ):
            parts.append(" ")
        else:
            parts.append(etree.tostring(child, method="text", encoding="unicode", with_tail=False))
        parts.append(child.tail or "")
    return "".join(parts)


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    text = re.sub(r"\\\(|\\\)|\\\[|\\\]|\$\$", " ", text)
    return _SPACE.sub(" ", text).strip()


def _key(text: str) -> str:
    return _SPACE.sub("", text)


def differences(site: list[str], ours: list[str]) -> list[tuple[str, str]]:
    """(what, block text) for each block the two readings do not share: "site" for one the
    site shows and the chapter does not, "book" for one the chapter has instead."""
    found = []
    # Compared without spaces: where a formula or a Latin word meets Chinese text, the two
    # readings space it differently, and a reader sees no difference.
    matcher = difflib.SequenceMatcher(
        None, [_key(t) for t in site], [_key(t) for t in ours], autojunk=False
    )
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        found += [("site", text) for text in site[a0:a1]]
        found += [("book", text) for text in ours[b0:b1]]
    return found


def compare_with_site(
    reader: SiteReader,
    page_text: Callable[[Entry], str],
    entries: list[Entry],
    names: list[str],
    root: Path,
    result,
) -> None:
    """Each page's text blocks as the site shows them (`page_text` read by `reader`) against
    the chapter's: every block that differs is reported, with the page's total; a page
    without such lines reads as the site showed it."""
    for entry, name in zip(entries, names, strict=True):
        if entry.kind == "part":
            continue
        shown = str(relative(entry.path, root))
        found = differences(
            site_blocks(page_text(entry), reader), manuscript_blocks(result.files[name])
        )
        for side, text in found:
            excerpt = text if len(text) <= 60 else text[:59] + "…"
            template = (
                N_("the site shows «{text}», the book does not")
                if side == "site"
                else N_("the book has «{text}», the site does not")
            )
            result.report.append((shown, 0, say(template, text=excerpt)))
        if found:
            result.report.append(
                (shown, 0, say("{count} blocks read otherwise than on the site", count=len(found)))
            )
