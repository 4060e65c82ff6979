"""Writing output files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from stdnum.isbn import compact as isbn_compact

from .errors import OutputError
from .model import Book


def _cannot_write(target: Path, exc: OSError) -> OutputError:
    return OutputError(
        "cannot write {target}: {strerror}",
        target,
        code="O001",
        target=target,
        strerror=exc.strerror,
    )


def write_atomically(data: bytes, target: Path) -> tuple[int, int]:
    """Write next to `target` and rename into place: a failure leaves the old file as it was.
    Returns the written file's identity (device, inode), taken before the rename: what is at
    `target` afterwards may already be another writer's."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            written = os.fstat(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(target, exc) from exc
    return written.st_dev, written.st_ino


def check_target(target: Path, inputs: Iterable[Path], protected: Iterable[Path] = ()) -> None:
    """Refuse an output path that would replace what the book is made from, or a non-file.

    `inputs` are the files the build reads; `protected` folders (the cache) are never targets.
    """
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(
            "{target} is not a regular file; the EPUB is not written there",
            target,
            hint="name a new or existing .epub file",
            code="O003",
            target=target,
        )
    resolved = target.resolve()
    if resolved in _resolved_inputs(resolved, inputs) or any(
        resolved.is_relative_to(folder.resolve()) for folder in protected
    ):
        raise OutputError(
            "{target} is a file of the manuscript; the EPUB would replace it",
            target,
            hint="write the EPUB elsewhere, e.g. -o dist/book.epub",
            code="O003",
            target=target,
        )


def _resolved_inputs(target: Path, inputs: Iterable[Path]) -> set[Path]:
    """The inputs that could be `target`, resolved. Only a file of the same name, or a symlink,
    can resolve to it: a book of thousands of files is not resolved path by path, and which
    inputs are symlinks is read from their folders' listings (one per folder, not an lstat
    per file; paths handled as text, which a book of thousands of files notices)."""
    paths = {os.fspath(path) for path in inputs}
    links: set[str] = set()
    for folder in {os.path.dirname(path) for path in paths}:
        try:
            with os.scandir(folder or ".") as entries:
                links.update(os.path.join(folder, e.name) for e in entries if e.is_symlink())
        except OSError:
            # An unreadable folder: each of its inputs is asked on its own.
            links.update(p for p in paths if os.path.dirname(p) == folder and os.path.islink(p))
    name = target.name
    return {Path(p).resolve() for p in paths if os.path.basename(p) == name or p in links}


def write_new_manuscript(
    files: dict[str, str | bytes], directory: Path, force: bool = False
) -> list[Path]:
    """Write a manuscript that `import` or `adopt` made (path -> text or bytes) into
    `directory`: only a new or empty one, unless `force`."""
    if directory.exists() and any(directory.iterdir()) and not force:
        raise OutputError(
            "{directory} is not empty; nothing was written",
            directory,
            hint="give a new folder, or --force to overwrite the files it writes",
            code="O002",
            directory=directory,
        )
    written = []
    for name, content in files.items():
        path = directory / name
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        try:
            _refuse_links(path, directory)
            path.parent.mkdir(parents=True, exist_ok=True)
            # A file (or a link) of the same name is replaced, never written through.
            write_atomically(data, path)
        except OSError as exc:
            raise _cannot_write(path, exc) from exc
        written.append(path)
    return written


def _refuse_links(path: Path, directory: Path) -> None:
    """A folder on the way from `directory` to `path` that is a symbolic link would take the
    file somewhere else: refused (OSError, reported as O001)."""
    folder = path.parent
    while folder != directory and directory in folder.parents:
        if folder.is_symlink():
            raise OSError(errno.ELOOP, "a folder on the way is a symbolic link", str(folder))
        folder = folder.parent


def default_output(book: Book, out_dir: Path = Path("dist")) -> Path:
    """dist/<name>.epub, named from book.yaml's output_name, else the ISBN, else the folder."""
    name = book.options.output_name
    if not name:
        isbn = book.eisbn or book.isbn
        name = isbn_compact(isbn) if isbn else book.root.resolve().name
    return out_dir / f"{name}.epub"


def write_output(
    book: Book,
    target: Path,
    data: bytes,
    images: Iterable[Path] = (),
    protected: Iterable[Path] = (),
) -> tuple[int, int]:
    """Write the EPUB `data` to `target`, never over a file the book is made from (its
    `images` too) nor into a `protected` folder (the cache); an identical file is left as it
    is. Returns its (device, inode)."""
    inputs = [book.config_path, *book.root.glob("*.md"), *(c.path for c in book.chapters)]
    options = book.options
    inputs += [p for p in (options.stylesheet, options.cover, options.index_terms) if p]
    check_target(target, [*inputs, *images], protected)
    existing = target.stat() if target.is_file() else None
    if existing and existing.st_size == len(data) and target.read_bytes() == data:
        return existing.st_dev, existing.st_ino
    return write_atomically(data, target)
