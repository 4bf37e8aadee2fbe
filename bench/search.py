#!/usr/bin/env python3
"""Single-request latency of the searches partners make, by kind, with nothing cached.

Kinds (each in English, French and Spanish, drawn at random): a city (selective: one city in
forty), a city and a theme (more selective), a theme (broad: one programme in twelve), the
broadest words and prefixes (`migr*`, "migrants": nearly every programme), a typo (typo
tolerance looks near words up), and the broad ones with `count=true&facets=collection`, and
second pages. One keep-alive connection, so each figure is one request's latency with nothing
queued; run the service with --cache-entries 0 so every page is computed ("from a cold cache").

Prints one line per kind (`SEARCH kind p50_ms=.. p99_ms=.. requests=..`) and one for all
kinds together, for bench/run.sh. Usage: search.py BASE_URL [REQUESTS_PER_KIND]. Only
127.0.0.1 is targeted; the run is bounded by the request count.
"""

import http.client
import json
import random
import sys
import time
from urllib.parse import quote, urlsplit

base = sys.argv[1]
per_kind = int(sys.argv[2]) if len(sys.argv) > 2 else 60
parts = urlsplit(base)
if parts.hostname not in ("127.0.0.1", "localhost"):
    sys.exit("search.py only targets 127.0.0.1")
conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
rng = random.Random(1)

CITIES = {
    "en": ["Dakar", "Lima", "Quito", "Nairobi", "Amman", "Beirut", "Manila", "Tunis", "Geneva",
           "Athens", "Milan", "Colombo", "Kampala", "Dhaka", "Karachi", "Bogotá"],
    "fr": ["Dakar", "Lima", "Quito", "Nairobi", "Amman", "Beyrouth", "Manille", "Tunis",
           "Genève", "Athènes", "Milan", "Colombo", "Kampala", "Dacca", "Karachi", "Bogota"],
    "es": ["Dakar", "Lima", "Quito", "Nairobi", "Amán", "Beirut", "Manila", "Túnez", "Ginebra",
           "Atenas", "Milán", "Colombo", "Kampala", "Daca", "Karachi", "Bogotá"],
}
THEMES = {
    "en": ["decent work", "\"social cohesion\"", "housing", "climate resilience", "diaspora",
           "skills recognition", "reintegration", "health care"],
    "fr": ["travail décent", "\"cohésion sociale\"", "logement", "résilience climatique",
           "diaspora", "compétences", "réintégration", "santé"],
    "es": ["trabajo decente", "\"cohesión social\"", "vivienda", "resiliencia climática",
           "diáspora", "competencias", "reintegración", "salud"],
}
BROADEST = {
    "en": ["migr*", "migrants", "migration", "local", "programme"],
    "fr": ["migr*", "migrants", "migrations", "locale", "programme"],
    "es": ["migr*", "migrantes", "migración", "local", "programa"],
}
TYPOS = {
    "en": ["integraton", "migrantz", "resilence", "housng"],
    "fr": ["intégraton", "migrnts", "résilence", "logemnt"],
    "es": ["integracón", "migrantez", "resilencia", "viviienda"],
}


def get(path):
    """GET path; answers (seconds, parsed JSON). Fails on any status but 200."""
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept": "application/json"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200:
        sys.exit(f"GET {path} answered {response.status}: {body[:300]!r}")
    return elapsed, json.loads(body)


def url(q, lang, extra=""):
    return f"/v1/search?q={quote(q)}&lang={lang}&limit=20{extra}"


KINDS = {
    "city": lambda l: url(rng.choice(CITIES[l]), l),
    "city and theme": lambda l: url(f"{rng.choice(CITIES[l])} {rng.choice(THEMES[l])}", l),
    "theme": lambda l: url(rng.choice(THEMES[l]), l),
    "broadest": lambda l: url(rng.choice(BROADEST[l]), l),
    "typo": lambda l: url(rng.choice(TYPOS[l]), l),
    "broadest, count and facets": lambda l: url(
        rng.choice(BROADEST[l]), l, "&count=true&facets=collection"
    ),
}


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def report(name, times):
    print(
        f"SEARCH {name.replace(' ', '_')} p50_ms={percentile(times, 0.5) * 1000:.2f} "
        f"p99_ms={percentile(times, 0.99) * 1000:.2f} requests={len(times)}",
        flush=True,
    )


everything = []
for kind, make in KINDS.items():
    times = []
    for _ in range(per_kind):
        lang = rng.choice(["en", "fr", "es"])
        path = make(lang)
        elapsed, page = get(path)
        times.append(elapsed)
        # Half the time the reader goes on to the second page.
        nxt = page["links"].get("next")
        if nxt and rng.random() < 0.5:
            elapsed, _ = get(nxt[nxt.index("/v1/"):])
            times.append(elapsed)
    report(kind, times)
    everything.extend(times)
report("all", everything)
