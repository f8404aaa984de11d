#!/usr/bin/env bash
# Command 1 of the README: set up, extract the bundled example readouts, store them in the
# embedded SQLite default (./communique.db), and serve the dashboard on http://127.0.0.1:8000/
# (Ctrl-C stops it; COMMUNIQUE_DEMO_NO_SERVE=1 stops after storing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/communique extract examples/ "$@"
.venv/bin/communique ingest examples/ tests/fixtures/pairs/ --db communique.db --quiet
.venv/bin/communique events --db communique.db --limit 20
if [ -z "${COMMUNIQUE_DEMO_NO_SERVE:-}" ]; then
  exec .venv/bin/communique serve --db communique.db --host 127.0.0.1 --port "${PORT:-8000}"
fi
