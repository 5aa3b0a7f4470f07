#!/usr/bin/env python3
"""Field accuracy of `vlocr recognize` (main pages) until `vlocr eval` exists.

Renders N synthetic main pages with `vlocr synth` (clean scans, or photos with --difficulty), adds the shared real main page (the specimen)
when ../shared is present, runs `vlocr recognize --return-issuing-authority --jsonl`, and compares
each field with the truth as shared/docs/fields.md says (NFKC and whitespace folded on both
sides; `null` truths not scored). Prints per-field and document accuracy per tier.

Usage: python3 scripts/measure_fields.py [--count N] [--seed S] [--show-errors]
"""

import argparse
import json
import subprocess
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VLOCR = ROOT / "target" / "release" / "vlocr"


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--difficulty", default="scan", help="scan, photo, hard or mixed")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(VLOCR), "synth", "--out", tmp, "--count", str(args.count), "--seed", str(args.seed),
                        "--difficulty", args.difficulty], check=True, capture_output=True)
        paths = sorted(p for p in Path(tmp).rglob("*") if p.suffix in (".png", ".jpg"))
        specimen = ROOT.parent / "shared" / "data" / "real" / "specimen-front-beijing.png"
        if specimen.is_file():
            paths.append(specimen)
        out = subprocess.run([str(VLOCR), "recognize", "--return-issuing-authority", "--jsonl", *map(str, paths)],
                             capture_output=True, text=True).stdout
        stats = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        documents = defaultdict(lambda: [0, 0])
        for doc in map(json.loads, out.splitlines()):
            path = Path(doc["file"])
            tier = "real" if "shared" in path.parts else f"synthetic {path.parent.name}"
            truth = json.loads(path.with_suffix(".json").read_text())["fields"]
            result = doc.get("result", {})
            all_right = True
            for field, expected in truth.items():
                if expected is None:
                    continue
                right = fold(result.get(field, "")) == fold(expected)
                stats[tier][field][0] += right
                stats[tier][field][1] += 1
                all_right &= right
                if not right and args.show_errors:
                    print(f"{path.name}: {field}: truth {expected!r}, read {result.get(field)!r}"
                          f"{' ' + doc['error_code'] if 'error_code' in doc else ''}")
            documents[tier][0] += all_right
            documents[tier][1] += 1
    for tier, fields in stats.items():
        right = sum(r for r, _ in fields.values())
        total = sum(t for _, t in fields.values())
        print(f"{tier}: field accuracy {right}/{total} = {100 * right / total:.1f}%, "
              f"documents all right {documents[tier][0]}/{documents[tier][1]}")
        for field, (r, t) in sorted(fields.items()):
            print(f"  {field:18} {r}/{t}")


if __name__ == "__main__":
    main()
