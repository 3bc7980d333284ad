"""The word lists and vocabularies shipped in ``healthlint/data``, found and read once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FOLDER = Path(__file__).resolve().parent / "data"


def data_path(name: str) -> Path:
    """A file of ``healthlint/data``, installed or in a source tree.

    Found beside this module, as ``importlib.resources.files`` finds it for a package on disk
    (the only kind these paths were ever opened from), without importing importlib.resources
    and what it imports (tempfile, shutil, zipfile: ~5 ms of start-up).
    """
    return DATA_FOLDER / name


@lru_cache(maxsize=16)
def load_yaml(name: str) -> Any:
    """A YAML data file of ``healthlint/data``, parsed once (with the C loader when available).

    These files ship with healthlint, so they skip :func:`healthlint.yamlsafe.check_limits`
    (a few milliseconds at start-up); YAML that users write always goes through it. A warm
    CLI run takes the data from :mod:`healthlint.yaml_cache` instead of parsing it. yaml is
    imported here, not at the top, so that scripts/build_vocabulary.py can use :func:`data_path`
    in a build environment without it.
    """
    from healthlint import yaml_cache

    path = data_path(name)
    text = path.read_text(encoding="utf-8")
    data = yaml_cache.lookup("data", path, text)
    if data is None:
        import yaml

        from healthlint.yamlsafe import FAST_LOADER

        data = yaml.load(text, Loader=FAST_LOADER)
        yaml_cache.remember("data", path, text, yaml_cache.dump(data))
    return data
