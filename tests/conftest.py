"""Shared fixtures: the repository's examples and the real corpus beside the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def corpus_root() -> Path:
    return Path(os.environ.get("COMMUNIQUE_CORPUS") or ROOT.parent / "shared" / "corpus")


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real readouts (../shared/corpus). Missing is an error on CI and a skip elsewhere."""
    root = corpus_root()
    if not (root / "seed").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the corpus is missing at {root}; CI needs ../shared/corpus")
        pytest.skip(f"no corpus at {root} (set COMMUNIQUE_CORPUS)")
    return root


@pytest.fixture(scope="session")
def examples() -> Path:
    return EXAMPLES
