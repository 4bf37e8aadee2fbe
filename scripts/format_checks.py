#!/usr/bin/env python3
"""Checks the service's GeoJSON and iCalendar with libraries nobody here wrote: every GeoJSON
response must pass the `geojson` package's validation (RFC 7946 shapes), and every calendar
must parse with the `icalendar` package and keep its UIDs across requests and versions.
Talks to 127.0.0.1 only; writes one event (a key is needed) and deletes it at the end.

Usage: format_checks.py BASE_URL KEY
"""

import json
import sys
import urllib.parse
import urllib.request

import geojson
import icalendar

base, key = sys.argv[1:3]
if urllib.parse.urlsplit(base).hostname not in ("127.0.0.1", "localhost"):
    raise SystemExit("the format checks talk to this machine only")


def call(method, path, accept="application/json", body=None, headers=None):
    request = urllib.request.Request(base + path, method=method, data=body)
    request.add_header("Accept", accept)
    request.add_header("Authorization", f"Bearer {key}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers, response.read().decode("utf-8")


def fail(message):
    raise SystemExit(f"format check failed: {message}")


checked = 0
for path in [
    "/v1/programmes",
    "/v1/programmes?lang=fr&limit=1",
    "/v1/programmes?lang=all&fields=title,locations",
    "/v1/programmes/santiago-mexico-city-partnership",
    "/v1/organisations?limit=100",
    "/v1/organisations/uclg",
]:
    status, headers, text = call("GET", path, "application/geo+json")
    if status != 200 or not headers.get("Content-Type", "").startswith("application/geo+json"):
        fail(f"{path}: {status} {headers.get('Content-Type')}")
    document = geojson.loads(text)
    if not document.is_valid:
        fail(f"{path}: not valid GeoJSON: {document.errors()}")
    checked += 1
placed = json.loads(call("GET", "/v1/programmes/santiago-mexico-city-partnership",
                         "application/geo+json")[2])
if placed["geometry"]["type"] != "MultiPoint":
    fail(f"the Santiago-Mexico City programme is not placed: {placed['geometry']}")

# A calendar with an event that has a day; its UID stays through a new version.
event = json.dumps({"id": "format-check-event", "title": {"en": "Format check", "fr": "Vérification"},
                    "description": {"en": "An event, with a comma; and a semicolon."},
                    "year": 2030, "month": 2, "day": 28, "forum": "gfmd"}).encode()
status, _, _ = call("POST", "/v1/events", body=event, headers={"Content-Type": "application/json"})
if status != 201:
    fail(f"creating the event answered {status}")


def calendar(path):
    status, headers, text = call("GET", path, "text/calendar")
    if status != 200 or not headers.get("Content-Type", "").startswith("text/calendar"):
        fail(f"{path}: {status} {headers.get('Content-Type')}")
    parsed = icalendar.Calendar.from_ical(text)
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    return parsed, events, headers


first, events, headers = calendar("/v1/events?lang=fr")
uid = "format-check-event@iom-lrg-api"
if uid not in events:
    fail(f"no {uid} in {list(events)}")
if str(first["VERSION"]) != "2.0" or not str(first["PRODID"]):
    fail("VERSION or PRODID missing")
if events[uid]["DTSTART"].dt.isoformat() != "2030-02-28" or int(events[uid]["SEQUENCE"]) != 0:
    fail(f"DTSTART or SEQUENCE: {events[uid]['DTSTART'].dt} {events[uid]['SEQUENCE']}")
if str(events[uid]["SUMMARY"]) != "Vérification":
    fail(f"SUMMARY in French: {events[uid]['SUMMARY']}")
_, again, _ = calendar("/v1/events?lang=fr")
if set(again) != set(events):
    fail("the UIDs changed between two requests")
status, headers, _ = call("GET", "/v1/events/format-check-event")
status, _, _ = call("PATCH", "/v1/events/format-check-event", body=b'{"day": 27}',
                    headers={"Content-Type": "application/merge-patch+json",
                             "If-Match": headers["ETag"]})
if status != 200:
    fail(f"the patch answered {status}")
_, after, _ = calendar("/v1/events/format-check-event")
if list(after) != [uid] or int(after[uid]["SEQUENCE"]) != 1:
    fail(f"after a new version: {list(after)} SEQUENCE {after.get(uid, {}).get('SEQUENCE')}")
if after[uid]["DTSTART"].dt.isoformat() != "2030-02-27":
    fail("the new day is not in the calendar")
checked += 4
status, headers, _ = call("GET", "/v1/events/format-check-event")
call("DELETE", "/v1/events/format-check-event", headers={"If-Match": headers["ETag"]})

# A programme with what IATI requires (the built-in one lacks a status and dates), kept for the
# IATI check that follows.
programme = json.dumps({
    "id": "format-check-programme",
    "title": {"en": "Inclusive cities & migrants", "fr": "Villes inclusives et migrants"},
    "summary": {"en": "Capacity building with local governments.",
                "fr": "Renforcement des capacités avec les gouvernements locaux."},
    "status": "implementation", "planned_start": "2024-01-01", "planned_end": "2026-12-31",
    "actual_start": "2024-02-01", "recipient_countries": ["CL", "MX"],
    "locations": [{"name": {"en": "Santiago"}, "country": "CL",
                   "latitude": -33.45694, "longitude": -70.64827}],
    "participating_organisations": [{"organisation": "iom", "role": "implementing"},
                                    {"organisation": "santiago-local-government", "role": "implementing"}],
    "budget": {"amount": 250000, "currency": "USD"}}).encode()
status, _, _ = call("POST", "/v1/programmes", body=programme,
                    headers={"Content-Type": "application/json"})
if status != 201:
    fail(f"creating the IATI programme answered {status}")
print(f"format checks: {checked} responses valid (geojson {geojson.__version__}, "
      f"icalendar {icalendar.__version__}); calendar UIDs stable across requests and versions")
