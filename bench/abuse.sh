#!/usr/bin/env bash
# The abuse test (issue 11): 64 clients that ask for the export, the largest page or the
# whole-collection CSV and never read; 20,000 invented methods; 200 trickling request bodies.
# Measured from outside by bench/abuse.py against the release build on 6,000 generated
# programmes, on SQLite and, with --postgres, on PostgreSQL. Rate limits are off, so the
# service's own bounds are what is measured (with them on, these clients would get 429s).
# Targets only 127.0.0.1; every phase stops by itself. Results: bench/RESULTS.md.
#
#   bench/abuse.sh
#   bench/abuse.sh --postgres postgres://app:app@127.0.0.1:5432/app
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/target/bench"
BIN="$ROOT/target/release/iom-lrg-api"
PORT="${BENCH_PORT:-18081}"
PROGRAMMES=6000
BODY_TIMEOUT=5
WRITE_TIMEOUT=10
POSTGRES=""
while [ $# -gt 0 ]; do
    case "$1" in
        --postgres) POSTGRES="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT"
echo "== building (release)"
(cd "$ROOT" && cargo build --release --locked --quiet)

if [ -z "$POSTGRES" ]; then
    backend=sqlite
    url="$OUT/abuse-$PROGRAMMES.db"
    if [ ! -f "$url.done" ]; then
        rm -f "$url" "$url-wal" "$url-shm"
        "$BIN" --database-url "$url" --log-level warn generate --programmes "$PROGRAMMES" --seed 1
        touch "$url.done"
    fi
else
    backend=postgres
    name="iom_abuse_$PROGRAMMES"
    url="${POSTGRES%/*}/$name"
    psql "$POSTGRES" -qc "DROP DATABASE IF EXISTS $name" >/dev/null
    psql "$POSTGRES" -qc "CREATE DATABASE $name" >/dev/null
    "$BIN" --database-url "$url" --log-level warn generate --programmes "$PROGRAMMES" --seed 1
fi

key=$("$BIN" keys create --name "abuse-$(date +%s)" --scope write --database-url "$url" | tail -n 1)
"$BIN" --database-url "$url" --bind "127.0.0.1:$PORT" --no-rate-limit --no-seed \
    --body-timeout "$BODY_TIMEOUT" --write-timeout "$WRITE_TIMEOUT" --log-level warn >"$OUT/abuse-$backend.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
    sleep 0.1
done
record=$(curl -fsS "http://127.0.0.1:$PORT/v1/programmes?limit=1&sort=-id" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
echo "== abuse test on $backend, $PROGRAMMES generated programmes, body timeout ${BODY_TIMEOUT} s, write timeout ${WRITE_TIMEOUT} s"
python3 "$ROOT/bench/abuse.py" --port "$PORT" --pid "$pid" --record "$record" --key "$key" \
    --body-timeout "$BODY_TIMEOUT" --write-timeout "$WRITE_TIMEOUT"
