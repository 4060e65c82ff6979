"""Render a chapter's Markdown into an XHTML content document, its headings and notes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from lxml import etree
from markdown import Markdown
from markdown.util import ETX, STX

from .checks.source import SourceLine, paragraphs
from .checks.source import lines as source_lines
from .i18n import N_
from .labels import labels_for
from .markdown_ext.fences import FencesExtension
from .markdown_ext.math import MATH_ATTR, MathExtension
from .markdown_ext.notes import NotesExtension
from .markdown_ext.paragraphs import PlainParagraphsExtension
from .markdown_ext.spans import ALERT_ATTR, PAGE_ATTR, PAGE_BREAK, SpansExtension
from .markdown_ext.triggers import TriggersExtension
from .media import image_problem
from .model import (
    BODY_TYPES,
    KINDS,
    Book,
    Chapter,
    Heading,
    Link,
    PageBreak,
    Problem,
    RenderedChapter,
    Repair,
)
from .note_profiles import profile_for
from .xhtml import (
    EPUB,
    HEADING_ALIASES,
    MAX_DEPTH,
    XHTML,
    NotSimple,
    TooDeep,
    document,
    element,
    from_markdown_tree,
    parse_fragment,
    text_of,
)

_HEADINGS = {f"{{{XHTML}}}h{n}": n for n in range(1, 7)}
_EPIGRAPH_SOURCE = re.compile(r"^\s*(——|—|--)")


def heading_id(prefix: str, text: str) -> str:
    """Return a deterministic anchor for a heading from its text, not its position."""
    if re.fullmatch(r"[\x20-\x7e]+", text):
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        if slug:
            return f"{prefix}-{slug}"
    return f"{prefix}-h{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


class Renderer:
    """Holds one Markdown converter for a whole build (reset between chapters)."""

    def __init__(self, book: Book, stylesheets: list[str]) -> None:
        self.book = book
        self.stylesheets = stylesheets
        # Manuscript file name -> XHTML file name, for links between chapters.
        self.files = {c.path.name: f"{c.id}.xhtml" for c in book.chapters}
        self.notes = NotesExtension(markers=book.options.note_markers)
        self.math = MathExtension()
        self.profile = profile_for(book.options)
        self.md = Markdown(
            extensions=[
                "tables",
                "attr_list",
                "fenced_code",
                "def_list",
                "sane_lists",
                "md_in_html",
                self.notes,
                self.math,
                SpansExtension(),
                FencesExtension(),
                TriggersExtension(),
                PlainParagraphsExtension(),
            ],
            output_format="xhtml",
        )

    def _markdown(self, chapter: Chapter) -> tuple[etree._Element, list[Problem]]:
        """The chapter's Markdown as an XHTML <div>. Python-Markdown's element tree goes
        straight into XHTML when it holds no raw HTML (xhtml.from_markdown_tree); else it is
        serialized and parsed as HTML, which mends what raw HTML gets wrong (what the parser
        repaired is reported by the checks, at the source line)."""
        md = self.md
        if not chapter.body.strip():
            return parse_fragment("")[0], []
        # Python-Markdown's convert(), up to its element tree.
        md.lines = chapter.body.split("\n")
        for preprocessor in md.preprocessors:
            md.lines = preprocessor.run(md.lines)
        root = md.parser.parseDocument(md.lines).getroot()
        for treeprocessor in md.treeprocessors:
            root = treeprocessor.run(root) or root
        if not md.htmlStash.html_counter:
            try:
                return from_markdown_tree(root)[0], []
            except NotSimple:
                pass
        html = _serialized(md, root)
        lost = []
        if STX in html or ETX in html:
            # Python-Markdown 3.x loses an inline element (code, link, note, HTML) that
            # directly follows emphasis like `*a**b*`, leaving its stash marker behind.
            lost.append(_lost_inline(chapter, md))
            html = html.replace(STX, "").replace(ETX, "")
            md.reset()
            md.convert(chapter.body)  # the note numbering of the whole chapter
        return parse_fragment(html)[0], lost

    def render(self, chapter: Chapter) -> RenderedChapter:
        """The chapter as XHTML, with what the manuscript got wrong as `problems` (data: the
        checks turn them into findings)."""
        self.md.reset()
        self.notes.setConfig("prefix", chapter.id)
        findings: list[Problem] = []
        try:
            holder, lost = self._markdown(chapter)
            findings += lost
        except (TooDeep, RecursionError):
            # Python-Markdown recurses once per level of quotes and lists; the XHTML
            # mending refuses past MAX_DEPTH. Either way nothing of the text may be lost
            # silently: the chapter stays empty and the build stops on the error.
            self.md.reset()
            holder = element("div")
            findings.append(_too_deep(chapter))
        _ensure_title(holder, chapter)
        _close_heading_gaps(holder)
        _add_header_scopes(holder)
        headings = _assign_heading_ids(holder, chapter.id)
        _add_heading_aliases(holder)
        pages = _mark_page_breaks(holder, chapter)
        _mark_epigraphs(holder)
        findings += _insert_math(holder, self.math.sources, chapter)
        _bind_note_markers(holder)
        _caption_tables(holder)
        _make_figures(holder)
        _make_alerts(holder, labels_for(self.book.language))
        images, alts_complete, image_findings = _collect_images(holder, chapter)
        findings += image_findings
        # After the images: a profile's icons are the tool's, not manuscript files.
        endnotes = self.profile.finish(holder, chapter)
        links, link_findings = _resolve_links(holder, chapter, self.files)
        findings += link_findings
        ids, id_findings = _unique_ids(holder, chapter)
        findings += id_findings

        matter, semantic, role = KINDS[chapter.kind]
        section = element("section", {"id": chapter.id, "epub:type": semantic}, parent=None)
        if role:
            section.set("role", role)
        section.text = holder.text
        for child in list(holder):
            section.append(child)
        title = next((h.text for h in headings if h.level == 1 and h.text), None)
        title = title or chapter.title or chapter.id
        content = document(
            title=title,
            language=self.book.language,
            body_type=BODY_TYPES[matter],
            content=[section],
            stylesheets=self.stylesheets,
        )
        result = self.notes.result
        return RenderedChapter(
            chapter=chapter,
            file_name=f"{chapter.id}.xhtml",
            title=title,
            content=content,
            headings=tuple(headings),
            note_count=len(result.numbers),
            noteref_count=result.references,
            images=tuple(images),
            image_alts_complete=alts_complete,
            ids=tuple(ids),
            endnotes=endnotes,
            links=tuple(links),
            problems=tuple(findings),
            pages=tuple(pages),
            repairs=html_repairs(chapter),
            mathml=b"<math" in content,
            digest=hashlib.sha256(content).hexdigest(),
        )


def _serialized(md: Markdown, root) -> str:
    """The rest of Python-Markdown's convert(): its tree as HTML, top-level tag stripped,
    postprocessors run (raw HTML put back)."""
    output = md.serializer(root)
    if md.stripTopLevelTags:
        start, end = f"<{md.doc_tag}>", f"</{md.doc_tag}>"
        if start in output:
            output = output[output.index(start) + len(start) : output.rindex(end)].strip()
        else:
            output = ""  # an empty document: <div />
    for postprocessor in md.postprocessors:
        output = postprocessor.run(output)
    return output.strip()


_TAG_START = re.compile(r"</?[A-Za-z]")
_BLOCK_OPEN = re.compile(r"<(div|table|ul|ol|dl|section|aside|blockquote|figure)\b", re.I)
_BLOCK_CLOSE = re.compile(r"</(div|table|ul|ol|dl|section|aside|blockquote|figure)\s*>", re.I)


def html_repairs(chapter: Chapter) -> tuple[Repair, ...]:
    """What the XHTML mending changes in each raw HTML block, at its line in the file.

    The blocks are parsed as the source has them: the whole chapter's parse sees Markdown's
    output, whose line numbers are not the file's.
    """
    repairs: list[Repair] = []
    for block in _html_blocks(chapter):
        try:
            _, found = parse_fragment("\n".join(line.text for line in block))
        except TooDeep:
            continue  # reported as S006
        for repair in found:
            if "scripting" in repair.message or "javascript:" in repair.message:
                continue  # the checks report these from the source (H002, H004)
            index = min(max(repair.html_line, 1) - 1, len(block) - 1)
            repairs.append(Repair(block[index].number, repair.message))
    return tuple(repairs)


def _html_blocks(chapter: Chapter):
    """Paragraphs that hold raw HTML, joined while a block element is still open."""
    pending: list[SourceLine] = []
    depth = 0
    for paragraph in paragraphs(chapter):
        text = "\n".join(line.text for line in paragraph)
        if not pending and not _TAG_START.search(text):
            continue
        pending += paragraph
        depth += len(_BLOCK_OPEN.findall(text)) - len(_BLOCK_CLOSE.findall(text))
        if depth <= 0:
            yield pending
            pending, depth = [], 0
    if pending:
        yield pending


def _problem(code: str, message: str, line: int, column: int, hint: str, **arguments) -> Problem:
    """A problem with its English template and the arguments that fill it in."""
    return Problem(code, message, line, column, hint, tuple(arguments.items()))


def _lost_inline(chapter: Chapter, md: Markdown) -> Problem:
    """S007 at the first paragraph whose conversion alone loses an inline element."""
    line = chapter.body_line
    offset = 0
    for block in re.split(r"(\n\s*\n)", chapter.body):
        md.reset()
        if not block.strip() or ETX not in md.convert(block):
            offset += block.count("\n")
            continue
        line = chapter.body_line + offset + len(block) - len(block.lstrip("\n"))
        break
    md.reset()
    return _problem(
        "S007",
        "emphasis written like '*a**b*' right before code, a link, a note or HTML:"
        " the Markdown reader drops what follows it",
        line,
        1,
        "write the emphasis so that the asterisks pair up (*a* **b**), or put a space after it",
    )


def _too_deep(chapter: Chapter) -> Problem:
    """S006 at the line that nests deepest (quote markers, list indentation or tags)."""

    def nesting(line: str) -> int:
        quotes = len(re.match(r"^[>\s]*", line).group(0).replace(" ", "").replace("\t", ""))
        indent = (len(line) - len(line.lstrip(" "))) // 2
        return max(quotes, indent, line.count("<") - line.count("</"))

    lines = chapter.body.splitlines() or [""]
    deepest = max(range(len(lines)), key=lambda i: nesting(lines[i]))
    return _problem(
        "S006",
        "quotes, lists or HTML elements nested more than {MAX_DEPTH} levels deep",
        chapter.body_line + deepest,
        1,
        "flatten the structure: no reader shows that many levels",
        MAX_DEPTH=MAX_DEPTH,
    )


def _mark_page_breaks(holder: etree._Element, chapter: Chapter) -> list[PageBreak]:
    """`{page=12}` becomes the EPUB page-break markup: an empty span with epub:type, the
    DPUB-ARIA role and the page number as its accessible name (EPUB Accessibility 1.1)."""
    pages: list[PageBreak] = []
    lines: list[int] = []
    for span in holder.iter(f"{{{XHTML}}}span"):
        label = span.attrib.pop(PAGE_ATTR, None)
        if label is None:
            continue
        if not pages:
            # The source lines of the marks, in order (code blanked, as Markdown leaves marks
            # there); looked for only in a chapter that has marks.
            lines = [n for n, text in source_lines(chapter) for _ in PAGE_BREAK.finditer(text)]
        anchor = f"{chapter.id}-page-{label}"
        span.set("id", anchor)
        span.set(f"{{{EPUB}}}type", "pagebreak")
        span.set("role", "doc-pagebreak")
        span.set("aria-label", label)
        # Written <span></span>, not <span/>: HTML parsers in some readers misread the latter.
        span.text = ""
        line = lines[len(pages)] if len(pages) < len(lines) else chapter.body_line
        pages.append(PageBreak(label, anchor, line))
    # A mark on a line of its own makes a paragraph of nothing but the break: keep the break.
    for p in list(holder.iter(f"{{{XHTML}}}p")):
        if (p.text or "").strip() or not len(p):
            continue
        if all(c.get("role") == "doc-pagebreak" and not (c.tail or "").strip() for c in p):
            for child in list(p):
                child.tail = None
                p.addprevious(child)
            p.getparent().remove(p)
    return pages


def _make_alerts(holder: etree._Element, labels: dict[str, str]) -> None:
    """The boxes of alerts and containers (markdown_ext/spans.py) get their label: the title
    written after the marker, else the kind's name in the book's language."""
    for box in holder.iter(f"{{{XHTML}}}div"):
        title = box.attrib.pop(ALERT_ATTR, None)
        if title is None:
            continue
        kind = box.get("class", "").rpartition("alert-")[2]
        box.set("role", "note")
        label = element("p", {"class": "alert-label"}, title.strip() or labels[f"alert_{kind}"])
        label.tail = box.text
        box.text = None
        box.insert(0, label)


def _insert_math(
    holder: etree._Element, sources: list[tuple[str, bool]], chapter: Chapter
) -> list[Problem]:
    """Each TeX mark becomes MathML (latex2mathml); TeX it cannot convert stays visible as
    code, and M001 says where."""
    problems: list[Problem] = []
    for mark in list(holder.iter(f"{{{XHTML}}}span", f"{{{XHTML}}}div")):
        index = mark.attrib.pop(MATH_ATTR, None)
        if index is None or not index.isdigit() or int(index) >= len(sources):
            continue
        # Imported here: only chapters with math need it, and it takes a while to import.
        from latex2mathml.converter import convert

        tex, display = sources[int(index)]
        try:
            math = etree.fromstring(convert(tex, display="block" if display else "inline"))
        except Exception:  # latex2mathml raises many kinds of errors on TeX it does not read
            code = element("code", {"class": "math-error"}, tex)
            mark.append(code)
            problems.append(
                _problem(
                    "M001",
                    "TeX '{tex}' cannot be converted to MathML; it is shown as code",
                    *_locate(chapter, _first_line(tex) if display else f"${tex}"),
                    "check the TeX (latex2mathml reads LaTeX math; macros of your own it does not)",
                    tex=tex[:60],
                )
            )
            continue
        # An alternative text for readers without MathML: the TeX itself.
        math.set("alttext", tex)
        mark.append(math)
    return problems


def _bind_note_markers(holder: etree._Element) -> None:
    """A note marker never starts a line: it and the character before it are kept together
    (white-space: nowrap in the stylesheet), as print keeps ① with the word it annotates."""
    for a in list(holder.iter(f"{{{XHTML}}}a")):
        if a.get(f"{{{EPUB}}}type") != "noteref":
            continue
        before = a.getprevious()
        text = before.tail if before is not None else a.getparent().text
        if not text or text[-1].isspace():
            continue
        bind = etree.Element(f"{{{XHTML}}}span", {"class": "nowrap"})
        bind.text = text[-1]
        if before is not None:
            before.tail = text[:-1]
        else:
            a.getparent().text = text[:-1]
        a.addprevious(bind)
        bind.tail = a.tail
        a.tail = None
        bind.append(a)


_TABLE_CAPTION = re.compile(r"^\s*(?:Table)?:\s*(\S.*)$", re.S)


def _caption_tables(holder: etree._Element) -> None:
    """A paragraph `Table: 表 1-1 …` (or `: …`) right after a table is its caption, as pandoc
    writes it."""
    for table in list(holder.iter(f"{{{XHTML}}}table")):
        after = table.getnext()
        if after is None or after.tag != f"{{{XHTML}}}p" or len(after):
            continue
        found = _TABLE_CAPTION.match(after.text or "")
        if not found:
            continue
        caption = etree.Element(f"{{{XHTML}}}caption")
        caption.text = found.group(1).strip()
        table.insert(0, caption)
        table.tail = (table.tail or "") + (after.tail or "")
        after.getparent().remove(after)


def _make_figures(holder: etree._Element) -> None:
    """An image alone in its paragraph is a figure; its title (`![alt](x.png "图 1-1 …")`)
    becomes the caption. A figure is not indented like a paragraph (see the stylesheet)."""
    for p in list(holder.iter(f"{{{XHTML}}}p")):
        if len(p) != 1 or (p.text or "").strip() or (p[0].tail or "").strip():
            continue
        img = p[0]
        if img.tag != f"{{{XHTML}}}img":
            continue
        p.tag = f"{{{XHTML}}}figure"
        p.text = None
        img.tail = None
        caption = img.attrib.pop("title", "").strip()
        if caption:
            element("figcaption", text=caption, parent=p)


def _close_heading_gaps(holder: etree._Element) -> None:
    """A heading more than one level below the one before it is raised to the next level:
    assistive technology navigates by levels, and a gap reads as a missing section (S001
    tells the author)."""
    previous = 0
    for el in holder.iter(*_HEADINGS):
        level = min(_HEADINGS[el.tag], previous + 1)
        el.tag = f"{{{XHTML}}}h{level}"
        previous = level


def _add_header_scopes(holder: etree._Element) -> None:
    """Header cells say what they head (a column, or the row they start), for screen readers."""
    for th in holder.iter(f"{{{XHTML}}}th"):
        if th.get("scope"):
            continue
        row = th.getparent()
        in_head = row is not None and etree.QName(row.getparent()).localname == "thead"
        first = row is not None and row.index(th) == 0
        th.set("scope", "col" if in_head or not first else "row")


def _ensure_title(holder: etree._Element, chapter: Chapter) -> None:
    """Give the chapter an <h1> from its front matter title when its text has none."""
    has_h1 = any(child.tag == f"{{{XHTML}}}h1" for child in holder)
    if has_h1 or not chapter.title:
        return
    h1 = element("h1", text=chapter.title)
    h1.tail = holder.text
    holder.text = None
    holder.insert(0, h1)


def _assign_heading_ids(holder: etree._Element, prefix: str) -> list[Heading]:
    headings: list[Heading] = []
    used: set[str] = {prefix}
    for el in holder.iter(*_HEADINGS):
        level = _HEADINGS[el.tag]
        text = text_of(el)
        anchor = el.get("id")
        if not anchor:
            base = heading_id(prefix, text)
            anchor, n = base, 1
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            el.set("id", anchor)
        used.add(anchor)
        headings.append(Heading(level, anchor, text))
    return headings


def _add_heading_aliases(holder: etree._Element) -> None:
    """Keep a heading's earlier ids alive as empty anchors, so old links and bookmarks work."""
    for el in holder.iter(*_HEADINGS):
        aliases = el.attrib.pop(HEADING_ALIASES, "").split()
        for alias in reversed(aliases):
            # Written <span></span>, not <span/>: HTML parsers in some readers misread the latter.
            anchor = element("span", {"id": alias, "class": "alias"}, "")
            anchor.tail = el.text
            el.text = None
            el.insert(0, anchor)


def _mark_epigraphs(holder: etree._Element) -> None:
    """A quotation right after a heading whose last paragraph starts with —— is an epigraph."""
    for quote in holder.iter(f"{{{XHTML}}}blockquote"):
        previous = quote.getprevious()
        paragraphs = quote.findall(f"{{{XHTML}}}p")
        if previous is None or previous.tag not in _HEADINGS or len(paragraphs) < 2:
            continue
        source = paragraphs[-1]
        if source is not quote[-1] or not _EPIGRAPH_SOURCE.match(text_of(source)):
            continue
        quote.set("class", "epigraph")
        quote.set(f"{{{EPUB}}}type", "epigraph")
        quote.set("role", "doc-epigraph")
        source.set("class", "epigraph-source")


def _collect_images(
    holder: etree._Element, chapter: Chapter
) -> tuple[list[tuple[Path, str]], bool, list[Problem]]:
    """Find each image's file inside the manuscript; point `src` at its place in the EPUB."""
    images: list[tuple[Path, str]] = []
    findings: list[Problem] = []
    alts_complete = True
    root = chapter.path.parent.resolve()

    def report(code: str, message: str, src: str, hint: str, **arguments) -> None:
        line, col = _locate(chapter, src)
        findings.append(_problem(code, message, line, col, hint, **arguments))

    for img in holder.iter(f"{{{XHTML}}}img"):
        src = img.get("src", "")
        if "decorative" in img.get("class", "").split():
            # Marked by the author as ornament: assistive technology skips it.
            img.set("alt", "")
            img.set("role", "presentation")
        elif not img.get("alt"):
            alts_complete = False
            img.set("alt", "")
            report(
                "L004",
                "image '{src_}' has no alt text",
                src,
                "describe it: ![what the image shows](file); an ornament: ![](file){{.decorative}}",
                src_=src,
            )
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
            report(
                "L006",
                "image '{src_}' is on the web",
                src,
                "download it into the manuscript folder and link to that file",
                src_=src,
            )
            continue
        path = (chapter.path.parent / src).resolve()
        if src.startswith("/") or root not in path.parents:
            report(
                "L005",
                "image '{src_}' is outside the manuscript folder",
                src,
                "copy it into the manuscript folder (symlinks pointing out do not count)",
                src_=src,
            )
        elif not path.is_file():
            report(
                "L002",
                "image '{src_}' does not exist",
                src,
                "check the file name; images usually live in images/",
                src_=src,
            )
        elif problem := image_problem(path):
            code, template, arguments = problem
            report(code, template, src, IMAGE_HINTS[code], file=src, **arguments)
        else:
            href = path.relative_to(root).as_posix()
            img.set("src", href)
            images.append((path, href))
    return images, alts_complete, findings


IMAGE_HINTS = {
    "L002": N_("check that the file can be read"),
    "L003": N_("convert it to JPEG, PNG, GIF, WebP or SVG"),
    "L008": N_("save it again in the format its name says, as a self-contained file"),
    "H006": N_("remove the script and event handlers from the SVG (or export it as PNG)"),
}
# Where a link out of the book may go; anything else (data:, file:, javascript:…) cannot
# work in a reading system, and EPUBCheck rejects some of them.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def _resolve_links(
    holder: etree._Element, chapter: Chapter, files: dict[str, str]
) -> tuple[list[Link], list[Problem]]:
    """Point links to other manuscript files at their XHTML files; report links out of the book."""
    links: list[Link] = []
    findings: list[Problem] = []
    for a in holder.iter(f"{{{XHTML}}}a"):
        href = a.get("href")
        if href is None or a.get(f"{{{EPUB}}}type") == "noteref" or a.get("role") == "doc-backlink":
            continue
        scheme = re.match(r"^\s*([a-z][a-z0-9+.-]*):", href, re.I)
        if scheme and scheme.group(1).lower() in LINK_SCHEMES:
            continue  # out of the book, as written
        if scheme:
            findings.append(
                _problem(
                    "L007",
                    "link to a '{value}:' URL cannot work in an e-book",
                    *_locate(chapter, href[:40]),
                    "link to a web page (https:), an e-mail address (mailto:) or a chapter",
                    value=scheme.group(1),
                )
            )
            del a.attrib["href"]
            continue
        path, _, fragment = href.partition("#")
        target = f"{chapter.id}.xhtml" if not path else files.get(Path(path).name)
        if target is None or (path and Path(path).suffix != ".md"):
            findings.append(
                _problem(
                    "L001",
                    "link '{href}' points to no file of this book",
                    *_locate(chapter, href),
                    "link to another chapter by its Markdown file, e.g. ch02.md#anchor",
                    href=href,
                )
            )
            continue
        a.set(
            "href",
            f"{target}#{fragment}" if path and fragment else (target if path else f"#{fragment}"),
        )
        links.append(Link(target, fragment, href, *_locate(chapter, href)))
    return links, findings


def _unique_ids(holder: etree._Element, chapter: Chapter) -> tuple[list[str], list[Problem]]:
    """Collect the document's ids in order; a repeated one is renamed so the XHTML stays valid."""
    seen: set[str] = {chapter.id}
    ordered = [chapter.id]
    written: dict[str, int] = {}  # id -> how often it was met, to find the repeat's line
    findings: list[Problem] = []
    for el in holder.iter(f"{{{XHTML}}}*"):
        anchor = el.get("id")
        if anchor is None:
            continue
        written[anchor] = written.get(anchor, 0) + 1
        if anchor in seen:
            n = 2
            while f"{anchor}-{n}" in seen:
                n += 1
            findings.append(
                _problem(
                    "H005",
                    "id '{anchor}' is used twice in this file; the second is renamed "
                    "'{anchor}-{n}'",
                    *_locate(chapter, f'id="{anchor}"', written[anchor]),
                    "give every heading and element its own id",
                    anchor=anchor,
                    n=n,
                )
            )
            anchor = f"{anchor}-{n}"
            el.set("id", anchor)
        seen.add(anchor)
        ordered.append(anchor)
    return ordered, findings


def _first_line(tex: str) -> str:
    """What to look for in the source to find a display formula: its first line with text
    (`$$` itself for one with none)."""
    return next((line for line in tex.splitlines() if line.strip()), "$$")


def _locate(chapter: Chapter, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The line and column where `needle` appears for the n-th time in the chapter's body."""
    seen = 0
    for offset, line in enumerate(chapter.body.splitlines()):
        column = line.find(needle)
        while column >= 0:
            seen += 1
            if seen == occurrence:
                return chapter.body_line + offset, column + 1
            column = line.find(needle, column + 1)
    return chapter.body_line, 1
