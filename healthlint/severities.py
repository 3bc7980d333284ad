"""The severities a finding can have, from the most to the least serious."""

from __future__ import annotations

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
