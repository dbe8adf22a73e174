"""Speed of GroupConv2d next to a plain F.conv2d with the same expanded weight shape.

    python benchmarks/gconv_speed.py [--budget 20]

For C4 and C8 (16 → 16 fields, 5×5 kernels, 64×64 inputs, batch 1 and 32) it
times the forward pass of the layer in train mode (the filter bank is expanded
on every call, autograd on) and in eval mode under ``torch.no_grad()`` (the
expanded filter is cached), each next to the plain convolution under the same
autograd setting.  Repetitions are interleaved (order rotated each round) and
medians are compared, since these machines are noisy: the median time of each
variant, and the ratio as the median of the per-round ratios (layer / plain
timed in the same round), which is robust to load that comes and goes.  Then the construction time of a C8 16 → 16 5×5
layer.  Goals: train ≤ 1.05×, eval ≤ 1.02×, construction ≤ 10 ms.
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
                         interleaved_times, seconds, train_eval)

from gcnn.groups import CyclicGroup  # noqa: E402
from gcnn.nn import GroupConv2d  # noqa: E402

FIELDS, KERNEL, SIZE = 16, 5, 64
CONSTRUCTION_GOAL_MS = 10.0


@dataclass(frozen=True)
class SpeedRow:
    group: str
    batch: int
    timing: TrainEval


@dataclass(frozen=True)
class Construction:
    """Median ms to build a C8 16→16 5×5 GroupConv2d, and an nn.Conv2d of its expanded size."""
    layer_ms: float
    conv2d_ms: float


def compare(group: CyclicGroup, batch: int, budget: float) -> tuple[int, dict[str, list[float]]]:
    """Seconds per forward call of the four variants, one list entry per round."""
    torch.manual_seed(0)
    n = group.order
    training = GroupConv2d(group, FIELDS, FIELDS, KERNEL).train()
    evaluating = GroupConv2d(group, FIELDS, FIELDS, KERNEL).eval()
    weight = torch.randn(FIELDS * n, FIELDS * n, KERNEL, KERNEL, requires_grad=True)
    bias = torch.randn(FIELDS * n, requires_grad=True)
    x = torch.randn(batch, FIELDS, n, SIZE, SIZE)

    def plain_train():
        F.conv2d(x.flatten(1, 2), weight, bias)

    def layer_train():
        training(x)

    def plain_eval():
        with torch.no_grad():
            F.conv2d(x.flatten(1, 2), weight, bias)

    def layer_eval():
        with torch.no_grad():
            evaluating(x)

    variants = {"plain train": plain_train, "layer train": layer_train,
                "plain eval": plain_eval, "layer eval": layer_eval}
    return interleaved_times(variants, budget)


def speed_rows(budget: float) -> Iterator[SpeedRow]:
    """C4 and C8, batch 1 and 32: each row as soon as it is measured, `budget` seconds each."""
    for group in (CyclicGroup(4), CyclicGroup(8)):
        for batch in (1, 32):
            yield SpeedRow(group.name, batch, train_eval(*compare(group, batch, budget)))


def construction(repeats: int = 50) -> Construction:
    """Median ms to build a C8 16→16 5×5 GroupConv2d, and an nn.Conv2d of the expanded size."""
    group = CyclicGroup(8)
    ours = statistics.median(
        seconds(lambda: GroupConv2d(group, FIELDS, FIELDS, KERNEL)) for _ in range(repeats))
    plain = statistics.median(
        seconds(lambda: torch.nn.Conv2d(FIELDS * 8, FIELDS * 8, KERNEL)) for _ in range(repeats))
    return Construction(1e3 * ours, 1e3 * plain)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per configuration")
    budget = parser.parse_args().budget
    print(f"GroupConv2d forward vs F.conv2d with the same expanded weight "
          f"({FIELDS}→{FIELDS} fields, {KERNEL}×{KERNEL}, {SIZE}×{SIZE} input), "
          f"torch threads: {torch.get_num_threads()}")
    print(f"{'group':<6}{'batch':>6}" + TRAIN_EVAL_HEADER)
    for row in speed_rows(budget):
        print(f"{row.group:<6}{row.batch:>6}" + format_train_eval(row.timing))
    print(TRAIN_EVAL_FOOTER)
    built = construction()
    print(f"construction of GroupConv2d(C8, {FIELDS}, {FIELDS}, {KERNEL}): {built.layer_ms:.2f} ms "
          f"(goal ≤ {CONSTRUCTION_GOAL_MS:g} ms; nn.Conv2d({FIELDS * 8}, {FIELDS * 8}, {KERNEL}): "
          f"{built.conv2d_ms:.2f} ms)")


if __name__ == "__main__":
    main()
