"""markdown-it as other site generators set it up, for `ebook adopt` to read a site's page
the way the site showed it (convert/fidelity.py compares that with the adopted chapter): the
manuscript's own reader is render/parser.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .cjk import cjk_plugin
from .syntax import display_math_ends_paragraphs

SiteReader = Callable[[str], str]  # a page's Markdown -> the HTML its site shows


# `## 条件渲染 {#conditional-rendering}` (also in a list item or a quote): VitePress shows the
# heading without its id.
_HEADING_ID = re.compile(r"^([ \t>]*#{1,6}[ \t].*?)[ \t]?\{#[^}\s]+\}[ \t]*$", re.M)


_DISPLAY_IN_TEXT = re.compile(r'<div class="math inline">(.*?)</div>', re.S)


def markdown_it_reader(containers: bool, math: bool, cjk_emphasis: bool = False) -> SiteReader:
    """markdown-it as VitePress and VuePress set it up (`containers`: their `::: name title`
    boxes and heading ids), or as CommonMark with GitHub's additions for the other sites.
    `cjk_emphasis`: emphasis closes beside full-width punctuation, as in marked (docsify),
    whose punctuation class is ASCII only; the manuscript's CJK rule reads it the same way."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    # Notes where they are defined, as mdBook shows them (and the manuscript reads them).
    md.use(footnote_plugin, move_to_end=False)
    if cjk_emphasis:
        md.use(cjk_plugin)
    if math:
        # KaTeX and MathJax plugins typeset `$$…$$` inside a line, and a `$$` line inside a
        # paragraph as a display formula on its own (as the manuscript's reading does).
        md.use(dollarmath_plugin, double_inline=True)
        display_math_ends_paragraphs(md)
    if containers:

        def box(renderer, tokens, index, options, env) -> str:
            token = tokens[index]
            if token.nesting != 1:
                return "</div>\n"
            # A box's default label (TIP, WARNING) is the theme's, in the theme's language;
            # the book shows its own in the book's: neither is the page's text.
            name, _, title = token.info.strip().partition(" ")
            if not title.strip():
                return "<div>\n"
            if name == "details":
                return f"<div><summary>{escape(title.strip())}</summary>\n"
            return f'<div><p class="admonition-title">{escape(title.strip())}</p>\n'

        def fence(renderer, tokens, index, options, env) -> str:
            # A code group's tab shows its label (```sh [npm]) over the code.
            label = re.search(r"\[([^\]\n]+)\]\s*$", tokens[index].info)
            code = default_fence(tokens, index, options, env)
            if label is None or not _in_code_group(tokens, index):
                return code
            return f'<div><p class="admonition-title">{escape(label.group(1))}</p>{code}</div>'

        default_fence = md.renderer.rules["fence"]
        md.add_render_rule("fence", fence)
        md.use(container_plugin, name="box", validate=lambda params, *_: True, render=box)

    def read(text: str) -> str:
        html = md.render(_HEADING_ID.sub(r"\1", text) if containers else text)
        # `$$…$$` inside a line stays in its paragraph, as KaTeX's display span does (the
        # plugin writes a <div>, which would end the paragraph).
        return _DISPLAY_IN_TEXT.sub(r'<span class="math display">\1</span>', html) if math else html

    return read


def _in_code_group(tokens: list, index: int) -> bool:
    depth = 0
    for token in reversed(tokens[:index]):
        if token.type == "container_box_close":
            depth += 1
        elif token.type == "container_box_open":
            if depth == 0:
                return token.info.strip().startswith("code-group")
            depth -= 1
    return False
