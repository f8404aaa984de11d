"""The CAMEO rules (rules/en/cameo*.yaml): load time, match cost per sentence, and what they code
on PLOVER's gold-standard sentences on their own.

    .venv/bin/python benchmarks/cameo_rules.py [--repeat 3]

Load time: the CAMEO word classes, the rule files' YAML, the compilation of every rule (once per
process). Match cost: per GSR sentence, the prefilter, tokenising and matching every candidate
rule (what event coding adds to a sentence that the extractor has already split into tokens).
Rules alone: a naive coder (every rule match that survives overlaps is an event; source: the
first actor the extractor found in the clause before the phrasing, target: the first after it;
no negation, modality or reported speech handled) scored with communique.evaluate.plover, as a
reference for what the data gives before the pipeline's own handling.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _gsr() -> Path:
    root = Path(os.environ.get("COMMUNIQUE_CORPUS", str(ROOT.parent / "shared/corpus")))
    return root / "plover-gsr/PLOVER_GSR_CAMEO.txt"


def load_times() -> dict[str, float]:
    """Seconds for each loading step, in a fresh process state (caches cleared)."""
    import yaml

    from communique.extractor import language, rules
    from communique.extractor.rules import RuleSet, compile_rule
    from communique.resources import data_dir_files, data_text, load_yaml

    for f in (language.get_language, rules._package_rules, load_yaml):
        f.cache_clear()
    rules._CACHE.clear()
    t0 = time.perf_counter()
    lang = language.get_language("en")  # every classes*.yaml, the CAMEO classes included
    t1 = time.perf_counter()
    files = [f for f in data_dir_files("rules/en") if f.rsplit("/", 1)[-1].startswith("cameo")]
    raw: list[dict[str, Any]] = []
    for f in files:
        raw += load_yaml(f)
    t2 = time.perf_counter()
    rules = [compile_rule(r, lang, f) for r in raw]
    RuleSet("cameo", rules, lang)
    t3 = time.perf_counter()
    loader = getattr(yaml, "CSafeLoader", None)
    t4 = time.perf_counter()
    if loader is not None:
        for f in files:
            yaml.load(data_text(f), Loader=loader)
    t5 = time.perf_counter()
    return {
        "the language (its words, classes.yaml and cameo-classes.yaml)": t1 - t0,
        "rule files, YAML (resources.load_yaml: libyaml's loader where PyYAML has it)": t2 - t1,
        "rule files, YAML with yaml.CSafeLoader directly (for comparison)": (t5 - t4)
        if loader
        else -1,
        "compiling the rules": t3 - t2,
        "total (as loaded today)": t3 - t0,
        "rules": float(len(rules)),
    }


def match_cost(sentences: list[str]) -> tuple[float, float]:
    """(ms per sentence, candidate rules per sentence) for matching every CAMEO rule."""
    from communique.extractor.cameo import cameo_language, cameo_rules
    from communique.extractor.rules import Encoded

    lang, rs = cameo_language(), cameo_rules()
    for s in sentences:  # warm the lemma and class caches
        list(Encoded(lang.tokenize(s)).matches(rs.candidates(s)))
    t = time.perf_counter()
    n = 0
    for s in sentences:
        cands = rs.candidates(s)
        n += len(cands)
        list(Encoded(lang.tokenize(s)).matches(cands))
    return (time.perf_counter() - t) / len(sentences) * 1000, n / len(sentences)


def rules_only_coder(record: Any) -> list[Any]:
    """Every surviving CAMEO match is an event; actors by position (no other handling)."""
    import communique
    from communique.evaluate.plover import CodedActor, CodedEvent
    from communique.extractor.cameo import cameo_language, cameo_rules
    from communique.extractor.rules import Encoded

    text = record.text
    readout = communique.extract(text, published=record.date or None, source="wire")
    mentions = sorted(
        (m.start, m.end, a) for a in readout.actors for m in a.mentions if a.kind != "initiative"
    )
    lang, rs = cameo_language(), cameo_rules()
    tokens = lang.tokenize(text)
    cands = rs.candidates(text)
    order = {r.id: k for k, r in enumerate(cands)}
    found = sorted(Encoded(tokens).matches(cands), key=lambda m: (order[m.rule.id], m.start))
    kept: list[Any] = []
    for m in found:
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    events = []
    for m in kept:
        if not m.rule.get("plover"):
            continue
        start = tokens[m.start].start
        end = tokens[m.end - 1].end

        def actor(a: Any) -> Any:
            return CodedActor(a.country, getattr(a, "sector", None), a.name)

        before = [a for s, e, a in mentions if e <= start]
        after = [a for s, e, a in mentions if s >= start and a not in before[:1]]
        roles = {"a": before[:1], "b": [a for s, e, a in mentions if s >= end][:1] or after[:1]}
        if m.side("b") == "left":  # reversed: the subject is the target
            roles = {"b": before[:1], "a": [a for s, e, a in mentions if s >= end][:1]}
        events.append(
            CodedEvent(
                m.rule.get("plover"),
                m.rule.get("plover_mode"),
                m.rule.get("cameo"),
                tuple(actor(a) for a in roles["a"]),
                tuple(actor(a) for a in roles["b"]),
                m.rule.id,
            )
        )
    return events


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="load and match runs (best kept)")
    ap.add_argument("--no-gsr-score", action="store_true", help="skip the rules-only GSR score")
    args = ap.parse_args()
    from communique.evaluate.plover import evaluate_plover, read_gsr

    path = _gsr()
    if not path.is_file():
        sys.exit(f"no GSR file at {path} (set COMMUNIQUE_CORPUS)")
    records = read_gsr(path)
    sentences = [r.text for r in records]
    loads = [load_times() for _ in range(args.repeat)]
    print(f"load, best of {args.repeat} (seconds):")
    for key in loads[0]:
        best = min(x[key] for x in loads)
        print(f"  {key}: {best:.0f}" if key == "rules" else f"  {key}: {best:.2f}")
    costs = [match_cost(sentences) for _ in range(args.repeat)]
    ms = min(c[0] for c in costs)
    print(
        f"match: {ms:.2f} ms per GSR sentence (best of {args.repeat}; median "
        f"{statistics.median(c[0] for c in costs):.2f}), {costs[0][1]:.0f} candidate rules "
        f"per sentence, {len(sentences)} sentences"
    )
    if not args.no_gsr_score:
        report = evaluate_plover(path, rules_only_coder, records=records)
        print("rules alone on the GSR (naive actors, no negation/modality handling):")
        for row in report.rows():

            def f(x: float | None) -> str:
                return "  -  " if x is None else f"{x:.2f}"

            print(
                f"  {row.name:<12} n={row.records:<4} recall {f(row.recall)} precision "
                f"{f(row.precision)} source {f(row.source_accuracy)} target "
                f"{f(row.target_accuracy)} events/sentence {f(row.per_sentence)}"
            )


if __name__ == "__main__":
    main()
