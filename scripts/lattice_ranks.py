#!/usr/bin/env python3
"""How far down a line's lattice the true characters sit (a measurement for the lattice's size).

    vlocr ocr --lattices IMAGES... > lines.jsonl
    python3 scripts/lattice_ranks.py lines.jsonl

For every truth value of each image (its `.json` beside it, as `vlocr synth` writes them), the
line whose lattice reads the value best (a Viterbi alignment of the value anywhere in the line,
the frames around it free) is taken, and each character of the value is given its rank among
the symbols listed at the frames aligned to it. Prints how many characters were read first,
2nd-8th, 9th-12th, 13th-24th, 25th-48th, lower, or not listed at all. `vlocr ocr --lattices`
lists at most `MAX_SYMBOLS` symbols a frame (crates/ctc/src/lattice.rs) and none under 0.1%:
to count ranks beyond it, build with a larger `MAX_SYMBOLS` and smaller `MIN_PROBABILITY`.
Standard library only.
"""

import collections
import json
import math
import os
import sys

FLOOR = 1e-7
NEG = -1e30


def log(p):
    return math.log(max(p, FLOOR))


def align(frames, value):
    """(score against the line's likeliest path, state per frame) of `value` read in `frames`."""
    n_states = 2 * len(value) + 1
    if len(frames) < len(value):
        return None
    garbage = []
    emit = []
    for frame in frames:
        symbols = dict(frame.get("s", []))
        best = max([frame["b"]] + list(symbols.values()))
        garbage.append(log(best))
        emit.append([log(frame["b"]) if s % 2 == 0 else log(symbols.get(value[s // 2], 0.0))
                     for s in range(n_states)])
    # States: 0 before the value (garbage), 1..n_states the value's, n_states + 1 after it.
    after = n_states + 1
    alpha = [NEG] * (n_states + 2)
    back = []
    for t in range(len(frames)):
        new = [NEG] * (n_states + 2)
        came = [0] * (n_states + 2)
        if t == 0:
            new[0] = garbage[0]
            new[1] = emit[0][0]
            new[2] = emit[0][1]
        else:
            new[0] = alpha[0] + garbage[t]
            for s in range(n_states):
                i = s + 1
                options = [(alpha[i], i)]
                if s >= 1:
                    options.append((alpha[i - 1], i - 1))
                if s % 2 == 1 and s >= 2 and value[s // 2] != value[s // 2 - 1]:
                    options.append((alpha[i - 2], i - 2))
                if s <= 1:
                    options.append((alpha[0], 0))
                best, came[i] = max(options)
                new[i] = best + emit[t][s]
            best, came[after] = max([(alpha[after], after), (alpha[n_states], n_states),
                                     (alpha[n_states - 1], n_states - 1)])
            new[after] = best + garbage[t]
        back.append(came)
        alpha = new
    score, state = max([(alpha[n_states], n_states), (alpha[n_states - 1], n_states - 1),
                        (alpha[after], after)])
    path = []
    for t in range(len(frames) - 1, -1, -1):
        path.append(state)
        if t > 0:
            state = back[t][state]
    path.reverse()
    return score - sum(garbage), path


def bucket(rank):
    if rank is None:
        return "not listed"
    for top, name in [(1, "1st"), (8, "2nd-8th"), (12, "9th-12th"), (24, "13th-24th"),
                      (48, "25th-48th")]:
        if rank <= top:
            return name
    return "lower"


def truth_values(truth):
    values = {}

    def walk(node, prefix):
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, prefix + key + ".")
            elif isinstance(value, str) and len(value.replace(" ", "")) >= 2:
                values[prefix + key] = value.replace(" ", "")

    walk(truth.get("fields", truth), "")
    return values


def main():
    counts = collections.Counter()
    for line in open(sys.argv[1], encoding="utf-8"):
        document = json.loads(line)
        truth_path = os.path.splitext(document["file"])[0] + ".json"
        if not os.path.exists(truth_path):
            continue
        truth = json.load(open(truth_path, encoding="utf-8"))
        for value in truth_values(truth).values():
            best = None
            for text_line in document["lines"]:
                shared = sum(1 for c in set(value) if c in text_line["text"])
                if shared < max(2, 0.4 * len(set(value))) or not text_line.get("lattices"):
                    continue
                frames = text_line["lattices"][0]
                aligned = align(frames, value)
                if aligned and (best is None or aligned[0] > best[0]):
                    best = (aligned[0], aligned[1], frames)
            if best is None:
                continue
            _, path, frames = best
            for i, c in enumerate(value):
                rank = None
                for t, state in enumerate(path):
                    if state != 2 * i + 2:
                        continue
                    symbols = [s for s, _ in frames[t].get("s", [])]
                    if c in symbols:
                        r = symbols.index(c) + 1
                        rank = r if rank is None else min(rank, r)
                counts[bucket(rank)] += 1
    total = sum(counts.values()) or 1
    for name in ["1st", "2nd-8th", "9th-12th", "13th-24th", "25th-48th", "lower", "not listed"]:
        print(f"{name:>10} {counts[name]:6} {100 * counts[name] / total:6.2f}%")


if __name__ == "__main__":
    main()
