"""Time `ebook import` on large plain texts: it must grow linearly with the text.

    pip install -e '.[bench]'
    python benchmarks/import_text.py [--sizes 1 5 20]

The texts repeat the seed book's chapter 1 (tests/data/seed.txt, with its page-bottom notes,
page numbers and running heads) to each size in MB, in two shapes: as printed (paragraphs
separated by blank lines) and as OCR often gives it (no blank lines at all, one paragraph).
pandoc reading the same text as Markdown and writing Markdown is the reference: a linear
reader of text of that size.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NUMERALS = "一二三四五六七八九十"


def make_text(megabytes: int, blank_lines: bool) -> str:
    lines = (REPO / "tests" / "data" / "seed.txt").read_text("utf-8").splitlines()
    head, chapter = lines[:130], lines[130:251]
    out, size, n = list(head), 0, 0
    while size < megabytes << 20:
        n += 1
        copy = list(chapter)
        copy[0] = f"第{NUMERALS[(n - 1) % 10]}章 绪论"
        out += copy
        size += sum(len(line.encode()) + 1 for line in copy)
    if not blank_lines:
        out = [line for line in out if line.strip()]
    return "\n".join(out) + "\n"


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 20])
    args = parser.parse_args()
    try:
        from pypandoc import get_pandoc_path

        pandoc = get_pandoc_path()
    except (ImportError, OSError):
        pandoc = None
    code = (
        "import sys; from ebook.convert.importer import import_text; "
        "import_text(open(sys.argv[1]).read())"
    )
    print("| text | size (MB) | ebook import (s) | MB/s | pandoc (s) | ebook / pandoc |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for blank in (True, False):
            for megabytes in args.sizes:
                path = Path(folder) / "book.txt"
                path.write_text(make_text(megabytes, blank), "utf-8")
                size = path.stat().st_size / (1 << 20)
                ours = timed([sys.executable, "-c", code, str(path)])
                theirs = (
                    timed([pandoc, "-f", "markdown", "-t", "markdown", str(path)])
                    if pandoc
                    else None
                )
                shape = "printed" if blank else "no blank lines"
                ratio = f"{ours / theirs:.2f}" if theirs else "—"
                pandoc_s = f"{theirs:.2f}" if theirs else "—"
                cells = [shape, f"{size:.1f}", f"{ours:.2f}", f"{size / ours:.1f}", pandoc_s, ratio]
                print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
