#!/usr/bin/env python3
"""vlocr's raw OCR next to the Python RapidOCR package: same model files, same images, same
machine, same run.

Makes a virtualenv (.venv-bench/) with rapidocr 3.10.0 and onnxruntime 1.32.0 from PyPI on the
first run. Renders a few synthetic cards with `vlocr synth`, adds the shared real images when
../shared is present, then reads every image REPEAT times with each engine in one warm process
and prints, per image, the median latency of each (file in, text lines out: decoding included),
their ratio, and how many of RapidOCR's lines vlocr read identically.

vlocr runs twice: with RapidOCR's own models (PP-OCRv6 small detector and recognizer: the
like-for-like comparison) and with its default choice (see models/README.md).

Usage: python3 scripts/compare_rapidocr.py [--synthetic N] [--repeat R]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-bench"
VLOCR = ROOT / "target" / "release" / "vlocr"
SAME_MODELS = ["--detector", "ppocr-v6-small", "--recognizer", "ppocr-v6-small"]


def worker(paths: list, repeat: int) -> None:
    """Runs inside the virtualenv: RapidOCR over the images, JSON lines out."""
    from rapidocr import RapidOCR

    engine = RapidOCR(params={"Global.log_level": "error"})
    engine(paths[0])  # warm-up
    for path in paths:
        times, texts = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            result = engine(path)
            times.append((time.perf_counter() - started) * 1000)
            texts = list(result.txts or [])
        print(json.dumps({"file": path, "ms": statistics.median(times), "lines": texts}), flush=True)


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        print("creating .venv-bench with rapidocr 3.10.0 (first run only) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "rapidocr==3.10.0", "onnxruntime==1.32.0"], check=True)
    return python


def run_vlocr(paths: list, repeat: int, flags: list) -> dict:
    command = [str(VLOCR), "ocr", *flags, *([str(p) for p in paths] * (repeat + 1))]
    output = subprocess.run(command, capture_output=True, text=True, check=True)
    runs = {}
    for doc in map(json.loads, output.stdout.splitlines()):
        t = doc["timings_ms"]
        runs.setdefault(doc["file"], []).append((sum(t.values()), [l["text"] for l in doc["lines"]]))
    # The first pass over the images warms up; it is not counted.
    return {f: (statistics.median(ms for ms, _ in r[1:]), r[-1][1]) for f, r in runs.items()}


def agreement(reference: list, other: list) -> str:
    remaining = list(other)
    same = 0
    for text in reference:
        if text in remaining:
            remaining.remove(text)
            same += 1
    return f"{same}/{len(reference)}"


def main() -> None:
    if "--rapidocr-worker" in sys.argv:
        index = sys.argv.index("--rapidocr-worker")
        worker(sys.argv[index + 2:], int(sys.argv[index + 1]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not VLOCR.exists():
        subprocess.run(["cargo", "build", "--release", "-p", "vlocr-cli"], cwd=ROOT, check=True)
    python = ensure_venv()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(VLOCR), "synth", "--out", tmp, "--count", str(args.synthetic), "--seed", "5"],
                       check=True, capture_output=True)
        paths = sorted(str(p) for p in Path(tmp).rglob("*.png"))
        real = ROOT.parent / "shared" / "data" / "real"
        paths += sorted(str(p) for p in real.glob("*.png")) if real.is_dir() else []
        env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", ""))
        rapid_out = subprocess.run([str(python), __file__, "--rapidocr-worker", str(args.repeat), *paths],
                                   capture_output=True, text=True, check=True, env=env).stdout
        rapid = {d["file"]: d for d in map(json.loads, rapid_out.splitlines())}
        same = run_vlocr(paths, args.repeat, SAME_MODELS)
        default = run_vlocr(paths, args.repeat, [])
    print(f"{'image':34} {'RapidOCR ms':>11} {'vlocr same-models ms':>21} {'speed-up':>8} {'lines agree':>11}"
          f" {'vlocr default ms':>16} {'speed-up':>8}")
    ratios_same, ratios_default = [], []
    for path in paths:
        r = rapid[path]
        s_ms, s_lines = same[path]
        d_ms, _ = default[path]
        ratios_same.append(r["ms"] / s_ms)
        ratios_default.append(r["ms"] / d_ms)
        name = Path(path).name if "shared" in path else "synthetic/" + Path(path).name
        print(f"{name[:34]:34} {r['ms']:11.0f} {s_ms:21.0f} {r['ms'] / s_ms:7.2f}x "
              f"{agreement(r['lines'], s_lines):>11} {d_ms:16.0f} {r['ms'] / d_ms:7.2f}x")
    print(f"median speed-up: same models {statistics.median(ratios_same):.2f}x, "
          f"default models {statistics.median(ratios_default):.2f}x "
          f"({len(paths)} images, median of {args.repeat} runs each, one process per engine)")


if __name__ == "__main__":
    main()
