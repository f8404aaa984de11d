#!/usr/bin/env bash
# Command 2 of the README (and what CI runs): set up, lint, type-check, start a real PostgreSQL
# server for the store tests, install Debian's Chromium for the browser tests, and run the whole
# test suite, including the corpus gate against tests/gold/ (needs ../shared/corpus or
# COMMUNIQUE_CORPUS). Screenshots of the dashboard land in artifacts/screenshots/.
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
if [ -z "${COMMUNIQUE_CHROMIUM:-}" ]; then
  if path=$(bash scripts/browser.sh); then
    export COMMUNIQUE_CHROMIUM="$path"
  elif [ -n "${CI:-}" ]; then
    echo "could not install Chromium for the browser tests" >&2
    exit 1
  else
    echo "warning: no Chromium (scripts/browser.sh needs root); browser tests will be skipped" >&2
  fi
fi
.venv/bin/python -m pytest "$@"
