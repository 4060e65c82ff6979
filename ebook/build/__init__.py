"""The pipeline run in order (pipeline.py: load -> check + render -> package -> write), its
per-chapter work (chapters.py), and the answer from the stamp when nothing changed
(replay.py). The names below are loaded when first asked for: `ebook build` with nothing
changed imports only the replay."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pipeline import (
        assemble,
        build_epub,
        check_accessibility,
        check_epub,
        check_manuscript,
        default_output,
    )
    from .replay import build_or_replay, check_or_replay
    from .results import BuildResult, CheckResult

_HOMES = {
    "assemble": ".pipeline",
    "build_epub": ".pipeline",
    "check_accessibility": ".pipeline",
    "check_epub": ".pipeline",
    "check_manuscript": ".pipeline",
    "default_output": ".pipeline",
    "build_or_replay": ".replay",
    "check_or_replay": ".replay",
    "BuildResult": ".results",
    "CheckResult": ".results",
}
__all__ = [
    "BuildResult",
    "CheckResult",
    "assemble",
    "build_epub",
    "build_or_replay",
    "check_accessibility",
    "check_epub",
    "check_manuscript",
    "check_or_replay",
    "default_output",
]


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
