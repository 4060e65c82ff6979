"""`ebook preview` in a real browser: headless Chromium clicks a note and sees the popup."""

from __future__ import annotations

import os
import shutil
import threading
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO
from ebook.preview import Preview, make_server

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing under CI: the preview test cannot run")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture
def served(tmp_path):
    book = tmp_path / "manuscript"
    shutil.copytree(REPO / "manuscript", book)
    server = make_server(Preview(book), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield book, f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def test_pages_are_the_epub_xhtml_with_a_sidebar(served):
    _, url = served
    with urllib.request.urlopen(f"{url}/ch01.xhtml") as response:
        assert response.headers["Content-Type"] == "application/xhtml+xml"
        page = response.read().decode()
    assert 'href="css/book.css"' in page and "/__preview.js" in page
    assert 'class="preview-sidebar"' in page and ">第一章 绪论</a>" in page
    with urllib.request.urlopen(url) as response:  # the first page
        assert response.geturl().endswith("/foreword.xhtml")


@pytest.mark.slow
def test_note_popup_and_reload_in_chromium(served, tmp_path):
    executable = chromium()
    from playwright.sync_api import sync_playwright

    book, url = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{url}/ch01.xhtml")
        page.locator("a[role='doc-noteref']").first.click()
        popup = page.locator("#preview-popup")
        popup.wait_for(state="visible", timeout=5000)
        text = popup.inner_text()
        assert "东方平：《拥抱互联网时代——习近平关于“互联网论述”系列评论之一》" in text
        assert "①" not in text  # the back-link stays in the book, not in the popup
        assert not page.locator("aside[role='doc-footnote']").first.is_visible()
        page.screenshot(path=str(tmp_path / "popup.png"))
        assert (tmp_path / "popup.png").stat().st_size > 10_000
        # Edit the chapter: the page reloads with the new text.
        chapter = book / "ch01.md"
        chapter.write_text(
            chapter.read_text("utf-8").replace("2012年12月7日，", "2012年12月7日（预览测试），", 1),
            "utf-8",
        )
        # While the page reloads there is a moment with no body: the condition allows for it.
        page.wait_for_function(
            "document.body !== null && document.body.textContent.includes('预览测试')",
            timeout=10_000,
        )
        browser.close()
    keep = os.environ.get("EBOOK_SCREENSHOT")
    if keep:
        shutil.copy(tmp_path / "popup.png", Path(keep))


def test_book_end_notes_page_is_served(tmp_path):
    book = tmp_path / "manuscript"
    shutil.copytree(REPO / "manuscript", book)
    with (book / "book.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nnotes: {placement: book-end}\n")
    preview = Preview(book)
    page = preview.page("notes.xhtml").decode()
    assert 'epub:type="endnotes"' in page and "东方平" in page
    assert 'href="notes.xhtml#ch01-fn-dongfang"' in preview.page("ch01.xhtml").decode()
