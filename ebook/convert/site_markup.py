"""What a site's pages hold for the site's own machinery (Vue and MDX components, scripts,
custom containers, JSX images, a caption on the line after its image), written as the
manuscript writes it or taken out with its readable text kept. A line taken out is left
blank, so every later report still names the source's line; each change is reported.
"""

from __future__ import annotations

import re

from ..core.i18n import N_, say
from ..core.markdown_syntax import CODE_FENCE, fenced, outside_code_spans, plain
from ..render.syntax import CONTAINER_KINDS
from .sites import AdoptResult

_CONTAINER = re.compile(r"^\s*(:{3,})\s*([\w-]*)(.*)$")
_SCRIPT_OPEN = re.compile(r"^\s*<(script|style)\b[^>]*>")
_COMPONENT_ALONE = re.compile(r"^\s*<([A-Z][\w.]*|[a-z]+-[\w-]+)\b[^<>]*/>\s*$")
_COMPONENT_TAG = re.compile(r"^\s*</?([A-Z][\w.]*|[a-z]+-[\w-]+)\b[^<>]*>\s*$")
# `<img src={require("./x.png").default} alt="…" />`, `src={useBaseUrl('/img/x.png')}`.
_JSX_IMAGE = re.compile(
    r"""<img\b[^<>]*?\bsrc=\{\s*(?:require|useBaseUrl)\(\s*['"]([^'"]+)['"]\s*\)(?:\.default)?\s*\}[^<>]*?/?>"""
)
_ALT = re.compile(r"""\balt=["']([^"']*)["']""")
_IMAGE_ALONE = re.compile(r"^\s*!\[([^\]]*)\]\(([^)\s]+)\)\s*$")
# A page's live widgets (a demo's buttons and fields): a book shows no form. Their readable
# text (a button's or label's words) stays; a field, a text area and a list of choices go.
_WIDGET_WITH_TEXT = re.compile(r"<(button|label)\b[^>]*>|</(?:button|label)>")
_WIDGET = re.compile(
    r"<input\b[^>]*>|<(textarea|select|option)\b[^>]*>.*?</\1>|<(textarea|select|option)\b[^>]*>|</(?:textarea|select|option)>"
)
# A code group's tab: the label after a fence's language (```sh [npm]).
_TAB_LABEL = re.compile(r"\[([^\[\]\n]+)\][ \t]*$")
_WIDGET_OPEN = re.compile(r"<(select|textarea)\b[^>]*>")
# (One space before the attribute, not a run of them: a run would be scanned again from each
# of its spaces, quadratic on a hostile line.)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"[^"]*"|'[^']*')""")
# Vue's directives on plain elements (`v-if`, `v-model`, `@click`, `:value`): the site's code.
_DIRECTIVE = re.compile(
    r"""\s(?:v-[\w:.-]+|@[\w.-]+|:[\w.-]+)(?:=(?:"[^"]*"|'[^']*'))?(?=[\s/>])"""
)
_TAG = re.compile(r"<[A-Za-z][\w-]*\b[^<>]*>")
# `<a class="vt-box" href="…">` alone on its line, closed by `</a>` alone on a later one: a
# link around whole blocks, which XHTML does not allow in a book's body.
_BLOCK_LINK_OPEN = re.compile(r"^\s*<a\b[^>]*>\s*$")
_BLOCK_LINK_CLOSE = re.compile(r"^\s*</a>\s*$")
# An HTML image alone on its line, perhaps centred by the element around it; or that element
# opening and closing on the lines around the image.
_HTML_IMAGE_ALONE = re.compile(
    r"^[ \t]*(?:<(div|center|p)\b[^>]*>[ \t]*)?(<img\b[^>]*>)[ \t]*(?:</(?:div|center|p)>[ \t]*)?$",
    re.I,
)
_CENTRED_OPEN = re.compile(r"^\s*<(div|center|p)\b[^>]*>\s*$", re.I)
_CENTRED_CLOSE = re.compile(r"^\s*</(div|center|p)>\s*$", re.I)
_CENTRED_TEXT = re.compile(r"^\s*<(div|center|p)\b[^>]*>(.*)</\1>\s*$", re.I)
_SRC = re.compile(r"""\bsrc=["']([^"']+)["']""")
_CAPTION = re.compile(r"^\s*((?:图|Figure|Fig\.)\s*\d+(?:\s*[-.．－]\s*\d+)*\s*\S.*?)\s*$")


def site_markup(text: str, shown: str, first_line: int, result: AdoptResult) -> str:
    lines = text.split("\n")
    markup = _Markup(lines, shown, first_line, result)
    in_code = [language is not None for _, language, _ in fenced(lines)]
    index = 0
    while index < len(lines):
        index = index + 1 if in_code[index] else markup.line(index)
    return "\n".join(lines)


class _Markup:
    """One page's lines, changed in place."""

    def __init__(self, lines: list[str], shown: str, first_line: int, result: AdoptResult):
        self.lines, self.shown, self.first_line, self.result = lines, shown, first_line, result
        self.containers: list[bool] = []  # for each open container: whether it is kept
        self.done: set[int] = set()  # lines written already (a code group's labels, its end)

    def report(self, what: str, at: int) -> None:
        self.result.report.append((self.shown, self.first_line + at, what))

    def line(self, index: int) -> int:
        """Changes the line at `index` (and a script block from it); where to go on."""
        lines = self.lines
        line = lines[index]
        script = _SCRIPT_OPEN.match(line)
        if script:
            close = f"</{script.group(1)}>"
            end = next((i for i in range(index, len(lines)) if close in lines[i]), index)
            lines[index : end + 1] = [""] * (end + 1 - index)
            self.report(
                say("a <{tag}> block is the site's code: removed", tag=script.group(1)), index
            )
            return end + 1
        container = _CONTAINER.match(line)
        component = _COMPONENT_ALONE.match(line)
        if index in self.done:
            pass
        elif container and container.group(2).lower() == "code-group" and self.code_group(index):
            pass
        elif container and container.group(2):
            kept = container.group(2).lower() in CONTAINER_KINDS  # the manuscript reads it
            self.containers.append(kept)
            if not kept:
                lines[index] = ""
                what = say(
                    "container '{name}' is the site's: its text is kept", name=container.group(2)
                )
                self.report(what, index)
        elif container and not container.group(3).strip() and self.containers:
            if not self.containers.pop():
                lines[index] = ""
        elif component:
            self.take_out(index)
            self.report(
                say("component <{name}> is interactive: removed", name=component.group(1)), index
            )
        elif _COMPONENT_TAG.match(line) and not line.lstrip().startswith(("<div", "<span", "<p")):
            self.take_out(index)
        elif _JSX_IMAGE.search(line):
            lines[index] = _JSX_IMAGE.sub(_markdown_image, line)
            self.report(say("a JSX image becomes a Markdown image"), index)
        elif _BLOCK_LINK_OPEN.match(line):
            self.block_link(index)
        self.raw_html(index)
        image = _IMAGE_ALONE.match(lines[index])
        if image:
            _caption(lines, index, image, self.report)
        return self.html_figure(index) or index + 1

    def take_out(self, index: int) -> None:
        """The line goes. Between two lines of text it becomes an empty comment, not a blank
        line: a blank line would end the HTML block around it (`<Teleport>` inside a demo's
        `<div>`), and its indented lines after it would read as code."""
        lines = self.lines
        inside = (
            0 < index < len(lines) - 1 and lines[index - 1].strip() and lines[index + 1].strip()
        )
        lines[index] = "<!-- -->" if inside else ""

    def html_figure(self, index: int) -> int | None:
        """An HTML image (centred by a `<div align=center>` or `<center>` around it) with a
        `图 1.1 …` caption in the block after it, as docsify books write figures: written as
        the manuscript's figure (the caption its title, also its alt text if it had none).
        Where to go on, or None where there is no such figure."""
        lines = self.lines
        alone = _HTML_IMAGE_ALONE.match(lines[index])
        if alone:
            image, last = alone.group(2), index
        elif (
            _CENTRED_OPEN.match(lines[index])
            and index + 2 < len(lines)
            and _HTML_IMAGE_ALONE.match(lines[index + 1])
            and _CENTRED_CLOSE.match(lines[index + 2])
        ):
            image, last = lines[index + 1].strip(), index + 2
        else:
            return None
        source = _SRC.search(image)
        after = last + 1 if last + 1 < len(lines) and lines[last + 1].strip() else last + 2
        if source is None or after >= len(lines):
            return None
        centred = _CENTRED_TEXT.match(lines[after])
        written = centred.group(2) if centred else lines[after]
        caption = _CAPTION.match(plain(written, tags=True))
        if caption is None or "`" in written:
            return None  # (a caption with code stays as the site wrote it: a title is plain)
        title = _title(caption.group(1))
        alt = _ALT.search(image)
        lines[index] = f'![{alt.group(1) if alt else title}]({source.group(1)} "{title}")'
        for blank in range(index + 1, after + 1):
            lines[blank] = ""
        self.report(say("the line after an image is its caption: a figure"), after)
        return after + 1

    def code_group(self, index: int) -> bool:
        """VitePress's `::: code-group`: each code block a tab (```sh [npm]), written as its
        label in bold on the line before the block (a book shows every tab), on the blank
        line there or the group's own first line. False (nothing changed) where a block has
        no label or no such line to take."""
        lines = self.lines
        blocks, start, end = [], None, None
        for offset, (line, language, opening) in enumerate(fenced(lines[index + 1 :])):
            at = index + 1 + offset
            if opening:
                start = at
            elif language is not None and start is not None and CODE_FENCE.match(line):
                blocks.append(start)
                start = None
            elif language is None and re.fullmatch(r"\s*:::\s*", line):
                end = at
                break
        labels = [_TAB_LABEL.search(lines[opening]) for opening in blocks]
        if (
            end is None
            or not blocks
            or None in labels
            or any(o - 1 != index and lines[o - 1].strip() for o in blocks)
        ):
            return False
        lines[index] = lines[end] = ""
        for opening, label in zip(blocks, labels, strict=True):
            lines[opening - 1] = f"**{label.group(1).strip()}**"
            lines[opening] = (
                lines[opening][: label.start()].rstrip() + lines[opening][label.end() :]
            )
        self.done.update([end, *(o - 1 for o in blocks)])
        self.report(say("a code group's tabs follow one another, each under its label"), index)
        return True

    def block_link(self, index: int) -> None:
        lines = self.lines
        for end in range(index + 1, min(index + 50, len(lines))):
            if _BLOCK_LINK_OPEN.match(lines[end]):
                return  # another one opens first: not a block link
            if _BLOCK_LINK_CLOSE.match(lines[end]):
                # A <div> in its place: a blank line would end the HTML block around it.
                indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
                lines[index], lines[end] = f"{indent}<div>", f"{indent}</div>"
                what = say("a link around whole blocks keeps its text, not its link")
                self.report(what, index)
                return

    def raw_html(self, index: int) -> None:
        """A line's inline styles (the site's look) and live widgets, taken out."""
        line = self.lines[index]
        opened: list[re.Match] = []  # outside code spans: `<select>` in code is code
        outside_code_spans(line, lambda part: opened.extend(_WIDGET_OPEN.finditer(part)) or part)
        if opened and f"</{opened[-1].group(1)}>" not in line[line.rfind(opened[-1].group(0)) :]:
            self.widget_lines(index, opened[-1])
        elif "<" in line:
            self.lines[index] = outside_code_spans(line, lambda part: self._raw_html(part, index))

    def widget_lines(self, index: int, opened: re.Match) -> None:
        """A `<select>` or `<textarea>` over several lines (a demo's list of choices), taken
        out whole. Each line becomes an empty comment, not a blank line: a blank line would end
        the HTML block around it, and the lines after it would read as Markdown (code, when
        indented)."""
        tag = opened.group(1)
        lines, close = self.lines, f"</{tag}>"
        end = next(
            (i for i in range(index, min(index + 200, len(lines))) if close in lines[i]), None
        )
        if end is None:
            return
        before = lines[index][: lines[index].rfind(opened.group(0))]
        after = lines[end][lines[end].index(close) + len(close) :]
        lines[index : end + 1] = ["<!-- -->"] * (end + 1 - index)
        lines[index] = f"{before}<!-- -->" if before.strip() else lines[index]
        lines[end] = f"<!-- -->{after}" if after.strip() else lines[end]
        self.report(say("<{tag}> is a live widget: removed", tag=tag), index)

    def _raw_html(self, line: str, index: int) -> str:
        widgets = sorted(
            {re.match(r"</?(\w+)", m.group(0)).group(1) for m in _WIDGET.finditer(line)}
            | {m.group(1) for m in _WIDGET_WITH_TEXT.finditer(line) if m.group(1)}
        )
        if widgets:
            line = _WIDGET_WITH_TEXT.sub("", _WIDGET.sub("", line))
            for tag in widgets:
                what = (
                    say("<{tag}> is a live widget: removed, its text kept", tag=tag)
                    if tag in ("button", "label")
                    else say("<{tag}> is a live widget: removed", tag=tag)
                )
                self.report(what, index)
        for pattern, what in (
            (_STYLE_ATTRIBUTE, N_("the site's inline styles are removed")),
            (_DIRECTIVE, N_("the site's Vue directives are removed")),
        ):
            changed = _TAG.sub(lambda tag, p=pattern: p.sub("", tag.group(0)), line)
            if changed != line:
                line = changed
                self.report(say(what), index)
        return line


def _title(caption: str) -> str:
    """A caption as an image's Markdown title: plain text (a title is not read as Markdown),
    its quotes escaped."""
    return plain(caption, tags=True).replace("\\", "\\\\").replace('"', '\\"')


def _markdown_image(found: re.Match) -> str:
    alt = _ALT.search(found.group(0))
    return f"![{alt.group(1) if alt else ''}]({found.group(1)})"


def _caption(lines: list[str], index: int, image: re.Match, report) -> None:
    """`图 6-1 …` on the line after an image (or after one blank line) is its caption: the
    image becomes a figure captioned so (its title), the line goes."""
    for after in (index + 1, index + 2):
        if after >= len(lines) or (after == index + 2 and lines[index + 1].strip()):
            return
        found = _CAPTION.match(lines[after])
        if found and "`" not in found.group(1):  # a title is plain: code stays as written
            caption = _title(found.group(1))
            alt = image.group(1) or caption
            lines[index] = f'![{alt}]({image.group(2)} "{caption}")'
            lines[after] = ""
            report(say("the line after an image is its caption: a figure"), after)
            return
