"""What a site's pages hold for the site's own machinery (Vue and MDX components, scripts,
custom containers, JSX images, a caption on the line after its image), written as the
manuscript writes it or taken out with its readable text kept. A line taken out is left
blank, so every later report still names the source's line; each change is reported.
"""

from __future__ import annotations

import re

from ..core.i18n import say
from ..core.markdown_syntax import fenced
from .sites import AdoptResult

_CONTAINER = re.compile(r"^\s*(:{3,})\s*([\w-]*)(.*)$")
# The containers the manuscript reads (render/syntax.py), VitePress's and VuePress's included.
_KNOWN = {"note", "info", "details", "tip", "important", "warning", "caution", "danger"}
_SCRIPT_OPEN = re.compile(r"^\s*<(script|style)\b[^>]*>")
_COMPONENT_ALONE = re.compile(r"^\s*<([A-Z][\w.]*|[a-z]+-[\w-]+)\b[^<>]*/>\s*$")
_COMPONENT_TAG = re.compile(r"^\s*</?([A-Z][\w.]*|[a-z]+-[\w-]+)\b[^<>]*>\s*$")
# `<img src={require("./x.png").default} alt="…" />`, `src={useBaseUrl('/img/x.png')}`.
_JSX_IMAGE = re.compile(
    r"""<img\b[^>]*?\bsrc=\{\s*(?:require|useBaseUrl)\(\s*['"]([^'"]+)['"]\s*\)(?:\.default)?\s*\}[^>]*?/?>"""
)
_ALT = re.compile(r"""\balt=["']([^"']*)["']""")
_IMAGE_ALONE = re.compile(r"^\s*!\[([^\]]*)\]\(([^)\s]+)\)\s*$")
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
        if container and container.group(2):
            kept = container.group(2).lower() in _KNOWN
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
            lines[index] = ""
            self.report(
                say("component <{name}> is interactive: removed", name=component.group(1)), index
            )
        elif _COMPONENT_TAG.match(line) and not line.lstrip().startswith(("<div", "<span", "<p")):
            lines[index] = ""
        elif _JSX_IMAGE.search(line):
            lines[index] = _JSX_IMAGE.sub(_markdown_image, line)
            self.report(say("a JSX image becomes a Markdown image"), index)
        image = _IMAGE_ALONE.match(lines[index])
        if image:
            _caption(lines, index, image, self.report)
        return index + 1


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
        if found:
            caption = found.group(1).replace('"', "“")
            alt = image.group(1) or caption
            lines[index] = f'![{alt}]({image.group(2)} "{caption}")'
            lines[after] = ""
            report(say("the line after an image is its caption: a figure"), after)
            return
