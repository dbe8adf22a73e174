"""Rotation-equivariance error of four two-layer stacks at every angle: a CNN, C4 and C8
G-CNNs, and an SO(2)-steerable CNN (plane outputs, compared inside the inscribed disk)."""
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

from gcnn.data import load_rotated_digits
from gcnn.groups import SO2, CyclicGroup
from gcnn.nn import GroupConv2d, GroupPool, LiftingConv2d
from gcnn.representations import trivial
from gcnn.steerable import FieldType, FourierPointwise, InvariantPool, SteerableConv2d
from gcnn.testing import rotation_errors

torch.manual_seed(0)
torch.set_num_threads(1)  # summation order, hence every printed digit, does not depend on the machine
x = load_rotated_digits().train_images[:4]  # digits sit inside a disk: nothing rotates out of frame
FLOOR = 1e-9  # an error of exactly 0 (the identity) is drawn at this height


def regular(group):  # lift → ReLU → group conv → max over the group axis: 8 plane channels
    return nn.Sequential(LiftingConv2d(group, 1, 8, 5, padding=2), nn.ReLU(),
                         GroupConv2d(group, 8, 8, 5, padding=2), GroupPool("max"))


hidden = FourierPointwise(SO2(), 8, max_frequency=2)  # 8 fields, each ψ_0 ⊕ ψ_1 ⊕ ψ_2 (5 channels)
models = {
    "CNN": nn.Sequential(nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.Conv2d(8, 8, 5, padding=2)),
    "C4": regular(CyclicGroup(4)),
    "C8": regular(CyclicGroup(8)),
    "SO2": nn.Sequential(SteerableConv2d(FieldType(SO2(), [trivial(SO2())]), hidden.in_type, 5, padding=2),
                         hidden, SteerableConv2d(hidden.out_type, hidden.out_type, 5, padding=2),
                         InvariantPool(hidden.out_type)),  # per field its norm: 8 plane channels
}
angles = list(range(0, 361, 5))
errors = {name: rotation_errors(model.eval(), x, [math.radians(a) for a in angles], output="plane", disk=True)
          for name, model in models.items()}
errors = {name: [e[math.radians(a)] for a in angles] for name, e in errors.items()}

print(f"{'model':5s}" + "".join(f"{f'{a}°':>9s}" for a in (0, 45, 90, 30)))
for name, curve in errors.items():
    print(f"{name:5s}" + "".join(f"{curve[angles.index(a)]:9.1e}" for a in (0, 45, 90, 30)))
for name, curve in errors.items():
    print(f"{name} mean: {sum(curve) / len(curve):.1e}")

fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
for angle in range(0, 361, 45):
    ax.axvline(angle, color="0.5", linewidth=1.2 if angle % 90 == 0 else 0.6,
               linestyle="-" if angle % 90 == 0 else ":", zorder=0)
for name, curve in errors.items():
    ax.plot(angles, [max(e, FLOOR) for e in curve], marker="o", markersize=3, label=name)
ax.set(xlabel="rotation of the input digit (degrees)", xlim=(0, 360), xticks=range(0, 361, 45), yscale="log",
       ylabel="relative equivariance error", title="max|Φ(R x) − R Φ(x)| / max|R Φ(x)| inside the disk (float32)")
ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
plt.show()
