#!/usr/bin/env bash
# Runs the test suite against one database: `sqlite` (embedded default) or `postgres`
# (a real PostgreSQL 15 server that this script starts on 127.0.0.1 and stops again).
# pytest's exit code 5 (no tests collected) counts as a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?usage: pytest.sh sqlite|postgres}
shift || true
export PYTHONHASHSEED=0
run_pytest() {
  set +e
  .venv/bin/python -m pytest "$@"
  rc=$?
  set -e
  if [ $rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi
  return $rc
}
case "$db" in
  sqlite)
    unset DATABASE_URL
    # Tests of PostgreSQL's own behaviour (SKIP LOCKED claims) run in the PostgreSQL pass.
    run_pytest -m "not postgres_only" "$@"
    ;;
  postgres)
    source scripts/pg.sh
    pg_start
    trap pg_stop EXIT
    export DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT}/postgres"
    # The pure rules engine has no database: its suite already ran once on SQLite.
    run_pytest --ignore=tests/rules "$@"
    ;;
  *) echo "unknown database: $db" >&2; exit 2 ;;
esac
