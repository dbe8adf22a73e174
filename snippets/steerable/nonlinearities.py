"""Nonlinearities on a field of SO(2) irreps ψ0 ⊕ ψ1 ⊕ ψ2: relative equivariance error at the 90° rotations
(9 × 9 fields) and at 20 angles in between (single fibres, 1 × 1, which every rotation maps to themselves)."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.groups import SO2
from gcnn.representations import irreps
from gcnn.steerable import (FieldType, FourierPointwise, GatedNonlinearity, NormNonlinearity,
                            TensorProductNonlinearity, field_equivariance_errors)

torch.manual_seed(0)
group = SO2()
quarter_turns = [a * math.pi / 2 for a in range(4)]
other_angles = [2 * math.pi * (k + 0.37) / 20 for k in range(20)]  # none a multiple of 30°
field_type = FieldType(group, irreps(group, 2))  # ψ0 (1 channel), ψ1 (2), ψ2 (2)
norm = NormNonlinearity(field_type).double()
with torch.no_grad():
    norm.bias.normal_()
gated = GatedNonlinearity(field_type)  # input: the 3 fields, then 3 scalar gates
fourier = FourierPointwise(group, 1, max_frequency=2)  # samples on 12 angles, ReLU, projects back
product = TensorProductNonlinearity(field_type).double()  # products of pairs, split into irreps, mixed

layers = {"ReLU": (torch.relu, field_type), "norm": (norm, field_type), "gated": (gated, gated.in_type),
          "Fourier-pointwise": (fourier, field_type), "tensor product": (product, field_type)}
errors = {}
for key, (layer, in_type) in layers.items():
    fields = torch.randn(1, in_type.size, 9, 9, dtype=torch.float64)
    fibres = torch.randn(64, in_type.size, 1, 1, dtype=torch.float64)
    errors[key] = (max(field_equivariance_errors(layer, fields, in_type, field_type, quarter_turns).values()),
                   max(field_equivariance_errors(layer, fibres, in_type, field_type, other_angles).values()))
    print(f"{key}: {errors[key][0]:.0e} at 90°, {errors[key][1]:.0e} at other angles")

floor = 1e-17  # an exact zero cannot sit on a log axis: draw it at the floor
fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
positions = torch.arange(len(errors), dtype=torch.float64)
for offset, index, label in ((-0.2, 0, "90° rotations"), (0.2, 1, "20 other angles (fibres)")):
    values = [max(e[index], floor) for e in errors.values()]
    bars = ax.bar(positions + offset, values, width=0.4, bottom=floor / 10, label=label)
    ax.bar_label(bars, [f"{e[index]:.0e}" if e[index] > 0 else "0" for e in errors.values()], fontsize=8)
ax.set_xticks(positions, list(errors))
ax.set_yscale("log")
ax.set_ylim(floor / 10, 10)
ax.set_ylabel("relative equivariance error", fontsize=10)
ax.set_title("Fields ψ0 ⊕ ψ1 ⊕ ψ2 (float64)", fontsize=10)
ax.legend(loc="upper center", fontsize=9)
plt.show()
