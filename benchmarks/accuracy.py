"""Reader accuracy on seeded synthetic camera frames, broken down by style.

    python benchmarks/accuracy.py --n 200 --seed 1000 [--faces heldout|train|all]
        [--styles camera clean] [--model PATH] [--reader auto|printed] [--out DIR] [--json]
        [--tesseract]

Generates `--n` scenes with `digitcam.synth.make_scene(seed + i)`, reads each with
`digitcam.pipeline.read_frame(image, model, config)` and prints frames exactly right, character
accuracy (1 - Levenshtein / truth length, summed over all frames), both per style bucket
(polarity, digit height, JPEG quality, rotation, lines, face family, difficulty), and the p50/p95
milliseconds of `read_frame`. `--out DIR` writes each failing frame as PNG plus a sidecar JSON
(truth, read, style, boxes; lines joined by '~' in the file name). `--tesseract` also runs the
`tesseract` binary (digit whitelist, --psm 6) on the same frames for comparison.

The reader modules are imported lazily, so `--help` and the scene generation work without them.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from digitcam import synth
from digitcam.metrics import levenshtein


def normalise(text: str) -> str:
    """Lines stripped, empty lines dropped, joined by newlines."""
    return "\n".join(ln.strip() for ln in text.splitlines() if ln.strip())


def height_bucket(h: int) -> str:
    if h < 25:
        return "h 14-25"
    if h < 50:
        return "h 25-50"
    return "h 50-115"


def buckets(style: dict[str, Any]) -> list[str]:
    """The style buckets a frame belongs to (a frame may be in several family buckets)."""
    out = [
        f"difficulty {style['difficulty']}",
        f"polarity {style['polarity']}",
        height_bucket(int(style["min_height"])),
        f"lines {style['n_lines']}",
        "rotation >3deg" if abs(style["angle"]) > 3 else "rotation <=3deg",
        f"blur {style['blur']['kind']}",
    ]
    q = style.get("jpeg_quality")
    out.append("jpeg none" if q is None else ("jpeg <50" if q < 50 else "jpeg >=50"))
    out.extend(f"family {f}" for f in sorted(set(style["families"])))
    return out


class Tally:
    """Exact frames, char errors and truth length of one bucket."""

    def __init__(self) -> None:
        self.frames = 0
        self.exact = 0
        self.errors = 0
        self.chars = 0

    def add(self, truth: str, read: str) -> None:
        self.frames += 1
        self.exact += int(truth == read)
        self.errors += levenshtein(truth, read)
        self.chars += len(truth)

    def summary(self) -> dict[str, float]:
        return {
            "frames": self.frames,
            "exact_pct": round(100.0 * self.exact / max(1, self.frames), 2),
            "char_acc_pct": round(100.0 * max(0.0, 1 - self.errors / max(1, self.chars)), 2),
        }


def make_digitcam_reader(
    model_path: str | None, reader: str = "auto"
) -> Callable[[np.ndarray], str]:
    """A function image -> text backed by digitcam's pipeline (imported here, lazily)."""
    from digitcam.classify import default_model_path, load_model
    from digitcam.config import ReaderConfig
    from digitcam.pipeline import read_frame

    model = load_model(Path(model_path) if model_path else default_model_path())
    config = ReaderConfig().with_reader(reader)

    def read(image: np.ndarray) -> str:
        return read_frame(image, model, config).text

    return read


def tesseract_read(image: np.ndarray) -> str:
    """Run the tesseract binary on a BGR image with a digit whitelist (psm 6)."""
    ok, png = cv2.imencode(".png", image)
    if not ok:
        return ""
    proc = subprocess.run(
        [
            "tesseract",
            "stdin",
            "stdout",
            "--psm",
            "6",
            "-c",
            "tessedit_char_whitelist=0123456789.-",
        ],
        input=png.tobytes(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    return proc.stdout.decode("utf-8", "replace")


def pick_faces(which: str) -> list[synth.FontFace]:
    faces = synth.printed_faces()
    train, held = synth.split_faces(faces)
    return {"heldout": held, "train": train, "all": faces}[which]


def safe(text: str) -> str:
    return re.sub(r"[^0-9.\-~?_]", "", text.replace("\n", "~"))[:40] or "EMPTY"


def run(args: argparse.Namespace) -> dict[str, Any]:
    faces = pick_faces(args.faces)
    if not faces:
        raise SystemExit(f"no faces in the {args.faces!r} split")
    readers: dict[str, Callable[[np.ndarray], str]] = {}
    if not args.no_reader:
        readers["digitcam"] = make_digitcam_reader(args.model, args.reader)
    if args.tesseract:
        if shutil.which("tesseract"):
            readers["tesseract"] = tesseract_read
        else:
            print("tesseract binary not found; skipping the comparison", file=sys.stderr)
    tallies: dict[str, dict[str, Tally]] = {r: defaultdict(Tally) for r in readers}
    times: dict[str, list[float]] = {r: [] for r in readers}
    gen_ms: list[float] = []
    out_dir = Path(args.out) if args.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.size.lower().split("x"))
    for i in range(args.n):
        difficulty = args.styles[i % len(args.styles)]
        t0 = time.perf_counter()
        scene = synth.make_scene(
            args.seed + i, faces=faces, size=(width, height), difficulty=difficulty
        )
        gen_ms.append(1000 * (time.perf_counter() - t0))
        truth = normalise(scene.text)
        for name, read in readers.items():
            t0 = time.perf_counter()
            got = normalise(read(scene.image))
            times[name].append(1000 * (time.perf_counter() - t0))
            tallies[name]["all"].add(truth, got)
            for b in buckets(scene.style):
                tallies[name][b].add(truth, got)
            if out_dir and got != truth and name == next(iter(readers)):
                stem = f"{args.seed + i:06d}_{name}_truth-{safe(truth)}_read-{safe(got)}"
                cv2.imwrite(str(out_dir / f"{stem}.png"), scene.image)
                side = {
                    "seed": args.seed + i,
                    "reader": name,
                    "truth": truth,
                    "read": got,
                    "style": scene.style,
                    "boxes": [[c, b.as_list()] for c, b in scene.boxes],
                }
                (out_dir / f"{stem}.json").write_text(json.dumps(side, indent=1))
    result: dict[str, Any] = {
        "n": args.n,
        "seed": args.seed,
        "faces": args.faces,
        "styles": args.styles,
        "make_scene_ms_p50": round(float(np.percentile(gen_ms, 50)), 2) if gen_ms else None,
        "readers": {},
    }
    for name in readers:
        ts = times[name]
        result["readers"][name] = {
            "ms_p50": round(float(np.percentile(ts, 50)), 2) if ts else None,
            "ms_p95": round(float(np.percentile(ts, 95)), 2) if ts else None,
            "buckets": {k: v.summary() for k, v in sorted(tallies[name].items())},
        }
    return result


def print_table(result: dict[str, Any]) -> None:
    print(
        f"{result['n']} frames, seed {result['seed']}, faces {result['faces']}, "
        f"styles {','.join(result['styles'])}; make_scene p50 {result['make_scene_ms_p50']} ms"
    )
    for name, r in result["readers"].items():
        print(f"\n== {name}: read p50 {r['ms_p50']} ms, p95 {r['ms_p95']} ms")
        print(f"{'bucket':<34}{'frames':>7}{'exact %':>9}{'char %':>9}")
        rows = r["buckets"]
        order = ["all"] + [k for k in rows if k != "all"]
        for k in order:
            s = rows[k]
            print(f"{k:<34}{s['frames']:>7}{s['exact_pct']:>9.1f}{s['char_acc_pct']:>9.1f}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=200, help="number of frames")
    p.add_argument("--seed", type=int, default=1000, help="first scene seed")
    p.add_argument("--faces", choices=["heldout", "train", "all"], default="heldout")
    p.add_argument(
        "--styles",
        nargs="+",
        choices=["camera", "clean"],
        default=["camera"],
        help="make_scene difficulties, cycled frame by frame",
    )
    p.add_argument("--size", default="640x480", help="frame size WxH")
    p.add_argument("--model", default=None, help="model path (default: the shipped model)")
    p.add_argument(
        "--reader",
        choices=["auto", "printed", "seven-segment"],
        default="auto",
        help="reader config (`--reader` of digitcam read; default auto, as digitcam read)",
    )
    p.add_argument("--out", default=None, help="write failing frames (PNG + JSON) here")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--tesseract", action="store_true", help="also run tesseract if installed")
    p.add_argument("--no-reader", action="store_true", help="skip digitcam (e.g. tesseract only)")
    args = p.parse_args(argv)
    try:
        result = run(args)
    except Exception as exc:  # a missing model or reader module: one line, not a traceback
        if type(exc).__module__.startswith("digitcam") or isinstance(exc, ImportError):
            print(f"accuracy: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 2
        raise
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
