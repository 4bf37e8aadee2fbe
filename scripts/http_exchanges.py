#!/usr/bin/env python3
"""Records varied HTTP exchanges with a running service into a HAR 1.2 file, for HTTPolice (a
validator of HTTP nobody here wrote) to check: lists, records, 304, 404, 405, 410, 412, 415,
422, 429, 201, 204, HEAD, a preflight, CSV, NDJSON and more. Standard library only; talks to
127.0.0.1 only.

Usage: http_exchanges.py BASE_URL ADMIN_KEY OUT.har
The service should have rate limits on and low (the last exchanges spend the read budget
until a 429 comes back) and the built-in dataset loaded.
"""

import http.client
import json
import sys
import time
import urllib.parse
from datetime import datetime, timezone

base, key, out = sys.argv[1:4]
parsed = urllib.parse.urlsplit(base)
if parsed.hostname not in ("127.0.0.1", "localhost"):
    raise SystemExit("exchanges are recorded with this machine only")
entries = []


def exchange(method, path, headers=None, body=None, auth=False, expect=None):
    headers = {"Host": parsed.netloc, **(headers or {})}
    headers.setdefault("User-Agent", "iom-lrg-api-httpolice-check")
    if auth:
        headers["Authorization"] = f"Bearer {key}"
    data = body.encode() if isinstance(body, str) else body
    if data is not None:
        headers["Content-Length"] = str(len(data))
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in headers.items():
        conn.putheader(name, value)
    conn.endheaders(data)
    response = conn.getresponse()
    payload = response.read()
    elapsed = (time.monotonic() - clock) * 1000
    conn.close()
    if expect is not None and response.status != expect:
        raise SystemExit(f"{method} {path}: expected {expect}, got {response.status}: {payload[:300]!r}")
    url = base + path
    query = urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, keep_blank_values=True)
    request = {
        "method": method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [{"name": k, "value": v} for k, v in headers.items()],
        "queryString": [{"name": k, "value": v} for k, v in query],
        "headersSize": -1,
        "bodySize": len(data) if data is not None else 0,
    }
    if data is not None:
        request["postData"] = {"mimeType": headers.get("Content-Type", ""),
                               "text": data.decode("utf-8", "replace")}
    content_type = response.getheader("Content-Type", "")
    content = {"size": len(payload), "mimeType": content_type}
    if response.getheader("Content-Encoding"):
        # HAR holds decoded bodies; leave a compressed one out rather than mislabel it.
        content["comment"] = "compressed body not recorded"
    else:
        content["text"] = payload.decode("utf-8", "replace")
    entries.append({
        "startedDateTime": started.isoformat().replace("+00:00", "Z"),
        "time": elapsed,
        "request": request,
        "response": {
            "status": response.status,
            "statusText": response.reason,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": k, "value": v} for k, v in response.getheaders()],
            "content": content,
            "redirectURL": response.getheader("Location", ""),
            "headersSize": -1,
            "bodySize": len(payload),
        },
        "cache": {},
        "timings": {"send": 0, "wait": elapsed, "receive": 0},
    })
    return response, payload


record = "/v1/programmes/santiago-mexico-city-partnership"
json_body = {"Content-Type": "application/json"}

exchange("GET", "/v1/programmes", expect=200)
exchange("GET", "/v1/programmes?lang=fr&limit=2&count=true&facets=status", expect=200)
exchange("GET", "/v1/programmes?lang=all&include=fund", expect=200)
response, _ = exchange("GET", record, {"Accept-Language": "es"}, expect=200)
etag, modified = response.getheader("ETag"), response.getheader("Last-Modified")
exchange("GET", record, {"Accept-Language": "es", "If-None-Match": etag}, expect=304)
exchange("GET", record, {"Accept-Language": "es", "If-None-Match": f"W/{etag}"}, expect=304)
if modified:
    exchange("GET", record, {"Accept-Language": "es", "If-Modified-Since": modified}, expect=304)
exchange("HEAD", record, expect=200)
exchange("HEAD", "/v1/programmes", expect=200)
exchange("GET", "/v1/programmes/no-such-programme", expect=404)
exchange("PUT", "/v1/programmes", json_body, "{}", auth=True, expect=405)
exchange("GET", "/v1/programmes?limit=1000", expect=400)
exchange("GET", "/v1/programmes", {"Accept": "text/csv"}, expect=200)
exchange("GET", "/v1/organisations.csv?lang=fr", expect=200)
exchange("GET", "/v1/export", expect=200)
exchange("GET", "/v1/search?q=migration&lang=fr", expect=200)
exchange("GET", "/v1/changes?limit=5", expect=200)
exchange("GET", "/v1/institution", expect=200)
exchange("GET", "/v1/contacts?lang=es", expect=200)
exchange("GET", "/v1/events?upcoming=false", expect=200)
exchange("GET", "/health/live", expect=200)
exchange("GET", "/health/ready", expect=200)
exchange("GET", "/problems/not-found", expect=200)
exchange("GET", "/docs", expect=308)
exchange("GET", "/v1/programmes", {"Accept-Encoding": "gzip"}, expect=200)
exchange("OPTIONS", "/v1/programmes", {
    "Origin": "https://portal.example",
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "accept-language, if-none-match",
}, expect=200)
exchange("GET", "/v1/programmes", {"Origin": "https://portal.example"}, expect=200)

new = json.dumps({"id": "httpolice-check", "title": {"en": "A programme to check HTTP with"}})
exchange("POST", "/v1/programmes", json_body, new, expect=401)
exchange("POST", "/v1/programmes", {"Content-Type": "text/plain"}, new, auth=True, expect=415)
exchange("POST", "/v1/programmes", json_body, '{"id": "x", "title": 5}', auth=True, expect=422)
response, _ = exchange("POST", "/v1/programmes", {**json_body, "Idempotency-Key": "httpolice-1"},
                       new, auth=True, expect=201)
etag = response.getheader("ETag")
exchange("POST", "/v1/programmes", {**json_body, "Idempotency-Key": "httpolice-1"}, new,
         auth=True, expect=201)
exchange("POST", "/v1/programmes", json_body, new, auth=True, expect=409)
patch = {"Content-Type": "application/merge-patch+json"}
response, _ = exchange("PATCH", "/v1/programmes/httpolice-check", {**patch, "If-Match": etag},
                       '{"status": "closed"}', auth=True, expect=200)
exchange("PATCH", "/v1/programmes/httpolice-check", {**patch, "If-Match": etag},
         '{"status": "pipeline"}', auth=True, expect=412)
exchange("DELETE", "/v1/programmes/httpolice-check", {"If-Match": response.getheader("ETag")},
         auth=True, expect=204)
exchange("GET", "/v1/programmes/httpolice-check", expect=410)

# Spend the read budget until the service says 429; only that exchange is kept.
for _ in range(5000):
    response, _ = exchange("GET", "/v1/programmes?limit=1")
    if response.status == 429:
        break
    entries.pop()
else:
    raise SystemExit("no 429 came back: run the service with a low --read-rate-limit")

statuses = sorted({e["response"]["status"] for e in entries})
with open(out, "w") as f:
    json.dump({"log": {"version": "1.2", "creator": {"name": "http_exchanges.py", "version": "1"},
                       "entries": entries}}, f, indent=1)
print(f"recorded {len(entries)} exchanges, statuses {statuses}, in {out}")
