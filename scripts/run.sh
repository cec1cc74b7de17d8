#!/usr/bin/env bash
# `make run`: the main job on the embedded default (SQLite, no set-up).
# When the web application is present, it migrates, loads the demo data once and serves it;
# otherwise it evaluates the example dossier with the rules engine.
set -euo pipefail
cd "$(dirname "$0")/.."
TNW=.venv/bin/tnw
if [ -f src/tnw/settings/__init__.py ]; then
  mkdir -p var
  "$TNW" migrate --noinput
  "$TNW" demo
  echo
  echo "TNW-dossier runs at http://127.0.0.1:${PORT:-8000}/login/ (stop with Ctrl-C)"
  # The production server (gunicorn, WhiteNoise), with the user-facing error pages.
  export TNW_DEBUG=0
  exec "$TNW" serve --bind "127.0.0.1:${PORT:-8000}"
else
  "$TNW" rules timeline examples/routing_a_ziv.json --as-of 2025-10-01 --format table
fi
