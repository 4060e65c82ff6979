"""One format for every cache entry that holds data: a dataclass written as JSON from its own
fields (their type hints say how to read each back), in an envelope that names the schema,
the type and a digest of its fields' layout.

A field added to a dataclass is stored and read with no code to change here; a field a record
must not hold (the chapter it belongs to, a function, bytes kept elsewhere) says so in its
metadata: `field(metadata=NOT_STORED)` (core/model.py), and is given back by the caller. An
entry written by another schema, of another type, or that does not fit the dataclass any more
reads as missing: a cache may only ever save time.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .cache import read_entry, write_entry

# Raised whenever the envelope or the way values are written changes: older entries then miss.
SCHEMA = 2

T = TypeVar("T")
# Reads one value of a type from its record, given the fields the reader supplies; None
# where the JSON value is the value itself (text, numbers, booleans).
Reader = Callable[[Any, dict], Any] | None


def to_record(value: Any) -> Any:
    """`value` as JSON data: a dataclass as the list of its stored fields' values (in field
    order: the envelope names the layout), tuples as lists, paths as text, bytes (XHTML) as
    UTF-8 text, dicts with tuple keys as [key, value] pairs."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [to_record(getattr(value, name)) for name in _stored(type(value))]
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


def typed_record(kind: Any, value: Any) -> Any:
    """`value`, of type `kind`, as to_record writes it, the way worked out once for the type
    from its type hints (a long book's records hold hundreds of thousands of values: asking
    each what it is costs most of the time)."""
    write = _writer(kind)
    return value if write is None else write(value)


_PLAIN = (str, int, float, bool, type(None))


@functools.cache
def _writer(kind: Any) -> Callable[[Any], Any] | None:
    """How a value of `kind` is written (None: as it is)."""
    if dataclasses.is_dataclass(kind):
        return _dataclass_writer(kind)
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if kind in _PLAIN:
        return None
    if origin in (types.UnionType, typing.Union):
        inner = [_writer(a) for a in arguments if a is not type(None)]
        if all(w is None for w in inner):
            return None
        if len(inner) == 1:
            (write,) = inner
            return lambda value: None if value is None else write(value)
        return to_record
    if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        item = _writer(arguments[0])
        return list if item is None else lambda value: [item(i) for i in value]
    if origin is dict and len(arguments) == 2 and arguments[0] is str:
        item = _writer(arguments[1])
        if item is not None and item is not to_record:
            return lambda value: {key: item(v) for key, v in value.items()}
    if kind is Path:
        return str
    if kind is bytes:
        return lambda value: value.decode("utf-8")
    return to_record  # a dict of JSON data, a tuple of mixed values: the general way


def _dataclass_writer(kind: type) -> Callable[[Any], Any]:
    """Its stored fields in order, each as its type says."""
    hints = typing.get_type_hints(kind)
    fields = [(name, _writer(hints[name])) for name in _stored(kind)]
    return lambda value: [
        getattr(value, name) if write is None else write(getattr(value, name))
        for name, write in fields
    ]


def from_record(kind: Any, data: Any, given: dict[type, dict[str, Any]] | None = None) -> Any:
    """The value of type `kind` that `data` (from to_record) stands for; `given` supplies, for
    a dataclass wherever it occurs, the fields its record leaves out or that the reader knows
    better (a finding's file: the chapter's path now). A record that does not fit raises
    TypeError, KeyError or ValueError."""
    read = _reader(kind)
    return data if read is None else read(data, given or {})


@functools.cache
def _stored(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind) if f.metadata.get("stored", True))


@functools.cache
def _reader(kind: Any) -> Reader:
    """How a value of `kind` is read back, worked out once per type from its type hints (a
    record of a long book holds thousands of values)."""
    if dataclasses.is_dataclass(kind):
        return _dataclass_reader(kind)
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [_reader(a) for a in arguments if a is not type(None)]
        if inner is None:
            return None
        return lambda data, given: None if data is None else inner(data, given)
    if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        item = _reader(arguments[0])
        if item is None:
            return lambda data, given: tuple(data)
        return lambda data, given: tuple([item(i, given) for i in data])
    if origin is tuple:
        items = [_reader(a) for a in arguments]
        return lambda data, given: tuple(
            [d if r is None else r(d, given) for r, d in zip(items, data, strict=True)]
        )
    if origin is dict and len(arguments) == 2 and arguments[0] is str:
        item = _reader(arguments[1])
        if item is not None and dataclasses.is_dataclass(arguments[1]):
            return lambda data, given: {key: item(v, given) for key, v in data.items()}
    if kind is dict or origin is dict:
        return lambda data, given: (
            {_frozen(k): _frozen(v) for k, v in data} if isinstance(data, list) else dict(data)
        )
    if kind is Path:
        return lambda data, given: Path(data)
    if kind is bytes:
        return lambda data, given: data.encode("utf-8")
    return None


def _dataclass_reader(kind: type) -> Reader:
    names = _stored(kind)
    hints = typing.get_type_hints(kind)
    readers = [_reader(hints[name]) for name in names]
    plain = all(r is None for r in readers)
    # Every field stored, each value as JSON has it (a heading, a link): built positionally,
    # the cheapest way for the thousands of them a long book's records hold.
    positional = plain and names == tuple(f.name for f in dataclasses.fields(kind) if f.init)

    def read(data: list, given: dict) -> Any:
        if len(data) != len(names):
            raise ValueError(f"{kind.__name__}: {len(data)} values for {len(names)} fields")
        extra = given.get(kind)
        if positional and not extra:
            return kind(*data)
        if plain:
            values = dict(zip(names, data, strict=True))
        else:
            values = {
                name: value if r is None else r(value, given)
                for name, r, value in zip(names, readers, data, strict=True)
            }
        return kind(**(values | extra if extra else values))

    return read


@functools.cache
def _layout(kind: Any) -> str:
    """A digest of the stored fields of `kind` and of every dataclass inside it, with their
    types: a record written for another layout reads as missing."""
    seen: dict[type, list[str]] = {}

    def visit(hint: Any) -> None:
        if dataclasses.is_dataclass(hint) and hint not in seen:
            hints = typing.get_type_hints(hint)
            seen[hint] = [f"{name}:{hints[name]}" for name in _stored(hint)]
            for name in _stored(hint):
                visit(hints[name])
        for argument in typing.get_args(hint):
            visit(argument)

    visit(kind)
    text = repr(sorted((k.__qualname__, v) for k, v in seen.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _frozen(value: Any) -> Any:
    """A list read back where the record held a tuple (a key path, a place)."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def encode_record(value: Any) -> bytes:
    """The dataclass `value` as the bytes of a record: its envelope and its fields."""
    envelope = {
        "schema": SCHEMA,
        "type": type(value).__name__,
        "layout": _layout(type(value)),
        "data": typed_record(type(value), value),
    }
    # Not ASCII-escaped: a Chinese book's record is a third of the size, and decodes faster.
    return json.dumps(envelope, ensure_ascii=False).encode("utf-8")


def decode_record(
    payload: bytes, kind: type[T], given: dict[type, dict[str, Any]] | None = None
) -> T | None:
    """The `kind` that encode_record wrote as `payload`, or None when it is of another schema,
    type or layout, or does not fit."""
    try:
        envelope = json.loads(payload)
        if (envelope["schema"], envelope["type"], envelope["layout"]) != (
            SCHEMA,
            kind.__name__,
            _layout(kind),
        ):
            return None
        return from_record(kind, envelope["data"], given)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def write_record(path: Path, value: Any) -> None:
    """Store the dataclass `value` as a sealed cache entry."""
    write_entry(path, encode_record(value))


def read_record(
    path: Path, kind: type[T], given: dict[type, dict[str, Any]] | None = None
) -> T | None:
    """The `kind` stored at `path`, or None when it is missing, damaged or of another schema."""
    payload = read_entry(path)
    return None if payload is None else decode_record(payload, kind, given)
