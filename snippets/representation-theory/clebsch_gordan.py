"""The tensor product of two SO(2) irreps splits into irreps of frequencies |k1 - k2| and k1 + k2."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.groups import SO2
from gcnn.representations import clebsch_gordan, decomposition_error, irrep, tensor_product

torch.manual_seed(0)
group = SO2()
a, b = irrep(group, 1), irrep(group, 2)
Q, parts = clebsch_gordan(a, b)
product = tensor_product(a, b)
print(f"{a.name} ⊗ {b.name} ≅ " + " ⊕ ".join(rho.name for rho in parts))
angles = group.sample(50, generator=torch.Generator().manual_seed(0))
print(f"max |Q (ψ_1 ⊗ ψ_2)(θ) Qᵀ - (ψ_1 ⊕ ψ_3)(θ)| over 50 random θ: "
      f"{decomposition_error(product, Q, parts, elements=angles):.1e}")

theta = math.radians(30)
fig, axes = plt.subplots(1, 3, figsize=(10, 3.5), layout="constrained")
panels = [(product(theta), "$(\\psi_1 \\otimes \\psi_2)(30°)$"), (Q, "Clebsch–Gordan change of basis $Q$"),
          (Q @ product(theta) @ Q.T, "$Q(\\psi_1 \\otimes \\psi_2)Q^T = \\psi_1 \\oplus \\psi_3$")]
for ax, (matrix, title) in zip(axes, panels):
    ax.imshow(matrix, cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()
