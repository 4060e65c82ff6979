"""The note syntax, shared by the Markdown extension and the checks (which must not pay for
importing Python-Markdown when every chapter comes from the cache)."""

from __future__ import annotations

import re

REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")
# At a line's start, or inside a list item or a quote (indentation and '>' markers before it).
DEFINITION = re.compile(r"^(?:[ \t]*>)*[ \t]*\[\^([^\]\s]+)\]:[ \t]?(.*)$")
