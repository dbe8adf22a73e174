"""Build speed of the site and overhead of the snippet runner, measured side by side in one run.

    python benchmarks/build_speed.py [--repeat 3]

Prints: cold build (empty snippet cache), warm rebuild with nothing changed, their ratio;
and the runner's cost per snippet beyond the snippet's own work, next to the cost of the
fresh interpreter it replaces (python + import torch + matplotlib).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_hooks.snippet_runner import Snippet, SnippetRunner  # noqa: E402

COLD_GOAL_S, WARM_GOAL_S, WARM_COLD_GOAL, OVERHEAD_GOAL_S = 300.0, 5.0, 0.1, 0.2


@dataclass(frozen=True)
class BuildSpeed:
    """Seconds: median cold and warm builds, the runner's overhead per snippet, a fresh interpreter."""
    snippets: int  # in snippets/
    repeat: int
    cold_s: float
    warm_s: float
    runner_snippets: int
    overhead_s: float
    interpreter_s: float
    warmup_s: float


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def build_times(repeat: int, keep: Path | None = None) -> tuple[list[float], list[float]]:
    """Seconds of `repeat` cold builds, each followed by a warm one; `keep` receives the first cold
    build's snippet store (what `frozen/` would hold after a build of this tree)."""
    cold, warm = [], []
    for index in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            env = {**os.environ, "GCNN_NOTES_CACHE": f"{scratch}/cache", "NO_MKDOCS_2_WARNING": "1"}
            command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", f"{scratch}/site"]
            cold.append(timed(command, env))
            warm.append(timed(command, env))
            if keep is not None and index == 0:
                shutil.copytree(f"{scratch}/cache", keep, ignore=shutil.ignore_patterns(".scratch"))
    return cold, warm


def runner_overhead(count: int) -> tuple[float, float]:
    """Seconds per snippet beyond its own work, with the fork server already warm; and the warm-up.

    Its own work is the time the worker measured around the snippet (`Result.seconds` of a fresh run,
    exact; the store's records round it to 0.1 s, which for a snippet of a few ms is mostly rounding)."""
    with tempfile.TemporaryDirectory() as scratch:
        runner = SnippetRunner(ROOT, Path(scratch), jobs=1)
        start = time.perf_counter()
        runner.run([Snippet("bench/warmup", "print(0)\n", "bench/warmup.py")])
        warmup = time.perf_counter() - start
        snippets = [Snippet(f"bench/s{i}", f"import gcnn\nprint({i})\n", f"bench/s{i}.py") for i in range(count)]
        start = time.perf_counter()
        results = runner.run(snippets)
        wall = time.perf_counter() - start
    own = sum(result.seconds for result in results.values())
    return (wall - own) / count, warmup


def fresh_interpreter(repeat: int) -> float:
    code = "import torch, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot, gcnn"
    return statistics.median(timed([sys.executable, "-c", code], dict(os.environ)) for _ in range(repeat))


def measure(repeat: int, snippets: int, keep: Path | None = None) -> BuildSpeed:
    """Builds `repeat` times cold then warm, runs `snippets` trivial snippets, starts `repeat` interpreters."""
    cold, warm = build_times(repeat, keep)
    overhead, warmup = runner_overhead(snippets)
    interpreter = fresh_interpreter(repeat)
    return BuildSpeed(len(list((ROOT / "snippets").rglob("*.py"))), repeat, statistics.median(cold),
                      statistics.median(warm), snippets, overhead, interpreter, warmup)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--snippets", type=int, default=10)
    args = parser.parse_args()

    b = measure(args.repeat, args.snippets)
    print(f"site build ({b.snippets} snippets, median of {b.repeat}; each line measured in this run)")
    print(f"  cold build (empty cache)     {b.cold_s:7.2f} s    goal <= {COLD_GOAL_S:g} s")
    print(f"  warm rebuild (no change)     {b.warm_s:7.2f} s    goal <= {WARM_GOAL_S:g} s")
    print(f"  warm / cold                  {b.warm_s / b.cold_s:7.3f}      goal <= {WARM_COLD_GOAL:g}")
    print("snippet runner")
    print(f"  overhead per snippet         {b.overhead_s:7.3f} s    goal <= {OVERHEAD_GOAL_S:g} s "
          f"(fork from a warm server, {b.runner_snippets} snippets, 1 worker)")
    print(f"  fresh interpreter + imports  {b.interpreter_s:7.3f} s    (what each snippet would cost without the runner)")
    print(f"  runner / fresh interpreter   {b.overhead_s / b.interpreter_s:7.3f}")
    print(f"  one-off fork-server start    {b.warmup_s:7.3f} s    (once per build process, only when a snippet must run)")


if __name__ == "__main__":
    main()
