"""Shared pytest set-up: the Hypothesis settings profiles for the property-based tests.

Pick one with ``HYPOTHESIS_PROFILE`` (default ``ci``):

- ``ci``: a fixed seed (``derandomize``) and a modest number of examples, so every run, here and
  in CI, tries the same inputs and the whole fuzz suite takes well under a minute.
- ``long``: random inputs, many examples, and the example database in ``.hypothesis/`` so a
  failure found once is tried first next time. For hunting bugs:
  ``HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py``.
- ``HYPOTHESIS_EXAMPLES=N`` overrides the number of examples of either profile.

A failure prints the shrunk input and a ``@reproduce_failure`` blob that replays it.
"""

from __future__ import annotations

import os

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # the fuzz tests skip themselves without it; nothing else needs it
    settings = None

if settings is not None:
    _examples = os.environ.get("HYPOTHESIS_EXAMPLES")
    _common = dict(deadline=None, print_blob=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("ci", derandomize=True, database=None,
                              max_examples=int(_examples or 300), **_common)
    settings.register_profile("long", max_examples=int(_examples or 5000), **_common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
