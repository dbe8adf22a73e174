"""Forward time of the SE(2) layers (circular-harmonic kernels) next to the bilinear C_N layers.

    python benchmarks/se2_speed.py [--budget 20]

For N = 4, 8, 16 it times lift (1 → 16) → ReLU → group convolution (16 → 16), 5×5 kernels,
29×29 inputs, batch 64, one thread, in eval mode under ``torch.no_grad()``, both stacks in
interleaved rounds; the ratio is the median over rounds of SE(2) / C_N in the same round.
The SE(2) layers rebuild their kernels from the coefficients on every call (no eval cache),
the C_N layers cache the expanded filter, so the ratio shows what that costs next to the convolution.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from interleaved import interleaved_times, paired_ratio  # noqa: E402

from gcnn.groups import CyclicGroup  # noqa: E402
from gcnn.nn import GroupConv2d, LiftingConv2d, SE2GroupConv2d, SE2LiftingConv2d  # noqa: E402


def stacks(n: int) -> dict[str, nn.Module]:
    group = CyclicGroup(n)
    return {
        "C_N bilinear": nn.Sequential(LiftingConv2d(group, 1, 16, 5, padding=2), nn.ReLU(),
                                      GroupConv2d(group, 16, 16, 5, padding=2)).eval(),
        "SE(2) harmonic": nn.Sequential(SE2LiftingConv2d(1, 16, 5, n, padding=2), nn.ReLU(),
                                        SE2GroupConv2d(16, 16, 5, n, padding=2)).eval(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timing per N")
    budget = parser.parse_args().budget
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x = torch.randn(64, 1, 29, 29)
    print(f"{'N':>3} {'rounds':>6} {'C_N bilinear':>13} {'SE(2) harmonic':>15} {'ratio':>7}")
    for n in (4, 8, 16):
        models = stacks(n)
        with torch.no_grad():
            rounds, times = interleaved_times({name: (lambda m=m: m(x)) for name, m in models.items()}, budget)
        ms = {name: 1e3 * statistics.median(values) for name, values in times.items()}
        ratio = paired_ratio(times, "SE(2) harmonic", "C_N bilinear")
        print(f"{n:>3} {rounds:>6} {ms['C_N bilinear']:>11.1f}ms {ms['SE(2) harmonic']:>13.1f}ms {ratio:>6.3f}×")
    print("ratio = median over rounds of SE(2) / C_N, eval mode, forward pass of batch 64")


if __name__ == "__main__":
    main()
