"""Running the real command line in-process, as a user would, for the CLI, config, pack and reporter tests.

``run`` calls :func:`healthlint.cli.main` (the installed entry point, with its exit statuses and its
one-line error handling) inside click's isolation, so stdin, stdout and stderr are captured.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from healthlint.cli import main

# path:line:col: CODE severity message [rule]
TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>HL\d{3}) (?P<severity>error|warning|info) (?P<message>.+) \[(?P<rule>[a-z0-9-]+)\]$")


@dataclass
class Run:
    """What one run of the command printed, and its exit status."""

    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err

    @property
    def findings(self) -> list[tuple[str, int, int, str]]:
        """(path, line, column, code) of each text-format finding line."""
        return [(m["path"], int(m["line"]), int(m["col"]), m["code"]) for m in map(TEXT_LINE.match, self.out.splitlines()) if m]

    @property
    def json(self) -> dict:
        return json.loads(self.out)

    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run(*args: str, input: str | bytes | None = None) -> Run:
    """Run ``healthlint ARGS`` in the current folder and return what it printed."""
    runner = CliRunner()
    with runner.isolation(input=input) as streams:
        stdout, stderr = streams[0], streams[1]
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    result = Run(code, stdout.getvalue().decode("utf-8"), stderr.getvalue().decode("utf-8"))
    assert "Traceback" not in result.output, result.output
    return result


def write(path: Path, text: str | bytes) -> Path:
    """Write a file (creating its folders) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
