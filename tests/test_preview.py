"""`ebook preview` in a real browser: headless Chromium clicks a note and sees the popup."""

from __future__ import annotations

import os
import re
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO
from ebook.preview.server import Preview, make_server

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
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
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
    # The sidebar opens the current chapter's sections only: chapter 2's stay closed.
    sections = re.findall(r'href="(ch0\d\.xhtml)#', page)
    assert sections and set(sections) == {"ch01.xhtml"}
    with urllib.request.urlopen(f"{url}/ch02.xhtml") as response:
        other = response.read().decode()
    assert not re.findall(r'href="ch01\.xhtml#', other)
    with urllib.request.urlopen(url) as response:  # the first page of the reading order
        assert response.geturl().endswith("/titlepage.xhtml")


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


# Where an element is on the screen: its box, as the browser lays it out.
BOX = (
    "selector => { const r = document.querySelector(selector).getBoundingClientRect();"
    " return [r.left, r.right, r.width]; }"
)


@pytest.mark.slow
def test_on_a_phone_the_text_takes_the_width_and_the_contents_is_a_drawer(served, tmp_path):
    executable = chromium()
    from playwright.sync_api import sync_playwright

    _, url = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        phone = browser.new_page(viewport={"width": 360, "height": 740})
        phone.goto(f"{url}/ch01.xhtml")
        # The text runs the width of the screen, not one character a line beside the contents.
        _, _, text_width = phone.evaluate(BOX, "section > p")
        assert text_width > 300
        left, right, _ = phone.evaluate(BOX, "#preview-sidebar")
        assert right <= 0  # the drawer is shut
        toggle = phone.locator("button.preview-drawer-toggle")
        assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        phone.wait_for_function(
            "document.querySelector('#preview-sidebar').getBoundingClientRect().left >= 0"
        )
        assert toggle.get_attribute("aria-expanded") == "true"
        assert phone.locator("#preview-sidebar a.current").is_visible()
        phone.screenshot(path=str(tmp_path / "phone.png"))
        # On a desktop the contents stands beside the text, with no button.
        desktop = browser.new_page(viewport={"width": 1000, "height": 800})
        desktop.goto(f"{url}/ch01.xhtml")
        left, _, width = desktop.evaluate(BOX, "#preview-sidebar")
        assert left == 0 and width > 150
        assert not desktop.locator("button.preview-drawer-toggle").is_visible()
        browser.close()


def fetch(url: str, method: str = "GET") -> tuple[int, str]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_every_document_of_the_epub_is_a_page(served, tmp_path):
    from conftest import NS, open_epub
    from ebook.build import build_epub

    book, url = served
    build_epub(book, tmp_path / "b.epub")
    epub = open_epub(tmp_path / "b.epub")
    manifest = {i.get("id"): i.get("href") for i in epub.opf.iterfind(".//opf:item", NS)}
    spine = [manifest[i.get("idref")] for i in epub.opf.iterfind(".//opf:itemref", NS)]
    assert spine[:4] == ["titlepage.xhtml", "copyright.xhtml", "foreword.xhtml", "nav.xhtml"]
    for name in spine:
        status, page = fetch(f"{url}/{name}")
        assert status == 200, name
        title = epub.doc(name).findtext("h:head/h:title", namespaces=NS)
        assert f"<title>{title}</title>" in page, name
        assert 'class="preview-sidebar"' in page
    _, copyright_page = fetch(f"{url}/copyright.xhtml")
    assert "图书在版编目（CIP）数据" in copyright_page
    assert (
        'rel="next" href="foreword.xhtml"' in copyright_page
        or 'href="foreword.xhtml" rel="next"' in copyright_page
    )
    _, chapter = fetch(f"{url}/ch01.xhtml")
    assert 'class="current">第一章 绪论</a>' in chapter
    assert fetch(f"{url}/css/book.css")[0] == 200
    status, body = fetch(f"{url}/ch01.xhtml", "HEAD")
    assert status == 200 and body == ""


def test_findings_show_on_their_page_and_the_index(served):
    book, url = served
    chapter = book / "ch02.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n中文,中文。正文[^nowhere]。\n", "utf-8")
    status, page = fetch(f"{url}/ch02.xhtml")
    assert status == 200
    lines = chapter.read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "中文,中文" in text)
    assert f"ch02.md:{line}:3: warning T001" in page and "hint: use the full-width" in page
    assert f"ch02.md:{line}:9: error N001" in page
    _, other = fetch(f"{url}/ch01.xhtml")
    assert "T001" not in other and "findings: 2" in other
    _, index = fetch(f"{url}/__findings.xhtml")
    assert "warning T001" in index and "error N001" in index and 'href="ch02.xhtml"' in index


def test_a_manuscript_that_cannot_load_shows_its_error_and_recovers(served):
    book, url = served
    config = book / "book.yaml"
    good = config.read_text("utf-8")
    config.write_text(good + "broken: [\n", "utf-8")
    status, page = fetch(f"{url}/ch01.xhtml")
    assert status == 200
    assert "The manuscript cannot be loaded" in page and "error B001" in page
    config.write_text(good, "utf-8")
    status, page = fetch(f"{url}/ch01.xhtml")
    assert status == 200 and "第一章 绪论" in page and "cannot be loaded" not in page


def test_revision_alias_and_book_end_pages_are_served(tmp_path):
    book = tmp_path / "manuscript"
    shutil.copytree(REPO / "manuscript", book, ignore=shutil.ignore_patterns(".ebook-cache"))
    with (book / "book.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nnotes: {placement: book-end}\n")
    chapter = book / "ch01.md"
    chapter.write_text(
        chapter.read_text("utf-8").replace("id: ch01", "id: intro\naliases: [ch01]"), "utf-8"
    )
    preview = Preview(book)
    assert "东方平" in preview.page("notes.xhtml").decode()
    assert "前一版中的位置" in preview.page("revisions.xhtml").decode()
    assert "本章现为" in preview.page("ch01.xhtml").decode()


def test_only_the_manuscript_itself_triggers_a_reload(tmp_path):
    book = tmp_path / "manuscript"
    shutil.copytree(REPO / "manuscript", book, ignore=shutil.ignore_patterns(".ebook-cache"))
    preview = Preview(book)
    for ignored in ("dist/book.epub", ".git/index", ".ebook-cache/x.json"):
        (book / ignored).parent.mkdir(parents=True, exist_ok=True)
        (book / ignored).write_bytes(b"x")
    assert preview.refresh() is False
    (book / "ch02.md").write_text((book / "ch02.md").read_text("utf-8") + "\n新的一段。\n", "utf-8")
    assert preview.refresh() is True
