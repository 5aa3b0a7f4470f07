#!/usr/bin/env python3
"""Load benchmark of `vlocr serve` (a measurement, not a test).

    make setup && cargo build --release -p vlocr-cli
    python3 scripts/load_bench.py [--seconds 20] [--levels 1,2,4,8,16] [--overload-seconds 60]

Starts the release binary on a free loopback port (token authentication on, default workers and
queue unless --workers/--queue), renders front-page photos (1600x1200 JPEG, `vlocr synth
--difficulty photo`) unless --images is given, and then:

1. closed loop: at each concurrency level, that many clients send requests back to back for
   --seconds; throughput (answers 200 per second) and p50/p99 latency of the answers 200;
2. overload: an open loop at twice the best throughput of step 1 for --overload-seconds; how many
   answers were 200, 429 (ModelArts.4401) and anything else, and p50/p99 of the accepted ones.

The server's peak resident memory (VmHWM) is read from /proc at the end. Standard library only:
the load generator is plain threads with keep-alive HTTP/1.1 connections, and it shares the
machine's cores with the server, as a client on the same host would.
"""

import argparse
import base64
import glob
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "load-bench-token"
PATH = "/v2/bench/ocr/vehicle-license"


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    index = min(len(values) - 1, max(0, int(round(q / 100 * (len(values) - 1)))))
    return values[index]


class Client:
    """One keep-alive connection."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def post(self, body):
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            start = time.perf_counter()
            try:
                self.connection.request("POST", PATH, body=body, headers={
                    "Content-Type": "application/json", "X-Auth-Token": TOKEN})
                response = self.connection.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - start
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    return ("connection-error", time.perf_counter() - start)
                continue
            if response.status == 200:
                return ("200", elapsed)
            try:
                code = json.loads(payload).get("error_code", "")
            except ValueError:
                code = "not-json"
            return (f"{response.status} {code}", elapsed)
        return ("connection-error", 0.0)


def summarize(name, outcomes, seconds):
    accepted = [t for status, t in outcomes if status == "200"]
    counts = {}
    for status, _ in outcomes:
        counts[status] = counts.get(status, 0) + 1
    return {
        "run": name,
        "seconds": round(seconds, 1),
        "requests": len(outcomes),
        "ok_per_second": round(len(accepted) / seconds, 2),
        # None when nothing was answered 200 (see `answers` for what was).
        "p50_ms": round(percentile(accepted, 50) * 1000) if accepted else None,
        "p99_ms": round(percentile(accepted, 99) * 1000) if accepted else None,
        "answers": counts,
    }


def closed_loop(port, bodies, concurrency, seconds):
    outcomes, lock = [], threading.Lock()
    deadline = time.perf_counter() + seconds

    def run(index):
        client, i = Client(port), index
        while time.perf_counter() < deadline:
            result = client.post(bodies[i % len(bodies)])
            i += 1
            with lock:
                outcomes.append(result)

    start = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summarize(f"concurrency {concurrency}", outcomes, time.perf_counter() - start)


def open_loop(port, bodies, rate, seconds):
    outcomes, lock = [], threading.Lock()
    local = threading.local()

    def send(i):
        if not hasattr(local, "client"):
            local.client = Client(port)
        result = local.client.post(bodies[i % len(bodies)])
        with lock:
            outcomes.append(result)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=96) as pool:
        i = 0
        while True:
            due = start + i / rate
            now = time.perf_counter()
            if due - start >= seconds:
                break
            if due > now:
                time.sleep(due - now)
            pool.submit(send, i)
            i += 1
    return summarize(f"open loop {rate:.1f}/s (2x)", outcomes, time.perf_counter() - start)


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/vlocr"))
    parser.add_argument("--images", help="folder of images (default: 8 synthetic photos)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--levels", default="1,2,4,8,16")
    parser.add_argument("--overload-seconds", type=float, default=60)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--queue", type=int)
    parser.add_argument("--json", help="write the report here")
    args = parser.parse_args()

    images = args.images
    if images is None:
        images = tempfile.mkdtemp(prefix="vlocr-load-")
        subprocess.run([args.binary, "synth", "--out", images, "--count", "8", "--seed", "5",
                        "--difficulty", "photo"], check=True, stdout=subprocess.DEVNULL)
    files = sorted(glob.glob(os.path.join(images, "**", "*.jpg"), recursive=True)
                   + glob.glob(os.path.join(images, "**", "*.png"), recursive=True))
    if not files:
        sys.exit(f"no images in {images}")
    bodies = [json.dumps({"image": base64.b64encode(open(f, "rb").read()).decode(),
                          "side": "front"}).encode() for f in files]

    command = [args.binary, "serve", "--listen", "127.0.0.1:0", "--auth-tokens", TOKEN]
    if args.workers:
        command += ["--workers", str(args.workers)]
    if args.queue is not None:
        command += ["--queue", str(args.queue)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
        for _ in range(600):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health/ready")
            if connection.getresponse().status == 200:
                break
            time.sleep(0.1)
        warm = Client(port)
        for body in bodies:
            warm.post(body)
        report = {"images": len(files), "cores": os.cpu_count(), "runs": []}
        for level in [int(x) for x in args.levels.split(",") if x]:
            result = closed_loop(port, bodies, level, args.seconds)
            report["runs"].append(result)
            print(json.dumps(result), flush=True)
        best = max(r["ok_per_second"] for r in report["runs"])
        if args.overload_seconds > 0:
            result = open_loop(port, bodies, 2 * best, args.overload_seconds)
            report["runs"].append(result)
            print(json.dumps(result), flush=True)
        report["peak_rss_mib"] = round(peak_rss_mib(server.pid))
        report["server_alive"] = server.poll() is None
        print(json.dumps({"peak_rss_mib": report["peak_rss_mib"],
                          "server_alive": report["server_alive"]}), flush=True)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(report, f, indent=2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
