"""Manuscripts made from something else: `adopt` (a Markdown site), `import` (a printed
book's plain text) and `init` (a new skeleton)."""
