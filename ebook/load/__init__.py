"""Stage 1: read a manuscript folder (book.yaml, the chapters' front matter and text) into the
model, with every problem as a located finding.

safe_yaml reads the YAML, schema says what book.yaml may hold, chapters finds and reads the
Markdown files, book puts them together into a Book."""

from .book import Located, load_book, locate_manuscript
from .chapters import load_chapter, natural_key, split_front_matter
from .safe_yaml import VALUE, load_yaml
from .schema import BOOK_SCHEMA, CONFIG_NAME, RESERVED_IDS, is_w3c_date

__all__ = [
    "BOOK_SCHEMA",
    "CONFIG_NAME",
    "RESERVED_IDS",
    "VALUE",
    "Located",
    "is_w3c_date",
    "load_book",
    "load_chapter",
    "load_yaml",
    "locate_manuscript",
    "natural_key",
    "split_front_matter",
]
