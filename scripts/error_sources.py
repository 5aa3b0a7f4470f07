#!/usr/bin/env python3
"""Where the wrong fields of an evaluation come from (a measurement, not a test).

    make setup && cargo build --release -p vlocr-cli
    ./target/release/vlocr eval DIR --show-errors 1000 > errors.txt
    python3 scripts/error_sources.py errors.txt [--vlocr ./target/release/vlocr] [--root DIR]

Image paths in the listing are as `vlocr eval` printed them: relative to the folder it ran in
(give that folder as --root when running this elsewhere).

For each wrong field that `vlocr eval --show-errors` lists, runs `vlocr ocr` on its image (the
first reading of the whole photo: its text lines as the recognizer read them) and sorts the
field into one of:

- `in one line`: the true value is in one line as read (spaces taken out; for dates, also
  without dashes and dots): the recognizer read it right, the field layout chose or cleaned
  wrongly;
- `across lines`: the true value is found only when all lines are joined in reading order;
- `not read`: the answer was empty and the lines read hold no text;
- `left blank`: the answer was empty although lines were read (a card not placed, a value not
  found);
- `filled a blank`: the card leaves the field blank and something was answered;
- `misread`: no line holds the true value: the recognizer read it wrong, and no rule of the
  field layout can bring it back without inventing.

The close-up readings and strip re-reads that `vlocr recognize` adds for small or poorly read
cards are not included, so a few fields counted `misread` here may have been read right in one
of those. Standard library only.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys

ERROR = re.compile(r'^(?P<file>.*?): (?P<field>[\w.]+): truth "(?P<truth>.*)", read "(?P<read>.*)"$')


def lines_of(vlocr, image, cache):
    """The texts of the lines `vlocr ocr` reads in `image` (cached per image)."""
    if image not in cache:
        out = subprocess.run([vlocr, "ocr", image], capture_output=True, text=True, check=False)
        try:
            cache[image] = [line["text"] for line in json.loads(out.stdout)["lines"]]
        except (json.JSONDecodeError, KeyError):
            print(f"{image}: vlocr ocr gave no lines: {out.stderr.strip()}", file=sys.stderr)
            cache[image] = []
    return cache[image]


def source(field, truth, read, texts):
    """The category of one wrong field (see the module's documentation)."""
    def squeeze(text):
        text = text.replace(" ", "")
        return text.replace("-", "").replace(".", "") if field.endswith("date") else text

    wanted = squeeze(truth)
    squeezed = [squeeze(t) for t in texts]
    if not wanted:
        return "filled a blank"
    if not read:
        return "not read" if not any(squeezed) else "left blank"
    if any(wanted in t for t in squeezed):
        return "in one line"
    if wanted in "".join(squeezed):
        return "across lines"
    return "misread"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("errors", help="output of `vlocr eval --show-errors N`")
    parser.add_argument("--vlocr", default="./target/release/vlocr")
    parser.add_argument("--root", default=".", help="the folder `vlocr eval` ran in")
    parser.add_argument("--list", action="store_true", help="print every field with its category")
    args = parser.parse_args()

    counts = collections.Counter()
    by_field = collections.defaultdict(collections.Counter)
    cache = {}
    with open(args.errors, encoding="utf-8") as errors:
        for row in errors:
            match = ERROR.match(row.rstrip("\n"))
            if not match:
                continue
            field, truth, read = match["field"], match["truth"], match["read"]
            image = os.path.join(args.root, match["file"])
            if not os.path.isfile(image):
                counts["image not found"] += 1
                continue
            texts = lines_of(args.vlocr, image, cache)
            category = source(field, truth, read, texts)
            counts[category] += 1
            by_field[field][category] += 1
            if args.list:
                print(f"{category:14} {match['file']}: {field}: {truth!r} read {read!r}")
    if counts["image not found"]:
        print(f"{counts['image not found']} wrong fields skipped: image not found under "
              f"{args.root!r} (give the folder `vlocr eval` ran in as --root)", file=sys.stderr)
    total = sum(counts.values())
    print(f"{total} wrong fields in {len(cache)} images")
    for category, n in counts.most_common():
        print(f"  {category:14} {n:5}  {100.0 * n / max(total, 1):5.1f}%")
    for field in sorted(by_field):
        parts = ", ".join(f"{c} {n}" for c, n in by_field[field].most_common())
        print(f"  {field:24} {parts}")


if __name__ == "__main__":
    main()
