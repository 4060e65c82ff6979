"""Every message of the tool that gettext must know: the English message ids in the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ebook"
# Calls whose string arguments are message templates (English, {name} fields).
TEMPLATE_CALLS = {
    "finding", "add", "report", "problem", "_problem", "_yaml_error", "say", "_", "N_",
    "ManuscriptError", "SnapshotError", "OutputError", "EbookError", "AceUnavailable",
    "EpubCheckUnavailable", "Status",
}  # fmt: skip
CODE = re.compile(r"^(?:[A-Z]\d{3}|ACE|E000)$")


def _name(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def message_ids() -> tuple[set[str], set[tuple[str, str]], list[str]]:
    """(messages, (singular, plural) pairs, f-strings found where a template must be)."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    untranslatable: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node)
            if name in ("ngettext", "count"):
                texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
                strings = [t for t in texts if isinstance(t, str)]
                if len(strings) == 2:
                    plurals.add((strings[0], strings[1]))
                continue
            if name not in TEMPLATE_CALLS:
                continue
            arguments = list(node.args) + [
                k.value for k in node.keywords if k.arg in ("hint", "message")
            ]
            for argument in arguments:
                if isinstance(argument, ast.JoinedStr):
                    untranslatable.append(f"{path.name}:{argument.lineno}")
                elif (
                    isinstance(argument, ast.Constant)
                    and isinstance(argument.value, str)
                    and not CODE.match(argument.value)
                    and argument.value.strip()
                ):
                    singles.add(argument.value)
    from ebook.core.codes import CODES

    singles |= help_texts()
    for severity, title, text in CODES.values():
        singles |= {severity, title, text}
    singles |= {"error", "warning"}
    return singles, plurals, untranslatable


def help_texts() -> set[str]:
    """What `--help` shows, as the commands declare it: their help and summaries, their
    options' help (Click's own --help and --version included)."""
    import click

    from ebook.cli import main

    found: set[str] = set()

    def walk(command: click.Command) -> None:
        context = click.Context(command)
        for text in (command.help, command.short_help):
            if text:
                found.add(text)
        for param in command.get_params(context):
            if getattr(param, "help", None):
                found.add(param.help)
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(main)
    return found
