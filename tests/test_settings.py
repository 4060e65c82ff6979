"""Each setting is declared once (ebook/settings.py); everything else is derived from it."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from conftest import MINIMAL_BOOK, REPO
from ebook.build.chapters import chapter_keys
from ebook.convert.scaffold import create_manuscript
from ebook.core.model import Options
from ebook.core.settings import DEFAULTS, SETTINGS, readme_table
from ebook.load import BOOK_SCHEMA, load_book


def test_readme_table_is_written_from_the_settings():
    assert readme_table() in (REPO / "README.md").read_text("utf-8")


def test_init_writes_every_setting_with_its_default(tmp_path):
    create_manuscript(tmp_path / "m", title="书", author="某", language="zh-CN")
    written = yaml.safe_load((tmp_path / "m" / "book.yaml").read_text("utf-8"))
    for setting in SETTINGS:
        assert setting.name in written[setting.section], setting.key
        assert written[setting.section][setting.name] == setting.default, setting.key


def test_model_and_loader_take_their_defaults_and_types_from_the_settings(make_manuscript):
    assert {f.name: f.default for f in dataclasses.fields(Options)} == DEFAULTS
    for section in ("options", "notes"):
        assert BOOK_SCHEMA[section] == {s.name: s.kind for s in SETTINGS if s.section == section}
    assert load_book(make_manuscript()).options == Options()


# Free text and file settings are checked by B016, B017 and B007 (tests/test_checks.py).
CLOSED = [s for s in SETTINGS if s.choices or s.bounds]


@pytest.mark.parametrize("setting", CLOSED, ids=[s.key for s in CLOSED])
def test_values_outside_the_declared_ones_are_b004(make_manuscript, setting):
    wrong = "nonsense" if setting.choices else setting.bounds[1] + 1
    book = {**MINIMAL_BOOK, setting.section: {setting.name: wrong}}
    loaded = load_book(make_manuscript(book))
    assert [f.code for f in loaded.findings] == ["B004"]
    assert getattr(loaded.options, setting.field) == setting.default


def test_cache_keys_change_with_exactly_the_settings_that_shape_chapters(make_manuscript):
    base = load_book(make_manuscript())
    before = chapter_keys(base, ["css/book.css"])
    for setting in SETTINGS:
        other = setting.choices[-1] if setting.choices else None
        if other is None or other == setting.default:
            other = 5 if setting.bounds else None
        if other is None:
            continue
        changed = dataclasses.replace(
            base, options=dataclasses.replace(base.options, **{setting.field: other})
        )
        keys = chapter_keys(changed, ["css/book.css"])
        assert (keys != before) == setting.shapes_chapters, setting.key


def test_readme_book_yaml_table_is_written_from_the_keys():
    from ebook.core.keys import readme_table as keys_table

    assert keys_table() in (REPO / "README.md").read_text("utf-8")


def test_the_loader_and_init_take_every_key_from_its_declaration(tmp_path):
    from ebook.core.keys import BOOK_KEYS, REQUIRED

    assert set(BOOK_SCHEMA) == {k.name for k in BOOK_KEYS}
    for key in BOOK_KEYS:
        if key.kind is dict:
            assert set(BOOK_SCHEMA[key.name]) == {c.name for c in key.keys}, key.name
    assert REQUIRED == ("title", "language", "contributors", "publisher", "date")
    create_manuscript(tmp_path / "m", title="书", author="某", language="zh-CN")
    text = (tmp_path / "m" / "book.yaml").read_text("utf-8")
    written = yaml.safe_load(text)
    for key in BOOK_KEYS:
        # Every key is in the file: as a value, or as a comment to uncomment.
        shown = key.name in written
        assert shown != key.commented, key.name
        assert shown or f"# {key.name}:" in text, key.name
        for child in key.keys if key.kind is dict else ():
            if shown and not child.commented:
                assert child.name in written[key.name], f"{key.name}.{child.name}"
            else:
                assert f"# {child.name}:" in text, f"{key.name}.{child.name}"
    assert load_book(tmp_path / "m").findings == ()


def test_a_key_that_is_not_declared_is_reported(make_manuscript):
    book = {**MINIMAL_BOOK, "publisher": {**MINIMAL_BOOK["publisher"], "city": "北京"}}
    findings = load_book(make_manuscript(book)).findings
    assert [(f.code, "city" in f.message) for f in findings] == [("B002", True)]
