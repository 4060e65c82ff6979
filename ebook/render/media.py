"""Formulas (TeX to MathML) and images (found in the manuscript, pointed at the EPUB)."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..core.i18n import N_
from ..core.media import image_problem
from ..core.xhtml import XHTML, element
from .draft import Draft
from .parser import MATH_ATTR

IMAGE_HINTS = {
    "L002": N_("check that the file can be read"),
    "L003": N_("convert it to JPEG, PNG, GIF, WebP or SVG"),
    "L008": N_("save it again in the format its name says, as a self-contained file"),
    "H006": N_("remove the script and event handlers from the SVG (or export it as PNG)"),
}


def insert_math(draft: Draft) -> None:
    """Each TeX mark becomes MathML (latex2mathml); TeX it cannot convert stays visible as
    code, and M001 says where."""
    sources = draft.parsed.math
    for mark in list(draft.holder.iter(f"{{{XHTML}}}span", f"{{{XHTML}}}div")):
        index = mark.attrib.pop(MATH_ATTR, None)
        if index is None or not index.isdigit() or int(index) >= len(sources):
            continue
        tex, display, offset = sources[int(index)]
        try:
            math = etree.fromstring(to_mathml(tex, display))
        except Exception as exc:  # latex2mathml raises many kinds of errors on TeX it cannot read
            mark.append(element("code", {"class": "math-error"}, tex))
            line = draft.chapter.body_line + offset
            draft.problem(
                "M001",
                "TeX '{tex}' cannot be converted to MathML ({reason}); it is shown as code",
                line,
                draft.column_of(line, "$" if not display else tex.split("\n")[0] or "$$"),
                "check the TeX (latex2mathml reads LaTeX math; macros of your own it does not)",
                tex=tex[:60],
                reason=(str(exc).splitlines() or [""])[0][:80] or type(exc).__name__,
            )
            continue
        # An alternative text for readers without MathML: the TeX itself.
        math.set("alttext", tex)
        mark.append(math)


# Environments latex2mathml reads as a row of text, leaving their `&` raw (so the MathML is
# not XML), written as the ones it lays out as a table: aligned and alignedat as align* (the
# same right-left column pairs), eqnarray as an array of three columns.
_AS_TABLES = (
    (re.compile(r"\\begin\{aligned\}|\\begin\{alignedat\}\{\d+\}"), r"\\begin{align*}"),
    (re.compile(r"\\end\{aligned(?:at)?\}"), r"\\end{align*}"),
    (re.compile(r"\\begin\{eqnarray\*?\}"), r"\\begin{array}{rcl}"),
    (re.compile(r"\\end\{eqnarray\*?\}"), r"\\end{array}"),
)
# An `&` latex2mathml copies into the MathML as it is (`\text{a & b}`): escaped, it is text.
_RAW_AMPERSAND = re.compile(r"&(?!#?[A-Za-z0-9]+;)")


def to_mathml(tex: str, display: bool) -> str:
    """The MathML of `tex` (latex2mathml), well-formed."""
    # Imported here: only chapters with math need it, and it takes a while to import.
    from latex2mathml.converter import convert

    for pattern, written in _AS_TABLES:
        tex = pattern.sub(written, tex)
    return _RAW_AMPERSAND.sub("&amp;", convert(tex, display="block" if display else "inline"))


def collect_images(draft: Draft) -> None:
    """Find each image's file inside the manuscript; point `src` at its place in the EPUB."""
    chapter = draft.chapter
    root = chapter.path.parent.resolve()
    for img in draft.holder.iter(f"{{{XHTML}}}img"):
        # The parser percent-encodes what a URL may not hold (`图 1.png`): the file's name
        # is the decoded one.
        src = unquote(img.get("src", ""))
        line = draft.line_of(img)

        column = draft.column_of(line, src) if src else 1
        column = column if column > 1 else draft.column_of(line, "![")

        def report(code: str, message: str, hint: str, at=(line, column), **arguments) -> None:
            draft.problem(code, message, *at, hint, **arguments)

        if "decorative" in img.get("class", "").split():
            # Marked by the author as ornament: assistive technology skips it.
            img.set("alt", "")
            img.set("role", "presentation")
        elif not img.get("alt"):
            draft.image_alts_complete = False
            img.set("alt", "")
            report(
                "L004",
                "image '{src_}' has no alt text",
                "describe it: ![what the image shows](file); an ornament: ![](file){{.decorative}}",
                src_=src,
            )
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
            report(
                "L006",
                "image '{src_}' is on the web",
                "download it into the manuscript folder and link to that file",
                src_=src,
            )
            continue
        try:
            path = (chapter.path.parent / src).resolve()
        except (OSError, RuntimeError):  # a symlink loop: nothing there can be read
            path = chapter.path.parent / src
        if src.startswith("/") or root not in path.parents:
            report(
                "L005",
                "image '{src_}' is outside the manuscript folder",
                "copy it into the manuscript folder (symlinks pointing out do not count)",
                src_=src,
            )
        elif not path.is_file():
            near = _near_file(path, src)
            report(
                "L002",
                "image '{src_}' does not exist",
                N_("did you mean '{near}'?")
                if near
                else N_("check the file name; images usually live in images/"),
                src_=src,
                near=near,
            )
        elif problem := image_problem(path):
            code, template, arguments = problem
            report(code, template, IMAGE_HINTS[code], file=src, **arguments)
        else:
            href = path.relative_to(root).as_posix()
            img.set("src", href)
            draft.images.append((path, href))


def _near_file(path: Path, src: str) -> str:
    """`src` with its file name replaced by the nearest name in that folder, or "" (a folder
    of many files is not listed: the hint is not worth the time)."""
    try:
        with os.scandir(path.parent) as entries:
            names = [e.name for _, e in zip(range(2000), entries, strict=False) if e.is_file()]
    except OSError:
        return ""
    near = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    if not near:
        return ""
    folder, _, _ = src.rpartition("/")
    return f"{folder}/{near[0]}" if folder else near[0]
