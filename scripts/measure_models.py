#!/usr/bin/env python3
"""Character accuracy and latency of vlocr's OCR stage per model choice.

Runs `vlocr ocr` with each detector/recognizer pair over a seeded synthetic set (made with
`vlocr synth`) and the shared real images (../shared/data/real, when present), and prints, per
pair: the share of truth values read exactly (as a substring of some line, spaces ignored), the
character accuracy of each value against its best-matching stretch of a line, and the median
OCR time per image (detect + orient + recognize, from vlocr's own timings).

A pair `det:rec+fast` adds a fast first-pass recognizer whose unsure lines `rec` re-reads.

Usage: python3 scripts/measure_models.py [--count N] [--seed S] [--pairs det:rec[+fast],...] [-- EXTRA FLAGS]
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VLOCR = ROOT / "target" / "release" / "vlocr"
SKIP = {"issuing_authority"}  # printed on several seal lines; scored by the field layout later


def best_substring_distance(value: str, line: str) -> int:
    """Edit distance between `value` and its best-matching substring of `line`."""
    previous = [0] * (len(line) + 1)  # free start anywhere in the line
    for i, vc in enumerate(value, 1):
        current = [i] + [0] * len(line)
        for j, lc in enumerate(line, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (vc != lc))
        previous = current
    return min(previous)  # free end anywhere


def truth_values(truth: dict) -> list:
    if "fields" in truth:
        groups = [truth["fields"]]
    else:
        groups = [truth.get("front", {}), truth.get("back", {})]
    return [v for g in groups for k, v in g.items() if v and k not in SKIP]


def images(synth_dir: Path) -> list:
    found = sorted(synth_dir.rglob("*.png"))
    real = ROOT.parent / "shared" / "data" / "real"
    if real.is_dir():
        found += sorted(real.glob("*.png"))
    return found


def score(pair: str, paths: list, extra: list) -> dict:
    det, rec = pair.split(":")
    rec, _, fast = rec.partition("+")
    command = [str(VLOCR), "ocr", "--detector", det, "--recognizer", rec, "--fast-recognizer", fast or "none",
               *extra, *map(str, paths)]
    output = subprocess.run(command, capture_output=True, text=True)
    if output.returncode not in (0, 1):
        sys.exit(f"vlocr failed: {output.stderr}")
    tiers = {}
    for doc in map(json.loads, output.stdout.splitlines()):
        path = Path(doc["file"])
        tier = "real" if "shared" in path.parts else "synthetic"
        t = tiers.setdefault(tier, {"chars": 0, "errors": 0, "values": 0, "exact": 0, "ms": []})
        lines = ["".join(l["text"].split()) for l in doc.get("lines", [])]
        timings = doc.get("timings_ms", {})
        t["ms"].append(sum(timings.get(k, 0) for k in ("detect", "orient", "recognize")))
        truth = json.loads(path.with_suffix(".json").read_text())
        for value in truth_values(truth):
            value = "".join(value.split())
            distance = min((best_substring_distance(value, line) for line in lines), default=len(value))
            t["chars"] += len(value)
            t["errors"] += min(distance, len(value))
            t["values"] += 1
            t["exact"] += distance == 0
    return tiers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--pairs", default="ppocr-v6-tiny:ppocr-v6-small+ppocr-v6-tiny,"
                        "ppocr-v6-tiny:ppocr-v6-small,ppocr-v6-small:ppocr-v6-small,"
                        "ppocr-v6-tiny:ppocr-v6-tiny,ppocr-v6-small:ppocr-v6-tiny,ppocr-v5:ppocr-v5,"
                        "ppocr-v6-tiny:ppocr-v5")
    parser.add_argument("extra", nargs="*", help="flags passed to every `vlocr ocr` run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(VLOCR), "synth", "--out", tmp, "--count", str(args.count), "--seed",
                        str(args.seed)], check=True, capture_output=True)
        paths = images(Path(tmp))
        print(f"{len(paths)} images; extra flags: {' '.join(args.extra) or '-'}")
        print(f"{'detector:recognizer[+fast]':40} {'tier':10} {'values exact':>12} {'char acc':>9} {'median ms':>10}")
        for pair in args.pairs.split(","):
            for tier, t in sorted(score(pair, paths, args.extra).items()):
                exact = f"{t['exact']}/{t['values']}"
                accuracy = 100.0 * (1 - t["errors"] / max(t["chars"], 1))
                print(f"{pair[:40]:40} {tier:10} {exact:>12} {accuracy:8.2f}% {statistics.median(t['ms']):10.0f}")


if __name__ == "__main__":
    main()
