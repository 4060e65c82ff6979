"""The note syntax, shared by the Markdown extension and the checks (which must not pay for
importing Python-Markdown when every chapter comes from the cache)."""

from __future__ import annotations

import re

REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")
DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?(.*)$")
