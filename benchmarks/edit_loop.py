"""Compare the edit loop of two checkouts of ebook on one synthetic book, runs alternating.

    python benchmarks/edit_loop.py --chapters 3000 --runs 9 \\
        --python /path/to/before/.venv/bin/python --python .venv/bin/python

Each interpreter gets its own copy of the same book and fills its own cache; then, round by
round, each builds once after one chapter was edited, and once more with nothing changed and
the stamp of the previous build removed (so that the book is loaded). Alternating within a
round keeps a slow minute of the machine from landing on one side only: what run.py's tables
cannot show when "before" and "after" were measured in different hours.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_book import write_book  # noqa: E402
from run import measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--python",
        action="append",
        required=True,
        help="an interpreter with ebook installed (its checkout); give it once per side",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ebook-edit-loop-"))
    write_book(folder / "book", args.chapters)
    sides = []
    for index, python in enumerate(args.python):
        book = folder / f"side{index}"
        shutil.copytree(folder / "book" / "manuscript", book / "manuscript")
        package = subprocess.run(
            [python, "-c", "import ebook, pathlib; print(pathlib.Path(ebook.__file__).parent)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        # Compiled as `pip install` would, so that no side pays for compiling on its first run.
        subprocess.run([python, "-m", "compileall", "-q", package], check=True)
        build = [python, "-m", "ebook", "build", "manuscript", "-o", "book.epub"]
        subprocess.run(build, cwd=book, check=True, capture_output=True)  # fills the cache
        sides.append((python, book, build))

    edited_name = f"ch{args.chapters // 2:03}.md"
    times: dict[tuple[int, str], list[float]] = {}
    for _ in range(args.runs):
        for index, (_, book, build) in enumerate(sides):
            edited = book / "manuscript" / edited_name
            text = edited.read_text("utf-8")
            edited.write_text(text.replace("。", "。　", 1), "utf-8")  # a real change each time
            times.setdefault((index, "edited"), []).append(measure(build, book)["wall"])
            (book / "manuscript" / ".ebook-cache" / "last-build.json").unlink(missing_ok=True)
            times.setdefault((index, "unstamped"), []).append(measure(build, book)["wall"])

    print(f"{args.chapters} chapters, medians of {args.runs} alternating runs (wall, s)\n")
    print("| interpreter | one chapter edited | nothing changed (no stamp) |")
    print("| --- | ---: | ---: |")
    for index, (python, _, _) in enumerate(sides):
        edited = statistics.median(times[(index, "edited")])
        unstamped = statistics.median(times[(index, "unstamped")])
        print(f"| {python} | {edited:.2f} | {unstamped:.2f} |")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
