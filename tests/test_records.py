"""The one format of the cache's records (ebook/incremental/records.py): a dataclass is written
from its own fields and read back equal, so a field added to one needs no serialising code."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ebook.build.chapters import _Entry, _ImageSource
from ebook.checks.source import SourceHeading
from ebook.core.errors import Diagnostic
from ebook.core.model import (
    Chapter,
    Heading,
    Link,
    MovedAnchor,
    PageBreak,
    Problem,
    RenderedChapter,
    Repair,
)
from ebook.incremental import records
from ebook.incremental.records import read_record, to_record, write_record

CHAPTER = Chapter("c01", Path("/book/c01.md"), "chapter", "第一章", "正文", 3)
GIVEN = {
    RenderedChapter: {"chapter": CHAPTER, "content": None, "images": ()},
    Diagnostic: {"path": CHAPTER.path},
}


def a_result() -> _Entry:
    """A chapter result with every field holding something other than its default."""
    from ebook.build.chapters import ChapterResult

    rendered = RenderedChapter(
        chapter=CHAPTER,
        file_name="c01.xhtml",
        title="第一章",
        content="<html>正文</html>".encode(),
        headings=(Heading(1, "c01", "第一章"), Heading(2, "c01-a", "一、甲")),
        note_count=2,
        noteref_count=3,
        images=((Path("/book/images/a.png"), "images/a.png"),),
        image_alts_complete=True,
        ids=("c01", "c01-a"),
        endnotes="<div>注</div>".encode(),
        links=(Link("c02.xhtml", "x", "c02.md#x", 4, 5),),
        problems=(Problem("L001", "no {x}", 4, 5, "fix {x}", (("x", "甲"),)),),
        pages=(PageBreak("12", "page-12", 7),),
        repairs=(Repair(9, "dropped"),),
        mathml=True,
        digest="ab" * 32,
        moved=(MovedAnchor("c03.xhtml", "old", "c01.xhtml#c01-a", "一、甲"),),
    )
    finding = Diagnostic(
        "T001",
        "warning",
        "half-width ','",
        CHAPTER.path,
        4,
        2,
        "use '，'",
        "t {a}",
        "h",
        (("a", 1),),
    )
    result = ChapterResult(rendered, (finding,), SourceHeading(5, 1, "第一章", "c01"))
    return _Entry(result, (_ImageSource("images/a.png", "images/a.png", (10, 20)),))


def test_every_stored_field_is_written_and_read_back_equal(tmp_path):
    entry = a_result()
    record = to_record(entry)
    stored = [f.name for f in dataclasses.fields(RenderedChapter) if f.metadata.get("stored", 1)]
    assert "chapter" not in stored and "reader" not in stored  # marked NOT_STORED
    assert record[0][0][stored.index("file_name")] == "c01.xhtml"  # in field order
    assert len(record[0][0]) == len(stored)
    write_record(tmp_path / "e.json", entry)
    back = read_record(tmp_path / "e.json", _Entry, GIVEN)
    assert back is not None
    expected = dataclasses.replace(
        entry.result, rendered=dataclasses.replace(entry.result.rendered, images=())
    )
    assert back.result == expected
    assert back.result.rendered.endnotes == entry.result.rendered.endnotes
    assert back.images == entry.images
    assert back.result.findings[0].arguments == (("a", 1),)


def test_a_record_of_another_schema_type_or_shape_is_a_miss(tmp_path, monkeypatch):
    write_record(tmp_path / "e.json", a_result())
    assert read_record(tmp_path / "e.json", _ImageSource) is None  # another type
    monkeypatch.setattr(records, "SCHEMA", records.SCHEMA + 1)
    assert read_record(tmp_path / "e.json", _Entry, GIVEN) is None  # another schema


def test_a_record_of_another_layout_is_a_miss_not_an_error(tmp_path, monkeypatch):
    import json

    from ebook.incremental.cache import read_entry, write_entry

    image = _ImageSource("a.png", "images/a.png", (1, 2))
    write_record(tmp_path / "ok.json", image)
    assert read_record(tmp_path / "ok.json", _ImageSource) == image
    envelope = json.loads(read_entry(tmp_path / "ok.json"))
    # One value more or fewer than the dataclass has fields: a miss.
    for data in (envelope["data"] + [1], envelope["data"][:-1]):
        write_entry(tmp_path / "bad.json", json.dumps(envelope | {"data": data}).encode())
        assert read_record(tmp_path / "bad.json", _ImageSource) is None
    # A field added to, or retyped in, the dataclass changes the layout: a miss.
    monkeypatch.setattr(records, "_layout", lambda kind: "another")
    assert read_record(tmp_path / "ok.json", _ImageSource) is None
