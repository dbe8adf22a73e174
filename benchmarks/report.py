"""Run the benchmarks and write the Benchmarks page, docs/benchmarks.md (never run by the site build).

    python benchmarks/report.py [--budget 10] [--repeat 1] [--skip-nbody] [--skip-build] [--quick]

Measures, with the functions of the benchmark scripts: GroupConv2d and SteerableConv2d next to
conv2d (train/eval ratios, construction), EGNN next to its dense reference, the SEGNN- and PONITA-style
models next to EGNN, the N-body trainings (about 8 min; --skip-nbody), and a cold next to a warm build of this site (a cold build runs every
snippet: minutes; --skip-build).  --quick is a check that the command works: 1 s per
configuration, neither trainings nor builds.  The page states the command, the machine and the date.
"""
from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_speed  # noqa: E402
import egnn_speed  # noqa: E402
import gconv_speed  # noqa: E402
import graph_models_speed  # noqa: E402
import nbody_training_time  # noqa: E402
import steerable_speed  # noqa: E402
from machine import describe  # noqa: E402
from page import Results, render  # noqa: E402


def progress(message: str, start: float) -> None:
    print(f"[{time.perf_counter() - start:6.0f} s] {message}", file=sys.stderr, flush=True)


def measure(budget: float, nbody: bool, build_repeat: int | None, keep: Path | None = None) -> Results:
    """Every benchmark, in an order that keeps each one's conditions: the steerable construction first
    (before any layer fills the per-process basis cache), the one-thread trainings after the layers."""
    start = time.perf_counter()
    progress("steerable construction", start)
    steerable_built = steerable_speed.construction()
    progress("GroupConv2d vs conv2d", start)
    gconv = list(gconv_speed.speed_rows(budget))
    gconv_built = gconv_speed.construction()
    progress("SteerableConv2d vs conv2d", start)
    steerable = list(steerable_speed.speed_rows(budget))
    progress("EGNN vs dense", start)
    egnn = list(egnn_speed.speed_rows(budget))
    progress("SEGNN- and PONITA-style models vs EGNN", start)
    graph_models = list(graph_models_speed.speed_rows(budget))
    progress("N-body trainings" if nbody else "N-body trainings skipped", start)
    trainings = list(nbody_training_time.timings()) if nbody else None
    progress("site builds" if build_repeat else "site builds skipped", start)
    build = build_speed.measure(build_repeat, 10, keep) if build_repeat else None
    progress("done", start)
    return Results(budget, gconv, gconv_built, steerable, steerable_built, egnn, graph_models, trainings, build)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per configuration of a layer timing")
    parser.add_argument("--repeat", type=int, default=1, help="cold + warm site builds to take the median of")
    parser.add_argument("--skip-nbody", action="store_true", help="leave out the N-body trainings (~8 min)")
    parser.add_argument("--skip-build", action="store_true", help="leave out the site builds (minutes)")
    parser.add_argument("--quick", action="store_true", help="1 s per configuration, no trainings, no builds")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--keep-cold-store", type=Path, metavar="DIR",
                        help="copy the first cold build's snippet store to DIR (a fresh frozen/ for this tree)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    budget = 1.0 if args.quick else args.budget
    results = measure(budget, nbody=not (args.quick or args.skip_nbody),
                      build_repeat=None if args.quick or args.skip_build else args.repeat, keep=args.keep_cold_store)
    command = shlex.join(["python", "benchmarks/report.py", *sys.argv[1:]])
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    peers = [json.loads(path.read_text()) for path in sorted((ROOT / "benchmarks" / "peers").glob("*.json"))]
    args.output.write_text(render(results, describe(), command, date, peers))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
