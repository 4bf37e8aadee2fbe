#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 cluster (installed, stopped) and makes sure the role and
# database the tests use exist: postgres://app:app@127.0.0.1:5432/app (CREATEDB, so each test
# can make its own database). Safe to run again.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null; then
  echo "PostgreSQL is not installed: apt-get install postgresql-15" >&2
  exit 1
fi
if ! pg_lsclusters -h | awk '$1 == "15" && $2 == "main" { found = 1 } END { exit !found }'; then
  pg_createcluster 15 main
fi
pg_ctlcluster 15 main start 2>/dev/null || pg_ctlcluster 15 main status >/dev/null
# A cluster that was not shut down cleanly first syncs its data directory and replays its log,
# which takes minutes on a busy disk: wait up to 5 minutes for it.
for _ in $(seq 1 300); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAc "$1"; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = 'app'")" != "1" ]; then
  psql_admin "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB"
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = 'app'")" != "1" ]; then
  runuser -u postgres -- createdb -O app app
fi
echo "PostgreSQL ready at postgres://app:app@127.0.0.1:5432/app"
