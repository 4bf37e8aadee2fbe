#!/usr/bin/env bash
# The benchmark of docs/API.md's speed targets (bench/RESULTS.md has the numbers and the
# machine). Builds in release, loads generated datasets, starts the service on 127.0.0.1 and
# drives it with wrk (2 threads, 32 connections, --latency) for each scenario; prints
# requests/s, p50/p99, each scenario's ratio to the ceiling measured in the same run, and the
# service's peak RSS. Fails if any response was not 2xx/3xx.
#
#   bench/run.sh                          # SQLite (the datasets are kept in target/bench)
#   bench/run.sh --postgres postgres://app:app@127.0.0.1:5432/app
#   bench/run.sh --duration 5 --no-scale  # a quick run
#
# Only 127.0.0.1 is ever targeted; every wrk run stops after --duration seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH_DIR="$ROOT/bench"
OUT="$ROOT/target/bench"
BIN="$ROOT/target/release/iom-lrg-api"
PORT="${BENCH_PORT:-18080}"
DURATION=15
SCALE=1
POSTGRES=""
PROGRAMMES=100000

while [ $# -gt 0 ]; do
    case "$1" in
        --postgres) POSTGRES="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --no-scale) SCALE=0; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

mkdir -p "$OUT"
export BENCH_DIR BENCH_PROGRAMMES="$PROGRAMMES"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "== installing wrk"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
    else
        echo "wrk is needed: apt-get install wrk" >&2
        exit 1
    fi
fi

echo "== building (release)"
(cd "$ROOT" && cargo build --release --locked --quiet && cargo build --release --locked --quiet --example probe)
PROBE="$ROOT/target/release/examples/probe"

backend="sqlite"
[ -n "$POSTGRES" ] && backend="postgres"

# The database URL of a generated dataset of $1 programmes, generated on first use.
dataset() {
    local n="$1" url
    if [ -z "$POSTGRES" ]; then
        url="$OUT/sqlite-$n.db"
        if [ ! -f "$url.done" ]; then
            rm -f "$url" "$url-wal" "$url-shm"
            echo "== generating $n programmes (SQLite)" >&2
            "$BIN" --database-url "$url" --log-level warn generate --programmes "$n" --seed 1 >&2
            touch "$url.done"
        fi
    else
        local server="${POSTGRES%/*}" name="iom_bench_$n"
        url="$server/$name"
        if ! psql "$POSTGRES" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
            || ! psql "$url" -tAc "SELECT 1 FROM service_secrets LIMIT 1" >/dev/null 2>&1 \
            || [ "$(psql "$url" -tAc "SELECT count(*) FROM programmes")" -lt "$n" ]; then
            echo "== generating $n programmes (PostgreSQL)" >&2
            psql "$POSTGRES" -qc "DROP DATABASE IF EXISTS $name" >/dev/null
            psql "$POSTGRES" -qc "CREATE DATABASE $name" >/dev/null
            "$BIN" --database-url "$url" --log-level warn generate --programmes "$n" --seed 1 >&2
        fi
    fi
    echo "$url"
}

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap stop_server EXIT

# Starts the service on a database; extra flags follow.
start_server() {
    local url="$1"; shift
    stop_server
    "$BIN" --database-url "$url" --bind "127.0.0.1:$PORT" --no-rate-limit --no-seed "$@" \
        >"$OUT/server.log" 2>&1 &
    SERVER_PID=$!
    # Up to 120 s: the 1,000,000 dataset (4 GB) may have to be read back from disk first, and
    # the kernel here trims the page cache between runs. A service that exits stops the wait.
    local started=$SECONDS
    for _ in $(seq 1 1200); do
        if curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then
            [ $((SECONDS - started)) -lt 5 ] || echo "  (ready after $((SECONDS - started)) s)"
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "the service did not start within $((SECONDS - started)) s; see $OUT/server.log" >&2
    tail -n 20 "$OUT/server.log" >&2
    exit 1
}

peak_rss_mb() {
    awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"
}

declare -A RPS P50 P99
FAILED=0
RESULTS="$OUT/results-$backend.md"

# run NAME PATH-or-SCRIPT [DURATION] [CONNECTIONS]
run() {
    local name="$1" target="$2" duration="${3:-$DURATION}" connections="${4:-32}" line
    local threads=2
    [ "$connections" -lt 2 ] && threads=1
    local args=(-t"$threads" -c"$connections" -d"${duration}s" --latency --timeout 30s)
    if [[ "$target" == *.lua ]]; then
        args+=(-s "$BENCH_DIR/$target" "http://127.0.0.1:$PORT")
    else
        args+=(-s "$BENCH_DIR/report.lua" "http://127.0.0.1:$PORT$target")
    fi
    line="$(wrk "${args[@]}" | grep '^RESULT' || true)"
    if [ -z "$line" ]; then
        echo "$name: wrk gave no result" >&2
        FAILED=1
        return
    fi
    local rps p50 p99 errors requests
    rps="$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$line")"
    p50="$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")"
    p99="$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")"
    requests="$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")"
    errors="$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")"
    RPS[$name]="$rps"; P50[$name]="$p50"; P99[$name]="$p99"
    printf '%-34s %10.0f req/s   p50 %8.2f ms   p99 %8.2f ms   %s requests, %s errors\n' \
        "$name" "$rps" "$p50" "$p99" "$requests" "$errors"
    if [ "$errors" != 0 ]; then
        echo "$name: $errors responses were not 2xx/3xx (or failed)" >&2
        FAILED=1
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
met_if() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }' && echo met || echo "not met"; }
# "met" when a / b >= t, judged on the exact quotient (the printed ratios are rounded: 0.496
# is not >= 0.5).
ratio_met() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { exit !(b > 0 && a / b >= t) }' && echo met || echo "not met"; }
# The response cache's hit and miss counters (from /metrics), and the hit ratio between two
# readings of them.
cache_counts() {
    curl -fsS "http://127.0.0.1:$PORT/metrics" \
        | awk '/^iom_lrg_response_cache_hits_total/ { h = $2 } /^iom_lrg_response_cache_misses_total/ { m = $2 } END { print h + 0, m + 0 }'
}
hit_ratio() { # hits0 misses0 hits1 misses1
    awk -v h=$(($3 - $1)) -v m=$(($4 - $2)) 'BEGIN { printf "%.3f", (h + m) ? h / (h + m) : 0 }'
}
declare -A HITS
# run_counted NAME TARGET: run, and keep the cache hit ratio over it in HITS[NAME].
run_counted() {
    local h0 m0 h1 m1
    read -r h0 m0 < <(cache_counts)
    run "$@"
    read -r h1 m1 < <(cache_counts)
    HITS[$1]="$(hit_ratio "$h0" "$m0" "$h1" "$m1")"
    echo "  (response cache hit ratio over it: ${HITS[$1]})"
}

URL_MAIN="$(dataset "$PROGRAMMES")"
start_server "$URL_MAIN"

echo "== $backend, $PROGRAMMES programmes, wrk -t2 -c32 -d${DURATION}s"
run "ceiling: static JSON (/health/live)" "/health/live"
run_counted "GET one programme, uniform ids" get_uniform.lua
run_counted "GET one programme, Zipf ids" get_zipf.lua
run "list 20 with include=organisations" "/v1/programmes?limit=20&include=organisations"
run_counted "random organisation's list (15-25)" list_organisation.lua
run_counted "random filtered list (country, status, fund)" list_filters.lua
run "search (120 queries)" search.lua
# The same searches again: by now each was computed once, as on a server that has run a while.
run "search again (cache warm)" search.lua
run "filtered list with facets" facets.lua

echo "== writes"
KEY="$("$BIN" --database-url "$URL_MAIN" --log-level warn keys create --name "bench-$(date +%s%N)" --scope write | tail -n 1)"
# Each of wrk's 2 threads patches its own 2,000 programmes; their current ETags are read first.
ETAGS="$OUT/etags.txt"
export BENCH_ETAGS="$ETAGS"
urls=()
for i in $(seq 0 3999); do
    urls+=(-o /dev/null "http://127.0.0.1:$PORT/v1/programmes/$(printf 'gen-%07d' "$i")")
done
read_etags() {
    curl -fsS -w '%{url_effective} %header{etag}\n' "${urls[@]}" \
        | sed -E 's#.*/(gen-[0-9]+) #\1 #' >"$ETAGS"
    # The ETags must revalidate: a 304 for the first of them.
    local id etag
    read -r id etag <"$ETAGS"
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "http://127.0.0.1:$PORT/v1/programmes/$id")" != 304 ]; then
        echo "the ETag $etag of $id did not revalidate" >&2
        FAILED=1
    fi
}
read_etags
# 304 revalidation of those 4,000 records (bench/revalidate.lua), against /health/live.
run_counted "304 revalidation (If-None-Match)" revalidate.lua
BENCH_KEY="$KEY" BENCH_ETAGS="$ETAGS" BENCH_PATCH_RECORDS=2000 run "PATCH with If-Match" patch.lua
# The mixed load (bench/mixed.lua): 95 % Zipf GETs, 5 % PATCHes, with the response cache's hit
# ratio over the run from /metrics. The ETags are read again (the PATCH run moved them).
read_etags
read -r HITS0 MISSES0 < <(cache_counts)
BENCH_KEY="$KEY" BENCH_ETAGS="$ETAGS" BENCH_PATCH_RECORDS=2000 run "mixed: 95% GET Zipf, 5% PATCH" mixed.lua
read -r HITS1 MISSES1 < <(cache_counts)
HIT_RATIO="$(hit_ratio "$HITS0" "$MISSES0" "$HITS1" "$MISSES1")"
HIT_RATIO_MET="$(ratio_met $((HITS1 - HITS0)) $((HITS1 - HITS0 + MISSES1 - MISSES0)) 0.7)"
# A portal's pages under the same writes: the programmes' pages miss after each PATCH, the
# other collections' stay cached (a list is stamped with its collection's last change).
read_etags
BENCH_MIXED_READS=lists BENCH_KEY="$KEY" BENCH_ETAGS="$ETAGS" BENCH_PATCH_RECORDS=2000 \
    run_counted "mixed: 95% list pages, 5% PATCH" mixed.lua
# The GETs' share of the mixed run's requests/s, over the read-only Zipf figure.
MIXED_GETS="$(awk -v r="${RPS[mixed: 95% GET Zipf, 5% PATCH]:-0}" 'BEGIN { print 0.95 * r }')"
MIXED_GET="$(awk -v g="$MIXED_GETS" -v z="${RPS[GET one programme, Zipf ids]:-1}" 'BEGIN { printf "%.3f", g / z }')"
MIXED_GET_MET="$(ratio_met "$MIXED_GETS" "${RPS[GET one programme, Zipf ids]:-0}" 0.8)"
echo "mixed load: cache hit ratio $HIT_RATIO ($HIT_RATIO_MET, target >= 0.7); GET Zipf in it ${MIXED_GET}x the read-only figure ($MIXED_GET_MET, target >= 0.8x)"
RSS="$(peak_rss_mb)"
stop_server

# The scenarios the cache answers in part, again with it off: what the requests cost.
echo "== $backend, $PROGRAMMES programmes, response cache off"
start_server "$URL_MAIN" --cache-entries 0
run "no cache: GET one programme, uniform ids" get_uniform.lua
run "no cache: GET one programme, Zipf ids" get_zipf.lua
run "no cache: random organisation's list (15-25)" list_organisation.lua
run "no cache: random filtered list (country, status, fund)" list_filters.lua
read_etags
run "no cache: 304 revalidation (If-None-Match)" revalidate.lua
read_etags
BENCH_MIXED_READS=lists BENCH_KEY="$KEY" BENCH_ETAGS="$ETAGS" BENCH_PATCH_RECORDS=2000 \
    run "no cache: mixed: 95% list pages, 5% PATCH" mixed.lua
RSS_UNCACHED="$(peak_rss_mb)"
stop_server
[ "$RSS_UNCACHED" -gt "$RSS" ] && RSS="$RSS_UNCACHED"

# The bare probe (examples/probe.rs: actix-web + diesel over the same tables, same paths, none
# of the API's features), on the same database in the same run.
echo "== bare probe (examples/probe.rs)"
"$PROBE" "$URL_MAIN" "127.0.0.1:$PORT" >"$OUT/probe.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && break
    sleep 0.1
done
run "probe: static JSON" "/health/live"
run "probe: GET one programme, uniform ids" get_uniform.lua
run "probe: list of 20 (id order)" "/v1/programmes?limit=20"
run "probe: random organisation's list (15-25)" list_organisation.lua
stop_server

CEIL="${RPS[ceiling: static JSON (/health/live)]}"
{
    echo "### $backend, $PROGRAMMES programmes ($(date -u +%Y-%m-%dT%H:%MZ), ${DURATION}s per scenario)"
    echo
    echo "| scenario | requests/s | ratio to ceiling | p50 ms | p99 ms | cache hit ratio |"
    echo "|---|---:|---:|---:|---:|---:|"
    for name in "ceiling: static JSON (/health/live)" "GET one programme, uniform ids" \
        "GET one programme, Zipf ids" "list 20 with include=organisations" \
        "random organisation's list (15-25)" "random filtered list (country, status, fund)" \
        "search (120 queries)" "search again (cache warm)" "filtered list with facets" \
        "304 revalidation (If-None-Match)" \
        "PATCH with If-Match" "mixed: 95% GET Zipf, 5% PATCH" "mixed: 95% list pages, 5% PATCH" \
        "no cache: GET one programme, uniform ids" "no cache: GET one programme, Zipf ids" \
        "no cache: random organisation's list (15-25)" \
        "no cache: random filtered list (country, status, fund)" \
        "no cache: 304 revalidation (If-None-Match)" "no cache: mixed: 95% list pages, 5% PATCH" \
        "probe: static JSON" "probe: GET one programme, uniform ids" \
        "probe: list of 20 (id order)" "probe: random organisation's list (15-25)"; do
        printf '| %s | %.0f | %s | %.2f | %.2f | %s |\n' "$name" "${RPS[$name]:-0}" \
            "$(ratio "${RPS[$name]:-0}" "$CEIL")" "${P50[$name]:-0}" "${P99[$name]:-0}" \
            "${HITS[$name]:-}"
    done
    echo
    echo "Peak RSS of the service: $RSS MB."
    echo
    echo "Mixed load: response cache hit ratio $HIT_RATIO ($HIT_RATIO_MET, target >= 0.7);"
    echo "GET Zipf within it (0.95 of its requests/s) ${MIXED_GET}x the read-only Zipf figure ($MIXED_GET_MET, target >= 0.8x)."
    echo "PATCH $(met_if "${RPS[PATCH with If-Match]:-0}" 1000) (target >= 1,000/s); peak RSS $RSS MB at $PROGRAMMES programmes ($(awk -v r="$RSS" 'BEGIN { exit !(r < 200) }' && echo "under" || echo "over") 200 MB; the target is at 1,000,000, after the scales)."
    echo
    echo "Against the bare probe (same run, same database):"
    echo
    echo "| target | figure | |"
    echo "|---|---:|---|"
    probe_target() { # label service-scenario probe-scenario threshold
        local r
        r="$(awk -v a="${RPS[$2]:-0}" -v b="${RPS[$3]:-1}" 'BEGIN { printf "%.3f", a / b }')"
        echo "| $1 >= $4x | ${r}x | $(ratio_met "${RPS[$2]:-0}" "${RPS[$3]:-0}" "$4") |"
    }
    probe_target "random organisation's list / the probe's same list" "random organisation's list (15-25)" "probe: random organisation's list (15-25)" 0.5
    probe_target "random filtered list (country, status, fund) / the probe's list of 20" "random filtered list (country, status, fund)" "probe: list of 20 (id order)" 0.5
    probe_target "the same, cache off / the probe's list of 20" "no cache: random filtered list (country, status, fund)" "probe: list of 20 (id order)" 0.5
    probe_target "GET one uniform / the probe's GET" "GET one programme, uniform ids" "probe: GET one programme, uniform ids" 0.7
    probe_target "GET one uniform, cache off / the probe's GET" "no cache: GET one programme, uniform ids" "probe: GET one programme, uniform ids" 0.7
    probe_target "GET one Zipf / the probe's GET (uniform)" "GET one programme, Zipf ids" "probe: GET one programme, uniform ids" 1.0
    probe_target "/health/live / the probe's static handler" "ceiling: static JSON (/health/live)" "probe: static JSON" 0.5
    probe_target "304 revalidation / the service's own /health/live" "304 revalidation (If-None-Match)" "ceiling: static JSON (/health/live)" 0.9
    probe_target "the same, cache off / the service's own /health/live" "no cache: 304 revalidation (If-None-Match)" "ceiling: static JSON (/health/live)" 0.9
} >"$RESULTS"

if [ "$SCALE" = 1 ]; then
    echo "== scale: list and search latency, one connection, response cache off (what the queries cost)"
    {
        echo
        echo "Scale (one connection, response cache off, ${DURATION}s each): p50 in ms"
        echo
        echo "| programmes | list 20 with include | search |"
        echo "|---:|---:|---:|"
    } >>"$RESULTS"
    declare -A SORT_P50 SORT_P99 SEARCH_P50 SEARCH_P99 SEARCH_ORDER SEARCH_REF MIRROR_P50 MIRROR_P99
    SORT_NAMES=()
    MIRROR_NAMES=()
    SEARCH_NAMES=()
    SCALES=(1000 "$PROGRAMMES" 1000000)
    for n in "${SCALES[@]}"; do
        url="$(dataset "$n")"
        start_server "$url" --cache-entries 0
        export BENCH_PROGRAMMES="$n"
        run "list, $n programmes, no cache" "/v1/programmes?limit=20&include=organisations" "$DURATION" 1
        run "search, $n programmes, no cache" search.lua "$DURATION" 1
        printf '| %s | %.2f | %.2f |\n' "$n" "${P50[list, $n programmes, no cache]:-0}" \
            "${P50[search, $n programmes, no cache]:-0}" >>"$RESULTS"
        # Every documented sort both ways, walked from random filters (bench/sorts.py).
        echo "== sorts, counts and facets, $n programmes, one connection, response cache off"
        while read -r _ name p50 p99 requests; do
            [ -n "${SORT_P50[1000,$name]:-}" ] || [ "$n" != 1000 ] || SORT_NAMES+=("$name")
            SORT_P50[$n,$name]="${p50#p50_ms=}"
            SORT_P99[$n,$name]="${p99#p99_ms=}"
            printf '%-58s p50 %7s ms   p99 %7s ms   %s\n' "$name" "${p50#p50_ms=}" \
                "${p99#p99_ms=}" "${requests#requests=}"
        done < <(python3 "$BENCH_DIR/sorts.py" "http://127.0.0.1:$PORT" 20 5 | grep '^SORT ')
        # A mirror's requests (bench/mirror.py): updated_since pages, feed pages, id= batches.
        echo "== a mirror's walk, $n programmes, one connection, response cache off"
        while IFS=$'\t' read -r name p50 p99 requests; do
            [ -n "${MIRROR_P50[1000,$name]:-}" ] || [ "$n" != 1000 ] || MIRROR_NAMES+=("$name")
            MIRROR_P50[$n,$name]="$p50"
            MIRROR_P99[$n,$name]="$p99"
            printf '%-58s p50 %7s ms   p99 %7s ms   %s\n' "$name" "$p50" "$p99" "$requests"
        done < <(python3 "$BENCH_DIR/mirror.py" "http://127.0.0.1:$PORT" 20 5 \
            | sed -nE 's/^MIRROR (.*) p50_ms=([0-9.]+) p99_ms=([0-9.]+) requests=([0-9]+)$/\1\t\2\t\3\t\4/p')
        # One search at a time by kind, first and second pages (bench/search.py).
        echo "== searches by kind, $n programmes, one connection, response cache off"
        while read -r tag name rest; do
            if [ "$tag" = REFERENCE ]; then
                read -r p50 _ <<<"$rest"
                SEARCH_REF[$n]="${p50#p50_ms=}"
                printf '%-58s p50 %7s ms\n' "reference: /health/live" "${p50#p50_ms=}"
            elif [ "$tag" = SEARCH ]; then
                read -r p50 p99 requests <<<"$rest"
                [ -n "${SEARCH_P50[1000,$name]:-}" ] || [ "$n" != 1000 ] || SEARCH_NAMES+=("$name")
                SEARCH_P50[$n,$name]="${p50#p50_ms=}"
                SEARCH_P99[$n,$name]="${p99#p99_ms=}"
                printf '%-58s p50 %7s ms   p99 %7s ms   %s\n' "$name" "${p50#p50_ms=}" \
                    "${p99#p99_ms=}" "${requests#requests=}"
            else
                SEARCH_ORDER[$n,$name]="$rest"
                printf '%-58s %s\n' "  ordered" "$rest"
            fi
        done < <(python3 "$BENCH_DIR/search.py" "http://127.0.0.1:$PORT" 60 | grep -E '^(REFERENCE|SEARCH|ORDER) ')
        stop_server
    done
    # The targets of issue 12: every sort p50 <= 3 ms at 100,000 and, at 1,000,000, at most
    # twice its p50 at 1,000; count=true and facets p50 <= 10 ms at 1,000,000.
    meets() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }' && echo met || echo "not met"; }
    {
        echo
        echo "Sorts, counts and facets (bench/sorts.py: one connection, response cache off, each"
        echo "sort walked 5 pages of 20 from 20 random filters; p50 / p99 in ms)"
        echo
        echo "| request | ${SCALES[0]} | ${SCALES[1]} | ${SCALES[2]} | target | |"
        echo "|---|---:|---:|---:|---|---|"
        for name in "${SORT_NAMES[@]}"; do
            small="${SORT_P50[${SCALES[0]},$name]:-}" mid="${SORT_P50[${SCALES[1]},$name]:-}"
            large="${SORT_P50[${SCALES[2]},$name]:-}"
            cell() { printf '%s / %s' "${SORT_P50[$1,$name]:-?}" "${SORT_P99[$1,$name]:-?}"; }
            if [[ "$name" == *sort=* ]]; then
                target="p50 <= 3 ms at ${SCALES[1]}; at ${SCALES[2]} <= 2x at ${SCALES[0]}"
                verdict="$(meets "$mid" 3), $(meets "$large" "$(awk -v a="$small" 'BEGIN { print 2 * a }')")"
            else
                target="p50 <= 10 ms at ${SCALES[2]}"
                verdict="$(meets "${large:-999}" 10)"
            fi
            echo "| \`$name\` | $(cell "${SCALES[0]}") | $(cell "${SCALES[1]}") | $(cell "${SCALES[2]}") | $target | $verdict |"
        done
        echo
        echo "A mirror's walk (bench/mirror.py: one connection, response cache off, 20 walks of up"
        echo "to 5 pages from random starting points; p50 / p99 in ms)"
        echo
        echo "| request | ${SCALES[0]} | ${SCALES[1]} | ${SCALES[2]} |"
        echo "|---|---:|---:|---:|"
        for name in "${MIRROR_NAMES[@]}"; do
            cell() { printf '%s / %s' "${MIRROR_P50[$1,$name]:-?}" "${MIRROR_P99[$1,$name]:-?}"; }
            echo "| $name | $(cell "${SCALES[0]}") | $(cell "${SCALES[1]}") | $(cell "${SCALES[2]}") |"
        done
        # Issue 12: search p99 < 25 ms at 1,000,000 from a cold cache.
        echo
        echo "Searches by kind (bench/search.py: one connection, response cache off, 60 first"
        echo "pages per kind in random languages, half followed by their second page; p50 / p99 in"
        echo "ms; the order of the first pages at ${SCALES[2]} in the last column). Bare reference,"
        echo "\`/health/live\` on the same connection, p50: ${SEARCH_REF[${SCALES[0]}]:-?} /"
        echo "${SEARCH_REF[${SCALES[1]}]:-?} / ${SEARCH_REF[${SCALES[2]}]:-?} ms at the three scales."
        echo
        echo "| kind | ${SCALES[0]} | ${SCALES[1]} | ${SCALES[2]} | target | | ordered at ${SCALES[2]} |"
        echo "|---|---:|---:|---:|---|---|---|"
        for name in "${SEARCH_NAMES[@]}"; do
            cell() { printf '%s / %s' "${SEARCH_P50[$1,$name]:-?}" "${SEARCH_P99[$1,$name]:-?}"; }
            large="${SEARCH_P99[${SCALES[2]},$name]:-}"
            verdict="$(awk -v a="${large:-999}" 'BEGIN { exit !(a + 0 < 25) }' && echo met || echo "not met")"
            echo "| $name | $(cell "${SCALES[0]}") | $(cell "${SCALES[1]}") | $(cell "${SCALES[2]}") | p99 < 25 ms at ${SCALES[2]} | $verdict | ${SEARCH_ORDER[${SCALES[2]},$name]:-} |"
        done
    } >>"$RESULTS"

    # Issue 12's "peak RSS < 200 MB at 1,000,000", under the main run's concurrent reads with
    # the response cache on (the scale loop above runs one connection with the cache off).
    LARGE="${SCALES[2]}"
    echo "== $backend, $LARGE programmes, wrk -t2 -c32 -d${DURATION}s, response cache on (peak RSS)"
    export BENCH_PROGRAMMES="$LARGE"
    start_server "$(dataset "$LARGE")"
    LARGE_NAMES=("GET one programme, uniform ids" "GET one programme, Zipf ids"
        "random organisation's list (15-25)" "random filtered list (country, status, fund)"
        "search (120 queries)" "filtered list with facets")
    LARGE_SCRIPTS=(get_uniform.lua get_zipf.lua list_organisation.lua list_filters.lua search.lua
        facets.lua)
    for i in "${!LARGE_NAMES[@]}"; do
        run "$LARGE: ${LARGE_NAMES[$i]}" "${LARGE_SCRIPTS[$i]}"
    done
    RSS_LARGE="$(peak_rss_mb)"
    stop_server
    {
        echo
        echo "At $LARGE programmes, wrk -t2 -c32 -d${DURATION}s, response cache on (reads only):"
        echo
        echo "| scenario | requests/s | p50 ms | p99 ms |"
        echo "|---|---:|---:|---:|"
        for name in "${LARGE_NAMES[@]}"; do
            printf '| %s | %.0f | %.2f | %.2f |\n' "$name" "${RPS[$LARGE: $name]:-0}" \
                "${P50[$LARGE: $name]:-0}" "${P99[$LARGE: $name]:-0}"
        done
        echo
        echo "Peak RSS of the service at $LARGE programmes: $RSS_LARGE MB ($(awk -v r="$RSS_LARGE" 'BEGIN { exit !(r < 200) }' && echo met || echo "not met"), target < 200 MB)."
    } >>"$RESULTS"
fi

echo
cat "$RESULTS"
echo
echo "(written to $RESULTS)"
if [ "$FAILED" != 0 ]; then
    echo "FAILED: some responses were not 2xx/3xx" >&2
    exit 1
fi
