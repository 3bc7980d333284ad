"""The errors that stop a run with one line (exit status 2): an unusable config or rule pack, a dead worker.

In a module of their own, with nothing to import, so that the CLI can name them before it
places the start-up caches (see :func:`healthlint.cli._setup`); :mod:`healthlint.config` and
:mod:`healthlint.rules` and :mod:`healthlint.parallel` export them too.
"""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and key."""


class PackError(Exception):
    """A rule pack that cannot be used. The message names the file, line and rule."""


class RuleTimeout(PackError):
    """A team rule's pattern ran out of time on a document. The message names the rule and the file."""


class WorkerError(Exception):
    """A worker process died; the message names the file and what to do."""
