#!/usr/bin/env bash
# Proves the API from the outside with tools nobody here wrote:
#   1. the OpenAPI document passes openapi-spec-validator and Redocly's recommended lint;
#   2. clients generated from the document, in TypeScript (openapi-typescript + openapi-fetch,
#      type-checked with tsc) and Python (openapi-python-client --fail-on-warning), drive the
#      service: list, page, read in French, create, patch with If-Match, hit a 412 and a 422,
#      delete, read the change feed;
#   3. Swagger UI in a real browser (Debian's Chromium driven by playwright-core) shows every tag
#      and operation and runs "Try it out" on GET /v1/programmes, then, authorised with a key,
#      a create, a PATCH with If-Match and a delete (screenshot in target/);
#   4. the geojson package validates the GeoJSON responses and the icalendar package parses the
#      calendars (UIDs stable across requests and versions), scripts/format_checks.py;
#      the IATI file (xmllint against the official 2.03 schema in tests/iati/, every code against
#      the shipped codelists), scripts/iati_check.py, on the contract database and on 10,000
#      generated programmes;
#   5. HTTPolice checks a HAR of 38 varied exchanges (every status the API answers, HEAD,
#      preflight, CSV, NDJSON, 304s) recorded by scripts/http_exchanges.py: no error notice;
#   6. webhook deliveries verify with the Standard Webhooks reference library (standardwebhooks),
#      through a secret rotation, every entry in order, scripts/webhook_check.py, on a database
#      of their own (the only instance there allows private addresses, for the receiver on
#      127.0.0.1 that the check starts);
#   7. schemathesis (--checks all, stateful phase, 50 examples per operation) finds no failure
#      against the release-built service, with an admin key so writes are exercised too,
#      on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL; then every GET operation
#      again with positive_data_acceptance too: every schema-valid read is answered.
# Tools are installed once into target/tools (a throwaway folder). Bounded in time; every
# service it starts listens on 127.0.0.1 and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=target/tools
mkdir -p "$tools"
step() { printf '\n==> %s\n' "$*"; }

step "install the checkers (cached in $tools)"
# Debian packages the checks need, installed when missing (as root, as CI runs).
missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v curl >/dev/null || missing+=(curl)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
[ -x /usr/bin/chromium ] || missing+=(chromium)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "the contract checks need: ${missing[*]} (apt-get install them, or run as root)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# A virtual environment copied from elsewhere (its interpreter path gone) is made again.
if ! "$tools/venv/bin/python" -c 'import schemathesis' 2>/dev/null; then
  rm -rf "$tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis>=4,<5' 'openapi-spec-validator>=0.7'
fi
if [ ! -x "$tools/venv/bin/openapi-python-client" ]; then
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check 'openapi-python-client>=0.29,<0.30' ruff
fi
if ! "$tools/httpolice/bin/python" -c 'import httpolice' 2>/dev/null; then
  # HTTPolice 0.9 needs bitstring 3 (bitstring 4 removed the constructor it calls).
  rm -rf "$tools/httpolice"
  python3 -m venv "$tools/httpolice"
  "$tools/httpolice/bin/pip" install --quiet --disable-pip-version-check 'HTTPolice==0.9.0' 'bitstring>=3.1,<4'
fi
if ! "$tools/venv/bin/python" -c 'import geojson, icalendar, standardwebhooks' 2>/dev/null; then
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check 'geojson>=3,<4' 'icalendar>=6,<8' \
    'standardwebhooks>=1.0.0,<2'
fi
if [ ! -x "$tools/npm/node_modules/.bin/redocly" ]; then
  mkdir -p "$tools/npm"
  npm install --silent --no-audit --no-fund --prefix "$tools/npm" @redocly/cli@2.77.0 >/dev/null
fi

client=tests/clients/typescript
if [ ! -x "$client/node_modules/.bin/tsc" ]; then
  (cd "$client" && npm install --silent --no-audit --no-fund >/dev/null)
fi

browser=tests/browser
if [ ! -d "$browser/node_modules/playwright-core" ]; then
  (cd "$browser" && npm install --silent --no-audit --no-fund >/dev/null)
fi

step "lint the OpenAPI document"
"$tools/venv/bin/openapi-spec-validator" openapi/openapi.json
REDOCLY_TELEMETRY=off "$tools/npm/node_modules/.bin/redocly" lint --config scripts/redocly.yaml openapi/openapi.json

step "generate and type-check the TypeScript client"
"$client/node_modules/.bin/openapi-typescript" openapi/openapi.json -o "$client/schema.d.ts" >/dev/null
"$client/node_modules/.bin/tsc" -p "$client"

step "generate the Python client"
rm -rf "$tools/python-client"
PATH="$PWD/$tools/venv/bin:$PATH" "$tools/venv/bin/openapi-python-client" generate \
  --path openapi/openapi.json --config scripts/openapi-python-client.yaml --fail-on-warning \
  --meta none --output-path "$tools/python-client/client"

step "build the release binary"
cargo build --release --quiet
bin=target/release/iom-lrg-api

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# run_against NAME DATABASE_URL: serve on a free port with the dataset, make an admin key,
# fuzz, stop.
run_against() {
  local name=$1 url=$2 port key
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  key=$("$bin" keys create --name "fuzz-admin" --scope admin --database-url "$url" | tail -n 1)
  # No webhook delivery from the fuzzed instances: schemathesis subscribes random URLs, and
  # nothing may be sent to them.
  IOM_LRG_NO_RATE_LIMIT=true "$bin" serve --bind "127.0.0.1:$port" --database-url "$url" \
    --no-webhook-delivery --log-level warn >"target/schemathesis-$name.log" 2>&1 &
  pids+=($!)
  step "TypeScript client on $name"
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
  node "$client/dist/client.js" "http://127.0.0.1:$port" "$key"
  step "Python client on $name"
  PYTHONPATH="$tools/python-client" "$tools/venv/bin/python" tests/clients/python/check.py "http://127.0.0.1:$port" "$key"
  step "GeoJSON and iCalendar on $name (the geojson and icalendar packages)"
  "$tools/venv/bin/python" scripts/format_checks.py "http://127.0.0.1:$port" "$key"
  step "IATI file on $name (xmllint against the IATI 2.03 schema, codes against the codelists)"
  python3 scripts/iati_check.py "http://127.0.0.1:$port" "target/iati-$name.xml" 1
  step "HTTPolice on $name"
  # A second instance on the same database, with a low read budget so a 429 is recorded too.
  local har_port
  har_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin" serve --bind "127.0.0.1:$har_port" --database-url "$url" --read-rate-limit 300 \
    --no-webhook-delivery --log-level warn >"target/httpolice-$name.log" 2>&1 &
  local har_pid=$!
  pids+=($har_pid)
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$har_port/health/live" >/dev/null && break; sleep 0.2; done
  python3 scripts/http_exchanges.py "http://127.0.0.1:$har_port" "$key" "target/exchanges-$name.har"
  kill "$har_pid"
  # Silenced, each for its reason: 1261 and 1263 (Bearer over plain HTTP) because the check
  # talks to 127.0.0.1 without TLS; deployments terminate TLS in front (deploy/).
  "$tools/httpolice/bin/httpolice" -i har --fail-on error -s 1261 -s 1263 \
    "target/exchanges-$name.har" >"target/httpolice-$name.txt" || {
    cat "target/httpolice-$name.txt"; echo "HTTPolice reported errors" >&2; exit 1; }
  echo "HTTPolice: no error notice in $(grep -c '"startedDateTime"' "target/exchanges-$name.har") exchanges"
  if [ "$name" = sqlite ]; then
    step "Swagger UI in Chromium"
    node "$browser/swagger-ui.mjs" "http://127.0.0.1:$port" "$PWD/target/swagger-ui.png" "$key"
  fi
  step "schemathesis on $name (127.0.0.1:$port)"
  # Checks left out, each for a documented reason (see scripts/schemathesis.toml):
  #   use_after_free: a deleted record answers 410 Gone, not 404;
  #   positive_data_acceptance: schema-valid requests may break documented rules (409/410/412/422).
  # revoke_key is left out of the run: fuzzing it would revoke the run's own key.
  PYTHONPATH=scripts SCHEMATHESIS_HOOKS=schemathesis_hooks timeout 1200 "$tools/venv/bin/schemathesis" \
    --config-file scripts/schemathesis.toml \
    run "http://127.0.0.1:$port/openapi.json" \
    --url "http://127.0.0.1:$port" \
    -H "Authorization: Bearer $key" \
    --checks all --exclude-checks use_after_free,positive_data_acceptance \
    --exclude-operation-id revoke_key \
    -n 50 --phases examples,coverage,fuzzing,stateful \
    --max-response-time 2 --wait-for-schema 30 \
    --report junit --report-dir "target/schemathesis-$name"
  step "schemathesis on $name, every GET, positive_data_acceptance included"
  # Every schema-valid read must be answered; scripts/schemathesis_hooks.py leaves out random
  # cursors (signed values, refused by design).
  IOM_LRG_GET_RUN=1 PYTHONPATH=scripts SCHEMATHESIS_HOOKS=schemathesis_hooks timeout 900 "$tools/venv/bin/schemathesis" \
    --config-file scripts/schemathesis.toml \
    run "http://127.0.0.1:$port/openapi.json" \
    --url "http://127.0.0.1:$port" \
    -H "Authorization: Bearer $key" \
    --checks all --exclude-checks use_after_free \
    --include-method GET \
    -n 50 --phases examples,coverage,fuzzing \
    --max-response-time 2 --wait-for-schema 30 \
    --report junit --report-dir "target/schemathesis-$name-get"
}

# webhook_check NAME DATABASE_URL: one instance that may deliver to 127.0.0.1, on a database of
# its own; the check's receiver verifies every delivery with the reference library.
webhook_check() {
  local name=$1 url=$2 port key pid
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin" migrate --database-url "$url" >/dev/null
  key=$("$bin" keys create --name "webhook-check" --scope admin --database-url "$url" | tail -n 1)
  "$bin" serve --bind "127.0.0.1:$port" --database-url "$url" --no-seed --no-rate-limit \
    --webhook-allow-private --webhook-retry-base-ms 50 --log-level warn \
    >"target/webhooks-$name.log" 2>&1 &
  pid=$!
  pids+=($pid)
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
  step "webhooks on $name (the standardwebhooks reference library verifies every delivery)"
  timeout 300 "$tools/venv/bin/python" scripts/webhook_check.py "http://127.0.0.1:$port" "$key"
  kill "$pid"
}

sqlite_dir=$(mktemp -d)
webhook_check sqlite "$sqlite_dir/webhooks.db"
run_against sqlite "$sqlite_dir/contract.db"

step "IATI file of 10,000 generated programmes"
generated="$sqlite_dir/generated.db"
"$bin" --database-url "$generated" --log-level warn generate --programmes 10000 --seed 1 >/dev/null
iati_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --bind "127.0.0.1:$iati_port" --database-url "$generated" --no-rate-limit \
  --log-level warn >target/iati-generated.log 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$iati_port/health/ready" >/dev/null && break; sleep 0.2; done
python3 scripts/iati_check.py "http://127.0.0.1:$iati_port" target/iati-generated.xml 10000

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  db="contract_$(date +%s)"
  psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
  psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE ${db}_webhooks" >/dev/null
  webhook_check postgres "${TEST_DATABASE_URL%/*}/${db}_webhooks"
  run_against postgres "${TEST_DATABASE_URL%/*}/$db"
fi
step "contract checks passed"
