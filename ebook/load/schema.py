"""What book.yaml may hold: its keys and their types, the ids a chapter may take, and the
findings a key or a value of the wrong kind gets."""

from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path
from typing import Any

from ..core import keys
from ..core.codes import finding
from ..core.errors import Diagnostic
from ..core.i18n import N_
from .safe_yaml import VALUE, Lines

CONFIG_NAME = "book.yaml"

# Allowed keys of book.yaml (declared in core/keys.py); a nested dict describes a mapping.
BOOK_SCHEMA: dict[str, Any] = keys.schema()
REQUIRED = keys.REQUIRED
CONTRIBUTOR_KEYS = keys.item_keys("contributors")
REVISION_KEYS = keys.item_keys("revisions")
FRONT_MATTER_KEYS = ("title", "id", "kind", "aliases")
REVISION_KEYS = ("date", "edition", "summary", "changes")
# The files the tool writes itself (<id>.xhtml): no chapter or alias may take their names,
# in any letter case (OCF file names must differ after case folding).
RESERVED_IDS = frozenset(
    {"nav", "toc", "titlepage", "copyright", "cover", "notes", "revisions", "figures", "tables"}
)
# The book-end notes file groups each chapter's notes under id "notes-<chapter id>", which
# a chapter named "notes-…" could make equal to another chapter's note id.
RESERVED_PREFIX = "notes-"
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def usable_id(name: str) -> bool:
    """An id a chapter or alias may take: an ASCII XML name that is not the tool's own."""
    folded = name.casefold()
    return (
        bool(XML_NAME.match(name))
        and folded not in RESERVED_IDS
        and not folded.startswith(RESERVED_PREFIX)
    )


W3C_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def is_w3c_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a day the calendar has."""
    if not W3C_DATE.match(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


class Findings:
    """Collects findings for one file while loading."""

    def __init__(self, path: Path, lines: Lines) -> None:
        self.path = path
        self.lines = lines
        self.items: list[Diagnostic] = []

    def add(self, code: str, message: str, key: tuple = (), hint: str | None = None, **arguments):
        """Record a finding at `key` (a key path; end it with VALUE to point at the value);
        `message` and `hint` are templates filled in from `arguments`."""
        line, col = self.lines.get(key, (1, 1) if key in ((), (VALUE,)) else (None, None))
        self.items.append(finding(code, message, self.path, line, col, hint, **arguments))


def unknown_item_keys(
    item: dict, known: tuple[str, ...], key: tuple, found: Findings, message: str
) -> None:
    """B002 for each key of a list's item (a contributor, a revision…) that is not one of
    `known`; `message` names what the item is, with the key as {extra}."""
    for extra in sorted(set(item) - set(known), key=str):
        near = difflib.get_close_matches(str(extra), known, n=1)
        found.add("B002", message, key + (extra,), **near_hint(near, known), extra=extra)


def near_hint(
    near: list[str], known, otherwise: str = N_("known keys: {known}")
) -> dict[str, object]:
    """The hint for an unknown name: the nearest known one, else what is known (as keyword
    arguments for a finding: `hint` and its fields)."""
    if near:
        return {"hint": N_("did you mean '{near}'?"), "near": near[0]}
    return {"hint": otherwise, "known": ", ".join(known)}


def check_keys(data: dict, schema: dict, prefix: tuple, found: Findings) -> set[str]:
    """Report unknown keys and wrong types (a wrong value becomes None); return those keys."""
    wrong: set[str] = set()
    for key, value in list(data.items()):
        if key not in schema:
            near = difflib.get_close_matches(str(key), list(schema), n=1)
            where = ".".join(map(str, prefix + (key,)))
            found.add(
                "B002",
                "unknown key '{where_}' is ignored",
                prefix + (key,),
                **near_hint(near, schema),
                where_=where,
            )
            continue
        expected = schema[key]
        want = dict if isinstance(expected, dict) else expected
        ok = isinstance(value, want) or (want is str and isinstance(value, int | float))
        if want is int and isinstance(value, bool):
            ok = False
        if not ok and value is not None:
            found.add(
                "B004",
                "'{value}' must be {value2}, not {value3}",
                prefix + (key, VALUE),
                _type_example(want),
                value=".".join(map(str, prefix + (key,))),
                value2=_type_name(want),
                value3=_type_name(type(value)),
            )
            data[key] = None
            wrong.add(key)
        elif isinstance(expected, dict) and value is not None:
            check_keys(value, expected, prefix + (key,), found)
    return wrong


def _type_example(t: type) -> str:
    return {
        str: N_("write it as text, quoted if it contains ': '"),
        int: N_("write a whole number without quotes"),
        list: N_("write a list: [a, b] or one '- item' per line"),
        dict: N_("write indented 'key: value' lines below it"),
        bool: N_("write true or false"),
    }.get(t, N_("see the README for this key"))


def _type_name(t: type) -> str:
    names = {
        str: N_("text"),
        int: N_("a whole number"),
        list: N_("a list"),
        dict: N_("a mapping"),
        bool: N_("true or false"),
    }
    return names.get(t, t.__name__)


def text_value(data: dict, key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


def check_config(raw: dict, found: Findings) -> None:
    """Unknown keys, wrong types (B002, B004) and missing required keys (B003); one file name
    where `bibliography:` takes a list is a list of one."""
    if isinstance(raw.get("bibliography"), str):
        raw["bibliography"] = [raw["bibliography"]]
    wrong = check_keys(raw, BOOK_SCHEMA, (), found)
    for key in REQUIRED:
        if not raw.get(key) and key not in wrong:
            found.add("B003", "required field '{key_}' is missing", (), "add '{key_}:'", key_=key)
    # What `ebook adopt` could not learn from the site is a TODO: never printed as the title
    # or an author of a book.
    people = raw.get("contributors") if isinstance(raw.get("contributors"), list) else []
    todo = [("title",)] if _is_todo(raw.get("title")) else []
    todo += [
        ("contributors", n, "name")
        for n, person in enumerate(people)
        if isinstance(person, dict) and _is_todo(person.get("name"))
    ]
    for where in todo:
        found.add(
            "B003",
            "'{key_}' is still TODO",
            (*where, VALUE),
            "write the book's own",
            key_=".".join(str(part) for part in where),
        )


def _is_todo(value: object) -> bool:
    return isinstance(value, str) and value.strip().upper().startswith("TODO")
