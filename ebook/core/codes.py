"""Every finding code the tool reports, with what it means and how to fix it (`--explain`)."""

from __future__ import annotations

from pathlib import Path

from .catalogue import CODES
from .errors import Diagnostic, diagnostic
from .i18n import _

__all__ = ["CODES", "explain", "finding"]


def finding(
    code: str,
    message: str,
    path: Path | None = None,
    line: int | None = None,
    column: int | None = None,
    hint: str | None = None,
    **arguments: object,
) -> Diagnostic:
    """A finding of `code`, with the severity the catalogue gives it. `message` and `hint`
    are English templates ({name} fields filled in from `arguments`), translated when shown."""
    severity = CODES[code][0]
    return diagnostic(code, severity, message, path, line, column, hint, arguments)  # type: ignore[arg-type]


def explain(code: str) -> str | None:
    entry = CODES.get(code.upper())
    if entry is None:
        return None
    severity, title, text = entry
    return f"{code.upper()} ({_(severity)}): {_(title)}\n\n{_(text)}"
