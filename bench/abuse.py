#!/usr/bin/env python3
"""The abuse test of issue 11 (bench/abuse.sh runs it): what clients that misbehave do to a
running service, measured from outside. Standard library only; every socket goes to the
127.0.0.1 address given; every phase stops by itself.

Phases:
  stalled   CLIENTS connections ask for the export or the largest allowed page and never read
            (a tiny receive buffer); meanwhile a prober times /health/ready and small reads.
            Peak RSS while they hang on, RSS after they leave.
  methods   20,000 requests with invented methods; /metrics size before and after.
  trickle   TRICKLE request bodies sent one byte a second; each must be answered 408 and
            closed within the body timeout (plus slack).

Prints one line per figure and a last line "abuse: all targets met" or "abuse: NOT met"; exits
1 when a target is not met.
"""

import argparse
import http.client
import json
import random
import socket
import threading
import time


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Prober(threading.Thread):
    """Times small requests, one at a time on fresh connections, as a new client would."""

    def __init__(self, host, port, paths):
        super().__init__(daemon=True)
        self.host, self.port, self.paths = host, port, paths
        self.stop = threading.Event()
        self.times = {p: [] for p in paths}
        self.failures = []

    def run(self):
        while not self.stop.is_set():
            for path in self.paths:
                started = time.monotonic()
                try:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=5)
                    conn.request("GET", path)
                    response = conn.getresponse()
                    response.read()
                    conn.close()
                    elapsed = (time.monotonic() - started) * 1000
                    if response.status != 200:
                        self.failures.append(f"{path}: {response.status}")
                    self.times[path].append(elapsed)
                except OSError as error:
                    self.failures.append(f"{path}: {error}")
                    self.times[path].append((time.monotonic() - started) * 1000)
            time.sleep(0.02)


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.stop = threading.Event()
        self.peak = 0.0

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.1)


def server_connections(port):
    """Established TCP connections whose local port is the service's (its side of them)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                        count += 1
        except FileNotFoundError:
            pass
    return count


def stalled(args, report):
    baseline = rss_mb(args.pid)
    paths = ["/health/ready", f"/v1/programmes/{args.record}", "/v1/programmes?limit=5"]
    prober = Prober(args.host, args.port, paths)
    sampler = RssSampler(args.pid)
    sampler.start()
    heavy = ["/v1/export", f"/v1/programmes?limit={args.max_limit}&lang=all",
             "/v1/programmes.csv?lang=all"]
    sockets = []
    for n in range(args.clients):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect((args.host, args.port))
        path = heavy[n % len(heavy)]
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {args.host}:{args.port}\r\n\r\n".encode())
        sockets.append(s)
    time.sleep(2)  # let the heavy requests start
    held = server_connections(args.port)
    prober.start()
    time.sleep(args.duration)
    prober.stop.set()
    prober.join()
    during = sampler.peak
    # Past the write timeout, the kernel has dropped the connections that never read.
    deadline = time.monotonic() + max(0.0, args.write_timeout + 15 - args.duration)
    left = server_connections(args.port)
    while left > 0 and time.monotonic() < deadline:
        time.sleep(1)
        left = server_connections(args.port)
    for s in sockets:
        s.close()
    # RSS after they leave: the lowest within 15 s (the allocator returns memory lazily).
    after = rss_mb(args.pid)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and after >= 200:
        time.sleep(0.5)
        after = min(after, rss_mb(args.pid))
    sampler.stop.set()
    report("stalled clients", f"{args.clients} (export, page of {args.max_limit} in all "
           "languages, whole-collection CSV), never reading")
    report("RSS before", f"{baseline:.0f} MB")
    for path in paths:
        p99 = percentile(prober.times[path], 99)
        report(f"p99 {path} while they hang on", f"{p99:.1f} ms over {len(prober.times[path])} "
               "requests", p99 < 100)
    report("failed probes", f"{len(prober.failures)} {prober.failures[:3]}",
           not prober.failures)
    report("peak RSS while they hang on", f"{during:.0f} MB", during < 300)
    report("RSS after they leave", f"{after:.0f} MB", after < 200)
    report("stalled connections the service held", f"{held} at the start, {left} "
           f"{args.write_timeout + 15:.0f} s later (write timeout {args.write_timeout:.0f} s)",
           left <= args.clients // 8)


def metrics_size(args):
    conn = http.client.HTTPConnection(args.host, args.port, timeout=10)
    conn.request("GET", "/metrics")
    body = conn.getresponse().read()
    conn.close()
    return len(body)


def methods(args, report):
    def invent(count, prefix):
        sent = 0
        while sent < count:
            s = socket.create_connection((args.host, args.port), timeout=10)
            reader = s.makefile("rb")
            for _ in range(min(500, count - sent)):
                method = f"{prefix}{random.randrange(10**9)}"
                s.sendall(f"{method} /v1/programmes HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                status = reader.readline()
                length = 0
                while True:
                    line = reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.lower() == "content-length":
                        length = int(value.strip())
                reader.read(length)
                if not status.startswith(b"HTTP/1.1 4"):
                    raise SystemExit(f"an invented method got {status!r}")
                sent += 1
            s.close()

    invent(1, "WARMUP")  # the OTHER label exists once, as any first scrape would see it
    metrics_size(args)
    before = metrics_size(args)
    started = time.monotonic()
    invent(20000, "X")
    elapsed = time.monotonic() - started
    after = metrics_size(args)
    report("invented methods", f"20000 in {elapsed:.1f} s")
    report("/metrics growth", f"{after - before} bytes ({before} -> {after})",
           after - before < 1024)


def trickle(args, report):
    results = []
    lock = threading.Lock()

    def one():
        s = socket.create_connection((args.host, args.port), timeout=args.body_timeout + 10)
        started = time.monotonic()
        s.sendall(("POST /v1/programmes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   f"Authorization: Bearer {args.key}\r\nContent-Length: 1000\r\n\r\n{{").encode())
        s.settimeout(1.0)
        data = b""
        while time.monotonic() - started < args.body_timeout + 10:
            try:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            except socket.timeout:
                try:
                    s.sendall(b" ")
                except OSError:
                    break
        elapsed = time.monotonic() - started
        s.close()
        status = data.split(b"\r\n", 1)[0].decode("latin-1", "replace")
        with lock:
            results.append((status, elapsed))

    threads = [threading.Thread(target=one) for _ in range(args.trickle)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    slowest = max(e for _, e in results)
    timed_out = statuses.get("HTTP/1.1 408 Request Timeout", 0)
    report("trickling bodies", f"{args.trickle}; answers {json.dumps(statuses)}",
           timed_out == args.trickle)
    report("slowest close", f"{slowest:.1f} s (body timeout {args.body_timeout} s)",
           slowest <= args.body_timeout + 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--record", required=True, help="a programme id for the probe")
    parser.add_argument("--key", required=True, help="a write key (the trickled bodies are writes)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--max-limit", type=int, default=100)
    parser.add_argument("--trickle", type=int, default=200)
    parser.add_argument("--body-timeout", type=float, default=10)
    parser.add_argument("--write-timeout", type=float, default=60)
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the abuse test targets only this machine")
    failed = []

    def report(name, value, ok=None):
        mark = "" if ok is None else ("  met" if ok else "  NOT MET")
        print(f"  {name:<48} {value}{mark}", flush=True)
        if ok is False:
            failed.append(name)

    stalled(args, report)
    methods(args, report)
    trickle(args, report)
    print("abuse: all targets met" if not failed else f"abuse: NOT met: {', '.join(failed)}")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
