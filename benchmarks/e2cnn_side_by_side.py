"""Speed of gcnn's SteerableConv2d next to e2cnn's (or escnn's) R2Conv and a plain F.conv2d of the same shape.

gcnn depends on neither: run this in a separate environment, from the repository root,

    python3.11 -m venv /tmp/e2cnn-venv
    /tmp/e2cnn-venv/bin/pip install torch==2.13.0 e2cnn "numpy<2"   # e2cnn 0.2.3 calls ndarray.tostring()
    /tmp/e2cnn-venv/bin/pip install -e . --no-deps
    /tmp/e2cnn-venv/bin/pip install matplotlib scikit-learn
    /tmp/e2cnn-venv/bin/python benchmarks/e2cnn_side_by_side.py [--budget 4] [--save]

and the same with ``escnn`` in place of ``e2cnn`` and ``--library escnn`` (escnn's dependency py3nj is
compiled at install: ``apt-get install gfortran`` first).  ``--save`` writes the rows with the date, the
machine and the versions to ``benchmarks/peers/<library>.json``; report.py puts them on the Benchmarks
page, marked as measured apart.

Two layers, 5×5 kernels on 64×64 inputs, no padding: C8 with 16 → 16 regular fields (128
channels) and SO(2) with 18 → 18 fields ``ψ_0 ⊕ ψ_1 ⊕ ψ_2 ⊕ ψ_3`` (126 channels; the peers:
``Rot2dOnR2(N=-1, maximum_frequency=3)``).  For each, batch 1 and 32, the forward pass in train mode
(filter expanded on every call) and in eval mode under ``torch.no_grad()`` (both libraries cache the
expanded filter) of both layers and of F.conv2d are timed in the same interleaved rounds; ratios are
medians of per-round layer / conv2d.  Then construction times (field types included) and the number
of learnable parameters: the libraries sample their kernel bases differently (radial rings,
angular frequency cutoffs), so the basis sizes are comparable but not equal.
"""
from __future__ import annotations

import argparse
import importlib
import json
import shlex
import statistics
import subprocess
import sys
import warnings
from dataclasses import asdict
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import Callable

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from interleaved import (TRAIN_EVAL_FOOTER, TRAIN_EVAL_HEADER, TrainEval, format_train_eval,  # noqa: E402
                         interleaved_times, seconds, train_eval)
from machine import describe  # noqa: E402

from gcnn.groups import SO2, CyclicGroup  # noqa: E402
from gcnn.representations import irreps, regular  # noqa: E402
from gcnn.steerable import FieldType, SteerableConv2d  # noqa: E402

warnings.filterwarnings("ignore", category=UserWarning)  # the peers use torch APIs now deprecated

KERNEL, SIZE, FIELDS = 5, 64, 16
PEERS = ("e2cnn", "escnn")  # escnn is e2cnn's successor, with the same R2Conv interface
Make = Callable[[], torch.nn.Module]


def peer_modules(library: str) -> tuple[ModuleType, ModuleType]:
    """The peer's `gspaces` and `nn`, or exit naming the separate environment it needs."""
    try:
        return importlib.import_module(f"{library}.gspaces"), importlib.import_module(f"{library}.nn")
    except ImportError as error:
        sys.exit(f"{library} is not importable ({error}); gcnn does not depend on it, see this script's docstring "
                 "for the separate environment to run it in.")


def ours_c8() -> SteerableConv2d:
    group = CyclicGroup(8)
    field_type = FieldType(group, [regular(group)] * FIELDS)
    return SteerableConv2d(field_type, field_type, KERNEL)


def ours_so2() -> SteerableConv2d:
    field_type = FieldType(SO2(), irreps(SO2(), 3) * 18)
    return SteerableConv2d(field_type, field_type, KERNEL)


def peer_layers(gspaces: ModuleType, enn: ModuleType) -> tuple[Make, Make]:
    """The peer's C8 regular and SO(2) ψ0..3 layers, the same as ours."""
    rotations = getattr(gspaces, "Rot2dOnR2", None) or gspaces.rot2dOnR2  # e2cnn's name, escnn's name

    def c8() -> torch.nn.Module:
        space = rotations(N=8)
        field_type = enn.FieldType(space, [space.regular_repr] * FIELDS)
        return enn.R2Conv(field_type, field_type, KERNEL)

    def so2() -> torch.nn.Module:
        space = rotations(N=-1, maximum_frequency=3)
        field_type = enn.FieldType(space, [space.irrep(k) for k in range(4)] * 18)
        return enn.R2Conv(field_type, field_type, KERNEL)
    return c8, so2


def construction_ms(make: Make, repeats: int = 5) -> tuple[float, float]:
    """ms to build field types and layer the first time in the process, then the median of repeats."""
    first = seconds(make)
    return 1e3 * first, 1e3 * statistics.median(seconds(make) for _ in range(repeats))


def compare(make_ours: Make, make_theirs: Make, enn: ModuleType, batch: int,
            budget: float) -> tuple[int, int, dict[str, list[float]]]:
    """Channels, and seconds per forward call of plain conv2d, ours and the peer in train and eval mode,
    one list entry per round."""
    torch.manual_seed(0)
    ours, ours_eval = make_ours().train(), make_ours().eval()
    theirs, theirs_eval = make_theirs().train(), make_theirs().eval()  # eval() caches the peer's filter
    c = theirs.in_type.size
    weight = torch.randn(c, c, KERNEL, KERNEL, requires_grad=True)
    bias = torch.randn(c, requires_grad=True)
    x = torch.randn(batch, c, SIZE, SIZE)
    geometric = enn.GeometricTensor(x, theirs.in_type)

    def no_grad(call: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            with torch.no_grad():
                call()
        return run

    return c, *interleaved_times({
        "plain train": lambda: F.conv2d(x, weight, bias), "ours train": lambda: ours(x),
        "peer train": lambda: theirs(geometric), "plain eval": no_grad(lambda: F.conv2d(x, weight, bias)),
        "ours eval": no_grad(lambda: ours_eval(x)), "peer eval": no_grad(lambda: theirs_eval(geometric))}, budget)


def layer_timing(rounds: int, times: dict[str, list[float]], who: str) -> TrainEval:
    """One library's layer ("ours" or "peer") against the plain conv2d timed in the same rounds."""
    return train_eval(rounds, {f"{kind} {mode}": times[f"{who if kind == 'layer' else 'plain'} {mode}"]
                               for kind in ("plain", "layer") for mode in ("train", "eval")})


def git_commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=4.0, help="seconds per configuration")
    parser.add_argument("--library", choices=PEERS, default="e2cnn", help="the library to time ours next to")
    parser.add_argument("--save", action="store_true", help="write benchmarks/peers/<library>.json for the page")
    args = parser.parse_args()
    library, budget = args.library, args.budget
    gspaces, enn = peer_modules(library)
    layers = dict(zip(("C8 regular ×16", "SO2 ψ0..3 ×18"), zip((ours_c8, ours_so2), peer_layers(gspaces, enn))))
    conv_ms = construction_ms(lambda: torch.nn.Conv2d(FIELDS * 8, FIELDS * 8, KERNEL))  # also warms torch up
    built = {(label, who): construction_ms(make) for label, makers in layers.items()
             for who, make in zip(("ours", library), makers)}  # first: before any forward fills a cache
    print(f"SteerableConv2d (ours) and {library} R2Conv forward vs F.conv2d of the same shape "
          f"({KERNEL}×{KERNEL}, {SIZE}×{SIZE} input, no padding), torch threads: {torch.get_num_threads()}")
    print(f"{'fields':<16}{'layer':<7}{'C':>4}{'batch':>6}" + TRAIN_EVAL_HEADER)
    speed = []
    for label, (make_ours, make_theirs) in layers.items():
        for batch in (1, 32):
            c, rounds, times = compare(make_ours, make_theirs, enn, batch, budget)
            for who, key in (("ours", "ours"), (library, "peer")):
                timing = layer_timing(rounds, times, key)
                speed.append({"fields": label, "layer": who, "channels": c, "batch": batch, **asdict(timing)})
                print(f"{label:<16}{who:<7}{c:>4}{batch:>6}" + format_train_eval(timing))
    print(TRAIN_EVAL_FOOTER + " (ours); plain is the same run's conv2d for both rows")
    print(f"\nconstruction (field types + layer), ms; nn.Conv2d({FIELDS * 8}, {FIELDS * 8}, {KERNEL}): "
          f"first {conv_ms[0]:.2f}, again {conv_ms[1]:.2f}")
    print(f"{'fields':<16}{'layer':<7}{'first':>10}{'again':>10}{'learnable (weights + bias)':>30}")
    construction = []
    for label, makers in layers.items():
        for who, make in zip(("ours", library), makers):
            counts = {name: p.numel() for name, p in make().named_parameters()}
            bias = counts.pop("bias")  # the rest is the filter basis: ours "weight", the peers' "weights"
            first, again = built[label, who]
            construction.append({"fields": label, "layer": who, "first_ms": first, "again_ms": again,
                                 "weights": sum(counts.values()), "bias": bias})
            print(f"{label:<16}{who:<7}{first:>10.2f}{again:>10.2f}"
                  f"{sum(counts.values()) + bias:>12} = {sum(counts.values())} + {bias}")
    if args.save:
        path = ROOT / "benchmarks" / "peers" / f"{library}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps({
            "library": library, "command": shlex.join(["python", "benchmarks/e2cnn_side_by_side.py", *sys.argv[1:]]),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "gcnn_commit": git_commit(),
            "versions": {name: version(name) for name in (library, "torch", "numpy")}, "machine": asdict(describe()),
            "kernel": KERNEL, "size": SIZE, "budget": budget, "conv2d_ms": conv_ms, "speed": speed,
            "construction": construction}, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
