"""Run the stages in order: load -> check -> render -> structure -> assemble -> write."""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .checks import check_book, has_errors
from .epub import PackageFile, package, write_atomically
from .errors import BookHasErrors, Diagnostic
from .manuscript import load_book
from .model import IMAGE_TYPES, Book, RenderedChapter
from .nav import build_toc, nav_document, ncx_document
from .pages import copyright_page, cover_page, title_page
from .render import Renderer

XHTML_TYPE = "application/xhtml+xml"
STYLESHEET_HREF = "css/book.css"


@dataclass(frozen=True)
class CheckResult:
    """A loaded, checked and rendered book: everything but the packaging."""

    book: Book
    findings: tuple[Diagnostic, ...]
    rendered: tuple[RenderedChapter, ...]

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


@dataclass(frozen=True)
class BuildResult:
    path: Path
    size: int
    chapters: int
    notes: int
    noterefs: int
    findings: tuple[Diagnostic, ...]


def default_stylesheet() -> bytes:
    """The stylesheet in styles/, shipped inside the package when installed."""
    packaged = resources.files("ebook").joinpath("styles/ebook.css")
    if packaged.is_file():
        return packaged.read_bytes()
    return (Path(__file__).resolve().parent.parent / "styles" / "ebook.css").read_bytes()


def default_output(book: Book, out_dir: Path = Path("dist")) -> Path:
    """dist/<name>.epub, named from book.yaml's output_name, else the ISBN, else the folder."""
    name = book.options.output_name
    if not name:
        isbn = book.eisbn or book.isbn
        name = re.sub(r"[^0-9X]", "", isbn.upper()) if isbn else book.root.resolve().name
    return out_dir / f"{name}.epub"


def check_manuscript(manuscript: Path) -> CheckResult:
    """Load the manuscript, run every check and render every chapter (the render finds the
    problems only the XHTML shows: links, images, ids). Writes nothing."""
    book = load_book(manuscript)
    findings = check_book(book)
    renderer = Renderer(book, [STYLESHEET_HREF])
    rendered: list[RenderedChapter] = []
    for chapter in book.chapters:
        result, chapter_findings = renderer.render(chapter)
        rendered.append(result)
        findings += chapter_findings
    findings += check_links(rendered)
    findings.sort(key=_finding_order(book))
    return CheckResult(book, tuple(findings), tuple(rendered))


def check_epub(manuscript: Path) -> list[Diagnostic]:
    """Build into a temporary file and return what EPUBCheck says about it."""
    from .epubcheck import run_epubcheck

    with tempfile.TemporaryDirectory(prefix="ebook-check-") as folder:
        target = Path(folder) / "book.epub"
        build_epub(manuscript, target)
        return run_epubcheck(target)


def _finding_order(book: Book):
    """book.yaml first, then the chapters in book order; by line within a file."""
    rank = {book.config_path: 0} | {c.path: n for n, c in enumerate(book.chapters, start=1)}
    return lambda f: (rank.get(f.path, len(rank)), f.line or 0, f.column or 0)


def build_epub(manuscript: Path, output: Path | None = None, strict: bool = False) -> BuildResult:
    """Build the manuscript into an EPUB; nothing is written unless every stage succeeds."""
    checked = check_manuscript(manuscript)
    if has_errors(list(checked.findings), strict):
        raise BookHasErrors(list(checked.findings))
    data = assemble(checked.book, list(checked.rendered))
    target = output or default_output(checked.book)
    write_atomically(data, target)
    rendered = checked.rendered
    return BuildResult(
        path=target,
        size=len(data),
        chapters=len(rendered),
        notes=sum(r.note_count for r in rendered),
        noterefs=sum(r.noteref_count for r in rendered),
        findings=checked.findings,
    )


def assemble(book: Book, rendered: list[RenderedChapter]) -> bytes:
    """Package rendered chapters and the generated pages into EPUB bytes."""
    css = [STYLESHEET_HREF]
    stylesheet = (
        book.options.stylesheet.read_bytes() if book.options.stylesheet else default_stylesheet()
    )
    files = [PackageFile("css", STYLESHEET_HREF, "text/css", stylesheet)]
    landmarks: list[tuple[str, str]] = []
    if book.options.cover:
        cover = book.options.cover
        href = f"images/cover{cover.suffix.lower()}"
        files.append(
            PackageFile(
                "cover-image", href, _image_type(cover), cover.read_bytes(), ("cover-image",)
            )
        )
        files.append(
            PackageFile(
                "cover", "cover.xhtml", XHTML_TYPE, cover_page(book, href, css), in_spine=True
            )
        )
        landmarks.append(("cover", "cover.xhtml"))
    files.append(
        PackageFile(
            "titlepage", "titlepage.xhtml", XHTML_TYPE, title_page(book, css), in_spine=True
        )
    )
    files.append(
        PackageFile(
            "copyright", "copyright.xhtml", XHTML_TYPE, copyright_page(book, css), in_spine=True
        )
    )
    landmarks += [
        ("titlepage", "titlepage.xhtml"),
        ("copyright-page", "copyright.xhtml"),
        ("toc", "nav.xhtml#toc"),
    ]
    body = [r for r in rendered if r.chapter.matter == "body"]
    if body:
        landmarks.append(("bodymatter", body[0].file_name))

    toc = build_toc(rendered, book.options.toc_depth)
    uid = _unique_identifier(book)
    nav = PackageFile(
        "nav",
        "nav.xhtml",
        XHTML_TYPE,
        nav_document(toc, landmarks, book.language, css),
        ("nav",),
        in_spine=True,
    )
    front = [r for r in rendered if r.chapter.matter == "front"]
    rest = [r for r in rendered if r.chapter.matter != "front"]
    files += [_chapter_file(r) for r in front] + [nav] + [_chapter_file(r) for r in rest]
    files.append(
        PackageFile(
            "ncx", "toc.ncx", "application/x-dtbncx+xml", ncx_document(toc, uid, book.title)
        )
    )
    seen_images: set[str] = set()
    for r in rendered:
        for path, href in r.images:
            if href not in seen_images:
                seen_images.add(href)
                files.append(
                    PackageFile(
                        f"img-{len(seen_images)}", href, _image_type(path), path.read_bytes()
                    )
                )

    return package(book, files, source_date(book), accessibility(book, rendered))


def check_links(rendered: list[RenderedChapter]) -> list[Diagnostic]:
    """Every link between chapters must land on an id that exists."""
    ids = {r.file_name: r.ids for r in rendered}
    findings = []
    for r in rendered:
        for link in r.links:
            if link.fragment and link.fragment not in ids.get(link.target, ()):
                findings.append(
                    Diagnostic(
                        "L001",
                        "error",
                        f"link '{link.written}': no anchor '{link.fragment}' there",
                        r.chapter.path,
                        link.line,
                        link.column,
                        "give the target heading an id with {#anchor}, or fix the link",
                    )
                )
    return findings


def _chapter_file(r: RenderedChapter) -> PackageFile:
    return PackageFile(r.chapter.id, r.file_name, XHTML_TYPE, r.body, in_spine=True)


def _image_type(path: Path) -> str:
    # The manuscript checks (L003) only let EPUB image types through.
    return IMAGE_TYPES[path.suffix.lower()]


def _unique_identifier(book: Book) -> str:
    if book.eisbn:
        return "urn:isbn:" + re.sub(r"[^0-9X]", "", book.eisbn.upper())
    return book.uid or ""


def source_date(book: Book) -> datetime.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH, else the newest manuscript file; never now.

    Rebuilding an unchanged manuscript must give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    paths = [book.config_path] + [c.path for c in book.chapters]
    paths += [p for p in (book.options.stylesheet, book.options.cover) if p]
    newest = max(p.stat().st_mtime for p in paths)
    return datetime.datetime.fromtimestamp(int(newest), tz=datetime.UTC)


def accessibility(book: Book, rendered: list[RenderedChapter]) -> dict[str, list[str]]:
    """schema.org accessibility metadata derived from what the book contains."""
    images = any(r.images for r in rendered) or book.options.cover is not None
    alts = all(r.image_alts_complete for r in rendered)
    notes = sum(r.note_count for r in rendered)
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ]
    if images and alts:
        features.append("alternativeText")
    chinese = book.language.lower().startswith("zh")
    summary = (
        "本书为可重排文本，正文以标题层级组织，附可导航的多级目录"
        + (f"；共{notes}条注释，以弹出式脚注链接，并可返回引用处" if notes else "")
        + ("；图片均有替代文字" if images and alts else "；含无替代文字的图片" if images else "")
        + "。"
        if chinese
        else "Reflowable text structured by headings, with a navigable nested table of contents"
        + (f"; {notes} notes linked as popup footnotes with links back" if notes else "")
        + (
            "; all images have text alternatives"
            if images and alts
            else "; some images lack text alternatives"
            if images
            else ""
        )
        + "."
    )
    return {
        "accessMode": ["textual"] + (["visual"] if images else []),
        "accessModeSufficient": ["textual"] if not images or alts else ["textual,visual"],
        "accessibilityFeature": features,
        "accessibilityHazard": ["none"],
        "accessibilitySummary": [summary],
    }
