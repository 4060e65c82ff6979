"""Untrusted EPUBs for diff and check --previous, odd texts for import, and the preview
server facing a hostile web page."""

from __future__ import annotations

import http.client
import io
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, SEED_MANUSCRIPT
from ebook.build import build_epub
from ebook.cli import main
from ebook.preview.server import Preview, make_server


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def seed_bytes(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("seed") / "seed.epub"
    build_epub(SEED_MANUSCRIPT, out)
    return out.read_bytes()


def rewritten(seed: bytes, path: Path, change) -> Path:
    """A copy of the seed EPUB with entries changed by `change(name, data) -> data | None`."""
    source = zipfile.ZipFile(io.BytesIO(seed))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                out.writestr(info.filename, data)
    return path


@pytest.mark.parametrize(
    "change",
    [
        lambda name, data: b"<html><body><p>unclosed" if name.endswith("ch01.xhtml") else data,
        lambda name, data: None if name.endswith("ch01.xhtml") else data,
        lambda name, data: b"not xml" if name.endswith("content.opf") else data,
        lambda name, data: (
            b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;</x>'
            if name.endswith("container.xml")
            else data
        ),
    ],
    ids=["malformed-xhtml", "missing-manifest-entry", "malformed-opf", "entities"],
)
def test_a_broken_epub_is_d001(seed_bytes, tmp_path, change):
    broken = rewritten(seed_bytes, tmp_path / "broken.epub", change)
    result = run("diff", str(broken), str(SEED_MANUSCRIPT))
    assert result.exit_code == 4 and "D001" in result.output
    result = run("check", str(SEED_MANUSCRIPT), "--previous", str(broken))
    assert result.exit_code == 1 and "D001" in result.output


def test_a_zip_bomb_is_refused_in_bounded_memory(seed_bytes, tmp_path):
    """An entry claiming 300 MB (0.3 MB on disk): read only up to the cap, never whole."""

    def bomb(name, data):
        return b"\0" * (300 << 20) if name.endswith("ch01.xhtml") else data

    epub = rewritten(seed_bytes, tmp_path / "bomb.epub", bomb)
    assert epub.stat().st_size < 2 << 20
    measure = (
        "import sys\n"
        "from ebook.editions.snapshot import SnapshotError, snapshot_epub\n"
        "try:\n"
        "    snapshot_epub(open(sys.argv[1], 'rb').read())\n"
        "except SnapshotError as exc:\n"
        "    print('refused', exc.diagnostic.code)\n"
        # VmHWM: this process's own peak (ru_maxrss would include the parent's before exec).
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(peak.split()[1]) // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", measure, str(epub)], capture_output=True, text=True, check=True
    )
    verdict, peak_mib = done.stdout.split("\n")[:2]
    assert verdict == "refused D001"
    assert int(peak_mib) < 200, f"peak {peak_mib} MiB reading a 300 MB entry"


def test_import_keeps_a_text_without_headings(tmp_path):
    text = tmp_path / "plain.txt"
    text.write_text("没有标题的第一段文字。\n\n第二段，也没有标题。\n", "utf-8")
    result = run("import", str(text), "-o", str(tmp_path / "m"))
    # Written, and the report says what to do; the book.yaml still lacks its data: exit 1.
    assert result.exit_code == 1
    assert "the whole text became one chapter" in result.output
    chapter = (tmp_path / "m" / "ch01.md").read_text("utf-8")
    assert "没有标题的第一段文字。" in chapter and "第二段，也没有标题。" in chapter


def test_import_splits_notes_typed_on_consecutive_lines(tmp_path):
    from ebook.convert.importer import import_text

    notes = "".join(f"{chr(0x2460 + n)}第{n + 1}条注释的文字。\n" for n in range(20))
    refs = "".join(chr(0x2460 + n) for n in range(20))
    text = f"第一章 开始\n\n正文引用{refs}。\n\n{notes}"
    chapter = import_text(text).files["ch01.md"]
    for n in range(20):
        assert f"[^n{n + 1}]: 第{n + 1}条注释的文字。" in chapter, chapter


def test_import_of_the_seed_text_still_exits_0(tmp_path):
    result = run("import", str(REPO / "tests" / "data" / "seed.txt"), "-o", str(tmp_path / "m"))
    assert result.exit_code == 0, result.output


@pytest.fixture
def server(tmp_path):
    book = tmp_path / "manuscript"
    shutil.copytree(REPO / "manuscript", book, ignore=shutil.ignore_patterns(".ebook-cache"))
    httpd = make_server(Preview(book), port=0)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield book, httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def get(port: int, path: str, host: str = "localhost") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": f"{host}:{port}"})
    response = connection.getresponse()
    return response.status, response.read()


def test_preview_refuses_other_host_names(server):
    _, port = server
    assert get(port, "/ch01.xhtml")[0] == 200
    assert get(port, "/ch01.xhtml", "127.0.0.1")[0] == 200
    assert get(port, "/ch01.xhtml", "attacker.example")[0] == 403
    assert get(port, "/ch01.xhtml", "localhost.attacker.example")[0] == 403


@pytest.mark.parametrize(
    "path", ["/book.yaml", "/ch01.md", "/%2e%2e/etc/passwd", "/../book.yaml", "/" + "x" * 300]
)
def test_preview_serves_only_the_book(server, path):
    _, port = server
    status, body = get(port, path)
    assert status == 404, body[:200]
    assert b"Traceback" not in body


def test_preview_survives_a_chapter_saved_as_bad_utf8(server):
    book, port = server
    (book / "ch02.md").write_bytes(b"# \xff\xfe broken\n")
    status, body = get(port, "/ch01.xhtml")
    assert status == 200 and b"F007" in body
    (book / "ch02.md").write_text("# 第二章 恢复\n\n文。\n", "utf-8")
    status, body = get(port, "/ch02.xhtml")
    assert status == 200 and "第二章 恢复".encode() in body


def test_preview_port_out_of_range_is_a_usage_error():
    result = run("preview", str(SEED_MANUSCRIPT), "--port", "99999")
    assert result.exit_code == 2 and "99999" in result.output


def test_closed_long_polls_print_no_traceback(server, capfd):
    """A browser that leaves a page closes its long poll: nothing is printed for that."""
    import socket
    import struct
    import time

    root, port = server
    before = threading.active_count()
    for _ in range(60):
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET /__version?known=0 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            # Closed with a reset, as a browser drops a poll: the answer hits a dead socket.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    chapter = root / "ch01.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n新的一段。\n", "utf-8")
    assert get(port, "/ch01.xhtml")[0] == 200  # every poll wakes up and answers
    deadline = time.monotonic() + 10
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)  # until every poll's thread has written its answer and ended
    assert "Traceback" not in capfd.readouterr().err


def test_idle_connections_do_not_delay_a_page(server):
    """Clients that connect and send nothing hold a thread each, never the page's answer."""
    import socket
    import time

    _, port = server
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(120)]
    try:
        started = time.monotonic()
        assert get(port, "/ch01.xhtml")[0] == 200
        assert time.monotonic() - started < 5
        more = [socket.create_connection(("127.0.0.1", port)) for _ in range(100)]
        idle += more  # past MAX_CONNECTIONS: refused at once, not queued
        assert get(port, "/ch01.xhtml")[0] == 503
    finally:
        for client in idle:
            client.close()
