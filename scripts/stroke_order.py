"""Write ebook/core/data/strokes.txt, the order the 索引 uses with `index_order: strokes`.

Source: the Unicode Character Database's Unihan files (Unicode 15.0, as Debian's
`unicode-data` package ships them: /usr/share/unicode/Unihan_*.txt.bz2), under the Unicode
License (https://www.unicode.org/license.txt). Two fields are used:

- kTotalStrokes: the character's total number of strokes;
- kTGH: its number in 通用规范汉字表 (2013), whose three levels each list the characters by
  stroke count and then by the order of their strokes (横竖撇点折).

Within a stroke count the characters of the 表 come first, in the 表's order, then the rest
of CJK Unified Ideographs (the basic block and extension A) by code point. One line per
stroke count: the count, a tab, the characters.

    python scripts/stroke_order.py /usr/share/unicode > ebook/core/data/strokes.txt
"""

import bz2
import sys
from collections import defaultdict
from pathlib import Path


def fields(folder: Path, name: str, key: str) -> dict[str, str]:
    found = {}
    with bz2.open(folder / name, "rt", encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == key:
                found[chr(int(parts[0][2:], 16))] = parts[2]
    return found


def main(folder: Path) -> None:
    strokes = fields(folder, "Unihan_IRGSources.txt.bz2", "kTotalStrokes")
    table = fields(folder, "Unihan_OtherMappings.txt.bz2", "kTGH")
    basic = lambda c: 0x4E00 <= ord(c) <= 0x9FFF or 0x3400 <= ord(c) <= 0x4DBF  # noqa: E731
    by_count: dict[int, list[str]] = defaultdict(list)
    for char, count in strokes.items():
        if char in table or basic(char):
            # kTotalStrokes may give two counts (China's first); the first is used.
            by_count[int(count.split()[0])].append(char)
    for count in sorted(by_count):
        chars = sorted(
            by_count[count],
            key=lambda c: (0, int(table[c].split(":")[1])) if c in table else (1, ord(c)),
        )
        print(f"{count}\t{''.join(chars)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
