#!/usr/bin/env python3
"""How often a value read under its field's grammar is right, by how far it lies from what the
readings read likeliest (a measurement for setting the decoder's margins, not a test).

    cargo build --release -p vlocr-cli
    cd SETS && ../target/release/vlocr recognize --trace --jsonl --return-issuing-authority \\
        SET/*/*.jpg > trace.jsonl
    python3 scripts/margin_calibration.py trace.jsonl [--root SETS]

Each line of `trace.jsonl` is one image's answer with its `file` (relative to --root, the folder
`vlocr recognize` ran in) and its `trace`; the truth is the `.json` beside the image
(`shared/docs/fields.md`). For each field, the last decision of its trace is sorted by the fused
score of the value taken (`values: "V" S, ... | taken "V"`: 0 is what every reading reads
likeliest): the no-search path (`as read`) counts as 0; a preference's value that is not among
the three values listed goes to `preferred`; `none held` counts the fields whose raw reading was
returned, and how many of those were right. Standard library only.
"""

import argparse
import collections
import json
import os
import re

EDGES = [0.0, -0.5, -1.5, -3.0, -6.0]
COLUMNS = ["> -0.5", "-0.5..-1.5", "-1.5..-3", "-3..-6", "<= -6", "preferred", "none held"]
VALUE = re.compile(r'"((?:[^"\\]|\\.)*)" (-?[0-9.]+)')


def column_of(score):
    """The column of a fused score."""
    for i in range(1, len(EDGES)):
        if score > EDGES[i]:
            return i - 1
    return len(EDGES) - 1


def decision(trace):
    """The column of a field's last decision and whether it was a decision, from its trace."""
    taken = [line for line in trace if "| taken" in line]
    if not taken:
        return (COLUMNS.index("none held") if any("none held" in l for l in trace) else None)
    line = taken[-1]
    chosen = re.search(r'taken "(.*)"$', line)
    if chosen is None:  # the no-search path: every reading's likeliest text
        return 0
    for value in VALUE.finditer(line.split("| taken")[0]):
        if value.group(1) == chosen.group(1):
            return column_of(float(value.group(2)))
    return COLUMNS.index("preferred")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("traces", help="vlocr recognize --trace --jsonl output")
    parser.add_argument("--root", default=".", help="the folder vlocr recognize ran in")
    args = parser.parse_args()
    table = collections.defaultdict(lambda: [[0, 0] for _ in COLUMNS])
    for line in open(args.traces, encoding="utf-8"):
        answer = json.loads(line)
        if "result" not in answer or "file" not in answer:
            continue
        truth_file = os.path.join(args.root, os.path.splitext(answer["file"])[0] + ".json")
        with open(truth_file, encoding="utf-8") as f:
            truth = json.load(f)["fields"]
        result = answer["result"]
        for field, trace in result.get("trace", {}).items():
            column = decision(trace)
            if field not in truth or column is None:
                continue
            cell = table[field][column]
            cell[0] += 1
            cell[1] += int(result.get(field, "") == truth[field])
    print("| field | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for field in sorted(table):
        cells = [f"{right}/{count}" if count else "-" for count, right in table[field]]
        print(f"| {field} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
