"""`ebook preview`: the book served on localhost as web pages, rebuilt as the author edits."""
