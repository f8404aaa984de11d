#!/usr/bin/env bash
# Command 1 of the README: set up, extract the bundled example readouts, store them in the
# embedded SQLite default (./communique.db) and list the encounters found.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/communique extract examples/ "$@"
.venv/bin/communique ingest examples/ tests/fixtures/pairs/ --db communique.db --quiet
.venv/bin/communique events --db communique.db --limit 20
