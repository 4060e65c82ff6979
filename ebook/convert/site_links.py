"""Where a site's links, images and anchors lead in the manuscript: a page's Markdown links,
reference definitions, raw `<a href>` and `<img src>` pointed at the manuscript's files, the
heading ids they name found by the site's slugs; what leads nowhere is reported (adopt.py)."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.i18n import say
from ..core.markdown_syntax import fenced, plain
from .sites import AdoptResult, Entry, inside, read_file

REFERENCE = re.compile(r"^ {0,3}\[([^\]^\n][^\]\n]*)\]:[ \t]*(\S+)")
# Within one tag (no `<` crossed; one space before href): linear on a hostile line.
_HTML_IMAGE = re.compile(r"<img\b([^<>]*?\bsrc=\")([^\"<>]+)(\"[^<>]*>)")
_HTML_LINK = re.compile(r"<a\b([^<>]*?)\shref=\"([^\"<>]+)\"([^<>]*>)")
# An id that raw HTML gives (`<span id="vmodel-ime-tip"></span>`): a link may lead there.
_HTML_ID = re.compile(r"<[A-Za-z][\w-]*\b[^<>]*?\bid=[\"']([^\"']+)[\"']")
# The text (brackets in it one deep: `[a [b] c]`; a run of `[[[…` then costs linear time),
# the destination written plain or in angle brackets (`(<https://…_(LRU)>)`), then a title.
_TEXT = r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]"
_LINK = re.compile(rf"(!?){_TEXT}\((<[^<>\n]*>|[^)\s]+)((?:\s+\"(?:[^\"\\]|\\.)*\")?)\)")


def point_links(part: str, entry: Entry, root: Path, by_source: dict, result, shown, number) -> str:
    """A piece of a line outside code, its links, reference definitions and images pointed
    at the manuscript's files (`by_source`: each page's manuscript file)."""
    where = (entry, root, by_source, result, shown, number)
    part = _LINK.sub(lambda m: _link(m, *where), part)
    part = REFERENCE.sub(lambda m: _reference(m, *where), part)
    part = _HTML_LINK.sub(lambda m: _html_link(m, *where), part)
    return _HTML_IMAGE.sub(lambda m: _html_image(m, *where), part)


def _link(m: re.Match, entry, root, by_source, result, shown: str, number: int) -> str:
    """A link or image of the source, pointed at the manuscript's file; a link to no chapter
    of the book keeps its text."""
    bang, text, target, title = m.groups()
    bracketed = target.startswith("<")
    href = _href(target.strip("<>"), bool(bang), entry, root, by_source, result, shown, number)
    if href is None:
        return "" if bang else text
    return f"{bang}[{text}]({f'<{href}>' if bracketed else href}{title})"


def _reference(m: re.Match, entry, root, by_source, result, shown: str, number: int) -> str:
    """A link reference definition `[label]: target`; one that leads nowhere is dropped."""
    label, target = m.groups()
    href = _href(target, False, entry, root, by_source, result, shown, number)
    return "" if href is None else f"[{label}]: {href}"


def _html_image(m: re.Match, entry, root, by_source, result, shown: str, number: int) -> str:
    """<img src> of raw HTML, pointed at the manuscript's copy; one left out becomes an empty
    comment (a blank line would end the HTML block around it)."""
    href = _href(m.group(2), True, entry, root, by_source, result, shown, number)
    return "<!-- -->" if href is None else f"<img{m.group(1)}{href}{m.group(3)}"


def _html_link(m: re.Match, entry, root, by_source, result, shown: str, number: int) -> str:
    """<a href> of raw HTML, pointed as a Markdown link is; one that leads nowhere in the book
    loses its href (an <a> without one is no link) and keeps its text."""
    href = _href(m.group(2), False, entry, root, by_source, result, shown, number)
    return (
        f"<a{m.group(1)}{m.group(3)}"
        if href is None
        else f'<a{m.group(1)} href="{href}"{m.group(3)}'
    )


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
    if result.base != "/" and path.startswith(result.base):  # VitePress's `base: '/docs/'`
        path = "/" + path[len(result.base) :]
    if path.startswith(f"/{root.name}/"):  # /cn/docs/… on a site whose pages are in content/cn
        path = path[len(root.name) + 1 :]
    base = root if path.startswith("/") else entry.path.parent
    found = (base / path.lstrip("/")).resolve()
    if image:
        if not found.is_file() and path.startswith("/"):  # VitePress: public/ in srcDir;
            found = next(  # Hugo and Docusaurus: static/
                (
                    place
                    for place in (root / "public", result.source / "static")
                    if (place / path.lstrip("/")).is_file()
                ),
                result.source / "static",
            )
            found = (found / path.lstrip("/")).resolve()
        if not inside(found, result.source):
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
    """The manuscript's anchor for a heading the source linked to by its id or its slug (or
    None): the first heading that has either."""
    from ..render import heading_id

    headings, by_id, by_slug = _headings(source, result)
    first = min(by_id.get(anchor, len(headings)), by_slug.get(anchor.lower(), len(headings)))
    if first == len(headings):
        return None
    explicit, title = headings[first]
    if explicit == anchor:
        return anchor
    return explicit or heading_id(target_file[:-3], title)


def _headings(source: Path, result: AdoptResult) -> tuple[list, dict[str, int], dict[str, int]]:
    """(explicit id, text) of each heading of a page, and (id, "") of each id its raw HTML
    gives; with where each id and each slug is first found. Read once however many links ask
    (a page of thousands of links to its own headings)."""
    if source not in result.headings:
        found: list[tuple[str | None, str]] = []
        for line, language, _ in fenced((read_file(source, result) or "").splitlines()):
            heading = None if language is not None else re.match(r"^#{1,6}[ \t]+(.*)$", line)
            if heading:
                text = _without_closing_hashes(heading.group(1).rstrip())
                explicit = re.search(r"\{[^{}]*#([^\s{}]+)[^{}]*\}$", text)
                found.append(
                    (explicit.group(1) if explicit else None, plain(without_attributes(text)))
                )
            elif language is None:
                found += [(m.group(1), "") for m in _HTML_ID.finditer(line)]
        by_id: dict[str, int] = {}
        by_slug: dict[str, int] = {}
        for index, (explicit, title) in enumerate(found):
            if explicit:
                by_id.setdefault(explicit, index)
            if title:
                by_slug.setdefault(_slug(title), index)
        result.headings[source] = (found, by_id, by_slug)
    return result.headings[source]


def _without_closing_hashes(heading: str) -> str:
    """`## 标题 ##` → `标题`; `## C#` keeps its `#` (CommonMark: a space before them)."""
    bare = heading.rstrip("#")
    return bare.rstrip() if bare != heading and (not bare or bare[-1] in " \t") else heading


def without_attributes(heading: str) -> str:
    """A heading's text without its `{#id .class}` (string operations: no regex to go
    quadratic on a hostile line of spaces)."""
    heading = heading.rstrip()
    if heading.endswith("}") and "{" in heading:
        heading = heading[: heading.rindex("{")].rstrip()
    return heading
