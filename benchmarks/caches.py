"""What each cache buys: one chapter of a long book edited, built with every cache, then with
each cache turned off in turn (the others on), in this process, medians of several rounds; for
two kinds of edit: a sentence of the text (the last publication serves, build/cutoff.py), and
a heading (the whole pipeline runs).

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

from ebook.build import build_or_replay  # noqa: E402

# Each cache, and how it is turned off: the code asks it and always misses.
OFF = {
    "last publication (early cutoff)": [
        ("ebook.build.cutoff.build_from_last", lambda *args, **kwargs: None),
    ],
    "chapters (records, compressed XHTML)": [
        ("ebook.build.chapters._load", lambda *args: None),
        ("ebook.build.chapters.Remembered.recall", lambda *args: None),
    ],
    "compressed XHTML taken from the chapter entry": [
        ("ebook.build.chapters._load", lambda *args: _without_packed(*args)),
    ],
    "source index (front matter of unchanged files)": [
        ("ebook.incremental.source_index.SourceIndex.recall", lambda *args: None),
    ],
    "deflate (generated pages, renumbered chapters)": [
        ("ebook.package.ocfzip.DeflateCache.lookup", lambda self, digest: None),
    ],
    "navigation (nav.xhtml, toc.ncx)": [
        ("ebook.package.epub._Navigation.get", lambda self, kind, make: make()),
    ],
}

_real_load = None


def _without_packed(*args):
    """A cached chapter without its compressed XHTML: the packager deflates it again."""
    from dataclasses import replace

    result = _real_load(*args)
    if result is None:
        return None
    rendered = replace(result.rendered, packed=None, reader=result.rendered.reader)
    return replace(result, rendered=rendered)


def _edits(original: str):
    """Two kinds of edit, each made different in every round: a sentence, a heading."""
    return {
        "a sentence": lambda n: original.replace("。", "。" + "　" * (n + 1), 1),
        "a heading": lambda n: original.replace("## 第一节", "## 第一节" + "新" * (n + 1), 1),
    }


def main() -> None:
    global _real_load
    from ebook.build import chapters

    _real_load = chapters._load
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
    build_or_replay(manuscript, out)  # every cache filled
    times: dict[tuple[str, str], list[float]] = {}
    step = 0
    for _ in range(args.rounds):
        for kind, edit in _edits(original).items():
            for name, patches in [("every cache", []), *OFF.items()]:
                step += 2
                edited.write_text(edit(step), "utf-8")
                build_or_replay(manuscript, out)  # the edit itself: each variant rebuilds it
                edited.write_text(edit(step + 1), "utf-8")
                with ExitStack() as stack:
                    for target, replacement in patches:
                        stack.enter_context(mock.patch(target, replacement))
                    started = time.perf_counter()
                    build_or_replay(manuscript, out)
                    times.setdefault((name, kind), []).append(time.perf_counter() - started)
    edited.write_text(original, "utf-8")
    kinds = list(_edits(original))
    print(f"{args.chapters} chapters, one edited; medians of {args.rounds} rounds, in process\n")
    print(
        "| cache turned off | " + " | ".join(f"edit of {k} (s) | saved (s)" for k in kinds) + " |"
    )
    print("| --- |" + " ---: | ---: |" * len(kinds))
    for name in ["every cache", *OFF]:
        cells = []
        for kind in kinds:
            median = statistics.median(times[(name, kind)])
            base = statistics.median(times[("every cache", kind)])
            cells += [f"{median:.3f}", "" if name == "every cache" else f"{median - base:.3f}"]
        label = "none (every cache on)" if name == "every cache" else name
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
