#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (the test tool never
# downloads a browser of its own). Prints the browser's path.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Chromium (Debian package)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi
command -v chromium
