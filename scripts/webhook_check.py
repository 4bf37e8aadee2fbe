#!/usr/bin/env python3
"""Checks webhook deliveries with the Standard Webhooks reference library (`standardwebhooks`
on PyPI), a verifier nobody here wrote.

Usage: webhook_check.py BASE_URL ADMIN_KEY

The service must run with --webhook-allow-private (the receiver is on 127.0.0.1, started here).
Subscribes a receiver that fails a third of first attempts, makes 60 writes (creates, patches,
deletes), rotates the secret half-way, and checks that every delivery verifies with the
reference library (with the secret in force, and with the old one during the overlap), that
every entry arrives, in seq order, and that each payload is the feed entry.
"""

import http.server
import json
import sys
import threading
import time
import urllib.request

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

BASE, KEY = sys.argv[1], sys.argv[2]
lock = threading.Lock()
received = []  # (headers, body, status)
attempts = {}


def call(method, path, body=None, content_type="application/json"):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + KEY)
    if data is not None:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return response.status, (json.loads(text) if text else None)


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        headers = {k.lower(): v for k, v in self.headers.items()}
        with lock:
            n = attempts.get(headers["webhook-id"], 0) + 1
            attempts[headers["webhook-id"]] = n
            seq = int(headers["webhook-id"].rsplit("_", 1)[1])
            status = 500 if n == 1 and seq % 3 == 0 else 204
            received.append((headers, body, status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_address[1]}/hook"

status, hook = call("POST", "/v1/webhooks", {"url": url, "description": "reference check"})
assert status == 201, status
secrets = [hook["secret"]]
start = hook["position"]
ids = []
for i in range(20):
    ident = f"webhook-check-{i}"
    call("POST", "/v1/organisations", {"id": ident, "name": {"en": f"Check {i}"}, "kind": "local_government"})
    ids.append(ident)
    if i == 9:
        # Let some deliveries go out under the first secret alone.
        deadline = time.time() + 30
        while len(received) < 5 and time.time() < deadline:
            time.sleep(0.05)
        status, rotated = call("POST", f"/v1/webhooks/{hook['id']}/rotate-secret")
        assert status == 200 and rotated["secret"] != secrets[0]
        secrets.append(rotated["secret"])
for ident in ids:
    call("PATCH", f"/v1/organisations/{ident}", {"country": "CL"}, "application/merge-patch+json")
for ident in ids:
    call("DELETE", f"/v1/organisations/{ident}")
status, feed = call("GET", f"/v1/changes?since={start}&limit=1000")
expected = [entry["seq"] for entry in feed["data"]]
assert len(expected) == 60, len(expected)

deadline = time.time() + 120
while True:
    with lock:
        delivered = []
        for headers, body, status in received:
            seq = json.loads(body)["data"]["seq"]
            if 200 <= status < 300 and seq not in delivered:
                delivered.append(seq)
    if len(delivered) >= len(expected):
        break
    if time.time() > deadline:
        sys.exit(f"only {len(delivered)} of {len(expected)} entries delivered in 120 s")
    time.sleep(0.1)

assert delivered == expected, f"out of order or missing: {delivered} != {expected}"
assert any(len(h["webhook-signature"].split()) == 1 for h, _, _ in received), "none before the rotation"
# The feed read with an admin key names the key that wrote; deliveries never do.
entries = {entry["seq"]: {k: v for k, v in entry.items() if k != "key"} for entry in feed["data"]}
verified = both = 0
for headers, body, status in received:
    payload = Webhook(secrets[-1]).verify(body, headers) if len(headers["webhook-signature"].split()) == 2 else None
    if payload is None:
        # Before the rotation only the first secret signs.
        try:
            payload = Webhook(secrets[0]).verify(body, headers)
        except WebhookVerificationError:
            payload = Webhook(secrets[-1]).verify(body, headers)
    else:
        Webhook(secrets[0]).verify(body, headers)  # the old secret still verifies
        both += 1
    verified += 1
    seq = payload["data"]["seq"]
    assert payload["data"] == entries[seq], (payload, entries[seq])
    assert payload["type"] == f"{entries[seq]['collection']}.{entries[seq]['action']}"
    assert headers["webhook-id"] == f"msg_{hook['id']}_{seq}"
try:
    Webhook("whsec_" + "A" * 43 + "=").verify(received[0][1], received[0][0])
    sys.exit("a wrong secret verified")
except WebhookVerificationError:
    pass
retried = sum(1 for _, _, status in received if status == 500)
call("DELETE", f"/v1/webhooks/{hook['id']}")
print(f"standardwebhooks verified {verified} deliveries ({both} signed by both secrets after the "
      f"rotation, {retried} retried); all {len(expected)} entries arrived in order")
