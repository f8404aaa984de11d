"""``communique schema``: the JSON Schema of Readout JSON (docs/readout.schema.json holds it)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def schema(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write it to this file (default: stdout).")
    ] = None,
) -> None:
    """Print the JSON Schema (2020-12) of Readout JSON, version 1, generated from the model.
    Example: communique schema > readout.schema.json"""
    from communique.readout_schema import schema_json

    text = schema_json()
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
