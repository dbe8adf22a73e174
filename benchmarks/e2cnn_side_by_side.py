"""Speed of gcnn's SteerableConv2d next to e2cnn's R2Conv and a plain F.conv2d of the same shape.

gcnn does not depend on e2cnn: run this in a separate environment, from the repository root,

    python3.11 -m venv /tmp/e2cnn-venv
    /tmp/e2cnn-venv/bin/pip install torch==2.13.0 e2cnn "numpy<2"   # e2cnn 0.2.3 calls ndarray.tostring()
    /tmp/e2cnn-venv/bin/pip install -e . --no-deps
    /tmp/e2cnn-venv/bin/pip install matplotlib scikit-learn
    /tmp/e2cnn-venv/bin/python benchmarks/e2cnn_side_by_side.py [--budget 4]

Two layers, 5×5 kernels on 64×64 inputs, no padding: C8 with 16 → 16 regular fields (128
channels) and SO(2) with 18 → 18 fields ``ψ_0 ⊕ ψ_1 ⊕ ψ_2 ⊕ ψ_3`` (126 channels; e2cnn:
``Rot2dOnR2(N=-1, maximum_frequency=3)``).  For each, batch 1 and 32, the forward pass in train mode
(filter expanded on every call) and in eval mode under ``torch.no_grad()`` (both libraries cache the
expanded filter) of both layers and of F.conv2d are timed in the same interleaved rounds; ratios are
medians of per-round layer / conv2d.  Then construction times (field types included) and the number
of learnable parameters: the two libraries sample their kernel bases differently (radial rings,
angular frequency cutoffs), so the basis sizes are comparable but not equal.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import warnings
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from interleaved import TRAIN_EVAL_FOOTER, TRAIN_EVAL_HEADER, interleaved_times, seconds, train_eval_row  # noqa: E402

from gcnn.groups import SO2, CyclicGroup  # noqa: E402
from gcnn.representations import irreps, regular  # noqa: E402
from gcnn.steerable import FieldType, SteerableConv2d  # noqa: E402

try:
    from e2cnn import gspaces
    from e2cnn import nn as enn
except ImportError as error:
    sys.exit(f"e2cnn is not importable ({error}); gcnn does not depend on it, see this script's docstring "
             "for the separate environment to run it in.")

warnings.filterwarnings("ignore", category=UserWarning)  # e2cnn 0.2.3 uses torch APIs now deprecated

KERNEL, SIZE, FIELDS = 5, 64, 16


def ours_c8() -> SteerableConv2d:
    group = CyclicGroup(8)
    field_type = FieldType(group, [regular(group)] * FIELDS)
    return SteerableConv2d(field_type, field_type, KERNEL)


def ours_so2() -> SteerableConv2d:
    field_type = FieldType(SO2(), irreps(SO2(), 3) * 18)
    return SteerableConv2d(field_type, field_type, KERNEL)


def e2cnn_c8() -> enn.R2Conv:
    space = gspaces.Rot2dOnR2(N=8)
    field_type = enn.FieldType(space, [space.regular_repr] * FIELDS)
    return enn.R2Conv(field_type, field_type, KERNEL)


def e2cnn_so2() -> enn.R2Conv:
    space = gspaces.Rot2dOnR2(N=-1, maximum_frequency=3)
    field_type = enn.FieldType(space, [space.irrep(k) for k in range(4)] * 18)
    return enn.R2Conv(field_type, field_type, KERNEL)


LAYERS: dict[str, tuple[Callable[[], SteerableConv2d], Callable[[], enn.R2Conv]]] = {
    "C8 regular ×16": (ours_c8, e2cnn_c8), "SO2 ψ0..3 ×18": (ours_so2, e2cnn_so2)}


def construction_ms(make: Callable[[], torch.nn.Module], repeats: int = 5) -> tuple[float, float]:
    """ms to build field types and layer the first time in the process, then the median of repeats."""
    first = seconds(make)
    return 1e3 * first, 1e3 * statistics.median(seconds(make) for _ in range(repeats))


def compare(make_ours: Callable[[], SteerableConv2d], make_theirs: Callable[[], enn.R2Conv], batch: int,
            budget: float) -> tuple[int, int, dict[str, list[float]]]:
    """Channels, and seconds per forward call of plain conv2d, ours and e2cnn in train and eval mode,
    one list entry per round."""
    torch.manual_seed(0)
    ours, ours_eval = make_ours().train(), make_ours().eval()
    theirs, theirs_eval = make_theirs().train(), make_theirs().eval()  # eval() caches e2cnn's filter
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
        "e2cnn train": lambda: theirs(geometric), "plain eval": no_grad(lambda: F.conv2d(x, weight, bias)),
        "ours eval": no_grad(lambda: ours_eval(x)), "e2cnn eval": no_grad(lambda: theirs_eval(geometric))}, budget)


def row(rounds: int, times: dict[str, list[float]], library: str) -> str:
    """train_eval_row of one library against the plain conv2d timed in the same rounds."""
    return train_eval_row(rounds, {f"{kind} {mode}": times[f"{library if kind == 'layer' else 'plain'} {mode}"]
                                   for kind in ("plain", "layer") for mode in ("train", "eval")})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=4.0, help="seconds per configuration")
    budget = parser.parse_args().budget
    conv_ms = construction_ms(lambda: torch.nn.Conv2d(FIELDS * 8, FIELDS * 8, KERNEL))  # also warms torch up
    built = {(label, library): construction_ms(make) for label, makers in LAYERS.items()
             for library, make in zip(("ours", "e2cnn"), makers)}  # first: before any forward fills a cache
    print(f"SteerableConv2d (ours) and e2cnn R2Conv forward vs F.conv2d of the same shape "
          f"({KERNEL}×{KERNEL}, {SIZE}×{SIZE} input, no padding), torch threads: {torch.get_num_threads()}")
    print(f"{'fields':<16}{'layer':<7}{'C':>4}{'batch':>6}" + TRAIN_EVAL_HEADER)
    for label, (make_ours, make_theirs) in LAYERS.items():
        for batch in (1, 32):
            c, rounds, times = compare(make_ours, make_theirs, batch, budget)
            for library in ("ours", "e2cnn"):
                print(f"{label:<16}{library:<7}{c:>4}{batch:>6}" + row(rounds, times, library))
    print(TRAIN_EVAL_FOOTER + " (ours); plain is the same run's conv2d for both rows")
    print(f"\nconstruction (field types + layer), ms; nn.Conv2d({FIELDS * 8}, {FIELDS * 8}, {KERNEL}): "
          f"first {conv_ms[0]:.2f}, again {conv_ms[1]:.2f}")
    print(f"{'fields':<16}{'layer':<7}{'first':>10}{'again':>10}{'learnable (weights + bias)':>30}")
    for label, makers in LAYERS.items():
        for library, make in zip(("ours", "e2cnn"), makers):
            counts = {name: p.numel() for name, p in make().named_parameters()}
            bias = counts.pop("bias")  # the rest is the filter basis: ours "weight", e2cnn "weights"
            print(f"{label:<16}{library:<7}{built[label, library][0]:>10.2f}{built[label, library][1]:>10.2f}"
                  f"{sum(counts.values()) + bias:>12} = {sum(counts.values())} + {bias}")


if __name__ == "__main__":
    main()
