"""Writing a file whole or not at all, for everything healthlint writes (reports, baselines, caches)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8, line ends as given); see :func:`atomic_writer`."""
    with atomic_writer(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file whose content replaces ``path`` when the ``with`` block ends without an error.

    The data goes to a temporary file beside it, named for this process, which then replaces the
    target in one step: a reader, a parallel run or a crash never leaves half a file. A file
    being replaced keeps its permissions. Errors are raised as :class:`OSError`; after any error,
    nothing is left behind and the target is as it was.
    """
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            yield fh
        try:
            os.chmod(tmp, path.stat().st_mode & 0o777)
        except FileNotFoundError:
            pass  # a new file: the usual permissions (0o666 less the umask), as open() gave it
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
