#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for the tests and prints its URL.
# Usage: eval "$(bash .ci/start-postgres.sh)"   (sets TEST_DATABASE_URL and PG_TEST_DATA)
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "echo 'PostgreSQL is not installed (apt-get install postgresql)' >&2; exit 1"; exit 0; }
port=${PG_TEST_PORT:-54329}
data=$(mktemp -d /tmp/switchboard-pg.XXXXXX)
cd /
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$data"
run "$bin/initdb -D $data -A trust -U postgres --no-sync" >/dev/null
run "$bin/pg_ctl -D $data -l $data/server.log -o \"-k $data -c listen_addresses=127.0.0.1 -p $port -c fsync=off\" -w start" >/dev/null
echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
echo "export PG_TEST_DATA=$data"
echo "export PG_TEST_BIN=$bin"
