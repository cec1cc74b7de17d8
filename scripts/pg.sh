# Source this file: pg_start / pg_stop run a throw-away PostgreSQL 15 server for the tests.
# The test server runs without fsync; PG_EXTRA_OPTS="" (set and empty) gives a durable one.
# initdb refuses root, so the server runs as the `postgres` user (see shared/stack-notes.md).
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGROOT=${PGROOT:-/tmp/tnw-pg-$$}
PGDATA=$PGROOT/data
PGSOCK=$PGROOT/sock
PGPORT=${PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
export PGPORT
pg_start() {
  mkdir -p "$PGDATA" "$PGSOCK"
  chown postgres:postgres "$PGROOT" "$PGDATA" "$PGSOCK"
  chmod 700 "$PGDATA"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGSOCK ${PG_EXTRA_OPTS--c fsync=off -c synchronous_commit=off -c full_page_writes=off}" start >/dev/null
  echo "postgres: started on 127.0.0.1:$PGPORT ($PGDATA)"
}
pg_stop() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
