"""Links between chapters, once every chapter is rendered: each must land on an id."""

from __future__ import annotations

import difflib

from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.i18n import N_
from ..core.model import RenderedChapter


def check_links(rendered: list[RenderedChapter]) -> list[Diagnostic]:
    ids = {r.file_name: r.ids for r in rendered}
    findings = []
    for r in rendered:
        for link in r.links:
            there = ids.get(link.target, ())
            if link.fragment and link.fragment not in there:
                # The anchor the author most likely meant, among the target's own.
                near = difflib.get_close_matches(link.fragment, there, n=1, cutoff=0.6)
                hint = (
                    N_("did you mean '#{near}'?")
                    if near
                    else N_("give the target heading an id with {{#anchor}}, or fix the link")
                )
                findings.append(
                    finding(
                        "L001",
                        "link '{written}': no anchor '{fragment}' there",
                        r.chapter.path,
                        link.line,
                        link.column,
                        hint,
                        written=link.written,
                        fragment=link.fragment,
                        near=near[0] if near else "",
                    )
                )
    return findings
