#!/usr/bin/env python3
"""Validates the service's IATI file with tools nobody here wrote: xmllint against the official
IATI 2.03 activity schema (tests/iati/, offline), then every code against the shipped IATI
codelists (ActivityStatus, ActivityDateType, OrganisationRole, BudgetType, BudgetStatus) and
ISO 3166-1 alpha-2 country codes in form. Talks to 127.0.0.1 only.

Usage: iati_check.py BASE_URL OUT.xml [MIN_ACTIVITIES]
"""

import subprocess
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

base, out = sys.argv[1:3]
minimum = int(sys.argv[3]) if len(sys.argv) > 3 else 1
if urllib.parse.urlsplit(base).hostname not in ("127.0.0.1", "localhost"):
    raise SystemExit("the IATI check talks to this machine only")
root = Path(__file__).resolve().parent.parent / "tests" / "iati"

with urllib.request.urlopen(base + "/v1/iati/activities.xml", timeout=300) as response:
    if not response.headers.get("Content-Type", "").startswith("application/xml"):
        raise SystemExit(f"IATI file: Content-Type {response.headers.get('Content-Type')}")
    left_out = response.headers.get("IATI-Left-Out")
    Path(out).write_bytes(response.read())

result = subprocess.run(
    ["xmllint", "--noout", "--nonet", "--schema", str(root / "iati-activities-schema.xsd"), out],
    capture_output=True, text=True)
if result.returncode != 0:
    print(result.stderr[-4000:])
    raise SystemExit(f"xmllint: the IATI file is not valid against the IATI 2.03 schema")


def codes(name):
    tree = ET.parse(root / "codelists" / f"{name}.xml")
    return {c.text.strip() for c in tree.iter("code")}


lists = {name: codes(name) for name in
         ["ActivityStatus", "ActivityDateType", "OrganisationRole", "BudgetType", "BudgetStatus"]}
checks = [
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("participating-org", "role", "OrganisationRole"),
    ("budget", "type", "BudgetType"),
    ("budget", "status", "BudgetStatus"),
]
document = ET.parse(out).getroot()
activities = document.findall("iati-activity")
if len(activities) < minimum:
    raise SystemExit(f"{len(activities)} activities, expected at least {minimum}")
checked = 0
for element, attribute, codelist in checks:
    for node in document.iter(element):
        value = node.get(attribute)
        if value not in lists[codelist]:
            raise SystemExit(f"{element}/@{attribute}={value!r} is not in the {codelist} codelist")
        checked += 1
for node in document.iter("recipient-country"):
    code = node.get("code", "")
    if len(code) != 2 or not code.isupper() or not code.isalpha():
        raise SystemExit(f"recipient-country/@code={code!r} is not ISO 3166-1 alpha-2")
    checked += 1
identifiers = [a.findtext("iati-identifier") for a in activities]
if len(set(identifiers)) != len(identifiers):
    raise SystemExit("iati-identifiers repeat")
print(f"IATI: {len(activities)} activities valid against the 2.03 schema (xmllint), "
      f"{checked} codes in their codelists, {left_out} programmes left out")
