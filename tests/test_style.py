"""The code stays ruff-clean (lint and format), as the style guide asks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff(command):
    # ruff comes with the test extra, in the same environment as pytest.
    run = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "ebook", "tests"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
