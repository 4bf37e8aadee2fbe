"""Drives the API through a Python client generated from openapi/openapi.json by
openapi-python-client, as a partner app would: list and page with the cursor, read in French,
create, patch with If-Match, hit a 412 and a 422, delete, and read the change feed.

Usage: python check.py BASE_URL ADMIN_KEY  (with the generated package `client` importable)
"""

import json
import sys
import time

from client import AuthenticatedClient
from client.api.changes import export_all, list_changes
from client.api.institution import get_institution
from client.api.migration_domains import list_migration_domains
from client.api.search import search_all
from client.models.search_all_lang import SearchAllLang
from client.api.programmes import create_programme, delete_programme, update_programme
from client.models import ProgrammePatch, ProgrammeWrite
from client.types import UNSET


def check(condition: object, message: str) -> None:
    if not condition:
        raise SystemExit(f"python client check failed: {message}")


base_url, key = sys.argv[1], sys.argv[2]
api = AuthenticatedClient(base_url=base_url, token=key)

# List and page with the cursor.
seen: list[str] = []
cursor = UNSET
while True:
    page = list_migration_domains.sync_detailed(client=api, limit=3, count=True, cursor=cursor)
    check(page.status_code == 200, f"list: {page.status_code}")
    seen += [d.id for d in page.parsed.data]
    check(page.parsed.meta.total == 4, "meta.total is 4")
    if not page.parsed.meta.next_cursor:
        break
    cursor = page.parsed.meta.next_cursor
check(
    seen == ["migration-and-development", "facilitating-migration", "regulating-migration", "forced-migration"],
    f"paged: {seen}",
)

# Full-text search in French, stemmed and accent-insensitive.
found = search_all.sync_detailed(client=api, q="travail decent", lang=SearchAllLang.FR)
check(found.status_code == 200, f"search: {found.status_code}")
check(found.parsed.data[0].id == "santiago-mexico-city-partnership", "search finds the programme")
check(found.parsed.ranked_by == "relevance", f"search is ranked: {found.parsed.ranked_by}")
check("<mark>" in found.parsed.data[0].snippet, "the snippet marks the words found")

# The export: NDJSON whose first line is stamped with the feed's seq.
exported = export_all.sync_detailed(client=api)
check(exported.status_code == 200, f"export: {exported.status_code}")
header = json.loads(exported.content.split(b"\n", 1)[0])
check(header["format"] == "iom-lrg-export" and header["seq"] >= 1, f"export header: {header}")

# Read in French.
iom = get_institution.sync_detailed(client=api, accept_language="fr")
check(iom.status_code == 200 and iom.parsed.acronym == "OIM", "institution in French")
check(iom.headers.get("content-language") == "fr", "Content-Language: fr")

# Create, then patch with the ETag of what was created.
record_id = f"python-check-{int(time.time() * 1000)}"
body = ProgrammeWrite.from_dict({"id": record_id, "title": {"en": "Python check", "es": "Verificación"}, "recipient_countries": ["MX"]})
created = create_programme.sync_detailed(client=api, body=body)
check(created.status_code == 201 and created.parsed.id == record_id, f"create: {created.status_code}")
etag = created.headers["etag"]
patched = update_programme.sync_detailed(record_id, client=api, body=ProgrammePatch.from_dict({"status": "implementation"}), if_match=etag)
check(patched.status_code == 200 and patched.parsed.version == 2, f"patch: {patched.status_code}")

# The same ETag again is stale: 412, as a problem document.
stale = update_programme.sync_detailed(record_id, client=api, body=ProgrammePatch.from_dict({"status": "closed"}), if_match=etag)
check(stale.status_code == 412 and stale.parsed.type_ == "/problems/precondition-failed", f"stale: {stale.status_code}")

# A broken body: 422 listing every broken member. Sent as raw JSON, as the generated types
# (CountryCode is an enumeration) refuse to build it.
invalid = api.get_httpx_client().post("/v1/programmes", json={"title": "", "recipient_countries": ["ZZ"]})
check(invalid.status_code == 422, f"invalid: {invalid.status_code}")
check([e["field"] for e in invalid.json()["errors"]] == ["/title", "/recipient_countries/0"], "422 fields")

# Delete, then the feed shows all three changes.
deleted = delete_programme.sync_detailed(record_id, client=api)
check(deleted.status_code == 204, f"delete: {deleted.status_code}")
feed = list_changes.sync_detailed(client=api, since=0, limit=1000)
check(feed.status_code == 200, "feed")
actions = [c.action.value for c in feed.parsed.data if c.id == record_id]
check(actions == ["created", "updated", "deleted"], f"feed: {actions}")
print("python client: 9 checks passed")
