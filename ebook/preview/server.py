"""`ebook preview`: the book as web pages on localhost, rebuilt as the manuscript changes.

Every document of the EPUB is served as the EPUB has it (the publication plan: title page,
CIP page, contents, chapters, notes, revisions, alias pages; stylesheet and images), in
spine order. The preview adds the contents as a sidebar, previous/next links, each page's
findings as banners (and all of them on an index page), a script that shows notes as popups
(as readers do), and a reload when the manuscript changed. A manuscript that cannot be
loaded shows its error on every page until it is fixed.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..build import check_manuscript
from ..build.chapters import Remembered
from ..core.assets import STYLESHEET_HREF
from ..core.errors import Diagnostic, EbookError
from ..core.i18n import _, say
from ..core.xhtml import XHTML, document, element, serialize
from ..package.nav import NavNode, nav_document
from ..package.plan import CONTENTS_HREF, XHTML_TYPE, Document, plan_publication

ASSETS = {"/__preview.js": "text/javascript", "/__preview.css": "text/css"}
# The names this server answers to. Any other Host header is refused: a web page the author
# visits could otherwise point its own domain at 127.0.0.1 and read the book (DNS rebinding).
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
# How often a waiting page's request looks at the manuscript's files, and how long it waits.
SCAN_SECONDS = 0.05
LONG_POLL_SECONDS = 20


class Preview:
    """The book as its EPUB has it, page by page; `refresh` rebuilds it when the manuscript
    changed on disk (only changed chapters render again: the build cache keeps the rest)."""

    def __init__(self, manuscript: Path) -> None:
        self.root = manuscript
        self.version = 0
        self.error: Diagnostic | None = None  # what stopped loading, shown on every page
        self.documents: dict[str, Document] = {}
        self.spine: list[str] = []
        self.toc: tuple[NavNode, ...] = ()
        self.findings: dict[str, list[Diagnostic]] = {}  # page -> its findings
        self.all_findings: tuple[Diagnostic, ...] = ()
        self.general: list[Diagnostic] = []  # findings of no page: book.yaml, unreadable files
        self._lock = threading.Lock()
        self.remembered = Remembered()  # the chapters of the last load, for the next
        self.mtimes = self._scan()
        self._load()

    def _load(self) -> None:
        try:
            # One process: the preview's server threads do not mix with forked workers.
            checked = check_manuscript(self.root, workers=1, remembered=self.remembered)
        except EbookError as exc:
            self.error = exc.diagnostic
            return
        self.error = None
        publication = plan_publication(checked.book, list(checked.rendered))
        self.documents = {d.href: d for d in publication.documents}
        self.spine = [d.href for d in publication.documents if d.in_spine]
        self.toc = publication.toc
        self.publication = publication
        # A chapter's findings go on its page; the others (book.yaml, a file that could not be
        # read) on the title page, and their errors on every page: they stop the build.
        pages = {r.chapter.path: r.file_name for r in checked.rendered}
        self.findings = {}
        self.general = []
        for finding in checked.findings:
            page = pages.get(finding.path)
            if page is None:
                self.general.append(finding)
                page = "titlepage.xhtml"
            self.findings.setdefault(page, []).append(finding)
        self.all_findings = checked.findings

    def _scan(self) -> dict[str, tuple[int, int]]:
        """Every file of the manuscript, its size and modification time: not the cache, git's
        own files or the EPUBs a build writes into dist/ (the walk does not even enter them).
        A waiting page asks this every SCAN_SECONDS: os.scandir, one stat per file."""
        found: dict[str, tuple[int, int]] = {}
        folders = [self.root]
        while folders:
            folder = folders.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.is_dir():
                        top = folder == self.root and entry.name == "dist"
                        if not entry.name.startswith(".") and not top:
                            folders.append(Path(entry.path))
                    else:
                        st = entry.stat()
                        found[entry.path] = (st.st_size, st.st_mtime_ns)
                except OSError:
                    continue
        return found

    def refresh(self) -> bool:
        """Load the book again when a file of the manuscript changed. A refresh that another
        request is running already answers for this one too: many waiting pages do not queue
        one scan each behind the lock."""
        if not self._lock.acquire(blocking=False):
            with self._lock:  # wait for that refresh, then answer from what it found
                return False
        try:
            now = self._scan()
            if now == self.mtimes:
                return False
            self.mtimes = now
            self._load()
            self.version += 1
            return True
        finally:
            self._lock.release()

    def first_page(self) -> str:
        return self.spine[0] if self.spine else INDEX

    def page(self, name: str) -> bytes | None:
        """A page of the book with the preview's sidebar, banners, script and stylesheet."""
        if self.error is not None:
            return self._error_page()
        if name == INDEX:
            return self._index_page()
        doc = self.documents.get(name)
        if doc is None or doc.media_type != XHTML_TYPE:
            return None
        content = doc.content
        if name == CONTENTS_HREF:
            content = nav_document(
                list(self.toc),
                list(self.publication.landmarks),
                self.publication.book.language,
                [STYLESHEET_HREF],
                list(self.publication.pages),
            )
        html = etree.fromstring(content)
        body = _decorate(html, self.toc, name)
        box = element("div", {"class": "preview-bar"})
        position = self.spine.index(name) if name in self.spine else -1
        if position > 0:
            element("a", {"href": self.spine[position - 1], "rel": "prev"}, "←", parent=box)
        if 0 <= position < len(self.spine) - 1:
            element("a", {"href": self.spine[position + 1], "rel": "next"}, "→", parent=box)
        count = len(self.all_findings)
        element(
            "a",
            {"href": INDEX, "class": "preview-findings-link"},
            say("findings: {count}", count=count),
            parent=box,
        )
        body.insert(1, box)
        shown = list(self.findings.get(name, ()))
        shown += [f for f in self.general if f.severity == "error" and f not in shown]
        for n, finding in enumerate(shown, start=2):
            body.insert(n, _banner(finding, self.root))
        return serialize(html)

    def resource(self, name: str) -> tuple[bytes, str] | None:
        """Any other file of the book (stylesheet, images, the cover) as the EPUB has it."""
        doc = self.documents.get(name)
        if doc is None or doc.media_type == XHTML_TYPE:
            return None
        return doc.content, doc.media_type

    def _index_page(self) -> bytes:
        section = element("section", {"class": "preview-index"})
        heading = say("Findings: {count}", count=len(self.all_findings))
        element("h1", text=heading, parent=section)
        pages = {f.path: page for page, found in self.findings.items() for f in found}
        ul = element("ul", parent=section)
        for finding in self.all_findings:
            li = element("li", {"class": f"preview-{finding.severity}"}, parent=ul)
            link = element("a", {"href": pages.get(finding.path, self.first_page())}, parent=li)
            link.text = finding.format(relative_to=self.root)
        html = etree.fromstring(
            document("Findings", "en", "frontmatter", [section], [STYLESHEET_HREF])
        )
        _decorate(html, self.toc, INDEX)
        return serialize(html)

    def _error_page(self) -> bytes:
        section = element("section", {"class": "preview-index"})
        element("h1", text=_("The manuscript cannot be loaded"), parent=section)
        section.append(_banner(self.error, self.root))
        element("p", text=_("The page reloads when the file is fixed."), parent=section)
        html = etree.fromstring(document("Error", "en", "frontmatter", [section], []))
        _decorate(html, (), "")
        return serialize(html)


INDEX = "__findings.xhtml"


def _decorate(html: etree._Element, toc, current: str) -> etree._Element:
    """Add the preview's stylesheet, script and the contents sidebar; return the body."""
    head = html.find(f"{{{XHTML}}}head")
    element(
        "link", {"rel": "stylesheet", "type": "text/css", "href": "/__preview.css"}, parent=head
    )
    element("script", {"src": "/__preview.js", "type": "text/javascript"}, "", parent=head)
    body = html.find(f"{{{XHTML}}}body")
    sidebar = element("nav", {"class": "preview-sidebar", "id": "preview-sidebar"})
    _sidebar_list(sidebar, toc, current)
    body.insert(0, sidebar)
    # On a phone the contents is a drawer this button opens (preview.css, preview.js).
    toggle = {
        "class": "preview-drawer-toggle",
        "type": "button",
        "aria-controls": "preview-sidebar",
        "aria-expanded": "false",
    }
    body.insert(0, element("button", toggle, _("Contents")))
    return body


def _banner(finding: Diagnostic, root: Path) -> etree._Element:
    """A finding at the top of the page it belongs to: where, what, and how to fix it."""
    box = element("div", {"class": f"preview-banner preview-{finding.severity}"})
    element("p", text=finding.format(relative_to=root).split("\n")[0], parent=box)
    if finding.hint:
        hint = _("hint: {text}").format(text=finding.hint_text())
        element("p", {"class": "preview-hint"}, hint, parent=box)
    return box


def _sidebar_list(
    parent: etree._Element, nodes: list[NavNode] | tuple[NavNode, ...], current: str
) -> None:
    """The contents, opened along the current page's branch only: every chapter, but the
    sections of the page shown (a long book's whole tree is megabytes on every page)."""
    ol = element("ol", parent=parent)
    for node in nodes:
        li = element("li", parent=ol)
        link = element("a", {"href": node.href}, node.label, parent=li)
        if node.href == current:
            link.set("class", "current")
        if node.children and _holds(node, current):
            _sidebar_list(li, node.children, current)


def _holds(node: NavNode, page: str) -> bool:
    return node.href.partition("#")[0] == page or any(_holds(c, page) for c in node.children)


# Connections served at once (a thread each); past these a new one is answered 503 at once. A
# browser keeps a handful open (a page, its images, one long poll per tab).
MAX_CONNECTIONS = 200
# A client that sends nothing for this long is let go (its thread with it).
IDLE_SECONDS = 10
_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer with a bound on connections, quiet about clients that leave."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, handler) -> None:
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        # A browser closes a long poll when it leaves the page: no traceback for that.
        if not isinstance(sys.exc_info()[1], _GONE):
            super().handle_error(request, client_address)


def make_server(preview: Preview, port: int = 8000, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """An HTTP server for the preview (port 0 picks a free one)."""

    class Handler(BaseHTTPRequestHandler):
        timeout = IDLE_SECONDS

        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            self._answer(with_body=True)

        def do_HEAD(self) -> None:  # noqa: N802 (http.server API)
            self._answer(with_body=False)

        def _answer(self, with_body: bool) -> None:
            self.with_body = with_body
            try:
                self._get()
            except _GONE:
                return  # the client left (a closed page, a dropped long poll)
            except (OSError, EbookError, ValueError) as exc:
                # One bad request (a name too long for the file system, a file saved
                # half-way) must not print a traceback or stop the preview.
                self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc)[:200])

        def _get(self) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
            if host not in LOCAL_HOSTS:
                return self.send_error(HTTPStatus.FORBIDDEN, "the preview answers only localhost")
            path, _, query = self.path.partition("?")
            path = unquote(path)
            if path == "/__version":
                # Long polling: a page that names the version it shows is answered as soon as
                # the manuscript changes (or after a while, to say it has not), so a saved
                # edit shows without waiting for the next poll of a timer.
                known = query.removeprefix("known=") if query.startswith("known=") else None
                deadline = time.monotonic() + LONG_POLL_SECONDS
                while True:
                    preview.refresh()
                    current = str(preview.version)
                    if known is None or current != known or time.monotonic() > deadline:
                        return self._send(current.encode(), "text/plain")
                    time.sleep(SCAN_SECONDS)
            if path in ASSETS:
                asset = resources.files("ebook").joinpath("templates/preview", path[3:])
                return self._send(asset.read_bytes(), ASSETS[path])
            preview.refresh()
            if path == "/":
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", "/" + preview.first_page())
                self.end_headers()
                return None
            name = path.lstrip("/")
            page = preview.page(name) if name.endswith(".xhtml") else None
            if page is not None:
                return self._send(page, "application/xhtml+xml")
            found = preview.resource(name)
            if found is None:
                return self.send_error(HTTPStatus.NOT_FOUND)
            return self._send(*found)

        def _send(self, data: bytes, media_type: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.with_body:
                self.wfile.write(data)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass  # the preview is quiet; the CLI prints the address

    return _Server((host, port), Handler)
