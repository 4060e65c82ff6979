"""Python-Markdown extensions for book manuscripts."""
