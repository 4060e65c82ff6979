"""Stage 1: read a manuscript folder (book.yaml, the chapters' front matter and text) into the
model, with every problem as a located finding."""
