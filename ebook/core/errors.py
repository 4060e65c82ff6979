"""Findings about a manuscript and the exceptions that stop a command."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .i18n import _, words

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One finding about the manuscript, located in the user's file."""

    code: str
    severity: Severity
    message: str  # in English, filled in
    path: Path | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    # The English templates and their arguments, to say it in the user's language when shown.
    template: str = field(default="", compare=False)
    hint_template: str = field(default="", compare=False)
    arguments: tuple[tuple[str, object], ...] = field(default=(), compare=False)

    def text(self) -> str:
        """The message in the user's language (a tool's own message, such as EPUBCheck's, is
        no template of ours and is shown as it is)."""
        return words(self.template, dict(self.arguments)) if self.template else self.message

    def hint_text(self) -> str | None:
        if not self.hint:
            return None
        if not self.hint_template:
            return self.hint
        return words(self.hint_template, dict(self.arguments))

    def display_path(self, relative_to: Path | None = None) -> str | None:
        """The path as a user types it from `relative_to`: relative when inside it, or up to
        two folders above it (run from the book's images/, `../ch01.md`); else as it is."""
        if self.path is None:
            return None
        if relative_to is not None:
            try:
                relative = os.path.relpath(self.path.resolve(), relative_to.resolve())
            except ValueError:  # another drive
                return str(self.path)
            if Path(relative).parts[:3].count("..") < 3:
                return relative
        return str(self.path)

    def location(self, relative_to: Path | None = None) -> str:
        """Return `path:line:col` (as far as known), the form editors jump to."""
        parts = [self.display_path(relative_to) or "<book>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def as_json(self, relative_to: Path | None = None) -> dict[str, object]:
        """The finding as `check --format json` prints it, in the user's language."""
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.display_path(relative_to),
            "line": self.line,
            "column": self.column,
            "message": self.text(),
            "hint": self.hint_text(),
        }

    def format(self, relative_to: Path | None = None) -> str:
        """Return the compiler-style line, plus the hint indented below it."""
        severity = _(self.severity)
        text = f"{self.location(relative_to)}: {severity} {self.code} {self.text()}"
        if self.hint:
            # The label's colon is the language's: 提示：… in Chinese.
            text += "\n    " + _("hint: {text}").format(text=self.hint_text())
        return text


def has_errors(findings: list[Diagnostic], strict: bool = False) -> bool:
    """True when the findings stop a build (under strict, warnings too)."""
    return any(f.severity == "error" or strict for f in findings)


def diagnostic(
    code: str,
    severity: Severity,
    template: str,
    path: Path | None,
    line: int | None,
    column: int | None,
    hint: str | None,
    arguments: dict,
) -> Diagnostic:
    """A Diagnostic from English templates ({name} fields) and their arguments."""

    def fill(text: str) -> str:
        # Every template is a format string, with or without fields: `{{` is a literal brace.
        return text.format(**arguments)

    return Diagnostic(
        code,
        severity,
        fill(template),
        path,
        line,
        column,
        fill(hint) if hint else None,
        template,
        hint or "",
        tuple(arguments.items()),
    )


class EbookError(Exception):
    """A condition that stops a command; carries where it happened when known.

    Each type has its own exit status, so a script can tell what to do without reading the
    message: 1 the input has errors to mend, 3 the output cannot be written, 4 an edition to
    compare cannot be read, 5 a tool the command runs is not installed (2 is a usage error,
    Click's; 70 a bug in ebook; 141 a reader that closed the pipe).
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        path: Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
        code: str = "E000",
        **arguments: object,
    ) -> None:
        """`message` and `hint` are English templates, filled in with `arguments`."""
        self.diagnostic = diagnostic(code, "error", message, path, line, column, hint, arguments)
        super().__init__(self.diagnostic.message)

    def __str__(self) -> str:
        return self.diagnostic.format()


class ManuscriptError(EbookError):
    """The manuscript cannot be read (bad YAML, missing file, wrong type...)."""


class OutputError(EbookError):
    """The EPUB, or a new manuscript, cannot be written."""

    exit_code = 3


class EditionError(EbookError):
    """An edition to compare cannot be read."""

    exit_code = 4


class ToolUnavailable(EbookError):
    """A program a command runs (EPUBCheck, its Java, DAISY Ace, Chromium) is not installed."""

    exit_code = 5


class BookHasErrors(EbookError):
    """Checks found errors; nothing was written."""

    def __init__(self, findings: list[Diagnostic]) -> None:
        self.findings = findings
        errors = [f for f in findings if f.severity == "error"]
        super().__init__(f"the manuscript has {len(errors)} error(s); nothing was written")
