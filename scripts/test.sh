#!/usr/bin/env bash
# Command 2 of the README (and what CI runs): set up, lint, type-check, start a real PostgreSQL
# server for the store tests, and run the whole test suite, including the corpus gate against
# tests/gold/ (needs ../shared/corpus or COMMUNIQUE_CORPUS).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy
if [ -z "${COMMUNIQUE_TEST_PG:-}" ]; then
  if url=$(bash scripts/postgres.sh); then
    export COMMUNIQUE_TEST_PG="$url"
  elif [ -n "${CI:-}" ]; then
    echo "could not start PostgreSQL for the store tests" >&2
    exit 1
  else
    echo "warning: no PostgreSQL (scripts/postgres.sh needs root); its tests will be skipped" >&2
  fi
fi
.venv/bin/python -m pytest "$@"
