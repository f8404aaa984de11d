"""Evaluate: score the extractor against gold annotations (docs/gold-format.md)."""

from __future__ import annotations

from pathlib import Path

import yaml

from communique.errors import CommuniqueError
from communique.evaluate.gold import DocumentSource, corpus_root, load_fieldmaps, load_gold_dir
from communique.evaluate.scorer import FIELDS, RATES, Report, aggregate, score_document
from communique.extractor import extract_document

__all__ = ["FIELDS", "RATES", "Report", "check_floors", "evaluate", "load_floors"]


def evaluate(gold_dir: str | Path, *, corpus: str | Path | None = None) -> Report:
    """Extract every gold document and score the extractions."""
    golds = load_gold_dir(gold_dir)
    source = DocumentSource(corpus_root(corpus), load_fieldmaps(gold_dir))
    results = []
    failures: list[tuple[str, str]] = []
    for gold in golds:
        try:
            doc = source.document(gold)
        except (CommuniqueError, OSError) as exc:
            failures.append((str(gold.path), str(exc)))
            continue
        results.append(score_document(gold, extract_document(doc)))
    return aggregate(results, failures)


def load_floors(path: str | Path) -> dict[str, float]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {str(k): float(v) for k, v in data.items()}


def check_floors(report: Report, floors: dict[str, float]) -> list[str]:
    """Messages for every figure below its pinned floor (empty when all pass).

    Floor names: a field (its F1), ``<field>.precision`` / ``<field>.recall``, a rate name, or
    ``invented`` (a ceiling: the share of documents with an invented encounter).
    """
    out = []
    data = report.to_dict()
    for name, floor in floors.items():
        if name == "invented":
            value = data["invented"]["rate"]
            if value > floor:
                out.append(f"invented encounters {value:.3f} above the ceiling {floor:.3f}")
            continue
        base, _, metric = name.partition(".")
        if base in data["fields"]:
            value = data["fields"][base][metric or "f1"]
        elif base in data["rates"]:
            value = data["rates"][base]["rate"] or 0.0
        else:
            out.append(f"unknown floor {name!r}")
            continue
        if value + 1e-9 < floor:
            out.append(f"{name} {value:.3f} below its floor {floor:.3f}")
    if report.failures:
        out.extend(f"{g}: {e}" for g, e in report.failures)
    return out
