"""Why the package document is written with lxml (ebook/package/opf.py): ebooklib's public
writer, `epub.write_epub`, writes the whole EPUB, compressing every file again on every build
and stamping each zip entry with the clock; the package path of the build writes the package
document and reuses the compressed chapters. This times both on one book, as an edit finds
it (every chapter in the cache). Usage: python benchmarks/ebooklib_writer.py MANUSCRIPT
(ebooklib comes with the `bench` extra; e.g. the 300-chapter book benchmarks/run.py writes).
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from ebooklib import epub

from ebook.build import assemble, check_manuscript
from ebook.package.plan import plan_publication

root = Path(sys.argv[1])
checked = check_manuscript(root)
book, rendered = checked.book, list(checked.rendered)
cache = root / ".ebook-cache"
assemble(book, rendered, cache)  # fills the deflate cache, as an edit finds it
started = time.perf_counter()
assemble(book, rendered, cache)
ours = time.perf_counter() - started
pub = plan_publication(book, rendered)
eb = epub.EpubBook()
eb.set_identifier(book.uid)
eb.set_title(book.title)
eb.set_language(book.language)
spine = []
for d in pub.documents:
    item = epub.EpubItem(
        uid=d.id or d.href, file_name=d.href, media_type=d.media_type, content=d.content
    )
    eb.add_item(item)
    if d.in_spine:
        spine.append(item)
eb.spine = spine
started = time.perf_counter()
epub.write_epub(io.BytesIO(), eb, {"epub2_guide": False})
public = time.perf_counter() - started
print(f"{len(rendered)} chapters: the build's package path {ours:.3f} s;", end=" ")
print(f"ebooklib's write_epub {public:.3f} s ({public / ours:.1f}x)")
