"""Editions to compare: an EPUB, a manuscript folder or `git:REV[:PATH]` read into a
snapshot (`diff`), and a manuscript checked against the last published EPUB
(`check --previous`). Both sides are read by the same code: a manuscript is built in memory
first."""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import replace
from pathlib import Path

from ..build import CheckResult, assemble, check_manuscript
from ..core.assets import STYLESHEET_HREF
from ..core.errors import Diagnostic
from ..core.output import write_atomically
from .anchors import AnchorFix, check_against_previous
from .snapshot import BookSnapshot, SnapshotError, snapshot_epub


def check_previous(
    checked: CheckResult, previous: Path
) -> tuple[list[Diagnostic], list[AnchorFix]]:
    """Compare with the last published EPUB: every file and anchor it had must still exist.
    Also the aliases that would keep the lost anchors, where the tool can tell."""
    try:
        old = snapshot_epub(previous.read_bytes(), str(previous))
    except OSError as exc:
        raise SnapshotError(
            "cannot read {previous}: {strerror}",
            previous,
            code="D001",
            previous=previous,
            strerror=exc.strerror,
        ) from exc
    rendered = list(checked.rendered)
    new = snapshot_epub(assemble(checked.book, rendered))
    return check_against_previous(checked.book, rendered, old, new, previous.name)


def load_editions(old: str, new: str) -> tuple[BookSnapshot, BookSnapshot]:
    """Both editions to compare; a `git:REV` without a path is the manuscript folder the
    other side names (`ebook diff git:HEAD .`), else the book in the current folder."""
    return load_edition(old, _folder_of(new)), load_edition(new, _folder_of(old))


def _folder_of(spec: str) -> str | None:
    return spec if not spec.startswith("git:") and Path(spec).is_dir() else None


def load_edition(spec: str, folder: str | None = None) -> BookSnapshot:
    """An edition given as an EPUB file, a manuscript folder, or `git:REV[:PATH]`; PATH (by
    default `folder`, else the current folder if it holds book.yaml, else `manuscript`) is
    relative to the current folder, wherever the repository's root is."""
    if spec.startswith("git:"):
        rev, _, path = spec[4:].partition(":")
        if not rev or rev.startswith("-") or Path(path).is_absolute() or ".." in Path(path).parts:
            raise SnapshotError(
                "'{spec}' is not git:REV[:PATH] with a revision and a path inside the repository",
                hint="e.g. git:v1.0 or git:HEAD~1:manuscript",
                code="D001",
                spec=spec,
            )
        if not path:
            path = folder or ("." if Path("book.yaml").is_file() else "manuscript")
        with tempfile.TemporaryDirectory(prefix="ebook-diff-") as temporary:
            manuscript = _git_export(rev, Path(path), Path(temporary))
            return load_edition(str(manuscript))
    path = Path(spec)
    if path.is_file():
        return snapshot_epub(path.read_bytes(), spec)
    if path.is_dir():
        checked = check_manuscript(path)
        if checked.errors:
            raise SnapshotError(
                "{spec} has {errors} error(s); `ebook check` lists them",
                path,
                code="D001",
                spec=spec,
                errors=checked.errors,
            )
        # Rendered again with every block's line, so that a change says where it is in the
        # manuscript (one process, no cache: the lines are never part of a book).
        from ..render import Renderer
        from ..render.resolve import resolve_apparatus

        renderer = Renderer(checked.book, [STYLESHEET_HREF], block_lines=True)
        lined = [renderer.render(chapter) for chapter in checked.book.chapters]
        lined, _ = resolve_apparatus(checked.book, lined)
        snapshot = snapshot_epub(assemble(checked.book, lined), spec)
        sources = {c.id: c.path.name for c in checked.book.chapters}
        chapters = tuple(replace(c, source=sources.get(c.id, "")) for c in snapshot.chapters)
        return replace(snapshot, chapters=chapters)
    raise SnapshotError(
        "{spec} is neither an EPUB, a manuscript folder nor git:REV",
        path,
        hint="e.g. dist/old.epub, manuscript, git:v1.0",
        code="D001",
        spec=spec,
    )


def _git_export(rev: str, path: Path, into: Path) -> Path:
    """Write the manuscript as it was at `rev` into `into` (git archive, no checkout)."""
    target = Path.cwd() / path
    # git is asked in the folder itself (or the nearest one that exists now): the book may be
    # in another repository than the current folder, or in none.
    existing = next((f for f in (target, *target.parents) if f.is_dir()), Path.cwd())
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=existing,
        capture_output=True,
        text=True,
        check=False,
    )
    if top.returncode != 0:
        raise SnapshotError(
            "git:REV needs a git repository; {path_} is in none", code="D001", path_=path
        )
    root = Path(top.stdout.strip())
    try:
        relative = target.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise SnapshotError(
            "{path_} is outside the git repository", code="D001", path_=path
        ) from None
    # The revision is resolved to a commit before any other git command sees it, and it is
    # never read as an option (git:--output=FILE would otherwise write FILE).
    verified = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if verified.returncode != 0:
        raise SnapshotError("git knows no commit '{rev}'", code="D001", rev=rev)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", verified.stdout.strip(), "--", relative],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise SnapshotError(
            "git cannot give {relative} at {rev}: {value}",
            code="D001",
            relative=relative,
            rev=rev,
            value=archive.stderr.decode(errors="replace").strip(),
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        extract_archive(tar, into)
    return into / relative


def extract_archive(tar: tarfile.TarFile, into: Path) -> None:
    """Extract a tar archive (git's, or a test book's) with tarfile's "data" filter (nothing
    outside `into`, no device files); on Pythons before 3.11.4, which lack the filter, its
    regular files and folders only, each checked to stay inside."""
    if hasattr(tarfile, "data_filter"):
        tar.extractall(into, filter="data")
        return
    for member in tar.getmembers():
        target = into / member.name
        parts = Path(member.name).parts
        if Path(member.name).is_absolute() or ".." in parts:
            continue
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
        elif member.isfile():
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is not None:
                target.write_bytes(source.read())


# An attribute list at the end of a line: `## Title {#id .x}`, or a line of its own.
_TRAILING_ATTRIBUTES = re.compile(r"\{([^{}]*)\}\s*$")
_ALIASES_VALUE = re.compile(r'aliases="([^"]*)"')


def keep_anchors(fixes: list[AnchorFix]) -> list[AnchorFix]:
    """Write each fix's aliases into its manuscript file: into the heading's attribute list,
    or as the last line of the note's first paragraph. Files are replaced whole (a failure
    leaves them as they were); a file that is a symbolic link is left alone. The fixes
    written are returned."""
    written = []
    for path in sorted({fix.path for fix in fixes}):
        if path.is_symlink() or not path.is_file():
            continue
        lines = path.read_text("utf-8").split("\n")
        # Bottom up: a line added for a note moves no line a later fix names.
        for fix in sorted((f for f in fixes if f.path == path), key=lambda f: -f.line):
            index = fix.line - 1
            if not 0 <= index < len(lines):
                continue
            if fix.target == "heading":
                lines[index] = _with_aliases(lines[index], fix.aliases)
            else:
                end = index
                while (
                    end + 1 < len(lines)
                    and lines[end + 1].strip()
                    and not lines[end + 1].lstrip().startswith("[^")
                ):
                    end += 1
                if _TRAILING_ATTRIBUTES.fullmatch(lines[end].strip()) and end > index:
                    lines[end] = _with_aliases(lines[end], fix.aliases)
                else:
                    lines.insert(end + 1, f'    {{aliases="{fix.aliases}"}}')
            written.append(fix)
        write_atomically("\n".join(lines).encode("utf-8"), path)
    return written


def _with_aliases(line: str, aliases: str) -> str:
    found = _TRAILING_ATTRIBUTES.search(line)
    if found is None:
        return f'{line.rstrip()} {{aliases="{aliases}"}}'
    inside = found.group(1)
    present = _ALIASES_VALUE.search(inside)
    if present:
        merged = " ".join(dict.fromkeys([*present.group(1).split(), *aliases.split()]))
        inside = inside[: present.start()] + f'aliases="{merged}"' + inside[present.end() :]
    else:
        inside = f'{inside.strip()} aliases="{aliases}"'.strip()
    return line[: found.start()] + "{" + inside + "}"
