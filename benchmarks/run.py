"""Measure ebook against pandoc on a large synthetic book, side by side, in one run.

    pip install -e '.[bench]'      # pypandoc-binary: a pandoc to compare with
    python benchmarks/run.py [--chapters 300] [--runs 5] [--busy] [--json results.json]

Times are the median of --runs runs; the tools alternate within each round so both see the
same machine. Wall time, CPU time (user + system of the whole process tree) and peak memory
(the largest total proportional set size of the process tree, sampled every 20 ms in a run of
its own, so that sampling does not slow the timed runs).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from make_book import write_book  # noqa: E402

# The targets (issue 16), by the size of the book: a cold build against pandoc's time; an
# edit, a rebuild or a check with nothing changed in seconds, whatever the size.
NOOP_TARGET = 0.25  # seconds: nothing changed (build or check), start-up included
MEMORY_TARGET = 0.25  # peak memory of a cold build against pandoc's
BUSY_COLD_TARGET = 0.3  # cold build against pandoc with one core busy elsewhere
SEED_TARGET = 0.3  # seconds, the repository's book
HELP_TARGET = 0.15  # seconds, `ebook --help`


def targets(chapters: int, busy: bool) -> dict[str, tuple[float, str]]:
    """measure -> (target, "ratio" against pandoc's wall time, or "s" absolute)."""
    cold = BUSY_COLD_TARGET if busy else (0.15 if chapters >= 3000 else 0.2)
    return {
        "ebook build, cold (no cache)": (cold, "ratio"),
        "ebook build, one chapter edited": (0.6 if chapters <= 300 else 1.0, "s"),
        "ebook build, nothing changed": (NOOP_TARGET, "s"),
        "ebook check, nothing changed": (NOOP_TARGET, "s"),
        "ebook build, nothing changed, a warning in every chapter": (NOOP_TARGET, "s"),
        "ebook build, seed book": (SEED_TARGET, "s"),
        "ebook --help": (HELP_TARGET, "s"),
    }


def tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes.

    Proportional set size (Pss): pages that forked workers share with their parent count
    once, split between them, instead of once per process as resident sizes would.
    """
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measure(
    command: list[str], cwd: Path, sample_memory: bool = False, exit_codes: tuple = (0,)
) -> dict:
    """Wall and CPU time of a command; with `sample_memory`, also its peak memory.

    Memory is measured in runs of its own: reading a process's memory map takes a lock the
    process needs for its own page faults, which would slow the timed runs (pandoc's most).
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        sampler.start()
    _, errors = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    if sample_memory:
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode not in exit_codes:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "peak": peak}


def pandoc_path() -> str:
    try:
        import pypandoc
    except ImportError:
        raise SystemExit(
            "pandoc to compare with: pip install -e '.[bench]' (pypandoc-binary)"
        ) from None
    return pypandoc.get_pandoc_path()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--dir", type=Path, help="where to write the book (default: temporary)")
    parser.add_argument(
        "--busy",
        action="store_true",
        help="keep one core busy with another process while measuring",
    )
    args = parser.parse_args()
    busy = _busy_core() if args.busy else None
    try:
        _run(args)
    finally:
        if busy is not None:
            busy.kill()


def _busy_core() -> subprocess.Popen:
    """Another program using a whole core, as a second job on an author's machine would."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def _run(args: argparse.Namespace) -> None:

    # Byte-compile the package as `pip install` does: with PYTHONDONTWRITEBYTECODE set (as on
    # this project's machines) an editable install would otherwise compile it on every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "ebook")], check=True)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="ebook-bench-"))
    write_book(folder, args.chapters)
    manuscript, pandoc_dir = folder / "manuscript", folder / "pandoc"
    ebook = [sys.executable, "-m", "ebook"]
    pandoc = [
        pandoc_path(),
        "--metadata-file=metadata.yaml",
        "-o",
        str(folder / "pandoc.epub"),
        *sorted(p.name for p in pandoc_dir.glob("ch*.md")),
    ]
    edited = manuscript / f"ch{args.chapters // 2:03}.md"
    original = edited.read_text("utf-8")
    # The same book with one warning in every chapter (T001, a half-width comma between
    # Chinese characters): its no-op must cost what a clean book's does.
    warned = folder / "warned"
    shutil.rmtree(warned, ignore_errors=True)
    shutil.copytree(manuscript, warned)
    for chapter in warned.glob("ch*.md"):
        chapter.write_text(chapter.read_text("utf-8") + "\n汉字,汉字。\n", "utf-8")
    seed = folder / "seed"
    shutil.rmtree(seed, ignore_errors=True)
    shutil.copytree(REPO / "manuscript", seed, ignore=shutil.ignore_patterns(".ebook-cache"))

    samples: dict[str, list[dict]] = {}

    memory: dict[str, int] = {}

    def run(name: str, command: list[str], cwd: Path, prepare=lambda: None) -> None:
        """Time `command` (after `prepare`); the first time, measure its memory as well."""
        prepare()
        samples.setdefault(name, []).append(measure(command, cwd))
        if name not in memory:
            prepare()
            memory[name] = measure(command, cwd, sample_memory=True)["peak"]

    out = str(folder / "ebook.epub")
    for round_ in range(args.runs):
        run("pandoc", pandoc, pandoc_dir)
        run(
            "ebook build, cold (no cache)",
            [*ebook, "build", "manuscript", "-o", out, "--no-cache"],
            folder,
        )
        shutil.rmtree(manuscript / ".ebook-cache", ignore_errors=True)
        run("ebook check, cold (no cache)", [*ebook, "check", "manuscript", "--no-cache"], folder)
        subprocess.run(
            [*ebook, "build", "manuscript", "-o", out], cwd=folder, check=True, capture_output=True
        )  # fills the cache
        edits = iter(range(1, 100))

        def edit(round_: int = round_, edits=edits) -> None:
            # A real change every time: one more ideographic space after the first sentence.
            spaces = "　" * (round_ * 2 + next(edits))
            edited.write_text(original.replace("。", "。" + spaces, 1), "utf-8")

        run(
            "ebook build, one chapter edited",
            [*ebook, "build", "manuscript", "-o", out],
            folder,
            prepare=edit,
        )
        # "first": the stamp of the previous build removed, so that the book is loaded (as
        # after a build with findings); the second no-op is answered from the stamp.
        build_again = [*ebook, "build", "manuscript", "-o", out]
        check_again = [*ebook, "check", "manuscript"]

        def unstamped(kind: str) -> Callable[[], None]:
            return lambda: (manuscript / ".ebook-cache" / f"last-{kind}.json").unlink(
                missing_ok=True
            )

        first = "ebook build, nothing changed (no stamp)"
        run(first, build_again, folder, prepare=unstamped("build"))
        run("ebook build, nothing changed", build_again, folder)
        first = "ebook check, nothing changed (no stamp)"
        run(first, check_again, folder, prepare=unstamped("check"))
        run("ebook check, nothing changed", check_again, folder)
        warned_build = [*ebook, "build", "warned", "-o", str(folder / "warned.epub")]
        subprocess.run(warned_build, cwd=folder, check=True, capture_output=True)
        run("ebook build, nothing changed, a warning in every chapter", warned_build, folder)
        run(
            "ebook build, seed book",
            [*ebook, "build", "seed", "-o", str(folder / "seed.epub")],
            folder,
        )
        run("ebook --help", [sys.executable, "-m", "ebook", "--help"], folder)
    edited.write_text(original, "utf-8")

    medians = {
        name: {
            "wall": statistics.median(s["wall"] for s in runs),
            "cpu": statistics.median(s["cpu"] for s in runs),
            "peak": memory[name],
        }
        for name, runs in samples.items()
    }
    base = medians["pandoc"]
    goals = targets(args.chapters, args.busy)
    rows = []
    for name, m in medians.items():
        ratio = m["wall"] / base["wall"]
        target, met = "", ""
        if name in goals:
            goal, kind = goals[name]
            if kind == "ratio":
                target, met = f"<= {goal} x pandoc", ratio <= goal
            else:
                target, met = f"<= {goal} s", m["wall"] <= goal
        rows.append(
            {
                "measure": name,
                "wall_s": round(m["wall"], 3),
                "cpu_s": round(m["cpu"], 3),
                "peak_mib": round(m["peak"] / 2**20, 1),
                "wall_ratio": round(ratio, 3),
                "peak_ratio": round(m["peak"] / base["peak"], 3),
                "target": target,
                "met": met,
            }
        )
    cold = next(r for r in rows if r["measure"] == "ebook build, cold (no cache)")
    memory_met = cold["peak_ratio"] <= MEMORY_TARGET

    size = sum(p.stat().st_size for p in manuscript.glob("*.md")) / 2**20
    print(
        f"{args.chapters} chapters, {size:.1f} MiB of Markdown; {os.cpu_count()} cores"
        f"{', one kept busy by another process' if args.busy else ''};"
        f" medians of {args.runs} runs\n"
    )
    print(
        "| measure | wall (s) | CPU (s) | peak (MiB) | wall / pandoc | peak / pandoc | target"
        " | met |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for r in rows:
        met = "" if r["met"] == "" else ("yes" if r["met"] else "NO")
        print(
            f"| {r['measure']} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | {r['peak_mib']:.0f} |"
            f" {r['wall_ratio']:.3f} | {r['peak_ratio']:.2f} | {r['target']} | {met} |"
        )
    print(
        f"\npeak memory of a cold build: {cold['peak_ratio']:.2f} x pandoc's"
        f" (target <= {MEMORY_TARGET}): {'yes' if memory_met else 'NO'}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "rows": rows,
                    "memory_met": memory_met,
                    "chapters": args.chapters,
                    "runs": args.runs,
                    "busy": args.busy,
                },
                indent=2,
            ),
            "utf-8",
        )


if __name__ == "__main__":
    main()
