"""Speed of SteerableConv2d next to a plain F.conv2d with the same expanded filter shape.

    python benchmarks/steerable_speed.py [--budget 10]

Two layers, 5×5 kernels on 64×64 inputs, batch 1 and 32: C8 with 16 → 16 regular fields
(128 channels) and SO(2) with 18 → 18 fields ``ψ_0 ⊕ ψ_1 ⊕ ψ_2 ⊕ ψ_3`` (126 channels).  It times
the forward pass in train mode (``k = Σ_b w_b k_b`` expanded on every call, autograd on) and in
eval mode under ``torch.no_grad()`` (the expanded filter is cached), each next to the plain
convolution under the same autograd setting.  Repetitions are interleaved (order rotated each
round); the table gives the median time of each variant and, as the ratio, the median of the
per-round ratios layer / plain, which is robust to load that comes and goes.  Then the
construction time of a C8 regular 16 → 16 5×5 layer, first in the process and again (irrep-pair
bases are kept per process).  Goals: train ≤ 1.05×, eval ≤ 1.02×, construction ≤ 10 ms.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from interleaved import (TRAIN_EVAL_FOOTER, TRAIN_EVAL_HEADER, TrainEval, format_train_eval,  # noqa: E402
                         interleaved_times, paired_ratio, seconds, train_eval)

from gcnn.groups import SO2, CyclicGroup  # noqa: E402
from gcnn.representations import irreps, regular  # noqa: E402
from gcnn.steerable import FieldType, SteerableConv2d  # noqa: E402

KERNEL, SIZE, FIELDS = 5, 64, 16
CONSTRUCTION_GOAL_MS = 10.0


@dataclass(frozen=True)
class SpeedRow:
    fields: str
    channels: int
    batch: int
    timing: TrainEval
    fresh_ratio: float  # conv2d given a freshly allocated copy of its weight / conv2d, train mode


@dataclass(frozen=True)
class Construction:
    """ms to build the C8 regular ×16 → ×16 5×5 layer first in the process, then medians of repeats."""
    first_ms: float
    field_type_ms: float
    layer_ms: float
    conv2d_ms: float


def c8_regular() -> FieldType:
    """16 regular fields of C8: 128 channels."""
    group = CyclicGroup(8)
    return FieldType(group, [regular(group)] * FIELDS)


def so2_irreps() -> FieldType:
    """18 copies of ψ_0 ⊕ ψ_1 ⊕ ψ_2 ⊕ ψ_3 of SO(2): 126 channels."""
    return FieldType(SO2(), irreps(SO2(), 3) * 18)


LAYERS = {"C8 regular ×16": c8_regular, "SO2 ψ0..3 ×18": so2_irreps}


def compare(field_type: FieldType, batch: int, budget: float) -> tuple[int, dict[str, list[float]]]:
    """Seconds per forward call of the five variants, one list entry per round."""
    torch.manual_seed(0)
    c = field_type.size
    training = SteerableConv2d(field_type, field_type, KERNEL).train()
    evaluating = SteerableConv2d(field_type, field_type, KERNEL).eval()
    weight = torch.randn(c, c, KERNEL, KERNEL, requires_grad=True)
    bias = torch.randn(c, requires_grad=True)
    x = torch.randn(batch, c, SIZE, SIZE)

    def plain_train():
        F.conv2d(x, weight, bias)

    def layer_train():
        training(x)

    def plain_eval():
        with torch.no_grad():
            F.conv2d(x, weight, bias)

    def layer_eval():
        with torch.no_grad():
            evaluating(x)

    def fresh_train():  # what any per-call expansion pays at least: a newly allocated filter tensor
        F.conv2d(x, weight.clone(), bias)

    variants = {"plain train": plain_train, "layer train": layer_train, "fresh train": fresh_train,
                "plain eval": plain_eval, "layer eval": layer_eval}
    return interleaved_times(variants, budget)


def speed_rows(budget: float) -> Iterator[SpeedRow]:
    """Both layers, batch 1 and 32: each row as soon as it is measured, `budget` seconds each."""
    for label, make in LAYERS.items():
        field_type = make()
        for batch in (1, 32):
            rounds, t = compare(field_type, batch, budget)
            yield SpeedRow(label, field_type.size, batch, train_eval(rounds, t),
                           paired_ratio(t, "fresh train", "plain train"))


def construction(repeats: int = 10) -> Construction:
    """ms to build the C8 regular ×16 FieldType and a 16→16 5×5 SteerableConv2d on it the first time in
    the process (irrep-pair bases not yet computed), then medians of repeats: FieldType, layer, and an
    nn.Conv2d of the expanded size."""
    first = seconds(lambda: SteerableConv2d(c8_regular(), c8_regular(), KERNEL))
    field_type = c8_regular()
    types = statistics.median(seconds(c8_regular) for _ in range(repeats))
    ours = statistics.median(
        seconds(lambda: SteerableConv2d(field_type, field_type, KERNEL)) for _ in range(repeats))
    plain = statistics.median(
        seconds(lambda: torch.nn.Conv2d(FIELDS * 8, FIELDS * 8, KERNEL)) for _ in range(repeats))
    return Construction(1e3 * first, 1e3 * types, 1e3 * ours, 1e3 * plain)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per configuration")
    budget = parser.parse_args().budget
    built = construction()  # before any other layer fills the per-process basis cache
    print(f"SteerableConv2d forward vs F.conv2d with the same expanded filter "
          f"({KERNEL}×{KERNEL}, {SIZE}×{SIZE} input), torch threads: {torch.get_num_threads()}")
    print(f"{'fields':<16}{'C':>4}{'batch':>6}" + TRAIN_EVAL_HEADER + f" {'fresh':>7}")
    for row in speed_rows(budget):
        print(f"{row.fields:<16}{row.channels:>4}{row.batch:>6}" + format_train_eval(row.timing)
              + f" {row.fresh_ratio:6.3f}×")
    print(TRAIN_EVAL_FOOTER)
    print("fresh = conv2d given a freshly allocated copy of its weight on every call / conv2d (train mode): "
          "the cost of a new filter tensor alone")
    print(f"construction of SteerableConv2d(C8 regular ×{FIELDS} → ×{FIELDS}, {KERNEL}×{KERNEL}), "
          f"goal ≤ {CONSTRUCTION_GOAL_MS:g} ms:\n"
          f"  first in the process (types + irrep-pair bases computed): {built.first_ms:.2f} ms\n"
          f"  again (bases kept per process):                            {built.layer_ms:.2f} ms "
          f"(its FieldType alone {built.field_type_ms:.2f} ms; nn.Conv2d({FIELDS * 8}, {FIELDS * 8}, {KERNEL}): "
          f"{built.conv2d_ms:.2f} ms)")


if __name__ == "__main__":
    main()
