"""Time `ebook check` on one long line repeating what makes parsers look ahead.

    python benchmarks/hostile_lines.py [--sizes 10000 50000 100000]

For each pattern it prints the seconds at each line length and the ratio of the last to the
first time against the ratio of the lengths: a linear cost keeps the two close.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

UNITS = ["[", "![", "[^", "<a ", "[a](", "[a]{", "`", "``a", "$a", "{", "*", "_", "\\"]
BOOK = (
    "title: T\nlanguage: zh\ncontributors: [{name: 甲, role: 著}]\n"
    "publisher: {name: 乙}\ndate: '2024'\n"
)


def check_seconds(folder: Path, unit: str, size: int) -> float:
    (folder / "ch.md").write_text(f"# 一\n\n文{unit * (size // len(unit))}x\n", "utf-8")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ebook", "check", "--no-cache", str(folder)],
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    sizes = parser.parse_args().sizes
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "book.yaml").write_text(BOOK, "utf-8")
        baseline = check_seconds(folder, "文", sizes[0])
        print(f"{'pattern':8}" + "".join(f"{n:>10}" for n in sizes) + "   growth (length x)")
        print(f"{'plain':8}" + f"{baseline:10.2f}")
        for unit in UNITS:
            times = [check_seconds(folder, unit, n) for n in sizes]
            growth = times[-1] / max(times[0], 1e-9)
            print(
                f"{unit!r:8}"
                + "".join(f"{t:10.2f}" for t in times)
                + f"   {growth:5.1f} ({sizes[-1] / sizes[0]:.0f})"
            )


if __name__ == "__main__":
    main()
