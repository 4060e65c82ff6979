"""Inline marks authors type in the text:

- `[text]{lang=en}`: a phrase in another language than the book's, so that a screen reader
  speaks it in that language (WCAG 2.1 3.1.2, Language of Parts);
- `{page=12}`: where page 12 of the print edition begins, for the EPUB's page list;
- GitHub's alerts (`> [!TIP]`) and `::: tip` … `:::` containers, as labelled boxes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

# A BCP 47 tag, as checks/config.py's LANGUAGE accepts for the book.
LANGUAGE_SPAN = re.compile(
    r"\[([^\[\]\n]+)\]\{\s*lang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)[\"']?\s*\}"
)


# Arabic page numbers, or roman ones (front matter is often paged i, ii, iii).
PAGE_BREAK = re.compile(r"\{\s*page\s*=\s*([0-9]{1,5}|[ivxlcdmIVXLCDM]{1,8})\s*\}")
# Marks the renderer turns into the page-break markup once it knows the chapter's id.
PAGE_ATTR = "data-ebook-page"


class SpansExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown API)
        # Before links (160): `[text]` followed by `{` is never a link. Both run in the inline
        # stage, before attr_list (a treeprocessor) could read `{page=12}` as attributes.
        md.inlinePatterns.register(_LanguageSpan(LANGUAGE_SPAN.pattern, md), "ebook_lang", 165)
        md.inlinePatterns.register(_PageBreak(PAGE_BREAK.pattern, md), "ebook_page", 164)
        # After whitespace is normalised (30), before raw HTML is stashed (20).
        md.preprocessors.register(AlertPreprocessor(md), "ebook_alerts", 25)


class _LanguageSpan(InlineProcessor):
    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 (Python-Markdown API)
        span = ET.Element("span", {"lang": m.group(2)})
        span.text = m.group(1)
        return span, m.start(0), m.end(0)


class _PageBreak(InlineProcessor):
    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 (Python-Markdown API)
        return ET.Element("span", {PAGE_ATTR: m.group(1)}), m.start(0), m.end(0)


# GitHub's alerts (`> [!TIP] title` and the quote's further lines) and the containers of
# VuePress and Docusaurus (`::: tip title` … `:::`) become one block each: a div that
# md_in_html reads as Markdown, its kind and title kept for the renderer's label.
ALERT_OPEN = re.compile(r"^>\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(.*?)\s*$", re.I)
CONTAINER_OPEN = re.compile(r"^:::\s*(\w+)\s*(.*?)\s*$")
CONTAINER_KINDS = {
    "note": "note",
    "info": "note",
    "details": "note",
    "tip": "tip",
    "important": "important",
    "warning": "warning",
    "caution": "caution",
    "danger": "caution",
}
ALERT_ATTR = "data-ebook-alert"


def _open_alert(kind: str, title: str) -> list[str]:
    title = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return ["", f'<div class="alert alert-{kind}" {ALERT_ATTR}="{title}" markdown="1">', ""]


class AlertPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            alert = ALERT_OPEN.match(line)
            container = CONTAINER_OPEN.match(line)
            if alert:
                out += _open_alert(alert.group(1).lower(), alert.group(2))
                i += 1
                while i < len(lines) and lines[i].startswith(">"):
                    out.append(re.sub(r"^> ?", "", lines[i]))
                    i += 1
                out += ["", "</div>", ""]
            elif container and container.group(1).lower() in CONTAINER_KINDS:
                out += _open_alert(CONTAINER_KINDS[container.group(1).lower()], container.group(2))
                i += 1
                while i < len(lines) and lines[i].strip() != ":::":
                    out.append(lines[i])
                    i += 1
                i += 1  # the closing :::
                out += ["", "</div>", ""]
            else:
                out.append(line)
                i += 1
        return out
