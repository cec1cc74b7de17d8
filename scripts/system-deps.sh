#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when missing: a PostgreSQL 15 server,
# Chromium for the browser tests, fonts and Pango for PDF letters.
set -euo pipefail
need=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
# Letters (tnw.documents): WeasyPrint needs Pango; pdftoppm/pdftotext let a person or a test
# look at a generated PDF.
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || need+=(libpangoft2-1.0-0)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "system-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
id postgres >/dev/null 2>&1 || { echo "system-deps: the postgres user is missing" >&2; exit 1; }
# axe-core (WCAG checks injected by the portal's browser tests), from the npm registry.
if [ ! -f var/node/node_modules/axe-core/axe.min.js ]; then
  command -v npm >/dev/null 2>&1 || { apt-get install -y -qq npm >/dev/null; }
  npm install --prefix var/node --no-audit --no-fund --silent axe-core@4 >/dev/null
fi
