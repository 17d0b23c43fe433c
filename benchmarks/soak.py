"""Soak: run `digitcam run demo --fast` for many frames and watch it from outside.

The real command runs in a child process with a JSONL log; this script samples the child's
resident memory (VmRSS), open file descriptors and threads from /proc every `--every`
seconds, alongside how many frames the log holds, and reads every frame's end-to-end latency
from the log afterwards. After a warm-up (default: the first 10 % of the frames, at least
200) it reports:

- the RSS slope (least squares, MB per 100,000 frames) and the growth from the end of the
  warm-up to the end of the run;
- latency p50/p99 in each fifth of the post-warm-up frames, and the ratio of the largest p99
  to the smallest (1.0 = perfectly stable);
- min/max open fds and threads after warm-up.

    PYTHONPATH=src python benchmarks/soak.py --frames 5000 [--json out.json] [-- extra run args]

The targets (issue 6): RSS growth after warm-up < 10 MB per 100,000 frames, p99 stable, fds
and threads flat. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

SRC = Path(__file__).resolve().parents[1] / "src"


@dataclass
class Sample:
    t: float
    frames: int
    rss_kb: int
    fds: int
    threads: int


@dataclass
class SoakReport:
    frames: int
    seconds: float
    fps: float
    warmup_frames: int
    rss_start_mb: float
    rss_end_mb: float
    rss_peak_mb: float
    rss_growth_mb: float
    rss_slope_mb_per_100k: float
    latency_windows: list[dict[str, float]] = field(default_factory=list)
    p99_ratio: float = 0.0
    fds: tuple[int, int] = (0, 0)
    threads: tuple[int, int] = (0, 0)
    exit_code: int = 0
    samples: list[Sample] = field(default_factory=list)

    def lines(self) -> list[str]:
        w = self.latency_windows
        return [
            f"frames {self.frames} in {self.seconds:.0f} s ({self.fps:.1f} fps), exit "
            f"{self.exit_code}; warm-up {self.warmup_frames} frames",
            f"RSS {self.rss_start_mb:.1f} MB after warm-up -> {self.rss_end_mb:.1f} MB at the "
            f"end (peak {self.rss_peak_mb:.1f}); growth {self.rss_growth_mb:+.2f} MB; slope "
            f"{self.rss_slope_mb_per_100k:+.2f} MB per 100k frames",
            "latency p50/p99 ms per fifth: "
            + ", ".join(f"{x['p50']:.0f}/{x['p99']:.0f}" for x in w)
            + f" (p99 max/min {self.p99_ratio:.2f})",
            f"open fds {self.fds[0]}..{self.fds[1]}, threads {self.threads[0]}..{self.threads[1]}"
            " after warm-up",
        ]


def _proc_sample(pid: int) -> tuple[int, int, int] | None:
    """(VmRSS kB, open fds, threads) of a live process, or None once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    if "VmRSS" not in fields:
        # exited but not yet reaped (a zombie): its memory is gone, and so is the process
        return None
    return int(fields["VmRSS"].split()[0]), fds, int(fields["Threads"])


class _LineCounter:
    """Counts newlines of a growing file incrementally."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.count = 0

    def update(self) -> int:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.offset)
                data = fh.read()
        except FileNotFoundError:
            return self.count
        self.offset += len(data)
        self.count += data.count(b"\n")
        return self.count


def soak(
    frames: int,
    *,
    every: float = 0.5,
    warmup: float = 0.1,
    extra: list[str] | None = None,
    workdir: Path | None = None,
    timeout: float | None = None,
) -> SoakReport:
    """Runs the demo for `frames` frames and measures it (see the module docstring).

    Args:
        frames: frames to run (`--max-frames`).
        every: seconds between /proc samples.
        warmup: fraction of the frames treated as warm-up (at least 200 frames).
        extra: more `digitcam run` arguments.
        workdir: where the log goes (a temporary folder by default).
        timeout: seconds after which the run is killed (default: none).
    """
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        log = Path(tmp) / "soak.jsonl"
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
        env.pop("DISPLAY", None)
        cmd = [sys.executable, "-m", "digitcam", "run", "demo", "--fast", "--no-display",
               "--max-frames", str(frames), "--log", str(log), *(extra or [])]  # fmt: skip
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        counter = _LineCounter(log)
        samples: list[Sample] = []
        try:
            while proc.poll() is None:
                s = _proc_sample(proc.pid)
                if s is not None:
                    samples.append(Sample(time.monotonic() - t0, counter.update(), *s))
                if timeout is not None and time.monotonic() - t0 > timeout:
                    proc.kill()
                    break
                time.sleep(every)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        seconds = time.monotonic() - t0
        latency = []
        with open(log, "rb") as fh:
            for line in fh:
                latency.append(json.loads(line)["latency_ms"])
    if proc.returncode != 0:
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return _report(samples, np.asarray(latency), seconds, warmup, proc.returncode)


def _report(
    samples: list[Sample], latency: np.ndarray, seconds: float, warmup: float, code: int
) -> SoakReport:
    n = len(latency)
    warm = max(200, int(warmup * n))
    # After warm-up and before the last frame: once the log is complete the run is closing
    # its files and freeing memory, which says nothing about the steady state.
    post = [s for s in samples if warm <= s.frames < n]
    if len(post) < 2:
        post = samples[len(samples) // 2 :]
    x = np.array([s.frames for s in post], float)
    rss = np.array([s.rss_kb for s in post], float) / 1024.0
    slope = float(np.polyfit(x, rss, 1)[0]) * 100_000 if len(post) >= 2 and np.ptp(x) > 0 else 0.0
    lat = latency[warm:] if n > warm else latency
    windows = []
    for chunk in np.array_split(lat, 5):
        if len(chunk):
            windows.append({"p50": float(np.percentile(chunk, 50)),
                            "p99": float(np.percentile(chunk, 99)), "n": len(chunk)})  # fmt: skip
    p99s = [w["p99"] for w in windows]
    return SoakReport(
        frames=n,
        seconds=seconds,
        fps=n / seconds if seconds > 0 else 0.0,
        warmup_frames=warm,
        rss_start_mb=float(rss[0]) if len(rss) else 0.0,
        rss_end_mb=float(rss[-1]) if len(rss) else 0.0,
        rss_peak_mb=max((s.rss_kb for s in samples), default=0) / 1024.0,
        rss_growth_mb=float(rss[-1] - rss[0]) if len(rss) else 0.0,
        rss_slope_mb_per_100k=slope,
        latency_windows=windows,
        p99_ratio=max(p99s) / min(p99s) if p99s and min(p99s) > 0 else 0.0,
        fds=(min(s.fds for s in post), max(s.fds for s in post)) if post else (0, 0),
        threads=(min(s.threads for s in post), max(s.threads for s in post)) if post else (0, 0),
        exit_code=code,
        samples=samples,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--frames", type=int, default=5000)
    ap.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    ap.add_argument("--warmup", type=float, default=0.1, help="warm-up fraction of the frames")
    ap.add_argument("--json", type=Path, help="write the report (with samples) here")
    ap.add_argument("extra", nargs="*", help="more `digitcam run` arguments (after --)")
    args = ap.parse_args()
    report = soak(args.frames, every=args.every, warmup=args.warmup, extra=args.extra)
    for line in report.lines():
        print(line)
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=1))
    sys.exit(report.exit_code)


if __name__ == "__main__":
    main()
