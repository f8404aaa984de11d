"""Shared fixtures: the repository's examples and the real corpus beside the project."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


# -- every extraction in the suite is checked against the Readout JSON schema -----------------------
SCHEMA_CHECKS = {"validated": 0}


@pytest.fixture(scope="session", autouse=True)
def every_readout_matches_the_schema() -> Iterator[None]:
    """Wrap the extractor for the whole session: each Readout any test extracts (in this
    process: communique.extract, process(), the evaluator, the API in process) is validated
    against the schema of docs/readout.schema.json, strictly (no key the schema lacks). A
    mismatch fails the test that extracted it."""
    import sys

    import jsonschema

    import communique.evaluate
    import communique.extractor
    import communique.process
    from communique.readout_schema import readout_schema

    validator = jsonschema.Draft202012Validator(readout_schema(strict=True))
    original = communique.extractor.extract_document

    def extract_document(*args: Any, **kwargs: Any) -> Any:
        readout = original(*args, **kwargs)
        error = jsonschema.exceptions.best_match(validator.iter_errors(readout.to_dict()))
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            raise AssertionError(
                f"Readout JSON of document {readout.document.id} breaks the schema "
                f"(docs/readout.schema.json) at {where}: {error.message}"
            )
        SCHEMA_CHECKS["validated"] += 1
        return readout

    with pytest.MonkeyPatch.context() as mp:
        for name, module in list(sys.modules.items()):
            if (
                name.startswith("communique")
                and getattr(module, "extract_document", None) is original
            ):
                mp.setattr(module, "extract_document", extract_document)
        yield


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SCHEMA_CHECKS["validated"]:
        terminalreporter.write_line(
            f"Readout JSON schema: {SCHEMA_CHECKS['validated']} extractions validated"
        )
