"""Findings about a manuscript and the exceptions that stop a command."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One finding about the manuscript, located in the user's file."""

    code: str
    severity: Severity
    message: str
    path: Path | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def display_path(self, relative_to: Path | None = None) -> str | None:
        """The path as a user types it: relative to `relative_to` when inside it."""
        if self.path is None:
            return None
        if relative_to is not None:
            try:
                return str(self.path.resolve().relative_to(relative_to.resolve()))
            except ValueError:
                pass
        return str(self.path)

    def location(self, relative_to: Path | None = None) -> str:
        """Return `path:line:col` (as far as known), the form editors jump to."""
        parts = [self.display_path(relative_to) or "<book>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self, relative_to: Path | None = None) -> str:
        """Return the compiler-style line, plus the hint indented below it."""
        text = f"{self.location(relative_to)}: {self.severity} {self.code} {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class EbookError(Exception):
    """A condition that stops a command; carries where it happened when known."""

    def __init__(
        self,
        message: str,
        path: Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
        code: str = "E000",
    ) -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(code, "error", message, path, line, column, hint)

    def __str__(self) -> str:
        return self.diagnostic.format()


class ManuscriptError(EbookError):
    """The manuscript cannot be read (bad YAML, missing file, wrong type...)."""


class OutputError(EbookError):
    """The EPUB cannot be written."""


class BookHasErrors(EbookError):
    """Checks found errors; nothing was written."""

    def __init__(self, findings: list[Diagnostic]) -> None:
        self.findings = findings
        errors = [f for f in findings if f.severity == "error"]
        super().__init__(f"the manuscript has {len(errors)} error(s); nothing was written")
