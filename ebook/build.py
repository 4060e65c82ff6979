"""Run the stages in order: load -> check -> render -> structure -> assemble -> write."""

from __future__ import annotations

import datetime
import mimetypes
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .checks import check_book, has_errors
from .epub import PackageFile, package, write_atomically
from .errors import BookHasErrors, Diagnostic, ManuscriptError
from .manuscript import load_book
from .model import Book, RenderedChapter
from .nav import build_toc, nav_document, ncx_document
from .pages import copyright_page, cover_page, title_page
from .render import Renderer

XHTML_TYPE = "application/xhtml+xml"
STYLESHEET_HREF = "css/book.css"
# Image types EPUB 3 core media types allow.
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


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


def build_epub(manuscript: Path, output: Path | None = None) -> BuildResult:
    """Build the manuscript into an EPUB; nothing is written unless every stage succeeds."""
    book = load_book(manuscript)
    findings = check_book(book)
    if has_errors(findings):
        raise BookHasErrors(findings)
    data, rendered, render_findings = assemble(book)
    findings += render_findings
    if has_errors(render_findings):
        raise BookHasErrors(findings)
    target = output or default_output(book)
    write_atomically(data, target)
    return BuildResult(
        path=target,
        size=len(data),
        chapters=len(rendered),
        notes=sum(r.note_count for r in rendered),
        noterefs=sum(r.noteref_count for r in rendered),
        findings=tuple(findings),
    )


def assemble(book: Book) -> tuple[bytes, list[RenderedChapter], list[Diagnostic]]:
    """Render every chapter and generated page, and package them into EPUB bytes."""
    css = [STYLESHEET_HREF]
    renderer = Renderer(book, css)
    rendered: list[RenderedChapter] = []
    findings: list[Diagnostic] = []
    for chapter in book.chapters:
        result, chapter_findings = renderer.render(chapter)
        rendered.append(result)
        findings += chapter_findings

    findings += check_links(rendered)

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

    data = package(book, files, source_date(book), accessibility(book, rendered))
    return data, rendered, findings


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
                        None,
                        "give the target heading an id with {#anchor}, or fix the link",
                    )
                )
    return findings


def _chapter_file(r: RenderedChapter) -> PackageFile:
    return PackageFile(r.chapter.id, r.file_name, XHTML_TYPE, r.body, in_spine=True)


def _image_type(path: Path) -> str:
    media_type = IMAGE_TYPES.get(path.suffix.lower())
    if media_type is None:
        guessed = mimetypes.guess_type(path.name)[0] or "unknown"
        raise ManuscriptError(
            f"{path.name}: {guessed} is not an image type EPUB allows",
            path,
            hint="convert it to JPEG, PNG, GIF, WebP or SVG",
            code="L003",
        )
    return media_type


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
