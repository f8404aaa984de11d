#!/usr/bin/env bash
# Command 1 of the README: set up, then extract the bundled example readouts (the main job).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/communique extract examples/ "$@"
