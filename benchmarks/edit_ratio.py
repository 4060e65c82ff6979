"""What an edit costs as the book grows: one chapter edited in a book of 300 chapters and in
one of 1500, the two builds alternating round by round (so that a slow minute of the machine
lands on both), with pandoc's cold build of the 300 chapters for scale.

    python benchmarks/edit_ratio.py [--small 300] [--large 1500] [--rounds 15]

Issue 27's targets: the large book's edit at most 1.5 x the small one's (an edit costs what
the edited chapter costs, not what the book costs), and the small one's edit at most 0.045 x
pandoc's cold build. Each edit is a real change of the middle chapter's text, built right
after it is saved, as an editor's build-on-save does.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_book import write_book  # noqa: E402
from run import measure, pandoc_path  # noqa: E402

RATIO_TARGET = 1.5
PANDOC_TARGET = 0.045


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=300)
    parser.add_argument("--large", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--pandoc-runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ebook-edit-ratio-"))
    books = {}
    for size in (args.small, args.large):
        write_book(folder / str(size), size)
        manuscript = folder / str(size) / "manuscript"
        build = [sys.executable, "-m", "ebook", "build", "manuscript", "-o", "book.epub"]
        subprocess.run(build, cwd=manuscript.parent, check=True, capture_output=True)
        edited = manuscript / f"ch{size // 2:03}.md"
        books[size] = (manuscript.parent, build, edited, edited.read_text("utf-8"))
    times: dict[int, list[float]] = {size: [] for size in books}
    for round_ in range(args.rounds):
        for size, (cwd, build, edited, original) in books.items():
            # A real change every round: one more ideographic space after the first sentence.
            edited.write_text(original.replace("。", "。" + "　" * (round_ + 1), 1), "utf-8")
            times[size].append(measure(build, cwd)["wall"])
    pandoc_dir = folder / str(args.small) / "pandoc"
    pandoc = [
        pandoc_path(),
        "--metadata-file=metadata.yaml",
        "-o",
        str(folder / "pandoc.epub"),
        *sorted(p.name for p in pandoc_dir.glob("ch*.md")),
    ]
    pandoc_wall = statistics.median(
        measure(pandoc, pandoc_dir)["wall"] for _ in range(args.pandoc_runs)
    )
    small, large = (statistics.median(times[size]) for size in books)
    ratio = large / small
    print(f"one chapter edited, medians of {args.rounds} alternating rounds (wall, s)\n")
    print("| chapters | edit (s) | fastest | slowest |")
    print("| ---: | ---: | ---: | ---: |")
    for size, values in times.items():
        print(
            f"| {size} | {statistics.median(values):.3f} | {min(values):.3f} | {max(values):.3f} |"
        )
    met = "yes" if ratio <= RATIO_TARGET else "NO"
    print(
        f"\n{args.large} / {args.small} chapters: {ratio:.2f} x (target <= {RATIO_TARGET}): {met}"
    )
    share = small / pandoc_wall
    met = "yes" if share <= PANDOC_TARGET else "NO"
    print(
        f"{args.small}-chapter edit / pandoc's cold build ({pandoc_wall:.2f} s): {share:.3f} x"
        f" (target <= {PANDOC_TARGET}): {met}"
    )


if __name__ == "__main__":
    main()
