"""Regular G-CNNs for the continuous group SE(2): kernels in a circular-harmonic basis, rotated exactly and
sampled at N angles, against the bilinear C_N layers (kernel images interpolated): rotation error of untrained
lift → ReLU → group conv → max over the rotation axis, on digits, at every angle and for several N."""
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

from gcnn.data import load_rotated_digits
from gcnn.groups import CyclicGroup
from gcnn.nn import GroupConv2d, GroupPool, LiftingConv2d, SE2GroupConv2d, SE2LiftingConv2d
from gcnn.testing import rotation_errors

torch.manual_seed(0)
torch.set_num_threads(1)
x = load_rotated_digits().train_images[:4]  # digits inside a disk, so nothing rotates out of frame


def stack(kind, n, seed=0):  # 1 → 8 → 8 channels, 5 × 5 kernels, weights drawn from `seed`
    torch.manual_seed(seed)
    if kind == "SE(2) harmonic":
        layers = [SE2LiftingConv2d(1, 8, 5, n, padding=2), nn.ReLU(), SE2GroupConv2d(8, 8, 5, n, padding=2)]
    else:
        g = CyclicGroup(n)
        layers = [LiftingConv2d(g, 1, 8, 5, padding=2), nn.ReLU(), GroupConv2d(g, 8, 8, 5, padding=2)]
    return nn.Sequential(*layers, GroupPool("max")).eval()


def mean_error(kind, n, seed):
    errors = rotation_errors(stack(kind, n, seed), x, [math.radians(a) for a in range(0, 360, 10)])
    return sum(errors.values()) / len(errors)


kinds = ["bilinear C_N", "SE(2) harmonic"]
angles = list(range(0, 361, 5))
curves = {kind: list(rotation_errors(stack(kind, 8), x, [math.radians(a) for a in angles]).values()) for kind in kinds}
sizes = [4, 8, 16, 32]
runs = {kind: torch.tensor([[mean_error(kind, n, seed) for seed in range(3)] for n in sizes]) for kind in kinds}
for kind in kinds:
    print(f"{kind}, N = 8, at 90°: {curves[kind][angles.index(90)]:.0e}")
    print(f"{kind}, N = 8, at 45°: {curves[kind][angles.index(45)]:.2f}")
    print(f"{kind}, mean error, N = {'/'.join(map(str, sizes))}: "
          + ", ".join(f"{m:.3f} ± {sd:.3f}" for m, sd in zip(runs[kind].mean(1), runs[kind].std(1))))

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained", width_ratios=[1.6, 1])
for kind in kinds:
    left.plot(angles, [max(e, 1e-9) for e in curves[kind]], marker="o", markersize=2.5, label=f"{kind}, N = 8")
    right.errorbar(sizes, runs[kind].mean(1), yerr=runs[kind].std(1), marker="o", capsize=3, label=kind)
left.set(xlabel="rotation of the input (degrees)", xticks=range(0, 361, 45), yscale="log",
         ylabel="relative equivariance error", title="error at every angle (N = 8, seed 0)")
right.set(xlabel="N (samples of the rotation axis)", xscale="log", ylim=(0, None),
          ylabel="mean error over 36 angles", title="mean ± std over 3 seeds")
right.set_xticks(sizes, [str(n) for n in sizes])
right.minorticks_off()
left.legend(fontsize=8)
right.legend(fontsize=8)
plt.show()
