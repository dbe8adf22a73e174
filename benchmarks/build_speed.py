"""Build speed of the site and overhead of the snippet runner, measured side by side in one run.

    python benchmarks/build_speed.py [--repeat 3]

Prints: cold build (empty snippet cache), warm rebuild with nothing changed, their ratio;
and the runner's cost per snippet beyond the snippet's own work, next to the cost of the
fresh interpreter it replaces (python + import torch + matplotlib).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_hooks.snippet_runner import Snippet, SnippetRunner  # noqa: E402


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def build_times(repeat: int) -> tuple[list[float], list[float]]:
    cold, warm = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            env = {**os.environ, "GCNN_NOTES_CACHE": f"{scratch}/cache", "NO_MKDOCS_2_WARNING": "1"}
            command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", f"{scratch}/site"]
            cold.append(timed(command, env))
            warm.append(timed(command, env))
    return cold, warm


def runner_overhead(count: int) -> tuple[float, float]:
    """Seconds per snippet beyond its own work, with the fork server already warm; and the warm-up."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--snippets", type=int, default=10)
    args = parser.parse_args()

    cold, warm = build_times(args.repeat)
    overhead, warmup = runner_overhead(args.snippets)
    interpreter = fresh_interpreter(args.repeat)
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)
    print(f"site build ({len(list((ROOT / 'snippets').rglob('*.py')))} snippets, median of {args.repeat}; "
          f"each line measured in this run)")
    print(f"  cold build (empty cache)     {cold_s:7.2f} s")
    print(f"  warm rebuild (no change)     {warm_s:7.2f} s    goal <= 5 s")
    print(f"  warm / cold                  {warm_s / cold_s:7.3f}      goal <= 0.1")
    print("snippet runner")
    print(f"  overhead per snippet         {overhead:7.3f} s    goal <= 0.2 s "
          f"(fork from a warm server, {args.snippets} snippets, 1 worker)")
    print(f"  fresh interpreter + imports  {interpreter:7.3f} s    (what each snippet would cost without the runner)")
    print(f"  runner / fresh interpreter   {overhead / interpreter:7.3f}")
    print(f"  one-off fork-server start    {warmup:7.3f} s    (once per build process, only when a snippet must run)")


if __name__ == "__main__":
    main()
