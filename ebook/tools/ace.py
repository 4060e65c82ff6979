"""Run DAISY Ace (npm `@daisy/ace-cli`), the accessibility checker stores and libraries use,
and read its report as findings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..core.errors import Diagnostic, ToolUnavailable

# Ace's impacts; what a store's check would reject is an error, the rest a warning.
_SEVERITIES = {"critical": "error", "serious": "error", "moderate": "warning", "minor": "warning"}


class AceUnavailable(ToolUnavailable):
    """Ace, or the Chromium it drives, is not installed."""


def ace_command() -> str | None:
    """$EBOOK_ACE when set, else `ace-cli` (npm @daisy/ace-cli) or `ace` (@daisy/ace) on the
    PATH."""
    return os.environ.get("EBOOK_ACE") or shutil.which("ace-cli") or shutil.which("ace")


# Seconds waited before each further try of an Ace that gave no report.
RETRY_PAUSES = (2, 10)


def run_ace(epub: Path) -> list[Diagnostic]:
    """Every violation Ace reports, located by the file inside the EPUB and its selector."""
    command = ace_command()
    if command is None:
        raise AceUnavailable(
            "DAISY Ace is not installed",
            hint="npm install -g --ignore-scripts @daisy/ace-cli@1.4.6 (it needs Chromium)",
            code="ACE",
        )
    env = dict(os.environ)
    # Ace drives Chromium through Puppeteer; use the system's, never a downloaded one.
    if "PUPPETEER_EXECUTABLE_PATH" not in env:
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser is None:
            raise AceUnavailable(
                "DAISY Ace needs Chromium, which is not installed",
                hint="apt-get install chromium (or set PUPPETEER_EXECUTABLE_PATH)",
                code="ACE",
            )
        env["PUPPETEER_EXECUTABLE_PATH"] = browser
    report, said = _ace_report(command, epub, env)
    for pause in RETRY_PAUSES:
        if report is not None:
            break
        # Again, after a pause: Ace's browser now and then fails to start (seen in CI, twice in
        # a row: no report, Ace closing its logs right after checking the package), which says
        # nothing about the book.
        time.sleep(pause)
        report, said = _ace_report(command, epub, env)
    if report is None:
        raise AceUnavailable("Ace did not run: {value}", code="ACE", value=said[-300:])
    return violations(report)


def _ace_report(command: str, epub: Path, env: dict[str, str]) -> tuple[dict | None, str]:
    """Ace's report.json, or None and what Ace printed."""
    with tempfile.TemporaryDirectory(prefix="ebook-ace-") as folder:
        run = subprocess.run(
            [command, "--force", "--outdir", folder, str(epub)],
            capture_output=True,
            env=env,
            check=False,
            timeout=600,
        )
        try:
            return json.loads((Path(folder) / "report.json").read_text("utf-8")), ""
        except (OSError, ValueError):
            return None, (run.stderr + run.stdout).decode(errors="replace").strip()


def violations(report: dict) -> list[Diagnostic]:
    """The failed assertions of an Ace report (report.json) as findings."""
    findings = []
    for document in report.get("assertions", []):
        url = document.get("earl:testSubject", {}).get("url", "")
        for assertion in document.get("assertions", []):
            result, test = assertion.get("earl:result", {}), assertion.get("earl:test", {})
            if result.get("earl:outcome") != "fail":
                continue
            selectors = result.get("earl:pointer", {}).get("css", [])
            where = f" (at {selectors[0]})" if selectors else ""
            message = (result.get("dct:description") or test.get("dct:description", "")).split(
                "\n"
            )[0]
            findings.append(
                Diagnostic(
                    test.get("dct:title", "ace"),
                    _SEVERITIES.get(test.get("earl:impact", ""), "warning"),  # type: ignore[arg-type]
                    message + where,
                    Path(url.lstrip("/")) if url else None,
                    hint=test.get("help", {}).get("url"),
                )
            )
    return findings
