"""The build cache in `.ebook-cache/`: entries that prove their own integrity, keyed on the
tool's own code as well as the input.

A cache may only ever save time, never change a result: an entry is written to a temporary
file and renamed into place, carries the SHA-256 of its payload, and one that is truncated,
emptied or garbled reads as a miss (and is removed). Keys include `code_digest()`, so a new
version of any module, template or stylesheet of the tool invalidates everything cached
before it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import time
from importlib import metadata
from pathlib import Path

CACHE_DIR = ".ebook-cache"
_DIGEST = hashlib.sha256().digest_size
# A temporary file is renamed within milliseconds of its creation; one this old was left
# behind by a build that was killed.
_STALE_SECONDS = 600


# The dependencies whose releases can change a chapter's XHTML or findings.
SHAPING_DEPENDENCIES = (
    "markdown-it-py",
    "mdit-py-plugins",
    "lxml",
    "latex2mathml",
    "PyYAML",
)


@functools.cache
def code_digest() -> str:
    """A hash of the tool's own files (code, templates, the default stylesheet), the Python
    version and the versions of the dependencies that shape the output: an upgrade of any of
    them never replays old XHTML or old findings."""
    package = Path(__file__).resolve().parent
    # In a source checkout the default stylesheet lives beside the package (see style_file).
    files = folder_digest([package, package.parent / "styles"])
    versions = [sys.version]
    for name in SHAPING_DEPENDENCIES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return hashlib.sha256("\n".join([files, *versions]).encode()).hexdigest()


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


def write_entry(path: Path, payload: bytes) -> None:
    """Store `payload` with its hash; a cache that cannot be written is no cache, not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(hashlib.sha256(payload).digest() + payload)
        temporary.replace(path)
    except OSError:
        pass


def read_entry(path: Path) -> bytes | None:
    """The payload stored at `path`, or None when it is missing or does not match its hash."""
    found = read_entry_and_digest(path)
    return found[0] if found else None


def read_entry_and_digest(path: Path) -> tuple[bytes, str] | None:
    """The payload stored at `path` and its SHA-256 (hex), verified; None as read_entry."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    payload = data[_DIGEST:]
    digest = hashlib.sha256(payload).digest()
    if len(data) < _DIGEST or digest != data[:_DIGEST]:
        path.unlink(missing_ok=True)
        return None
    return payload, digest.hex()


def remove_stale(folder: Path) -> None:
    """Remove temporary files that killed builds left behind (os.walk: the cache of a long
    book holds thousands of files, and pathlib's rglob makes an object of each)."""
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
