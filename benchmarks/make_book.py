"""Write a large synthetic book made of the seed book's own paragraphs and notes.

    python benchmarks/make_book.py OUT_DIR [--chapters 300]

OUT_DIR/manuscript is in ebook's format; OUT_DIR/pandoc holds the same text as pandoc
Markdown (one file per chapter, chapter-unique note labels, metadata.yaml). Deterministic:
the same arguments always write the same files.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "manuscript"
NUMERALS = "一二三四五六七八九十"
CHAPTER_BYTES = 45_000
NOTES_PER_CHAPTER = 20


def seed_material() -> tuple[list[str], list[str]]:
    """Paragraphs (note references removed) and note texts of the seed's chapter 1."""
    text = (SEED / "ch01.md").read_text("utf-8")
    notes = [m.group(1) for m in re.finditer(r"^\[\^[^\]]+\]: (.+)$", text, re.M)]
    # Without note references and print page marks: the synthetic book has neither.
    paragraphs = [
        re.sub(r"\[\^[^\]]+\]|\{page=[^}]*\}", "", block)
        for block in text.split("\n\n")
        if block and not block.startswith(("#", ">", "---", "[^", "id:", "{page="))
    ]
    return paragraphs, notes


def chapter_text(n: int, paragraphs: list[str], notes: list[str], label) -> str:
    """One chapter: 3-4 sections, each with 2 sub-headings, ~45 KB, 20 notes."""
    sections = 3 + n % 2
    lines = [f"# 第{n}章 样章{n}", ""]
    size, p, note = 0, n, 0
    per_sub = CHAPTER_BYTES // (sections * 2)
    definitions = []
    for s in range(sections):
        lines += [f"## 第{NUMERALS[s]}节 样节{n}-{s + 1}", ""]
        for sub in range(2):
            lines += [f"### {NUMERALS[sub]}、样目{n}-{s + 1}-{sub + 1}", ""]
            written = 0
            while written < per_sub:
                paragraph = paragraphs[p % len(paragraphs)]
                p += 1
                if note < NOTES_PER_CHAPTER and p % 2 == 0:
                    note += 1
                    paragraph = paragraph.rstrip("。") + f"{label(n, note)}。"
                    definitions.append((label(n, note), notes[(n + note) % len(notes)]))
                lines += [paragraph, ""]
                written += len(paragraph.encode("utf-8"))
            size += written
    lines += [f"{ref}: {text}" for ref, text in definitions] + [""]
    return "\n".join(lines)


def write_book(out: Path, chapters: int) -> None:
    paragraphs, notes = seed_material()
    manuscript, pandoc = out / "manuscript", out / "pandoc"
    for folder in (manuscript, pandoc):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    book = yaml.safe_load((SEED / "book.yaml").read_text("utf-8"))
    book["chapters"] = [f"ch{n:03}.md" for n in range(1, chapters + 1)]
    (manuscript / "book.yaml").write_text(yaml.safe_dump(book, allow_unicode=True), "utf-8")
    for n in range(1, chapters + 1):
        ours = chapter_text(n, paragraphs, notes, lambda c, k: f"[^n{k}]")
        (manuscript / f"ch{n:03}.md").write_text(f"---\nid: ch{n:03}\n---\n\n{ours}", "utf-8")
        theirs = chapter_text(n, paragraphs, notes, lambda c, k: f"[^c{c}n{k}]")
        (pandoc / f"ch{n:03}.md").write_text(theirs, "utf-8")
    metadata = {
        "title": book["title"],
        "author": [c["name"] for c in book["contributors"] if c["role"] == "著"],
        "lang": book["language"],
        "publisher": book["publisher"]["name"],
        "date": book["date"],
        "identifier": [{"scheme": "ISBN", "text": book["isbn"]}],
    }
    (pandoc / "metadata.yaml").write_text(yaml.safe_dump(metadata, allow_unicode=True), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--chapters", type=int, default=300)
    args = parser.parse_args()
    write_book(args.out, args.chapters)
    print(args.out / "manuscript")


if __name__ == "__main__":
    main()
