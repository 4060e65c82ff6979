"""Links between chapters, once every chapter is rendered: each must land on an id."""

from __future__ import annotations

from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.model import RenderedChapter


def check_links(rendered: list[RenderedChapter]) -> list[Diagnostic]:
    ids = {r.file_name: r.ids for r in rendered}
    findings = []
    for r in rendered:
        for link in r.links:
            if link.fragment and link.fragment not in ids.get(link.target, ()):
                findings.append(
                    finding(
                        "L001",
                        "link '{written}': no anchor '{fragment}' there",
                        r.chapter.path,
                        link.line,
                        link.column,
                        "give the target heading an id with {{#anchor}}, or fix the link",
                        written=link.written,
                        fragment=link.fragment,
                    )
                )
    return findings
