"""One format for every cache entry that holds data: a dataclass written as JSON from its own
fields (their type hints say how to read each back), in an envelope that names the schema.

A field added to a dataclass is stored and read with no code to change here; a field a record
must not hold (the chapter it belongs to, a function, bytes kept elsewhere) says so in its
metadata: `field(metadata=NOT_STORED)`, and is given back by the caller. An entry written by
another schema, of another type, or that does not fit the dataclass any more reads as missing:
a cache may only ever save time.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from ..core.model import NOT_STORED
from .cache import read_entry, write_entry

__all__ = ["NOT_STORED", "from_record", "read_record", "to_record", "write_record"]

# Raised whenever the envelope or the way fields are written changes: older entries then miss.
SCHEMA = 1

T = TypeVar("T")


def to_record(value: Any) -> Any:
    """`value` as JSON data: dataclasses as objects of their stored fields, tuples as lists,
    paths as text, bytes (XHTML) as UTF-8 text, dicts with tuple keys as [key, value] pairs."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_record(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.metadata.get("stored", True)
        }
    if isinstance(value, list | tuple):
        return [to_record(item) for item in value]
    if isinstance(value, dict):
        if any(isinstance(key, tuple) for key in value):
            return [[to_record(key), to_record(item)] for key, item in value.items()]
        return {key: to_record(item) for key, item in value.items()}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value


def from_record(kind: Any, data: Any, given: dict[type, dict[str, Any]] | None = None) -> Any:
    """The value of type `kind` that `data` (from to_record) stands for; `given` supplies, for
    a dataclass wherever it occurs, the fields its record leaves out or that the reader knows
    better (a finding's file: the chapter's path now). A record that does not fit raises
    TypeError, KeyError or ValueError."""
    given = given or {}
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        values = {name: from_record(hints[name], item, given) for name, item in data.items()}
        return kind(**(values | given.get(kind, {})))
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        if data is None:
            return None
        (inner,) = [a for a in arguments if a is not type(None)]
        return from_record(inner, data, given)
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(from_record(arguments[0], item, given) for item in data)
        return tuple(from_record(a, i, given) for a, i in zip(arguments, data, strict=True))
    if kind is dict or origin is dict:
        if isinstance(data, list):
            return {_frozen(key): _frozen(item) for key, item in data}
        return dict(data)
    if kind is Path:
        return Path(data)
    if kind is bytes:
        return data.encode("utf-8")
    return data


def _frozen(value: Any) -> Any:
    """A list read back where the record held a tuple (a key path, a place)."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def write_record(path: Path, value: Any) -> None:
    """Store the dataclass `value` as a sealed cache entry."""
    envelope = {"schema": SCHEMA, "type": type(value).__name__, "data": to_record(value)}
    # Not ASCII-escaped: a Chinese book's record is a third of the size, and decodes faster.
    write_entry(path, json.dumps(envelope, ensure_ascii=False).encode("utf-8"))


def read_record(
    path: Path, kind: type[T], given: dict[type, dict[str, Any]] | None = None
) -> T | None:
    """The `kind` stored at `path`, or None when it is missing, damaged or of another schema."""
    payload = read_entry(path)
    if payload is None:
        return None
    try:
        envelope = json.loads(payload)
        if envelope["schema"] != SCHEMA or envelope["type"] != kind.__name__:
            return None
        return from_record(kind, envelope["data"], given)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
