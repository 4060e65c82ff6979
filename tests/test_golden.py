"""The repository's book as it builds today, file by file, against a copy reviewed by eye
(tests/golden/seed/): any change of output, from our code or from a dependency's new version
(markdown-it-py, lxml, latex2mathml), fails here and shows which file changed and how.

After a change that is meant, write the copy again and review the diff before committing:
    EBOOK_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import zipfile

from conftest import REPO, SEED_MANUSCRIPT
from ebook.build import build_epub

GOLDEN = REPO / "tests" / "golden" / "seed"


def test_the_repository_book_builds_to_the_reviewed_files(tmp_path, monkeypatch):
    # A fixed date: the golden files do not change when the manuscript is committed.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "seed.epub"
    build_epub(SEED_MANUSCRIPT, out, cache=False)
    with zipfile.ZipFile(out) as epub:
        built = {name: epub.read(name) for name in epub.namelist()}
    if os.environ.get("EBOOK_UPDATE_GOLDEN"):
        for name, data in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    reviewed = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert sorted(built) == sorted(reviewed)
    for name, data in built.items():
        if data != reviewed[name]:
            diff = difflib.unified_diff(
                reviewed[name].decode("utf-8", "replace").splitlines(),
                data.decode("utf-8", "replace").splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
                n=1,
            )
            raise AssertionError("\n".join(list(diff)[:40]))
