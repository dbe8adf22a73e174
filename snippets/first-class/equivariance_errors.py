"""Equivariance error of each layer of a G-CNN for every group element, exact and interpolated."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_rotated_digits
from gcnn.groups import CyclicGroup, DihedralGroup
from gcnn.nn import GroupConv2d, GroupPool, LiftingConv2d
from gcnn.testing import equivariance_errors

torch.manual_seed(0)
x = load_rotated_digits().train_images[:4]  # digits sit inside a disk: nothing rotates out of frame
FLOOR = 1e-17  # an error of exactly 0 (the identity) is drawn at this height


def layers(group):
    lift, gconv = LiftingConv2d(group, 1, 8, 5), GroupConv2d(group, 8, 8, 5)
    return {
        "lifting": (lift, "group"),
        "lifting → group conv": (torch.nn.Sequential(lift, torch.nn.ReLU(), gconv), "group"),
        "… → group pool → mean": (torch.nn.Sequential(lift, torch.nn.ReLU(), gconv, GroupPool("max"),
                                                      torch.nn.AdaptiveAvgPool2d(1)), "invariant"),
    }


worst = {}
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained", sharey=True)
for ax, group in zip(axes, (DihedralGroup(4), CyclicGroup(8))):
    for offset, (name, (model, output)) in enumerate(layers(group).items()):
        errors = equivariance_errors(model.eval(), x, group, input="plane", output=output)
        heights = [max(errors[g], FLOOR) for g in group.elements()]
        ax.bar([g + 0.27 * (offset - 1) for g in group.elements()], heights, width=0.27, label=name)
        print(f"{group}: {name:24s} " + " ".join(f"{errors[g]:.0e}" for g in group.elements()))
        worst[group.name, name] = max(errors.values())
    ax.set_yscale("log")
    ax.set_xticks(list(group.elements()))
    ax.set_xlabel(f"group element of {group}")
    ax.axhline(1e-6, color="gray", linestyle=":", linewidth=1)
    ax.text(0.4, 1.5e-6, "float32 tolerance 1e-6", fontsize=8, color="0.35")
axes[0].set_ylabel("relative error (float32)")
axes[0].legend(fontsize=8, loc="upper left")
print(f"D4 worst: {max(v for (g, _), v in worst.items() if g == 'D4'):.0e}")
print(f"C8 worst per layer: {worst['C8', 'lifting']:.0e}")
print(f"C8 worst after pooling: {worst['C8', '… → group pool → mean']:.0e}")
plt.show()
