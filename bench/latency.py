"""What bench/sorts.py and bench/search.py share: GETs on one keep-alive connection to
127.0.0.1, timed, and the result lines bench/run.sh reads (`KIND name p50_ms=.. p99_ms=..
requests=..`)."""

import http.client
import json
import sys
import time
from urllib.parse import urlsplit


def connect(base, script):
    """A `get(path)` on one connection to `base` that answers (seconds, parsed JSON) and exits
    on any status but 200. Exits unless `base` is on 127.0.0.1 or localhost."""
    parts = urlsplit(base)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        sys.exit(f"{script} only targets 127.0.0.1")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def get(path):
        start = time.perf_counter()
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            sys.exit(f"GET {path} answered {response.status}: {body[:300]!r}")
        return elapsed, json.loads(body)

    return get


def walk_pages(get, link, pages):
    """The latencies of following `links.next` from `link` for up to `pages` pages."""
    times = []
    for _ in range(pages):
        elapsed, page = get(link)
        times.append(elapsed)
        link = page["links"].get("next")
        if not link:
            break
        if not link.startswith("/"):
            link = urlsplit(link)._replace(scheme="", netloc="").geturl()
    return times


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def report(kind, name, times):
    print(
        f"{kind} {name} p50_ms={percentile(times, 0.5) * 1000:.2f} "
        f"p99_ms={percentile(times, 0.99) * 1000:.2f} requests={len(times)}",
        flush=True,
    )
