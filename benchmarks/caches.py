"""What each cache buys: one chapter of a long book edited, built with every cache, then with
each cache turned off in turn (the others on), in this process, medians of several rounds.

    python benchmarks/caches.py [--chapters 300] [--rounds 5]

The stamp is not in this table: it answers a build in which nothing changed (benchmarks/run.py
has the rows with and without it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_book import write_book  # noqa: E402

from ebook.build import build_epub  # noqa: E402

# Each cache, and how it is turned off: the code asks it and always misses.
OFF = {
    "chapters (rendered XHTML and findings)": [
        ("ebook.build.chapters._load", lambda *args: None),
        ("ebook.build.chapters.Remembered.recall", lambda *args: None),
    ],
    "source index (front matter of unchanged files)": [
        ("ebook.incremental.source_index.SourceIndex.recall", lambda *args: None),
    ],
    "compressed chapters (deflate)": [
        ("ebook.package.ocfzip.DeflateCache.lookup", lambda self, digest: None),
    ],
    "navigation (nav.xhtml, toc.ncx)": [
        ("ebook.package.epub._Navigation.get", lambda self, kind, make: make()),
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ebook-caches-"))
    write_book(folder, args.chapters)
    manuscript = folder / "manuscript"
    out = folder / "book.epub"
    edited = manuscript / f"ch{args.chapters // 2:03}.md"
    original = edited.read_text("utf-8")
    build_epub(manuscript, out)  # every cache filled
    times: dict[str, list[float]] = {}
    for round_ in range(args.rounds):
        for name, patches in [("every cache", []), *OFF.items()]:
            edited.write_text(original.replace("。", "。" + "　" * (round_ + 1), 1), "utf-8")
            build_epub(manuscript, out)  # the edit itself: then each variant rebuilds it
            edited.write_text(original.replace("。", "。" + "　" * (round_ + 2), 1), "utf-8")
            with ExitStack() as stack:
                for target, replacement in patches:
                    stack.enter_context(mock.patch(target, replacement))
                started = time.perf_counter()
                build_epub(manuscript, out)
                times.setdefault(name, []).append(time.perf_counter() - started)
    edited.write_text(original, "utf-8")
    base = statistics.median(times["every cache"])
    print(f"{args.chapters} chapters, one edited; medians of {args.rounds} rounds, in process\n")
    print("| cache turned off | edit build (s) | what the cache saves (s) |")
    print("| --- | ---: | ---: |")
    for name, values in times.items():
        median = statistics.median(values)
        saved = "" if name == "every cache" else f"{median - base:.3f}"
        label = "none (every cache on)" if name == "every cache" else name
        print(f"| {label} | {median:.3f} | {saved} |")


if __name__ == "__main__":
    main()
