"""book.yaml's `accepted:` list: warnings the publisher accepts in one place, each with why."""

from __future__ import annotations

from ..core.codes import CODES
from ..core.i18n import N_
from ..core.keys import item_keys
from ..core.model import AcceptedFinding
from .safe_yaml import VALUE
from .schema import Findings, unknown_item_keys

_KEYS = item_keys("accepted")


def load_accepted(items: list, found: Findings) -> tuple[AcceptedFinding, ...]:
    """The entries that say what they accept and why; each one that does not is a finding."""
    accepted = []
    for i, item in enumerate(items):
        key = ("accepted", i)
        if not isinstance(item, dict) or not item.get("code") or not item.get("reason"):
            found.add(
                "B004",
                "an accepted finding needs its 'code' and the 'reason' it is accepted",
                key + (VALUE,),
                "write it as {{code: T001, file: ch01.md, line: 12, reason: …}}",
            )
            continue
        code = str(item["code"]).upper()
        severity = CODES.get(code, ("", ""))[0]
        if severity != "warning":
            found.add(
                "B004",
                "only warnings can be accepted, and '{named}' is not one",
                key + ("code", VALUE),
                N_("an error stops the book: mend it instead (ebook check --explain CODE)"),
                named=code,
            )
            continue
        line = item.get("line")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
            found.add(
                "B004",
                "an accepted finding's line must be a whole number, not '{value}'",
                key + ("line", VALUE),
                value=line,
            )
            continue
        unknown_item_keys(
            item, _KEYS, key, found, N_("unknown key '{extra}' of an accepted finding is ignored")
        )
        accepted.append(
            AcceptedFinding(
                code=code,
                reason=str(item["reason"]),
                file=str(item.get("file") or ""),
                line=line,
                text=str(item.get("text") or ""),
                where=found.lines.get(key + (VALUE,), (None, None)),
            )
        )
    return tuple(accepted)
