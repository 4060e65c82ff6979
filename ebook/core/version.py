"""The tool's version (also in pyproject.toml; written into every EPUB as its generator)."""

__version__ = "0.1.0"
