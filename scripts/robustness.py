"""Run the robustness suite and show where the extractor fails (issue 8, item 4).

    python scripts/robustness.py [--language en|zh] [--n 5000] [--seed 1] [--show 20]
                                 [--examples 1] [--only DIM=VALUE] [--json FILE]

``--language zh`` runs the Chinese suite (communique.evaluate.robustness_zh: CCTV and Xinhua
style readouts) instead of the English one.

Prints the rates (main encounter right, each part of it, date, invented encounters), then the
dimension values with the highest failure rates, each with example failing texts, what the
extractor found and what was expected.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from communique.evaluate import robustness_zh
from communique.evaluate.robustness import Outcome, generate, score, summarize


def show_outcome(o: Outcome) -> None:
    v, e = o.variant, o.variant.expect
    print(f"    --- variant {v.id}: {', '.join(o.reasons())}")
    print(f"    published {v.published} by {v.source_country}; width {v.width}")
    print(
        f"    expected: {e.group} {e.principal.country}({e.principal.name or e.principal.office}) "
        f"with {e.counterpart.country}({e.counterpart.name or e.counterpart.office}) on {e.date}"
    )
    print(f"    found:    {o.got}")
    print("    dims:     " + " ".join(f"{k}={x}" for k, x in v.dims.items()))
    for line in v.text.replace("\r\n", "\n").rstrip("\n").split("\n"):
        print("    | " + line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--language", choices=("en", "zh"), default="en", help="which suite")
    ap.add_argument("--n", type=int, default=5000, help="variants to generate (default 5000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=20, help="worst dimension values to show")
    ap.add_argument("--examples", type=int, default=1, help="failing texts per value shown")
    ap.add_argument("--min-support", type=int, default=10, help="ignore rarer values")
    ap.add_argument("--only", metavar="DIM=VALUE", help="show failing texts of one value only")
    ap.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    args = ap.parse_args(argv)

    start = time.perf_counter()
    zh = args.language == "zh"
    variants = (robustness_zh.generate if zh else generate)(args.n, args.seed)
    generated = time.perf_counter() - start
    report = robustness_zh.score_zh(variants) if zh else score(variants)
    scored = time.perf_counter() - start - generated
    print(f"generated in {generated:.2f} s, extracted and scored in {scored:.2f} s")
    print(summarize(report, show=0))
    print()

    if args.only:
        dim, _, value = args.only.partition("=")
        failing = report.examples(dim, value)
        print(f"{dim}={value}: {len(failing)} failing")
        for o in failing[: max(args.examples, 5)]:
            show_outcome(o)
    else:
        print(f"worst {args.show} dimension values (failed/total):")
        for dim, value, failed, total in report.worst(args.show, args.min_support):
            print(f"  {dim}={value}: {failed}/{total} ({failed / total:.2f})")
            for o in report.examples(dim, value)[: args.examples]:
                show_outcome(o)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report.to_dict(), fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
