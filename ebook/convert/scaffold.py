"""`ebook init`: a new manuscript that already passes `ebook check --strict` and builds."""

from __future__ import annotations

import datetime
import json
import uuid
from importlib import resources
from pathlib import Path

from ..core.errors import OutputError
from ..core.keys import init_yaml

TEMPLATES = ("preface.md", "ch01.md", "ch02.md", "gitignore")


def create_manuscript(directory: Path, title: str, author: str, language: str) -> list[Path]:
    """Write a manuscript skeleton into `directory`, which must be new or empty."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise OutputError(
            "{directory} is not empty; nothing was written",
            directory,
            hint="give a new folder name",
            code="O002",
            directory=directory,
        )
    values = {
        # JSON strings are valid YAML scalars: any title can go in unquoted-safe.
        "title": json.dumps(title, ensure_ascii=False),
        "author": json.dumps(author, ensure_ascii=False),
        "language": json.dumps(language),
        "uid": f"urn:uuid:{uuid.uuid4()}",
        "date": datetime.date.today().isoformat()[:7],
    }
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "book.yaml").write_text(init_yaml(values), "utf-8")
    written = [directory / "book.yaml"]
    for name in TEMPLATES:
        text = resources.files("ebook").joinpath("templates/init", name).read_text("utf-8")
        target = directory / (".gitignore" if name == "gitignore" else name)
        target.write_text(text, "utf-8")
        written.append(target)
    return written
