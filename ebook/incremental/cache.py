"""The build cache in `.ebook-cache/`: entries that prove their own origin and integrity,
keyed on the tool's own code and dependencies as well as the input.

A cache may only ever save time, never change a result: an entry is written to a temporary
file and renamed into place and carries an HMAC-SHA256 of its payload under a key of this
machine's (kept in the user's cache folder, readable by the user alone). An entry that is
truncated, garbled, forged, or came with the manuscript from another machine (by zip or git)
reads as a miss and is removed. Keys include `code_digest()`, so a new version of any module,
template or stylesheet of the tool, of a dependency that shapes the output, or of Python
invalidates everything cached before it. Nothing is written through a symbolic link: a
`.ebook-cache` (or a folder in it) that is one is not used.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import stat
import sys
import time
from pathlib import Path

CACHE_DIR = ".ebook-cache"
_DIGEST = hashlib.sha256().digest_size
# A temporary file is renamed within milliseconds of its creation; one this old was left
# behind by a build that was killed.
_STALE_SECONDS = 600


# The distributions whose releases can change a chapter's XHTML or findings (their names as
# their installed metadata folders spell them, lower case).
SHAPING_DEPENDENCIES = (
    "markdown_it_py",
    "mdit_py_plugins",
    "lxml",
    "latex2mathml",
    "pyyaml",
    "pypinyin",  # the index's order
    "bibtexparser",  # a bibliography's entries
    "pylatexenc",  # (bibtexparser's LaTeX decoding)
    "rispy",
)


def dependency_versions() -> list[str]:
    """The installed metadata folders of SHAPING_DEPENDENCIES (`lxml-6.2.0.dist-info`): their
    names hold the versions. Read from the import path's folders, which a no-op build can
    afford, unlike importlib.metadata (about 90 ms)."""
    found = []
    for folder in dict.fromkeys(sys.path):
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                distribution = name.partition("-")[0].lower().replace(".", "_")
                if distribution in SHAPING_DEPENDENCIES:
                    found.append(name)
    return sorted(found)


@functools.cache
def code_digest() -> str:
    """A hash of the tool's own files (code, templates, the default stylesheet), the Python
    version and the versions of the dependencies that shape the output: an upgrade of any of
    them never replays old XHTML or old findings."""
    package = Path(__file__).resolve().parent.parent
    # In a source checkout the default stylesheet lives beside the package (see style_file).
    files = folder_digest([package, package.parent / "styles"])
    return hashlib.sha256(
        "\n".join([files, sys.version, *dependency_versions()]).encode()
    ).hexdigest()


def folder_digest(folders: list[Path]) -> str:
    """A hash of every file's name and bytes under `folders` (compiled caches left out)."""
    digest = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
                digest.update(b"\0")
    return digest.hexdigest()


KEY_NAME = "machine-key"


@functools.cache
def machine_key() -> bytes | None:
    """This machine's (this user's) cache key, made once: random bytes in the user's cache
    folder, readable by the user alone. None where it cannot be kept: then nothing is cached."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "ebook" / KEY_NAME
    try:
        return _read_key(path) or _make_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        return None
    return key if len(key) == _DIGEST else None


def _make_key(path: Path) -> bytes | None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f"{KEY_NAME}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(os.urandom(_DIGEST))
    os.replace(temporary, path)  # two first builds at once: the last key stays, the other's
    return _read_key(path)  # entries read as misses (time, never a result)


def _seal(payload: bytes) -> bytes | None:
    key = machine_key()
    # hmac.digest: the one-shot form, computed in C without an HMAC object per entry.
    return hmac.digest(key, payload, "sha256") if key else None


def _inside_links(path: Path) -> bool:
    """Whether `path`'s folder, up to and including the cache folder, is or passes through a
    symbolic link (an entry would be written, or old files removed, outside the manuscript)."""
    folder = path.parent
    while True:
        if folder.is_symlink():
            return True
        if folder.name == CACHE_DIR or folder.parent == folder:
            return False
        folder = folder.parent


def write_entry(path: Path, payload: bytes) -> None:
    """Store `payload` with its seal; a cache that cannot be written is no cache, not an error."""
    seal = _seal(payload)
    if seal is None or _inside_links(path):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if _inside_links(path):  # made a link while the folders were made
            return
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(seal + payload)
        temporary.replace(path)
    except OSError:
        pass


def read_entry(path: Path) -> bytes | None:
    """The payload stored at `path`, or None when it is missing or does not match its seal."""
    try:
        # O_NONBLOCK and the check of the opened file, not of the path: a FIFO or a device
        # would block or never end, and the file cannot be swapped between check and read.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None
        # Entries are replaced whole, never written in place: one read of the size has it all
        # (and a short read would fail the seal below, a miss).
        data = os.read(descriptor, status.st_size)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    payload = data[_DIGEST:]
    seal = _seal(payload)
    if seal is None or len(data) < _DIGEST or not hmac.compare_digest(seal, data[:_DIGEST]):
        if not _inside_links(path):
            path.unlink(missing_ok=True)
        return None
    return payload


def remove_stale(folder: Path) -> None:
    """Remove temporary files that killed builds left behind (os.walk: the cache of a long
    book holds thousands of files, and pathlib's rglob makes an object of each). Never in a
    folder reached through a symbolic link."""
    if folder.is_symlink():
        return
    now = time.time()
    for parent, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".tmp"):
                path = os.path.join(parent, name)
                try:
                    if now - os.stat(path).st_mtime > _STALE_SECONDS:
                        os.unlink(path)
                except OSError:
                    pass
