#!/usr/bin/env python3
"""Latency of two vlocr binaries on the same images, in one run (a measurement, not a test).

    python3 scripts/compare_latency.py --baseline /path/to/old/vlocr [--binary target/release/vlocr] \
        --images FOLDER [--side front] [--limit 100] [--rounds 1] [--baseline-args '...'] [--args '...']

This machine's speed drifts by tens of percent within minutes, so two runs made one after the
other compare badly. Here both binaries serve at once (`vlocr serve` on loopback ports, token
authentication, default settings) and every image goes to one and then the other, the order
swapped from one image to the next, one request at a time: both meet the same drift. The same
binary with two settings compares the same way (--baseline-args, --args). Reported
per binary: p50 and p95 of the answer time as a client sees it (decode included), and the median
of the per-image ratio new / baseline with how many images were faster. Standard library only.
"""

import argparse
import base64
import glob
import http.client
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "compare-latency-token"
PATH = "/v2/compare/ocr/vehicle-license"


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(q / 100 * (len(values) - 1)))))]


def start(binary, extra):
    command = [binary, "serve", "--listen", "127.0.0.1:0", "--auth-tokens", TOKEN] + extra.split()
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline().strip()
    port = line.rsplit(":", 1)[-1]
    if not port.isdigit():
        server.kill()
        sys.exit(f"{binary} did not start (is VLOCR_MODELS_DIR set?): {line!r}")
    return server, int(port)


def post(port, body):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("POST", PATH, body=body, headers={
        "Content-Type": "application/json", "X-Auth-Token": TOKEN})
    response = connection.getresponse()
    answer = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, answer, elapsed * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", required=True, help="the binary to compare against")
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/vlocr"))
    parser.add_argument("--baseline-args", default="",
                        help="more `vlocr serve` arguments for the baseline (e.g. '--models-dir DIR')")
    parser.add_argument("--args", default="", help="more `vlocr serve` arguments for --binary")
    parser.add_argument("--images", required=True, help="folder of images (searched recursively)")
    parser.add_argument("--side", default="front", help="front, back or double_side")
    parser.add_argument("--limit", type=int, default=100, help="at most this many images")
    parser.add_argument("--rounds", type=int, default=1, help="times each image is sent")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()

    files = sorted(f for f in glob.glob(os.path.join(args.images, "**", "*"), recursive=True)
                   if f.lower().endswith((".jpg", ".jpeg", ".png")))[: args.limit]
    if not files:
        sys.exit(f"no images under {args.images}")
    servers = {name: start(binary, extra) for name, binary, extra in
               (("baseline", args.baseline, args.baseline_args), ("new", args.binary, args.args))}
    times = {"baseline": [], "new": []}
    differing = 0
    try:
        for name, (_, port) in servers.items():  # warm up both
            body = json.dumps({"image": base64.b64encode(open(files[0], "rb").read()).decode(),
                               "side": args.side}).encode()
            post(port, body)
        for round_ in range(args.rounds):
            for i, path in enumerate(files):
                body = json.dumps({"image": base64.b64encode(open(path, "rb").read()).decode(),
                                   "side": args.side}).encode()
                order = ["baseline", "new"] if (i + round_) % 2 == 0 else ["new", "baseline"]
                answers = {}
                for name in order:
                    status, answer, ms = post(servers[name][1], body)
                    times[name].append(ms)
                    answers[name] = (status, answer)
                if answers["baseline"] != answers["new"]:
                    differing += 1
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait()
    ratios = [n / b for n, b in zip(times["new"], times["baseline"])]
    figures = {
        name: {"p50_ms": percentile(values, 50), "p95_ms": percentile(values, 95)}
        for name, values in times.items()
    }
    figures["requests"] = len(ratios)
    figures["median_ratio_new_over_baseline"] = statistics.median(ratios)
    figures["new_faster"] = sum(r < 1 for r in ratios)
    figures["answers_differing"] = differing
    for name in ("baseline", "new"):
        print(f"{name:9} p50 {figures[name]['p50_ms']:6.0f} ms   p95 {figures[name]['p95_ms']:6.0f} ms")
    print(f"{len(ratios)} requests: median ratio new/baseline {figures['median_ratio_new_over_baseline']:.3f}, "
          f"new faster on {figures['new_faster']}; answers differing on {differing}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)


if __name__ == "__main__":
    main()
