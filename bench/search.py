#!/usr/bin/env python3
"""Single-request latency of the searches partners make, by kind, with nothing cached.

Kinds (each in English, French and Spanish, drawn at random): a city (selective: one city in
forty), a city and a theme (more selective), a theme (broad: one programme in twelve), the
broadest words and prefixes (`migr*`, "migrants": nearly every programme), a typo (typo
tolerance looks near words up), and the broad ones with `count=true&facets=collection`, and
second pages. One keep-alive connection, so each figure is one request's latency with nothing
queued; run the service with --cache-entries 0 so every page is computed ("from a cold cache").

Prints the bare reference first (`REFERENCE health_live p50_ms=..`: `/health/live` on the same
connection), then one line per kind (`SEARCH kind p50_ms=.. p99_ms=.. requests=..`, read by
bench/run.sh) followed by how its first pages were ordered (`ORDER kind relevance=.. recency=..`,
see docs/API.md on broad queries), and one line for all kinds together. Usage: search.py
BASE_URL [REQUESTS_PER_KIND]. Only 127.0.0.1 is targeted; the run is bounded by the request
count.
"""

import random
import sys
from urllib.parse import quote

from latency import connect, report

base = sys.argv[1]
per_kind = int(sys.argv[2]) if len(sys.argv) > 2 else 60
get = connect(base, "search.py")
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


# The bare reference of the same run: the service's cheapest answer (static, every
# middleware) on the same connection, so each kind can be given as a ratio to it.
reference = [get("/health/live")[0] for _ in range(200)]
report("REFERENCE", "health_live", reference)

everything = []
for kind, make in KINDS.items():
    times = []
    # How the pages were ordered (`ranked_by`: relevance, or recency for broad queries).
    orders = {}
    for _ in range(per_kind):
        lang = rng.choice(["en", "fr", "es"])
        path = make(lang)
        elapsed, page = get(path)
        times.append(elapsed)
        orders[page.get("ranked_by")] = orders.get(page.get("ranked_by"), 0) + 1
        # Half the time the reader goes on to the second page.
        nxt = page["links"].get("next")
        if nxt and rng.random() < 0.5:
            elapsed, _ = get(nxt[nxt.index("/v1/"):])
            times.append(elapsed)
    report("SEARCH", kind.replace(" ", "_"), times)
    print(
        f"ORDER {kind.replace(' ', '_')} "
        + " ".join(f"{order}={n}" for order, n in sorted(orders.items(), key=str)),
        flush=True,
    )
    everything.extend(times)
report("SEARCH", "all", everything)
