#!/usr/bin/env python3
"""Measures whether int8 quantization makes the models faster on this machine's CPU.

Quantizes vlocr's text detector (PP-OCRv6 tiny) and both recognizers (PP-OCRv6 small and tiny)
with ONNX Runtime's own tools, the recipe that vlocr would run at setup time if it paid:

- static quantization, QDQ format, int8 weights and uint8 activations, calibrated (MinMax) on
  photos rendered by `vlocr synth` (detector inputs as the detector prepares them; recognizer
  inputs are strips of the same photos at the recognizer's 48-pixel height);
- dynamic quantization of the recognizers' matrix products (no calibration).

Then times each model against the original on the same input (median of --rounds runs, ONNX
Runtime at its full graph optimization, 1 and 2 intra-op threads) and reports how far the
outputs move. Nothing is written into models/: the quantized files live in a temporary folder.

Needs: `pip install onnxruntime==1.32.0 onnx numpy pillow` (the onnxruntime that vlocr loads),
the models installed (`make setup`) and a built `vlocr` (`cargo build --release -p vlocr-cli`).

    python3 scripts/measure_int8.py [--count 16] [--rounds 20]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import numpy as np
    import onnxruntime as ort
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_dynamic,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process
    from PIL import Image
except ImportError as missing:
    sys.exit(f"{missing}: pip install onnxruntime==1.32.0 onnx numpy pillow")

ROOT = Path(__file__).resolve().parent.parent
# The detector's input: longer side 960 (its default), sides multiples of 32, BGR, ImageNet's
# mean and deviation (crates/text-detector/src/preprocess.rs).
DETECTOR_SIDE = 960
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
# The recognizer's input: 48 pixels high, values in -1..1 (crates/text-recognizer/src/batch.rs).
LINE_HEIGHT = 48


def detector_input(path):
    image = Image.open(path).convert("RGB")
    w, h = image.size
    scale = DETECTOR_SIDE / max(w, h)
    size = (max(32, round(w * scale / 32) * 32), max(32, round(h * scale / 32) * 32))
    pixels = np.asarray(image.resize(size, Image.BILINEAR), np.float32)[:, :, ::-1] / 255.0
    return ((pixels - MEAN) / STD).transpose(2, 0, 1)[None].astype(np.float32)


def line_inputs(paths, per_image, seed):
    """Strips of the photos as wide as 10 line heights, at the recognizer's height."""
    random = np.random.RandomState(seed)
    strips = []
    for path in paths:
        image = Image.open(path).convert("RGB")
        w, h = image.size
        for _ in range(per_image):
            sh = random.randint(24, 48)
            x, y = random.randint(0, w - 10 * sh), random.randint(0, h - sh)
            strip = image.crop((x, y, x + 10 * sh, y + sh)).resize((10 * LINE_HEIGHT, LINE_HEIGHT))
            pixels = np.asarray(strip, np.float32)[:, :, ::-1] / 127.5 - 1.0
            strips.append(pixels.transpose(2, 0, 1)[None].copy())
    return strips


class Inputs(CalibrationDataReader):
    def __init__(self, name, arrays):
        self.items = iter([{name: a} for a in arrays])

    def get_next(self):
        return next(self.items, None)


def session(path, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def timed(path, x, threads, rounds):
    s = session(path, threads)
    name = s.get_inputs()[0].name
    out = s.run(None, {name: x})[0]
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        s.run(None, {name: x})
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times)), out


def static_int8(source, target, calibration, work, per_channel):
    prepared = work / (target.stem + "-prepared.onnx")
    quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)
    name = ort.InferenceSession(str(source)).get_inputs()[0].name
    quantize_static(
        str(prepared),
        str(target),
        Inputs(name, calibration),
        quant_format=QuantFormat.QDQ,
        per_channel=per_channel,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        calibrate_method=CalibrationMethod.MinMax,
    )


def report(label, original, variants, x, rounds, differ):
    for threads in (1, 2):
        base, reference = timed(original, x, threads, rounds)
        print(f"{label:<22} fp32            {threads} thread(s) {base:7.1f} ms")
        for name, path in variants:
            ms, out = timed(path, x, threads, rounds)
            print(
                f"{label:<22} {name:<15} {threads} thread(s) {ms:7.1f} ms"
                f"  ratio {ms / base:.2f}  {differ(reference, out)}"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vlocr", default=str(ROOT / "target/release/vlocr"))
    parser.add_argument("--models", default=str(ROOT / "models"))
    parser.add_argument("--count", type=int, default=16, help="calibration photos")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    models = Path(args.models)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        subprocess.run(
            [args.vlocr, "synth", "--out", str(work / "photos"), "--count", str(args.count + 1),
             "--seed", str(args.seed), "--side", "mixed", "--difficulty", "photo"],
            check=True, stdout=subprocess.DEVNULL,
        )
        photos = sorted((work / "photos").rglob("*.jpg"))
        calibration, timing = photos[:-1], photos[-1]

        def probability_change(a, b):
            moved = float(np.mean((a > 0.3) != (b > 0.3)))
            return f"mean |dp| {float(np.mean(np.abs(a - b))):.4f}, pixels crossing 0.3: {moved:.2%}"

        def best_path_change(a, b):
            same = float(np.mean(a.argmax(-1) == b.argmax(-1)))
            return f"frames with the same best class {same:.1%}"

        detector = models / "ppocr-v6-tiny/det.onnx"
        quantized = work / "det-int8.onnx"
        static_int8(detector, quantized, [detector_input(p) for p in calibration], work, True)
        report("detector v6 tiny", detector, [("static QDQ", quantized)],
               detector_input(timing), args.rounds, probability_change)

        strips = line_inputs(calibration, 4, args.seed)
        for size in ("small", "tiny"):
            recognizer = models / f"ppocr-v6-{size}/rec.onnx"
            # Per-tensor: the recognizers' opset predates per-channel DequantizeLinear.
            static = work / f"rec-{size}-static.onnx"
            static_int8(recognizer, static, strips, work, False)
            dynamic = work / f"rec-{size}-dynamic.onnx"
            quantize_dynamic(str(recognizer), str(dynamic), weight_type=QuantType.QInt8,
                             op_types_to_quantize=["MatMul", "Gemm"])
            report(f"recognizer v6 {size}", recognizer,
                   [("static QDQ", static), ("dynamic MatMul", dynamic)],
                   line_inputs([timing], 1, args.seed + 1)[0], args.rounds, best_path_change)
    print(f"ONNX Runtime {ort.__version__}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
