#!/usr/bin/env python3
"""Photograph clean synthetic cards with effects of another kind than `vlocr synth`'s own.

    vlocr synth --out scans --count 60 --seed 12127 --side front --difficulty scan
    python3 scripts/reshoot.py photos scans/scan --seed 12127
    vlocr eval photos --fields-out fields.jsonl
    python3 scripts/reshoot.py --report photos fields.jsonl

`vlocr synth --difficulty photo` renders its photos with its own effects, which the engine's
rules have been measured on. This script takes `vlocr synth --difficulty scan` images (clean,
upright, with their truth files) and photographs them anew, with effects written apart from the
renderer: a canvas of a phone's or an upload's size (1080x1920 to 4032x3024, either way up),
the card (or open wallet) filling 50-92% of it (or each page a given width, `--page-width`), turned up to 10 degrees (a quarter of them a
quarter turn more), its corners moved by up to 5% (perspective), a table of one random colour
with noise, light falling off across the photo, a colour cast, a Gaussian blur of 0.3-1.4
pixels at 1600 (scaled with the canvas), sensor noise and JPEG quality 55-92. Each photo's
truth file is the scan's, and `effects.jsonl` in OUT records what was done, with the width each
page has in the photo.

With `--report`, `vlocr eval --fields-out`'s output on such a set is summed by that width: how
large a page must be in a photo to be read.

Needs numpy and Pillow (`pip install numpy pillow`).
"""

import argparse
import collections
import glob
import json
import math
import os
import random

# Canvas sizes: phone photos (4:3) and the sizes apps scale uploads to, either way up.
CANVASES = [(1600, 1200), (4032, 3024), (1920, 1080), (2560, 1920)]
# Page-width bands of the report, in pixels.
BANDS = [(0, 400), (400, 500), (500, 650), (650, 900), (900, 100000)]


def perspective_coefficients(source, target):
    """PIL's PERSPECTIVE data mapping points of the output (`target`) to the input (`source`)."""
    import numpy as np

    rows, values = [], []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return np.linalg.solve(np.array(rows, float), np.array(values, float)).tolist()


def pages_across(truth, scan_width, scan_height):
    """How many pages lie side by side across the scan (2 for an open wallet laid out across)."""
    source = truth.get("source", "")
    if truth.get("side") != "double_side":
        return 1
    if "SideBySide" in source or "across: true" in source:
        return 2
    return 1 if scan_height > scan_width * 0.9 else 2


def reshoot(out, scans, seed, page_widths=None):
    import numpy as np
    from PIL import Image, ImageFilter

    os.makedirs(os.path.join(out, "photo"), exist_ok=True)
    paths = sorted(glob.glob(os.path.join(scans, "*.png")) + glob.glob(os.path.join(scans, "*.jpg")))
    if not paths:
        raise SystemExit(f"no scans (PNG or JPEG with truth files) in {scans}")
    with open(os.path.join(out, "effects.jsonl"), "w") as log:
        for i, path in enumerate(paths):
            rnd = random.Random(seed * 1000 + i)
            noise = np.random.default_rng(seed * 1000 + i)
            with open(os.path.splitext(path)[0] + ".json", encoding="utf-8") as f:
                truth = json.load(f)
            card = Image.open(path).convert("RGB")
            cw, ch = card.size
            width, height = rnd.choice(CANVASES)
            if rnd.random() < 0.5:
                width, height = height, width
            angle = rnd.uniform(-10, 10) + (90 * rnd.choice([1, -1]) if rnd.random() < 0.25 else 0)
            a = math.radians(angle)
            box_w = abs(cw * math.cos(a)) + abs(ch * math.sin(a))
            box_h = abs(cw * math.sin(a)) + abs(ch * math.cos(a))
            fill = rnd.uniform(0.5, 0.92)
            scale = fill * min(width / box_w, height / box_h)
            if page_widths:
                # Each page as wide as asked, the card still inside the canvas.
                wanted = rnd.uniform(*page_widths) * pages_across(truth, cw, ch) / cw
                scale = min(wanted, 0.95 * min(width / box_w, height / box_h))
                fill = scale / min(width / box_w, height / box_h)
            cx = width / 2 + rnd.uniform(-1, 1) * (width - box_w * scale) / 2
            cy = height / 2 + rnd.uniform(-1, 1) * (height - box_h * scale) / 2
            jitter = rnd.uniform(0, 0.05)
            corners = [(0, 0), (cw, 0), (cw, ch), (0, ch)]
            placed = []
            for x, y in corners:
                x0, y0 = (x - cw / 2) * scale, (y - ch / 2) * scale
                xr = x0 * math.cos(a) - y0 * math.sin(a)
                yr = x0 * math.sin(a) + y0 * math.cos(a)
                placed.append(
                    (
                        cx + xr + rnd.uniform(-jitter, jitter) * cw * scale,
                        cy + yr + rnd.uniform(-jitter, jitter) * ch * scale,
                    )
                )
            table = np.array([rnd.uniform(30, 220) for _ in range(3)])
            falloff = np.linspace(rnd.uniform(0.7, 1.0), rnd.uniform(0.9, 1.2), width)[None, :, None]
            background = table[None, None, :] * falloff + noise.normal(0, 8, (height, width, 3))
            photo = Image.fromarray(np.clip(background, 0, 255).astype(np.uint8))
            data = perspective_coefficients(corners, placed)
            warped = card.transform((width, height), Image.PERSPECTIVE, data, Image.BICUBIC)
            mask = Image.new("L", (cw, ch), 255).transform(
                (width, height), Image.PERSPECTIVE, data, Image.BILINEAR
            )
            photo.paste(warped, (0, 0), mask)
            pixels = np.asarray(photo).astype(np.float32)
            gx = np.linspace(0, 1, width)[None, :]
            gy = np.linspace(0, 1, height)[:, None]
            towards = rnd.uniform(0, 2 * math.pi)
            light = rnd.uniform(0.75, 0.95) + rnd.uniform(0, 0.25) * (
                math.cos(towards) * gx + math.sin(towards) * gy
            )
            cast = np.array([1 + rnd.uniform(-0.08, 0.08), 1.0, 1 + rnd.uniform(-0.1, 0.1)])
            pixels = pixels * light[:, :, None] * cast[None, None, :]
            sigma = rnd.uniform(0.3, 1.4) * max(width, height) / 1600
            photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
            photo = photo.filter(ImageFilter.GaussianBlur(sigma))
            pixels = np.asarray(photo).astype(np.float32)
            pixels = pixels + noise.normal(0, rnd.uniform(2, 6), (height, width, 3))
            quality = rnd.randint(55, 92)
            name = os.path.splitext(os.path.basename(path))[0]
            Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(
                os.path.join(out, "photo", name + ".jpg"), quality=quality
            )
            page_width = scale * cw / pages_across(truth, cw, ch)
            truth["source"] = truth.get("source", "") + " (photographed by scripts/reshoot.py)"
            with open(os.path.join(out, "photo", name + ".json"), "w", encoding="utf-8") as f:
                json.dump(truth, f, ensure_ascii=False)
            effects = {
                "name": name,
                "canvas": [width, height],
                "angle": round(angle, 2),
                "fill": round(fill, 3),
                "corner_shift": round(jitter, 3),
                "blur": round(sigma, 2),
                "jpeg_quality": quality,
                "page_width": round(page_width),
            }
            log.write(json.dumps(effects) + "\n")
    print(f"photographed {len(paths)} scans into {out}/photo")


def report(out, fields):
    with open(os.path.join(out, "effects.jsonl")) as f:
        width = {e["name"]: e["page_width"] for e in map(json.loads, f)}
    bands = collections.defaultdict(lambda: [0, 0, set()])
    with open(fields) as f:
        for row in map(json.loads, f):
            name = os.path.splitext(os.path.basename(row["image"]))[0]
            w = width[name]
            band = next(b for b in BANDS if b[0] <= w < b[1])
            bands[band][0] += bool(row["right"])
            bands[band][1] += 1
            bands[band][2].add(name)
    print("| page width in the photo | photos | fields right |")
    print("|---|---|---|")
    for band in BANDS:
        if band in bands:
            right, total, names = bands[band]
            label = f"{band[0]}-{band[1]} px" if band[1] < 100000 else f"{band[0]} px and more"
            print(f"| {label} | {len(names)} | {right:,}/{total:,} ({100 * right / total:.1f}%) |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder to write (photos go to OUT/photo)")
    parser.add_argument("source", help="the scans' folder, or with --report: vlocr eval's --fields-out file")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same photos")
    parser.add_argument("--report", action="store_true", help="sum the fields right by page width")
    parser.add_argument(
        "--page-width",
        metavar="MIN,MAX",
        help="make each page MIN to MAX pixels wide in the photo (as far as the canvas allows) "
        "instead of filling 50-92%% of it",
    )
    args = parser.parse_args()
    if args.report:
        report(args.out, args.source)
    else:
        widths = tuple(float(w) for w in args.page_width.split(",")) if args.page_width else None
        reshoot(args.out, args.source, args.seed, widths)


if __name__ == "__main__":
    main()
