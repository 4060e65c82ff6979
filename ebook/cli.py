"""The `ebook` command: a thin Click layer over the library."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__

DEFAULT_MANUSCRIPT = Path("manuscript")


def _print_findings(findings) -> None:
    cwd = Path.cwd()
    for finding in findings:
        click.echo(finding.format(relative_to=cwd), err=True)


@click.group()
@click.version_option(__version__, prog_name="ebook")
def main() -> None:
    """Turn a Markdown manuscript into a valid EPUB 3."""


@main.command()
@click.argument(
    "manuscript",
    required=False,
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_MANUSCRIPT,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="EPUB file to write (default: dist/<ISBN>.epub).",
)
def build(manuscript: Path, output: Path | None) -> None:
    """Build MANUSCRIPT (default: ./manuscript) into an EPUB."""
    from .build import build_epub
    from .errors import BookHasErrors, EbookError

    try:
        result = build_epub(manuscript, output)
    except BookHasErrors as exc:
        _print_findings(exc.findings)
        raise click.ClickException(str(exc.diagnostic.message)) from None
    except EbookError as exc:
        _print_findings([exc.diagnostic])
        raise click.ClickException("build failed; nothing was written") from None
    _print_findings(result.findings)
    click.echo(str(result.path))
    click.echo(
        f"{result.chapters} chapters, {result.notes} notes ({result.noterefs} references),"
        f" {result.size / 1024:.1f} KiB"
    )
