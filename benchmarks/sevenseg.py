"""Seven-segment displays: our reader vs `ssocr`, on generated frames, a ticking-counter video
and real crops, in one run.

    python benchmarks/sevenseg.py [--n 200] [--seed 5000] [--video-frames 300] [--real-step 1]
        [--no-ssocr] [--no-real] [--no-video] [--json]

* Frames: `digitcam.synth7.make_display_scene(seed + i)` (640x480, LED/LCD/VFD, ghosts, italic,
  1-2 lines, bezel in clutter, rotation, perspective, blur, noise, JPEG), read from the whole
  frame with no calibration by `pipeline.read_frame` and the shipped model: with the
  default config (no flag: printed and seven-segment readers compete for each line), with
  the display type known (`--reader seven-segment`, or a profile that only says
  `"display": "seven-segment"`: no corners, format or range) and with the printed reader
  alone (`--reader printed`; `--no-default` skips these two). ms is the reader's own
  thread CPU time (other jobs on the machine do not count; OpenCV runs single-threaded),
  p50 over the frames. `ssocr` (Debian
  package, `-d -1 -T -c decimal`, told the polarity) reads the same whole frames, and the
  perfect crop of the display (the window warped from its true corners).
* Video: `synth7.CounterScene(seed)` written to an mp4 and read back (codec artifacts), read per
  frame with the `demo` profile's reader config and fused (`fuse.Fuser`): per-frame accuracy,
  `stable` accuracy after the first second, and whether `stable` ever showed a value the
  display never showed.
* Real crops (`../shared/data/real`): kazuhito, gaspump and the LCD and rolling-wheel parts of
  haverland, read by `sevenseg.read_cell` (the crop path), by `read_frame` with the default
  config on the crop as given, the same with the shipped cell model (`digitcam read
  crop.png`: a crop the segment decoder finds no digit in is read whole by the cell
  model), by `read_frame` (seven-segment path on) on the crop padded with a margin, and by
  ssocr on the crop as given; and the sets' crops that hold no digit (kazuhito's blank
  positions, haverland's wheels between two digits), which should read as nothing.

Exact % = frames whose text equals the truth; char % = 1 - edit distance / truth length.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from digitcam.metrics import levenshtein
from digitcam.synth7 import CounterScene, make_display_scene

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


class Tally:
    def __init__(self) -> None:
        self.n = self.exact = self.err = self.chars = 0
        self.ms: list[float] = []

    def add(self, got: str, truth: str, ms: float | None = None) -> None:
        self.n += 1
        self.exact += got == truth
        self.err += min(levenshtein(got, truth), len(truth))
        self.chars += len(truth)
        if ms is not None:
            self.ms.append(ms)

    def row(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "exact_pct": round(100 * self.exact / max(self.n, 1), 1),
            "char_pct": round(100 * (1 - self.err / max(self.chars, 1)), 1),
            "ms_p50": round(float(np.median(self.ms)), 2) if self.ms else None,
        }


def lit_is_light(style: dict[str, Any]) -> bool:
    if style["display"] in ("led", "vfd"):
        return True
    return style["display"] == "lcd-backlit" and bool(style.get("negative"))


def ssocr(image: np.ndarray, light: bool) -> tuple[str, float]:
    """ssocr's reading of an image (lines joined by newlines) and its wall ms."""
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        cv2.imwrite(f.name, image)
        cmd = ["ssocr", "-d", "-1", "-T", "-c", "decimal"]
        if light:
            cmd += ["-f", "white", "-b", "black"]
        t0 = time.perf_counter()
        p = subprocess.run([*cmd, f.name], capture_output=True, text=True, timeout=20)
        ms = (time.perf_counter() - t0) * 1000
    return (p.stdout.strip() if p.returncode == 0 else ""), ms


def perfect_crop(image: np.ndarray, corners: np.ndarray, lines: int) -> np.ndarray:
    """The display window, warped upright from its true corners."""
    c = corners.astype(np.float32)
    w = int(max(np.linalg.norm(c[1] - c[0]), np.linalg.norm(c[2] - c[3])))
    h = int(max(np.linalg.norm(c[3] - c[0]), np.linalg.norm(c[2] - c[1])))
    dst = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(c, dst)
    return cv2.warpPerspective(image, m, (w, h))


def bench_frames(args: argparse.Namespace, model: Any) -> dict[str, Any]:
    from digitcam.calibration import Profile
    from digitcam.config import ReaderConfig
    from digitcam.pipeline import read_frame

    ours, hinted, printed, by = Tally(), Tally(), Tally(), defaultdict(Tally)
    ss_frame, ss_crop = Tally(), Tally()
    has_ssocr = shutil.which("ssocr") is not None and not args.no_ssocr
    # what a profile that only names the display type sets (no corners, format or range)
    seg_on = Profile(name="hint", display="seven-segment").reader_config()
    printed_only = ReaderConfig().with_reader("printed")
    for i in range(args.n):
        s = make_display_scene(args.seed + i)
        t0 = time.thread_time()
        got = read_frame(s.image, model).text
        ms = (time.thread_time() - t0) * 1000
        ours.add(got, s.text, ms)
        if not args.no_default:
            for tally, config in ((hinted, seg_on), (printed, printed_only)):
                t0 = time.thread_time()
                got_d = read_frame(s.image, model, config).text
                tally.add(got_d, s.text, (time.thread_time() - t0) * 1000)
        st = s.style
        for key in (f"display {st['display']}", f"look {st['look']}",
                    f"italic {st['italic']}", f"lines {st['n_lines']}",
                    "h <25" if st["min_height"] < 25 else "h >=25",
                    "has '.'" if "." in s.text else "no '.'"):  # fmt: skip
            by[key].add(got, s.text)
        if has_ssocr:
            light = lit_is_light(st)
            txt, ms2 = ssocr(s.image, light)
            ss_frame.add(txt, s.text, ms2)
            if st["n_lines"] == 1:
                txt, ms3 = ssocr(perfect_crop(s.image, s.corners, 1), light)
                ss_crop.add(txt, s.text, ms3)
    out = {"ours (whole frame, default: no flag)": ours.row()}
    if not args.no_default:
        out["ours (whole frame, --reader seven-segment)"] = hinted.row()
        out["ours (whole frame, --reader printed)"] = printed.row()
    if has_ssocr:
        out["ssocr (whole frame)"] = ss_frame.row()
        out["ssocr (perfect crop, 1-line displays)"] = ss_crop.row()
    out["buckets"] = {k: v.row() for k, v in sorted(by.items())}
    return out


def bench_video(args: argparse.Namespace, model: Any) -> dict[str, Any]:
    from digitcam.calibration import load_profile
    from digitcam.fuse import Fuser
    from digitcam.pipeline import read_frame

    scene = CounterScene(args.seed, tick_s=args.tick_s)
    truths = [scene.text(i) for i in range(args.video_frames)]
    with tempfile.TemporaryDirectory() as d:
        path = str(Path(d) / "counter.mp4")
        wr = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"mp4v"), 30.0, scene.size)
        for i in range(args.video_frames):
            wr.write(scene.frame(i)[0])
        wr.release()
        cap = cv2.VideoCapture(path)
        profile = load_profile("demo")
        fuser = Fuser(profile.fuse_config())
        config = profile.reader_config()
        per, stable_ok, stable_n, lagged_ok, shown_bad = 0, 0, 0, 0, 0
        ms = []
        for i in range(args.video_frames):
            ok, img = cap.read()
            if not ok:
                break
            t0 = time.perf_counter()
            r = read_frame(img, model, config, frame_index=i)
            ms.append((time.perf_counter() - t0) * 1000)
            stable = fuser.update(r, i / 30.0)
            per += r.text == truths[i]
            if stable is not None and stable not in truths[: i + 1]:
                shown_bad += 1
            if i >= 30:
                stable_n += 1
                stable_ok += stable == truths[i]
                lagged_ok += stable in truths[max(0, i - 3) : i + 1]
        cap.release()
    n = len(ms)
    return {
        "frames": n,
        "tick_s": args.tick_s,
        "per_frame_exact_pct": round(100 * per / max(n, 1), 1),
        "stable_exact_pct_after_1s": round(100 * stable_ok / max(stable_n, 1), 1),
        "stable_within_3_frames_pct_after_1s": round(100 * lagged_ok / max(stable_n, 1), 1),
        "stable_values_never_shown": shown_bad,
        "ms_p50": round(float(np.median(ms)), 2),
    }


def bench_real(args: argparse.Namespace, model: Any) -> dict[str, Any]:
    from digitcam.calibration import Profile
    from digitcam.classify import load_cell_model
    from digitcam.pipeline import read_frame
    from digitcam.sevenseg import read_cell

    sets = {
        "kazuhito_7seg_crops": lambda r: True,
        "gaspumpocr_crops": lambda r: True,
        "haverland_meterdigits (lcd)": lambda r: r.get("display_type") == "lcd",
        "haverland_meterdigits (rolling)": lambda r: r.get("display_type") == "rolling",
    }
    out: dict[str, Any] = {}
    seg_on = Profile(name="hint", display="seven-segment").reader_config()
    cells = load_cell_model(args.cell_model)
    for name, keep in sets.items():
        folder = REAL / name.split(" ")[0]
        labels = folder / "labels.jsonl"
        if not labels.is_file():
            out[name] = "missing"
            continue
        rows = [json.loads(x) for x in labels.read_text().splitlines()]
        rows = [r for r in rows if keep(r)][:: args.real_step]
        cell, frame, given, whole, peer = Tally(), Tally(), Tally(), Tally(), Tally()
        use_ssocr = not args.no_ssocr and shutil.which("ssocr") is not None
        for r in rows:
            img = cv2.imread(str(folder / r["file"]))
            t0 = time.perf_counter()
            g = read_cell(img)
            cell.add(g.char if g is not None else "", r["text"], (time.perf_counter() - t0) * 1e3)
            h, w = img.shape[:2]
            m = max(h, w) // 2
            bgv = [int(v) for v in np.median(img.reshape(-1, 3), 0)]
            pad = cv2.copyMakeBorder(img, m, m, m, m, cv2.BORDER_CONSTANT, value=bgv)
            frame.add(read_frame(pad, model, seg_on).text, r["text"])
            given.add(read_frame(img, model).text, r["text"])
            whole.add(read_frame(img, model, cell_model=cells).text, r["text"])
            if use_ssocr:  # all three sets show dark bars on a light ground
                text, ms = ssocr(img, light=False)
                peer.add(text, r["text"], ms)
        out[name] = {
            "read_cell (crop path)": cell.row(),
            "read_frame (crop as given, default config)": given.row(),
            "read_frame + cell model (as `digitcam read`)": whole.row(),
            "read_frame (padded crop)": frame.row(),
        }
        if use_ssocr:
            out[name]["ssocr -d -1 (crop as given)"] = peer.row()
        # crops that hold no digit (blank display positions, wheels between two digits);
        # haverland's are wheels, so they are read once, under its rolling set
        rejects = folder / "reject.jsonl"
        if rejects.is_file() and not name.endswith("(lcd)"):
            rrows = [json.loads(x) for x in rejects.read_text().splitlines()][:: args.real_step]
            blank, blank_cells = Tally(), Tally()
            for r in rrows:
                img = cv2.imread(str(folder / r["file"]))
                blank.add(read_frame(img, model).text, "")
                blank_cells.add(read_frame(img, model, cell_model=cells).text, "")
            out[name]["no-digit crops read as nothing (read_frame)"] = blank.row()
            out[name]["no-digit crops read as nothing (+ cell model)"] = blank_cells.row()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=5000)
    ap.add_argument("--video-frames", type=int, default=300)
    ap.add_argument("--tick-s", type=float, default=0.5)
    ap.add_argument("--real-step", type=int, default=1)
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--cell-model", type=Path, default=None, help="default: the shipped one")
    ap.add_argument("--no-ssocr", action="store_true")
    ap.add_argument("--no-default", action="store_true", help="skip the default-config row")
    ap.add_argument("--no-real", action="store_true")
    ap.add_argument("--no-video", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    # one thread: OpenCV's worker threads would escape the thread CPU clock (and the machine
    # is shared, so wall time would measure the neighbours)
    cv2.setNumThreads(1)
    from digitcam.classify import load_model

    model = load_model(args.model)
    report: dict[str, Any] = {"seed": args.seed, "frames": bench_frames(args, model)}
    if not args.no_video:
        report["video"] = bench_video(args, model)
    if not args.no_real:
        report["real"] = bench_real(args, model)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"== seven-segment frames: n={args.n}, seeds {args.seed}..{args.seed + args.n - 1}")
    print(f"{'reader':45s} {'n':>5s} {'exact %':>8s} {'char %':>7s} {'ms p50':>7s}")
    for k, v in report["frames"].items():
        if k != "buckets":
            print(f"{k:45s} {v['n']:5d} {v['exact_pct']:8.1f} {v['char_pct']:7.1f} "
                  f"{v['ms_p50'] if v['ms_p50'] is not None else '-':>7}")  # fmt: skip
    print("-- ours by bucket")
    for k, v in report["frames"]["buckets"].items():
        print(f"  {k:43s} {v['n']:5d} {v['exact_pct']:8.1f} {v['char_pct']:7.1f}")
    if "video" in report:
        print("== ticking counter video:", json.dumps(report["video"]))
    if "real" in report:
        print("== real crops")
        for k, v in report["real"].items():
            if isinstance(v, str):
                print(f"  {k}: {v}")
                continue
            for kk, vv in v.items():
                print(f"  {k:30s} {kk:26s} n={vv['n']:5d} exact {vv['exact_pct']:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
