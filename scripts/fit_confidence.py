#!/usr/bin/env python3
"""Fits the field confidence curves (`crates/field-layout/calibration/confidence.txt`).

    vlocr eval SETS... --fields-out fields.jsonl     # on synthetic photos with truth
    python3 scripts/fit_confidence.py fields.jsonl... [--out FILE] [--source TEXT]

Each scored field of `vlocr eval --fields-out` carries the engine's raw score (`raw`), whether
its value passed the field's grammar (`valid`; both absent when the field was not found: verdict
`missing`, raw 0; an empty value has the verdict `blank`) and whether it was right. For each
field and verdict with enough values (else
for all fields of that verdict, `*`), an isotonic regression
(pool adjacent violators) of right on raw gives blocks of raw scores; each block becomes a
point at its mean raw score with the share right in it, smoothed by one right and one wrong
(so no point is 0 or 1). The engine interpolates linearly between points. Standard library
only.
"""
import argparse
import collections
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "crates/field-layout/calibration/confidence.txt")
MIN_VALUES = 300      # values a field needs for a curve of its own
MIN_MISSING = 40      # fields not found that a field needs for its own (one-point) curve
MIN_INVALID = 20      # values failing their grammar (or blank) a field needs for its own curve: fields
                      # fail in their own ways (a vehicle type no reading held, answered as the
                      # list's likeliest, is right half the time; a stamp with no province never)
MIN_BLOCK = 20        # values a point stands for, at least (smaller blocks are merged)


def isotonic_blocks(pairs):
    """Pool adjacent violators over (raw, right) sorted by raw: [raw_sum, right_sum, n] blocks."""
    by_raw = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for raw, right in pairs:  # equal scores are one block: nothing tells them apart
        by_raw[raw][0] += raw
        by_raw[raw][1] += float(right)
        by_raw[raw][2] += 1
    blocks = []
    for raw in sorted(by_raw):
        blocks.append(list(by_raw[raw]))
        while len(blocks) > 1 and (blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]):
            last = blocks.pop()
            for i in range(3):
                blocks[-1][i] += last[i]
    # Merge small blocks into their neighbour (the share stays monotone: a weighted mean of
    # two adjacent rising shares lies between them).
    merged = []
    for block in blocks:
        if merged and (merged[-1][2] < MIN_BLOCK or block[2] < MIN_BLOCK):
            for i in range(3):
                merged[-1][i] += block[i]
        else:
            merged.append(list(block))
    if len(merged) > 1 and merged[-1][2] < MIN_BLOCK:
        last = merged.pop()
        for i in range(3):
            merged[-1][i] += last[i]
    return merged


def curve(pairs):
    points = []
    for raw_sum, right_sum, n in isotonic_blocks(pairs):
        raw = round(raw_sum / n, 4)
        share = round((right_sum + 1) / (n + 2), 3)
        if points and raw <= points[-1][0]:
            raw = round(points[-1][0] + 0.0001, 4)
        if points and share < points[-1][1]:
            share = points[-1][1]
        points.append((raw, share))
    return points


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="`vlocr eval --fields-out` files")
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--source", default="", help="what the files were measured on (a comment)")
    args = parser.parse_args()
    groups = collections.defaultdict(list)
    for path in args.files:
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if record["field"].startswith("alarm."):
                    continue  # an alarm flag, not a field
                field = record["field"].split(".", 1)[-1]
                if record.get("raw") is None:
                    verdict, raw = "missing", 0.0
                else:
                    # An empty value is judged apart, as the engine judges it.
                    verdict = ("blank" if record.get("read") == ""
                               else "valid" if record["valid"] else "invalid")
                    raw = min(max(float(record["raw"]), 0.0), 1.0)  # as the engine clamps it
                groups[(field, verdict)].append((raw, bool(record["right"])))
    own = {key for key, pairs in groups.items()
           if len(pairs) >= {"missing": MIN_MISSING, "invalid": MIN_INVALID,
                             "blank": MIN_INVALID}.get(key[1], MIN_VALUES)}
    # `*`, for the fields without a curve of their own: those fields' values (all values of
    # that verdict when they are too few).
    for verdict in ("valid", "invalid", "blank", "missing"):
        rest = [p for key, pairs in groups.items() if key[1] == verdict and key not in own
                for p in pairs]
        if len(rest) < MIN_MISSING:
            rest = [p for key, pairs in groups.items() if key[1] == verdict for p in pairs]
        if rest:
            groups[("*", verdict)] = rest
            own.add(("*", verdict))
    lines = [
        "# Field confidence curves: `field valid|invalid|blank|missing raw:right ...`, made by",
        "# scripts/fit_confidence.py (isotonic regression of right on the engine's raw score).",
        f"# Fitted on: {args.source or ', '.join(os.path.basename(p) for p in args.files)}",
    ]
    for (field, verdict), pairs in sorted(groups.items()):
        if (field, verdict) not in own:
            continue
        points = curve(pairs)
        wrong = sum(1 for _, right in pairs if not right)
        print(f"{field:22} {verdict:8} {len(pairs):6} values, {wrong:4} wrong, {len(points)} points",
              file=sys.stderr)
        lines.append(f"{field} {verdict} " + " ".join(f"{r}:{s}" for r, s in points))
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
