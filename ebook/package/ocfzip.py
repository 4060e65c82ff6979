"""A reproducible OCF zip container, written in one pass.

Equal entries give equal bytes: `mimetype` first and stored (OCF 3.3 requires it), the other
entries deflated in a fixed order, one timestamp, fixed permissions, no extra fields. Deflated
data can come from a cache keyed by the entry's content, so a rebuild compresses only what
changed.
"""

from __future__ import annotations

import datetime
import hashlib
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ..incremental.cache import read_entry, write_entry

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
# Before a cached entry's deflated data: the CRC-32 and size of the data uncompressed.
_HEADER = struct.Struct("<II")
_VERSION = 20  # 2.0: deflate
_UNIX = 3 << 8  # "made by" Unix, so the permission bits below are read
_PERMISSIONS = 0o100644 << 16  # a regular file, rw-r--r--
# The zip format cannot store dates before 1980.
_ZIP_EPOCH = datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)

# Deflates `data`; the second argument is its SHA-256 (hex) when the caller knows it already.
Deflater = Callable[[bytes, str], bytes]


def deflate(data: bytes, digest: str = "") -> bytes:
    """Raw deflate at level 6, zlib's default balance of size and speed."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class Packed(NamedTuple):
    """An entry compressed already: its CRC-32 and size uncompressed, and the deflated data."""

    crc: int
    size: int
    data: bytes


def pack(data: bytes) -> Packed:
    """`data` compressed as the zip stores it, with what the zip's headers need."""
    return Packed(zlib.crc32(data), len(data), deflate(data))


def unpack(packed: bytes) -> bytes:
    """The data `deflate` compressed."""
    return zlib.decompress(packed, -15)


def write_ocf(
    entries: list[tuple[str, bytes] | tuple[str, bytes, str] | tuple[str, Packed]],
    modified: datetime.datetime,
    deflater: Deflater = deflate,
) -> bytes:
    """The zip bytes of `entries`: (name, data[, SHA-256 of data when known]), or (name,
    Packed) for data compressed already; `mimetype` must be the first entry."""
    if not entries or entries[0][0] != "mimetype":
        raise ValueError("an OCF container starts with the mimetype entry")
    stamp = max(modified, _ZIP_EPOCH)
    dos_time = (stamp.hour << 11) | (stamp.minute << 5) | (stamp.second // 2)
    dos_date = ((stamp.year - 1980) << 9) | (stamp.month << 5) | stamp.day
    # The parts are collected and joined once: a long book's zip is tens of megabytes, and
    # growing one buffer entry by entry copies it again and again.
    body: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for index, (name, data, *known) in enumerate(entries):
        encoded = name.encode("utf-8")
        stored = index == 0
        if isinstance(data, Packed):
            crc, size, packed = data
        else:
            crc, size = zlib.crc32(data), len(data)
            packed = data if stored else deflater(data, known[0] if known else "")
        method = 0 if stored else 8
        flags = 0x800 if not encoded.isascii() else 0  # bit 11: the name is UTF-8
        # The fields the local header and the central directory entry share.
        common = (flags, method, dos_time, dos_date, crc, len(packed), size, len(encoded))
        body += (_LOCAL.pack(0x04034B50, _VERSION, *common, 0), encoded, packed)
        central += (
            _CENTRAL.pack(
                0x02014B50, _UNIX | _VERSION, _VERSION, *common, 0, 0, 0, 0, _PERMISSIONS, offset
            ),
            encoded,
        )
        offset += _LOCAL.size + len(encoded) + len(packed)
    directory = b"".join(central)
    end = _END.pack(0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join([*body, directory, end])


class Place(NamedTuple):
    """Where an entry's compressed data is in a zip, with its CRC-32 and size uncompressed."""

    offset: int
    length: int
    crc: int
    size: int


def places(data: bytes) -> dict[str, Place]:
    """Each entry of a zip that write_ocf wrote, by name: where its compressed data is (read
    from the central directory; write_ocf writes no extra fields and no comment)."""
    _, _, _, _, count, _, at, _ = _END.unpack_from(data, len(data) - _END.size)
    found = {}
    for _ in range(count):
        fields = _CENTRAL.unpack_from(data, at)
        crc, length, size, name_length, extra, comment = fields[7:13]
        name = data[at + _CENTRAL.size : at + _CENTRAL.size + name_length].decode("utf-8")
        offset = fields[16] + _LOCAL.size + name_length
        found[name] = Place(offset, length, crc, size)
        at += _CENTRAL.size + name_length + extra + comment
    return found


class DeflateCache:
    """Deflated data by content hash, kept in a folder between builds, for the large entries
    that are not at hand compressed (chapters whose numbers the book-wide pass wrote, generated
    pages): a rebuild compresses only what changed."""

    MIN_SIZE = 4096  # small entries are cheaper to compress than to look up

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def __call__(self, data: bytes, digest: str = "") -> bytes:
        if len(data) < self.MIN_SIZE:
            return deflate(data)
        key = digest or hashlib.sha256(data).hexdigest()
        found = self.lookup(key)
        if found is not None and found.size == len(data):
            return found.data
        packed = pack(data)
        self._write(self.folder / f"{key}.packed", packed)
        return packed.data

    @staticmethod
    def _write(path: Path, packed: Packed) -> None:
        write_entry(path, _HEADER.pack(packed.crc, packed.size) + packed.data)

    def lookup(self, digest: str) -> Packed | None:
        """The compressed data of the entry whose SHA-256 is `digest`, if kept."""
        self.used.add(digest)
        stored = read_entry(self.folder / f"{digest}.packed")
        if stored is None or len(stored) < _HEADER.size:
            return None
        crc, size = _HEADER.unpack_from(stored)
        return Packed(crc, size, stored[_HEADER.size :])

    def prune(self) -> None:
        """Forget what this build did not use (earlier versions of chapters), and entries in
        the form of earlier versions of the tool (.deflate: no checksum and size)."""
        for path in [*self.folder.glob("*.packed"), *self.folder.glob("*.deflate")]:
            if path.suffix == ".deflate" or path.stem not in self.used:
                path.unlink(missing_ok=True)
