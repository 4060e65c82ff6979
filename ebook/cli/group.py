"""The command group Click runs: each error type ends a command with its exit status, a bug
is one line, not a traceback, and --help and Click's own words speak the user's language."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn

import click

from ..core.errors import BookHasErrors, EbookError
from ..core.i18n import _, say
from .terminal import close_progress, print_findings


def stop(exc: EbookError, summary: str | None = None) -> NoReturn:
    """End a command that `exc` stopped: its findings, what was not done, and the exit status
    of its type (errors.py)."""
    print_findings(exc.findings if isinstance(exc, BookHasErrors) else [exc.diagnostic])
    if summary:
        click.echo(say("Error: {summary}", summary=summary), err=True)
    sys.exit(exc.exit_code)


class _Translated:
    """A command whose help speaks the user's language: its text, its options' help and its
    commands' summaries are message ids, put into words when --help is shown."""

    help: str | None
    short_help: str | None

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _in_words(self, "help"):
            super().format_help_text(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        with _in_words(self, "short_help"):
            return super().get_short_help_str(limit)  # type: ignore[misc]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with contextlib.ExitStack() as stack:
            for param in self.get_params(ctx):  # (--help included)
                stack.enter_context(_in_words(param, "help"))
            super().format_options(ctx, formatter)  # type: ignore[misc]


@contextlib.contextmanager
def _in_words(holder: object, name: str):
    """`holder.name` in the user's language while Click writes the help."""
    written = getattr(holder, name, None)
    if written:
        setattr(holder, name, _(written))
    try:
        yield
    finally:
        if written:
            setattr(holder, name, written)


class _Command(_Translated, click.Command):
    pass


class Commands(_Translated, click.Group):
    """The command group: an error that stops a command ends it with its type's status; a bug
    in the tool is reported in one line, not as a traceback."""

    command_class = _Command

    def main(self, *args, **kwargs):
        # Click finds its words by the LANGUAGE variable (core/i18n.click_speaks): set for
        # this run of the command line only.
        saved = os.environ.get("LANGUAGE")
        try:
            return super().main(*args, **kwargs)
        finally:
            if saved is None:
                os.environ.pop("LANGUAGE", None)
            else:
                os.environ["LANGUAGE"] = saved

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            close_progress()
            raise
        except EbookError as exc:
            stop(exc)
        except BrokenPipeError:
            # Whoever read the output has gone (`ebook check | head -1`): they have what they
            # wanted. Nothing more is written (Python would report the failed flush at exit),
            # and the status is a shell's for a program the pipe stopped.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except Exception as exc:
            if os.environ.get("EBOOK_DEBUG"):
                raise
            click.echo(
                say("internal error: {kind}: {error}", kind=type(exc).__name__, error=exc)
                + "\n    "
                + _(
                    "hint: this is a bug in ebook, not in your manuscript; please report it"
                    " (EBOOK_DEBUG=1 shows the traceback)"
                ),
                err=True,
            )
            sys.exit(70)  # EX_SOFTWARE
