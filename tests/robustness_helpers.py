"""The robustness suites the tests hold the extractor to: each language's generator, its
dimensions, how many seeded variants CI runs and the pinned floors (a floor may only go up; the
invented rate is a ceiling)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from communique.evaluate import robustness as rb
from communique.evaluate import robustness_zh as zh

SEED = 1


@dataclass(frozen=True)
class Suite:
    generate: Callable[[int, int], list[rb.Variant]]
    dimension_values: Callable[[], dict[str, tuple[str, ...]]]
    dimensions: tuple[str, ...]
    n: int  # variants CI scores
    score: Callable[[Iterable[rb.Variant]], rb.RobustnessReport]
    floors: dict[str, float]
    invented: float  # ceiling


SUITES = {
    # issue 8: main encounter right in >= 99% of 5,000 variants, invented < 1%
    "en": Suite(
        rb.generate, rb.dimension_values, rb.DIMENSIONS, 5000, rb.score, {"main": 0.99}, 0.01
    ),
    # issue 12's hidden targets for Chinese are .95 (.93 the date) and invented < 5%; these are
    # the floors reached on seed 1
    "zh": Suite(
        zh.generate,
        zh.dimension_values,
        zh.ZH_DIMENSIONS,
        2000,
        zh.score_zh,
        {
            "main": 0.98,
            "counterpart_country": 0.98,
            "kind": 0.99,
            "principal": 0.99,
            "counterpart_name": 0.98,
            "principal_name": 0.99,
            "date": 0.99,
        },
        0.005,
    ),
}


@functools.cache
def variants_of(lang: str) -> list[rb.Variant]:
    """The suite's CI variants (seed 1), generated once per test session."""
    suite = SUITES[lang]
    return suite.generate(suite.n, SEED)
