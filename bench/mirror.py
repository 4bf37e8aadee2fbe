#!/usr/bin/env python3
"""What a mirror does, one request at a time: the latency of each kind of request it sends.

- `updated_since` pages: WALKS walks of /v1/programmes?updated_since=T&limit=100 from a random
  instant of the generated data's history, following `next` links for up to PAGES pages.
- The change feed and `id=` batches: WALKS walks of /v1/changes?since=S&limit=100 from a random
  seq, each page followed by one /v1/programmes?id=..&limit=100 of the programmes it names
  (the records a mirror fetches to apply the page), for up to PAGES pages.

One keep-alive connection, so each figure is one request's latency with nothing queued; run the
service with --cache-entries 0 so every page is computed. Prints `MIRROR name p50_ms=..
p99_ms=.. requests=..` lines for bench/run.sh. Usage: mirror.py BASE_URL [WALKS] [PAGES]. Only
127.0.0.1 is targeted; the run is bounded by WALKS x PAGES requests per kind.
"""

import random
import sys
from urllib.parse import quote

from latency import connect, report, walk_pages

base = sys.argv[1]
walks = int(sys.argv[2]) if len(sys.argv) > 2 else 20
pages = int(sys.argv[3]) if len(sys.argv) > 3 else 5
get = connect(base, "mirror.py")
rng = random.Random(1)


_, head = get("/v1/changes?limit=1")
last_seq = head["meta"]["last_seq"]
# The instants the data was written at: the feed's first and last entries.
_, first = get("/v1/changes?since=0&limit=1")
first_at = first["data"][0]["at"] if first["data"] else None

since_times, feed_times, batch_times = [], [], []
for _ in range(walks):
    # A random instant between the first change and now: a seq's own `at` is one.
    seq = rng.randrange(max(1, last_seq))
    _, page = get(f"/v1/changes?since={seq}&limit=1")
    at = page["data"][0]["at"] if page["data"] else first_at
    link = f"/v1/programmes?limit=100&updated_since={quote(at or '2000-01-01T00:00:00Z')}"
    since_times.extend(walk_pages(get, link, pages))

    since = rng.randrange(max(1, last_seq))
    for _ in range(pages):
        elapsed, page = get(f"/v1/changes?since={since}&limit=100&collection=programmes")
        feed_times.append(elapsed)
        ids = sorted({entry["id"] for entry in page["data"] if entry["action"] != "deleted"})
        if ids:
            elapsed, _ = get(f"/v1/programmes?limit=100&id={','.join(ids)}")
            batch_times.append(elapsed)
        if not page["data"]:
            break
        since = page["meta"]["next_since"]

report("MIRROR", "updated_since pages of 100", since_times)
report("MIRROR", "change feed pages of 100 (programmes)", feed_times)
if batch_times:
    report("MIRROR", "id= batches of the feed's programmes", batch_times)
