"""Nonlinearities on a field of SO(2) irreps ψ0 ⊕ ψ1 ⊕ ψ2: ReLU on every channel breaks equivariance,
the norm, gated and Fourier-pointwise nonlinearities keep it (errors at the 90° rotations)."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.groups import SO2
from gcnn.representations import irreps
from gcnn.steerable import (FieldType, FourierPointwise, GatedNonlinearity, NormNonlinearity,
                            field_equivariance_errors)

torch.manual_seed(0)
group = SO2()
quarter_turns = [a * math.pi / 2 for a in range(4)]
field_type = FieldType(group, irreps(group, 2))  # ψ0 (1 channel), ψ1 (2), ψ2 (2)
norm = NormNonlinearity(field_type).double()
with torch.no_grad():
    norm.bias.normal_()
gated = GatedNonlinearity(field_type)  # input: the 3 fields, then 3 scalar gates
fourier = FourierPointwise(group, 1, max_frequency=2)  # samples on 12 angles, ReLU, projects back
assert fourier.in_type == field_type

layers = {"ReLU": (torch.relu, field_type), "norm": (norm, field_type),
          "gated": (gated, gated.in_type), "Fourier-pointwise": (fourier, field_type)}
errors = {}
for key, (layer, in_type) in layers.items():
    x = torch.randn(1, in_type.size, 9, 9, dtype=torch.float64)
    errors[key] = max(field_equivariance_errors(layer, x, in_type, field_type, quarter_turns).values())
    print(f"{key}: {errors[key]:.1e}")

floor = 1e-17  # an exact zero cannot sit on a log axis: draw it at the floor
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
bars = ax.bar(list(errors), [max(e, floor) for e in errors.values()], bottom=floor / 10,
              color=["tab:red"] + ["tab:blue"] * 3)
ax.bar_label(bars, [f"{e:.0e}" if e > 0 else "0 (exact)" for e in errors.values()], fontsize=9)
ax.set_yscale("log")
ax.set_ylim(floor / 10, 10)
ax.set_ylabel("relative equivariance error", fontsize=10)
ax.set_title("Fields ψ0 ⊕ ψ1 ⊕ ψ2: error at the 90° rotations (float64)", fontsize=10)
plt.show()
