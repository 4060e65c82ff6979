"""`ebook preview`: the book as web pages on localhost, rebuilt as the manuscript changes.

Each page is the chapter's XHTML as it goes into the EPUB, with the same stylesheet; the
preview adds a contents sidebar, a script that shows notes as popups (as readers do) and
reloads the page when a chapter was rebuilt.
"""

from __future__ import annotations

import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from .assets import STYLESHEET_HREF, stylesheet
from .build import check_manuscript
from .errors import EbookError
from .manuscript import load_chapter
from .nav import NavNode, build_toc
from .note_profiles import profile_for
from .render import Renderer
from .xhtml import XHTML, element, serialize

ASSETS = {"/__preview.js": "text/javascript", "/__preview.css": "text/css"}
# The names this server answers to. Any other Host header is refused: a web page the author
# visits could otherwise point its own domain at 127.0.0.1 and read the book (DNS rebinding).
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})


class Preview:
    """The rendered pages of a manuscript; `refresh` re-renders what changed on disk."""

    def __init__(self, manuscript: Path) -> None:
        self.root = manuscript
        self.version = 0
        self.error: str | None = None
        self._lock = threading.Lock()
        self._load()

    def _load(self) -> None:
        # One process: the preview's server threads do not mix with forked workers.
        checked = check_manuscript(self.root, workers=1)
        self.book = checked.book
        self.renderer = Renderer(self.book, [STYLESHEET_HREF])
        self.pages = {r.file_name: r for r in checked.rendered}
        self.sources = {r.chapter.path: r.file_name for r in checked.rendered}
        self.toc = build_toc(list(checked.rendered), self.book.options.toc_depth)
        self.mtimes = self._scan()

    def _scan(self) -> dict[Path, float]:
        paths = [self.root / "book.yaml", *sorted(self.root.glob("*.md"))]
        return {p: p.stat().st_mtime_ns for p in paths if p.is_file()}

    def refresh(self) -> bool:
        """Rebuild the chapters whose files changed (everything when book.yaml did)."""
        with self._lock:
            now = self._scan()
            if now == self.mtimes:
                return False
            changed = [p for p in now if now[p] != self.mtimes.get(p)]
            try:
                if set(now) != set(self.mtimes) or any(p not in self.sources for p in changed):
                    self._load()
                else:
                    for path in changed:
                        chapter, _ = load_chapter(path)
                        rendered = self.renderer.render(chapter)
                        self.pages[self.sources[path]] = rendered
                    self.toc = build_toc(list(self.pages.values()), self.book.options.toc_depth)
                self.error = None
            except EbookError as exc:
                self.error = exc.diagnostic.format(relative_to=self.root)
            self.mtimes = now
            self.version += 1
            return True

    def image(self, href: str) -> Path | None:
        """The file of an image the book uses (nothing else of the folder is served)."""
        for rendered in self.pages.values():
            for path, image_href in rendered.images:
                if image_href == href:
                    return path
        return None

    def first_page(self) -> str:
        return next(iter(self.pages))

    def page(self, name: str) -> bytes | None:
        """A page's XHTML with the preview's sidebar, script and stylesheet added."""
        rendered = self.pages.get(name)
        if rendered is not None:
            body = rendered.body
        else:
            # The pages the note profile adds (the book-end notes file).
            profile = profile_for(self.book.options)
            pages = profile.documents(self.book, list(self.pages.values()), [STYLESHEET_HREF])
            body = dict(pages).get(name)
            if body is None:
                return None
        html = etree.fromstring(body)
        head = html.find(f"{{{XHTML}}}head")
        element(
            "link", {"rel": "stylesheet", "type": "text/css", "href": "/__preview.css"}, parent=head
        )
        element("script", {"src": "/__preview.js", "type": "text/javascript"}, "", parent=head)
        body = html.find(f"{{{XHTML}}}body")
        sidebar = element("nav", {"class": "preview-sidebar"})
        _sidebar_list(sidebar, self.toc, name)
        body.insert(0, sidebar)
        if self.error:
            body.insert(1, element("p", {"class": "preview-error"}, self.error))
        return serialize(html)


def _sidebar_list(
    parent: etree._Element, nodes: list[NavNode] | tuple[NavNode, ...], current: str
) -> None:
    ol = element("ol", parent=parent)
    for node in nodes:
        li = element("li", parent=ol)
        link = element("a", {"href": node.href}, node.label, parent=li)
        if node.href == current:
            link.set("class", "current")
        if node.children:
            _sidebar_list(li, node.children, current)


def make_server(preview: Preview, port: int = 8000, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """An HTTP server for the preview (port 0 picks a free one)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            try:
                self._get()
            except (OSError, EbookError, ValueError) as exc:
                # One bad request (a name too long for the file system, a file saved
                # half-way) must not print a traceback or stop the preview.
                self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc)[:200])

        def _get(self) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
            if host not in LOCAL_HOSTS:
                return self.send_error(HTTPStatus.FORBIDDEN, "the preview answers only localhost")
            path = unquote(self.path.split("?", 1)[0])
            if path == "/__version":
                preview.refresh()
                return self._send(str(preview.version).encode(), "text/plain")
            if path in ASSETS:
                asset = resources.files("ebook").joinpath("templates/preview", path[3:])
                return self._send(asset.read_bytes(), ASSETS[path])
            if path == "/":
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", "/" + preview.first_page())
                self.end_headers()
                return None
            if path == "/" + STYLESHEET_HREF:
                return self._send(stylesheet(preview.book), "text/css")
            if path.endswith(".xhtml"):
                preview.refresh()
                page = preview.page(path.lstrip("/"))
                if page is not None:
                    return self._send(page, "application/xhtml+xml")
            return self._send_file(path)

        def _send_file(self, path: str) -> None:
            target = preview.image(path.lstrip("/"))
            try:
                data = target.read_bytes() if target is not None else None
            except OSError:
                data = None
            if data is None:
                return self.send_error(HTTPStatus.NOT_FOUND)
            media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return self._send(data, media_type)

        def _send(self, data: bytes, media_type: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass  # the preview is quiet; the CLI prints the address

    return ThreadingHTTPServer((host, port), Handler)
