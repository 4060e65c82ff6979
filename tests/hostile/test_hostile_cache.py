"""A damaged or stale cache can cost time, never change a result."""

from __future__ import annotations

import os
import time

import pytest

from conftest import MINIMAL_BOOK, MINIMAL_CHAPTERS
from ebook.build import build_epub, check_manuscript
from ebook.incremental import cache as cache_module
from ebook.incremental.cache import CACHE_DIR


@pytest.fixture
def book(make_manuscript, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # A chapter over DeflateCache.MIN_SIZE whose numbers the book-wide pass writes (a formula
    # and a reference to it), so its compressed form goes to the deflate cache too.
    long = (
        "# 第三章 长\n\n$$ x $$ {#eq:long}\n\n见@eq:long。\n\n" + "长的正文，反复出现。\n\n" * 600
    )
    return make_manuscript(MINIMAL_BOOK, {**MINIMAL_CHAPTERS, "04-long.md": long})


def fresh_bytes(root, tmp_path):
    out = tmp_path / "fresh.epub"
    build_epub(root, out, cache=False)
    return out.read_bytes()


def _entries(folder):
    """The chapters' entries (build/chapters.py): each a head, a record, a compressed body."""
    return list(folder.glob("*.chapter"))


@pytest.mark.parametrize(
    "damage",
    [
        "empty-entry",
        "garbled-record",
        "truncated-body",
        "truncated-deflate",
        "garbled-navigation",
        "flipped-byte",
    ],
)
def test_damaged_cache_entries_are_misses(book, tmp_path, damage):
    expected = fresh_bytes(book, tmp_path)
    out = tmp_path / "out.epub"
    build_epub(book, out)
    folder = book / CACHE_DIR
    if damage == "empty-entry":
        targets = _entries(folder)
        for path in targets:
            path.write_bytes(b"")
    elif damage == "garbled-record":
        targets = _entries(folder)
        for path in targets:
            data = path.read_bytes()
            path.write_bytes(data[:60] + b"{}" + data[62:])
    elif damage == "truncated-body":
        targets = _entries(folder)
        for path in targets:
            path.write_bytes(path.read_bytes()[:-100])
    elif damage == "truncated-deflate":
        targets = list((folder / "deflate").glob("*.packed"))
        for path in targets:
            path.write_bytes(path.read_bytes()[:-100])
    elif damage == "garbled-navigation":
        targets = list((folder / "navigation").glob("nav-*.xml"))
        for path in targets:
            path.write_bytes(path.read_bytes()[:40] + os.urandom(200))
    else:
        targets = _entries(folder)
        for path in targets:
            data = bytearray(path.read_bytes())
            data[-20] ^= 1  # one bit of the compressed body: only a hash notices
            path.write_bytes(bytes(data))
    assert targets, damage
    out.unlink()
    build_epub(book, out)
    assert out.read_bytes() == expected
    build_epub(book, out)  # and the repaired cache stays right
    assert out.read_bytes() == expected


def test_stale_temporary_files_are_removed(book, tmp_path):
    build_epub(book, tmp_path / "a.epub")
    folder = book / CACHE_DIR
    stale, recent = folder / "x.json.123.tmp", folder / "deflate" / "y.deflate.456.tmp"
    for path in (stale, recent):
        path.write_bytes(b"half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    build_epub(book, tmp_path / "b.epub")
    assert not stale.exists()
    assert recent.exists()  # it may belong to a build running now


def test_a_change_to_the_tool_invalidates_the_cache(book, monkeypatch):
    """A new check runs on unchanged chapters once the tool's code changed."""
    from ebook import checks
    from ebook.build import chapters
    from ebook.core.errors import Diagnostic

    check_manuscript(book)  # fills the cache
    original = checks.check_chapter

    def with_new_check(chapter):
        new = Diagnostic("S003", "warning", "new check", chapter.path, 1, 1, "hint")
        return original(chapter) + [new]

    monkeypatch.setattr(checks, "check_chapter", with_new_check)
    # The same code: every chapter comes from the cache, the new check does not run.
    assert "new check" not in [f.message for f in check_manuscript(book).findings]
    # Other code (as after an upgrade or an edit of any module): every chapter is checked again.
    monkeypatch.setattr(chapters, "code_digest", lambda: "another version of the tool")
    assert [f.message for f in check_manuscript(book).findings].count("new check") == 4


def test_code_digest_changes_with_any_file_of_the_tool(tmp_path):
    package = tmp_path / "ebook"
    (package / "checks").mkdir(parents=True)
    (package / "render.py").write_text("x = 1\n")
    (package / "checks" / "notes.py").write_text("y = 1\n")
    (package / "__pycache__").mkdir()
    before = cache_module.folder_digest([package])
    (package / "__pycache__" / "render.pyc").write_bytes(b"compiled")
    assert cache_module.folder_digest([package]) == before  # not a change of the tool
    (package / "checks" / "notes.py").write_text("y = 2\n")
    assert cache_module.folder_digest([package]) != before


def test_code_digest_changes_with_the_python_and_dependency_versions(monkeypatch):
    """A new release of the Markdown parser (or Python) never replays old XHTML or findings."""
    versions = cache_module.dependency_versions()
    assert len(versions) == len(cache_module.SHAPING_DEPENDENCIES), versions
    before = cache_module.code_digest()
    try:
        cache_module.code_digest.cache_clear()
        upgraded = [v.replace("mdit_py_plugins-", "mdit_py_plugins-999.") for v in versions]
        monkeypatch.setattr(cache_module, "dependency_versions", lambda: upgraded)
        assert cache_module.code_digest() != before
        monkeypatch.undo()
        cache_module.code_digest.cache_clear()
        monkeypatch.setattr(cache_module.sys, "version", "3.99.0 (other)")
        assert cache_module.code_digest() != before
    finally:
        monkeypatch.undo()
        cache_module.code_digest.cache_clear()
    assert cache_module.code_digest() == before


def _forged_entry(path, edit_body=None, edit_record=None) -> None:
    """A chapter's entry rewritten in its own layout, sealed as an attacker who knows the
    layout but not this machine's key would seal it (the old format's SHA-256)."""
    import hashlib
    import zlib

    from ebook.build.chapters import _ENTRY_HEAD, _OUTLINE_SIZE

    payload = path.read_bytes()[32:]
    length, _, _ = _ENTRY_HEAD.unpack_from(payload)
    start = _ENTRY_HEAD.size + _OUTLINE_SIZE
    outline, record = payload[_ENTRY_HEAD.size : start], payload[start : start + length]
    body = zlib.decompress(payload[start + length :], -15)
    body = edit_body(body) if edit_body else body
    record = edit_record(record) if edit_record else record
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = compressor.compress(body) + compressor.flush()
    head = _ENTRY_HEAD.pack(len(record), zlib.crc32(body), len(body))
    forged = head + outline + record + packed
    path.write_bytes(hashlib.sha256(forged).digest() + forged)


def test_a_forged_entry_is_never_trusted(book, tmp_path):
    """Rewriting a cached chapter's XHTML in the entry's own layout with a matching SHA-256
    injects nothing: entries are sealed with this machine's key."""
    expected = fresh_bytes(book, tmp_path)
    out = tmp_path / "out.epub"
    build_epub(book, out)
    entries = _entries(book / CACHE_DIR)
    for path in entries:
        _forged_entry(
            path,
            lambda b: b.replace(b"</section>", b"<p>INJECTED</p><script>x()</script></section>"),
        )
    assert entries
    out.unlink()
    build_epub(book, out)
    assert out.read_bytes() == expected
    assert b"INJECTED" not in out.read_bytes()


def test_forged_findings_do_not_hide_an_error(make_manuscript, tmp_path):
    import json

    root = make_manuscript(MINIMAL_BOOK, {"ch.md": "# 一\n\n正文。\n\n<script>x()</script>\n"})
    assert any(f.code == "H002" for f in check_manuscript(root).findings)

    def without_findings(record: bytes) -> bytes:
        envelope = json.loads(record)
        result = envelope["data"][0]  # _Entry(result, images); result: rendered, findings, …
        assert result[1], "the record holds the chapter's findings"
        result[1] = []
        return json.dumps(envelope, ensure_ascii=False).encode()

    entries = _entries(root / CACHE_DIR)
    for path in entries:
        _forged_entry(path, edit_record=without_findings)
    assert entries
    assert any(f.code == "H002" for f in check_manuscript(root).findings)


def test_a_cache_from_another_machine_is_not_used(book, tmp_path, monkeypatch):
    """A manuscript that arrives by zip or git with its .ebook-cache/: every entry is a miss."""
    from ebook import render

    build_epub(book, tmp_path / "a.epub")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-machine"))
    cache_module.machine_key.cache_clear()
    rendered = []
    real = render.Renderer.render

    def counting(self, chapter):
        rendered.append(chapter.id)
        return real(self, chapter)

    monkeypatch.setattr(render.Renderer, "render", counting)
    try:
        build_epub(book, tmp_path / "b.epub", workers=1)
    finally:
        cache_module.machine_key.cache_clear()
    assert len(rendered) == 4  # every chapter rendered again
    assert (
        tmp_path / "other-machine" / "ebook" / cache_module.KEY_NAME
    ).stat().st_mode & 0o077 == 0


def test_a_cache_folder_that_links_out_is_not_written(book, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    old = outside / "precious.tmp"
    old.write_bytes(b"keep me")
    stamp = time.time() - 3600
    os.utime(old, (stamp, stamp))
    (book / CACHE_DIR).symlink_to(outside)
    build_epub(book, tmp_path / "a.epub")
    check_manuscript(book)
    assert sorted(p.name for p in outside.iterdir()) == ["precious.tmp"]
    assert old.read_bytes() == b"keep me"
