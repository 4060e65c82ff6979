"""The `ebook` command: a thin Click layer over the library."""

from __future__ import annotations

import errno
import gc
import json
import sys
from pathlib import Path

import click

from ..core.errors import BookHasErrors, EbookError, ToolUnavailable, has_errors
from ..core.i18n import _, click_speaks, say, set_language
from ..core.i18n import language as language_of_messages
from ..core.version import __version__
from .group import Commands, stop
from .terminal import (
    Status,
    chapter_progress,
    count,
    print_findings,
    summary,
)

manuscript_argument = click.argument(
    "manuscript", required=False, type=click.Path(path_type=Path, file_okay=False)
)


def _manuscript(given: Path | None) -> tuple[Path, Path]:
    """The manuscript folder and the default output folder: as given (output: ./dist), else
    ./manuscript or the nearest folder upwards holding a book.yaml (said on stderr)."""
    if given is not None:
        return given, Path("dist")
    from ..load import locate_manuscript

    located = locate_manuscript(Path("."))
    if located.root != Path("manuscript"):
        click.echo(say("manuscript: {path}", path=located.root.resolve()), err=True)
    return located.root, located.output_dir


quiet_option = click.option("--quiet", "-q", is_flag=True, help="Show no progress.")


def new_manuscript_options(command):
    """-o/--output and --force, for the commands that write a new manuscript."""
    command = click.option("--force", is_flag=True, help="Write into a folder that is not empty.")(
        command
    )
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, file_okay=False),
        required=True,
        help="The manuscript folder to write (new or empty).",
    )(command)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    click_speaks(set_language(value))


@click.group(cls=Commands)
@click.version_option(__version__, prog_name="ebook")
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    callback=_choose_language,
    is_eager=True,
    expose_value=False,
    help="Language of messages and reports (default: from LANG, else English).",
)
def main() -> None:
    """Turn a Markdown manuscript into a valid EPUB 3."""
    # A run makes hundreds of thousands of small objects that live to its end (contents
    # entries, cached chapters' records) and few cycles: the default threshold (700) would
    # walk them again and again. Measured on an edited 3000-chapter build: 0.96 s -> 0.88 s.
    gc.set_threshold(10_000, 20, 20)


@main.command(short_help="Check a manuscript and build its EPUB.")
@manuscript_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="EPUB file to write (default: dist/<ISBN>.epub).",
)
@click.option("--strict", is_flag=True, help="Refuse to build when there are warnings too.")
@click.option("--no-cache", is_flag=True, help="Render every chapter again (ignore .ebook-cache/).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="Worker processes (default: cores).")
@quiet_option
def build(
    manuscript: Path,
    output: Path | None,
    strict: bool,
    no_cache: bool,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Check MANUSCRIPT and build it into an EPUB.

    Without MANUSCRIPT: ./manuscript (the EPUB goes to ./dist), else the nearest folder
    upwards that holds a book.yaml (the EPUB goes to its dist/)."""

    from ..build import build_or_replay

    try:
        manuscript, out_dir = _manuscript(manuscript)
        result = build_or_replay(
            manuscript,
            output,
            strict=strict,
            cache=not no_cache,
            workers=jobs,
            out_dir=out_dir,
            progress=chapter_progress(quiet),
        )
    except BookHasErrors as exc:
        stop(exc, say("{summary}; nothing was written", summary=summary(exc.findings)))
    except EbookError as exc:
        stop(exc, _("build failed; nothing was written"))
    print_findings(result.findings)
    _print_build(str(result.path), result.chapters, result.notes, result.noterefs, result.size)


def _print_build(path: str, chapters: int, notes: int, noterefs: int, size: int) -> None:
    click.echo(path)
    click.echo(
        say(
            "{chapters}, {notes} ({references}), {size} KiB",
            chapters=count(chapters, "{count} chapter", "{count} chapters"),
            notes=count(notes, "{count} note", "{count} notes"),
            references=count(noterefs, "{count} reference", "{count} references"),
            size=f"{size / 1024:.1f}",
        )
    )


def _keep_anchors(fixes) -> None:
    """Write the aliases R002 proposes, saying each on stderr: a manuscript is never changed
    without the author seeing what changed."""
    from ..editions import keep_anchors

    cwd = Path.cwd()
    for fix in keep_anchors(fixes):
        click.echo(
            say(
                '{path}:{line}: wrote {{aliases="{aliases}"}}',
                path=fix.path.relative_to(cwd) if fix.path.is_relative_to(cwd) else fix.path,
                line=fix.line,
                aliases=fix.aliases,
            ),
            err=True,
        )


@main.command(short_help="Report what a store, reader or editor would reject.")
@manuscript_argument
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text (path:line:col: severity CODE message) or JSON.",
)
@click.option(
    "--epub",
    "with_epubcheck",
    is_flag=True,
    help="Also build into a temporary file and run EPUBCheck on it.",
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The last published EPUB: report every file or anchor it had that is gone.",
)
@click.option(
    "--keep-anchors",
    is_flag=True,
    help="With --previous: write into the manuscript the {aliases=…} that keep each lost"
    " anchor on the heading or note that took its place (what R002 proposes), then check again.",
)
@click.option(
    "--a11y",
    "with_ace",
    is_flag=True,
    help="Also build into a temporary file and run DAISY Ace (accessibility) on it.",
)
@click.option("--explain", metavar="CODE", help="Explain a finding code and exit.")
@click.option("--no-cache", is_flag=True, help="Check every chapter again (ignore .ebook-cache/).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="Worker processes (default: cores).")
@quiet_option
def check(
    manuscript: Path,
    strict: bool,
    output_format: str,
    with_epubcheck: bool,
    previous: Path | None,
    keep_anchors: bool,
    with_ace: bool,
    explain: str | None,
    no_cache: bool,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Find what a store, a reader or an editor would reject, before they do."""

    if explain:
        from ..core.codes import explain as explain_code

        text = explain_code(explain)
        if text is None:
            raise click.UsageError(say("unknown code '{code}'", code=explain))
        click.echo(text)
        return
    if keep_anchors and previous is None:
        raise click.UsageError(say("--keep-anchors needs --previous (the published EPUB)"))
    from ..build import check_or_replay

    try:
        manuscript = _manuscript(manuscript)[0]
        if previous is None and not with_epubcheck and not with_ace:
            # The manuscript alone: answered from the last check when nothing changed since.
            findings = list(
                check_or_replay(
                    manuscript, not no_cache, workers=jobs, progress=chapter_progress(quiet)
                )
            )
        else:
            findings = _check_further(
                manuscript, previous, keep_anchors, with_epubcheck, with_ace, no_cache, jobs, quiet
            )
    except ToolUnavailable:
        raise
    except EbookError as exc:
        findings = [exc.diagnostic]
    if output_format == "json":
        rows = [f.as_json(Path.cwd()) for f in findings]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print_findings(findings, stream_err=False)
        click.echo(summary(findings))
    if has_errors(findings, strict):
        sys.exit(BookHasErrors.exit_code)


def _check_further(
    manuscript: Path,
    previous: Path | None,
    keep_anchors: bool,
    with_epubcheck: bool,
    with_ace: bool,
    no_cache: bool,
    jobs: int | None,
    quiet: bool,
) -> list:
    """`check` with what the manuscript alone cannot tell: the anchors of the previous edition,
    EPUBCheck and Ace on the EPUB it builds (each only while there is no error yet)."""
    from ..build import check_accessibility, check_epub, check_manuscript
    from ..editions import check_previous

    progress = chapter_progress(quiet)
    checked = check_manuscript(manuscript, cache=not no_cache, workers=jobs, progress=progress)
    findings = list(checked.findings)
    if previous is not None and not has_errors(findings):
        lost, fixes = check_previous(checked, previous)
        if keep_anchors and fixes:
            _keep_anchors(fixes)
            checked = check_manuscript(manuscript, cache=not no_cache, workers=jobs)
            findings = list(checked.findings)
            lost = [] if has_errors(findings) else check_previous(checked, previous)[0]
        findings += lost
    if with_epubcheck and not has_errors(findings):
        with Status("running EPUBCheck (it takes a while)…", quiet):
            findings += check_epub(checked)
    if with_ace and not has_errors(findings):
        with Status("running DAISY Ace…", quiet):
            findings += check_accessibility(checked)
    return findings


@main.command(short_help="Start a new manuscript.")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--title", default="书名", show_default=True)
@click.option("--author", default="作者", show_default=True)
@click.option("--language", default="zh-CN", show_default=True)
def init(directory: Path, title: str, author: str, language: str) -> None:
    """Start a new manuscript in DIRECTORY (which must be empty or new)."""
    from ..convert.scaffold import create_manuscript

    written = create_manuscript(directory, title=title, author=author, language=language)
    for path in written:
        click.echo(str(path))


@main.command(short_help="Compare two editions.")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    help="text (coloured on a terminal), JSON, or a Markdown draft of the next revisions: entry.",
)
def diff(old: str, new: str, output_format: str) -> None:
    """Compare two editions: OLD and NEW are EPUBs, manuscript folders or git:REV[:PATH]."""
    from ..editions import load_editions
    from ..editions.diff import compare
    from ..editions.report import format_markdown, format_text

    before, after = load_editions(old, new)
    result = compare(before, after)
    language = after.metadata.get("language", "")
    if output_format == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif output_format == "markdown":
        click.echo(
            format_markdown(
                result, language, after.metadata.get("edition", ""), after.metadata.get("date", "")
            )
        )
    else:
        colours = {"old": "red", "new": "green", "heading": None}
        color = sys.stdout.isatty()

        def style(text: str, kind: str) -> str:
            if not color:
                return text
            return click.style(text, fg=colours[kind], bold=kind == "heading")

        # A report for the person running the tool: in their language (the Markdown draft
        # above is book text, in the book's).
        click.echo(format_text(result, language_of_messages(), style))


@main.command(name="import", short_help="Turn a printed book's plain text into a manuscript.")
@click.argument("text", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@new_manuscript_options
@quiet_option
def import_(text: Path, output: Path, force: bool, quiet: bool) -> None:
    """Turn the plain text of a printed book (OCR) into a manuscript."""
    from ..convert.importer import import_text

    try:
        source = text.read_text("utf-8")
    except UnicodeDecodeError:
        raise EbookError("{file} is not UTF-8 text", text, file=text) from None
    with Status("reading the text…", quiet or len(source) < 1_000_000):
        result = import_text(source)
    findings = _write_and_check(result.files, output, force)
    shown = text if not text.is_absolute() else text.name
    decisions = count(len(result.report), "{count} decision", "{count} decisions")
    click.echo(say("Import report: {decisions} to check", decisions=decisions))
    for line, message in result.report:
        click.echo(f"{shown}:{line}: {message}")
    if has_errors(findings):
        sys.exit(BookHasErrors.exit_code)  # the manuscript is written, but it does not build yet


@main.command(short_help="Make an existing Markdown book into a manuscript.")
@click.argument("source", type=click.Path(path_type=Path, file_okay=False, exists=True))
@new_manuscript_options
@click.option("--drafts", is_flag=True, help="Take in pages marked draft (as `hugo -D` shows).")
def adopt(source: Path, output: Path, force: bool, drafts: bool) -> None:
    """Make an existing Markdown book (mdBook, GitBook/HonKit, Docusaurus, Hugo, Jekyll or
    plain files) in SOURCE into a manuscript in OUTPUT; SOURCE is only read."""
    from ..convert.adopt import adopt as adopt_book

    result = adopt_book(source, drafts=drafts)
    findings = _write_and_check(result.files, output, force)
    decisions = count(len(result.report), "{count} decision", "{count} decisions")
    click.echo(say("Adoption report: {decisions} to check", decisions=decisions))
    for name, line, message in result.report:
        click.echo(f"{name}:{line}: {message}" if line else f"{name}: {message}")
    if has_errors(findings):
        sys.exit(
            BookHasErrors.exit_code
        )  # written, but book.yaml still needs what the source did not say


def _write_and_check(files: dict, output: Path, force: bool) -> list:
    """Write a manuscript `import` or `adopt` made, list its files, check it and print the
    findings (exit 2 when it cannot be written); return the findings."""
    from ..build import check_manuscript
    from ..core.output import write_new_manuscript

    written = write_new_manuscript(files, output, force=force)
    for path in written:
        click.echo(str(path))
    try:
        findings = list(check_manuscript(output).findings)
    except EbookError as exc:
        findings = [exc.diagnostic]
    print_findings(findings, stream_err=False)
    click.echo(summary(findings))
    return findings


@main.command(short_help="Serve the book on localhost as you edit it.")
@manuscript_argument
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on localhost (0: any free).",
)
def preview(manuscript: Path, port: int) -> None:
    """Serve MANUSCRIPT as web pages on localhost, rebuilt as you edit it."""
    from ..preview.server import Preview, make_server

    try:
        manuscript = _manuscript(manuscript)[0]
        book = Preview(manuscript)
        server = make_server(book, port)
    except BookHasErrors as exc:
        stop(exc, _("the manuscript has errors"))
    except EbookError as exc:
        stop(exc, _("cannot preview"))
    except OSError as exc:
        message = say("cannot listen on port {port}: {reason}", port=port, reason=exc.strerror)
        if exc.errno == errno.EADDRINUSE:
            message += "\n    " + say(
                "hint: another program uses it; give another with --port, or --port 0 for any"
                " free one"
            )
        raise click.ClickException(message) from None
    host, bound = server.server_address[:2]
    click.echo(
        say(
            "Previewing {path} at http://{host}:{port}/ (Ctrl-C stops)",
            path=manuscript,
            host=host,
            port=bound,
        )
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
