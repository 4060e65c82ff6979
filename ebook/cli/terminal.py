"""What the commands show on a terminal: findings, counts in the user's language, a progress
bar and a status line (both only on a terminal, never into a pipe or a log)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..core.i18n import _, ngettext, say

# Fewer chapters than this render in well under a second: no progress bar for them.
PROGRESS_MIN = 20


def interactive(quiet: bool) -> bool:
    """Progress goes to a terminal only: never into a pipe, a log or a CI transcript."""
    return not quiet and sys.stderr.isatty()


# Progress bars drawn and not yet finished: a Ctrl-C ends them (close_progress), or the
# terminal would keep the cursor the bar hid.
_open_bars: list = []


def chapter_progress(quiet: bool):
    """A callback drawing a progress bar of the chapters rendered (on a terminal only)."""
    if not interactive(quiet):
        return None
    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if total < PROGRESS_MIN:
            return
        if bar is None:
            bar = click.progressbar(length=total, label=_("rendering chapters"), file=sys.stderr)
            bar.__enter__()
            _open_bars.append(bar)
        bar.update(done - bar.pos)
        if done == total:
            bar.__exit__(None, None, None)
            _open_bars.remove(bar)

    return update


def close_progress() -> None:
    """Finish the bars a Ctrl-C interrupted: the terminal gets its cursor back."""
    while _open_bars:
        _open_bars.pop().__exit__(None, None, None)


class Status:
    """One line saying what runs now ("running EPUBCheck…"), erased when it is done."""

    def __init__(self, text: str, quiet: bool) -> None:
        self.text = _(text)
        self.shown = interactive(quiet)

    def __enter__(self) -> None:
        if self.shown:
            click.echo(self.text, err=True, nl=False)

    def __exit__(self, *exc) -> None:
        if self.shown:
            click.echo("\r" + " " * len(self.text) * 2 + "\r", err=True, nl=False)


def print_findings(findings, stream_err: bool = True) -> None:
    cwd = Path.cwd()
    for finding in findings:
        click.echo(finding.format(relative_to=cwd), err=stream_err)


def count(number: int, singular: str, plural: str) -> str:
    """'1 note', '2 notes' — or, in Chinese, '1 条注释'."""
    return ngettext(singular, plural, number).format(count=number)


def summary(findings) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    return say(
        "{errors}, {warnings}",
        errors=count(errors, "{count} error", "{count} errors"),
        warnings=count(warnings, "{count} warning", "{count} warnings"),
    )
