"""Access to the package's data files (lexicons, patterns), loaded once and cached."""

from __future__ import annotations

import csv
import functools
from importlib import resources
from typing import Any

import yaml


def data_text(name: str) -> str:
    return resources.files("communique.data").joinpath(name).read_text(encoding="utf-8")


def data_exists(name: str) -> bool:
    return resources.files("communique.data").joinpath(name).is_file()


@functools.cache
def data_dir_files(folder: str) -> tuple[str, ...]:
    """Names (relative to ``data/``) of the files in ``data/<folder>``, sorted; none if absent."""
    root = resources.files("communique.data").joinpath(folder)
    if not root.is_dir():
        return ()
    return tuple(sorted(f"{folder}/{p.name}" for p in root.iterdir() if p.is_file()))


# libyaml's safe loader when PyYAML was built with it (six times faster on the CAMEO rule files),
# else the pure-Python one: the same documents either way
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def load_yaml(name: str) -> Any:
    """Parse ``data/<name>`` (cached: data files are read-only at run time)."""
    return yaml.load(data_text(name), Loader=_LOADER)


@functools.cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    rows = csv.DictReader(data_text(name).splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple(rows)
