"""Reader accuracy on lone small labels: one small card of 2-6 characters in a plain frame.

    PYTHONPATH=src .venv/bin/python benchmarks/small_labels.py [--n 200] [--seed 1] [--json]

A photo of a price tag or a label taken from a step back shows one small card and little
else; the frame-wide threshold window then takes the card's edge into its spread. Each
frame (seeded) draws one card of 2-5 digits (a leading minus 30 %, a point 30 %) in a face of
`digitcam.synth.printed_faces()` 14-25 px high, 3-9 px of card round it: dark ink (40-150)
on a light card (225) on darker ground (20-120) 70 % of the time, else light ink on a dark
card on light ground; a horizontal light gradient, gaussian blur 0.5-1.2 px and sensor
noise. Prints frames read exactly (and the first failures with `--show`).
"""

from __future__ import annotations

import argparse
import json
import sys

import cv2
import numpy as np


def make_label(rng: np.random.Generator, faces: list) -> tuple[np.ndarray, str, str]:
    """(640x480 uint8 gray frame, truth, face name) of one seeded small label."""
    from digitcam import synth

    face = faces[int(rng.integers(len(faces)))]
    text = "".join(str(d) for d in rng.integers(0, 10, int(rng.integers(2, 6))))
    if rng.random() < 0.3:
        text = "-" + text
    if rng.random() < 0.3 and len(text) >= 3:
        k = int(rng.integers(1, len(text) - 1))
        if text[k - 1].isdigit():
            text = text[:k] + "." + text[k:]
    height, pad = int(rng.integers(14, 26)), int(rng.integers(3, 10))
    if rng.random() < 0.7:
        card, ink, ground = 225.0, float(rng.integers(40, 150)), float(rng.integers(20, 120))
    else:
        card, ink, ground = (float(rng.integers(20, 70)), float(rng.integers(150, 240)),
                             float(rng.integers(150, 230)))  # fmt: skip
    mask = synth.render_line(text, face, height_px=height).ink.astype(np.float32) / 255
    h, w = mask.shape
    label = np.full((h + 2 * pad, w + 2 * pad), card, np.float32)
    inner = label[pad : pad + h, pad : pad + w]
    inner += (ink - inner) * mask
    img = np.full((480, 640), ground, np.float32)
    img += rng.normal(0, 20, (1, 1)) * np.linspace(-1, 1, 640)[None, :]
    y0, x0 = int(rng.integers(20, 400)), int(rng.integers(20, 500))
    img[y0 : y0 + label.shape[0], x0 : x0 + label.shape[1]] = label
    img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.5, 1.2)))
    img += rng.normal(0, 2, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8), text, face.name


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=0, help="print this many failures")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from digitcam import synth
    from digitcam.classify import load_model
    from digitcam.pipeline import read_frame

    model = load_model()
    faces = list(synth.printed_faces())
    rng = np.random.default_rng(args.seed)
    fails = []
    for i in range(args.n):
        image, text, face = make_label(rng, faces)
        read = read_frame(image, model).text
        if read != text:
            fails.append({"i": i, "face": face, "truth": text, "read": read})
    right = args.n - len(fails)
    if args.json:
        print(json.dumps({"n": args.n, "seed": args.seed, "exact": right, "fails": fails}))
    else:
        pct = 100 * right / args.n
        print(f"small labels, seed {args.seed}: {right}/{args.n} exact ({pct:.1f} %)")
        for f in fails[: args.show]:
            print(f"  #{f['i']} {f['face']}: {f['truth']!r} read {f['read']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
