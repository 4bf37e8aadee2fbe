#!/usr/bin/env python3
"""Single-request latency of every documented sort, both directions, as a reader walks them.

For each sort of /v1/programmes and /v1/organisations (read from the service's OpenAPI
document), ascending and descending: WALKS walks, each from a random starting filter (none, a
status, a country, an organisation, the fund), following `next` links for up to PAGES pages of
20. One keep-alive connection, so each figure is one request's latency with nothing queued;
run the service with --cache-entries 0 so every page is computed. Also times `count=true` and
facets on the unfiltered list and on a random country.

Prints one line per scenario (`SORT name p50_ms=.. p99_ms=.. requests=..`) for bench/run.sh.
Usage: sorts.py BASE_URL [WALKS] [PAGES]. Only 127.0.0.1 is targeted; the run is bounded by
WALKS x PAGES requests per scenario.
"""

import random
import sys

from latency import connect, report, walk_pages

base = sys.argv[1]
walks = int(sys.argv[2]) if len(sys.argv) > 2 else 40
pages = int(sys.argv[3]) if len(sys.argv) > 3 else 5
get = connect(base, "sorts.py")
rng = random.Random(1)


_, spec = get("/openapi.json")


def sorts_of(path):
    for parameter in spec["paths"][path]["get"]["parameters"]:
        if parameter.get("name") == "sort":
            return [s for s in parameter["schema"]["enum"]]
    return []


_, organisations = get("/v1/organisations?limit=100&sort=id")
organisation_count = get("/v1/organisations?limit=1&count=true")[1]["meta"]["total"]
# Generated organisations are gen-org-000000 onwards; the built-in ones come first in id order.
generated_organisations = max(0, organisation_count - len(organisations["data"]))
countries = ["CL", "MX", "CO", "PE", "EC", "BR", "AR", "KE", "SN", "PH", "BD", "JO"]
statuses = ["implementation", "closed", "pipeline", "finalisation"]


# The starting filters a walk picks from, each equally likely: none, then what partners filter
# programmes and organisations by.
PROGRAMME_FILTERS = [
    lambda: "",
    lambda: f"&status={rng.choice(statuses)}",
    lambda: f"&country={rng.choice(countries)}",
    lambda: f"&organisation=gen-org-{rng.randrange(max(1, generated_organisations)):06d}",
    lambda: "&fund=mmptf",
]
ORGANISATION_FILTERS = [
    lambda: "",
    lambda: f"&country={rng.choice(countries)}",
    lambda: "&kind=local_government",
]


for path, filters in (("/v1/programmes", PROGRAMME_FILTERS), ("/v1/organisations", ORGANISATION_FILTERS)):
    for sort in sorts_of(path):
        times = []
        for _ in range(walks):
            link = f"{path}?limit=20&sort={sort}{rng.choice(filters)()}"
            times.extend(walk_pages(get, link, pages))
        report("SORT", f"{path}?sort={sort}", times)

for name, make in (
    ("/v1/programmes?count=true", lambda: "/v1/programmes?limit=20&count=true"),
    ("/v1/programmes?count=true&country=X", lambda: f"/v1/programmes?limit=20&count=true&country={rng.choice(countries)}"),
    ("/v1/programmes?facets=status", lambda: "/v1/programmes?limit=20&facets=status"),
    ("/v1/programmes?facets=status,country,organisation", lambda: "/v1/programmes?limit=20&facets=status,country,organisation"),
    ("/v1/programmes?facets=status&country=X", lambda: f"/v1/programmes?limit=20&facets=status&country={rng.choice(countries)}"),
):
    report("SORT", name, [get(make())[0] for _ in range(walks)])
