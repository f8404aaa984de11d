#!/usr/bin/env bash
# Command 2 of the README (and what CI runs): set up, lint, type-check, and run the whole test
# suite, including the corpus gate against tests/gold/ (needs ../shared/corpus or COMMUNIQUE_CORPUS).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
