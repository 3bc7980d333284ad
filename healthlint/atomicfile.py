"""Writing a file whole or not at all, for everything healthlint writes (baselines, caches)."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8, line ends as given).

    The data goes to a temporary file beside it, named for this process, which then replaces the
    target in one step: a reader, a parallel run or a crash never leaves half a file. A file
    being replaced keeps its permissions. Errors are raised as :class:`OSError`, with nothing left
    behind.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(raw)
        try:
            os.chmod(tmp, path.stat().st_mode & 0o777)
        except FileNotFoundError:
            pass  # a new file: the usual permissions (0o666 less the umask), as open() gave it
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
