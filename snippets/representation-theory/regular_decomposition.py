"""The regular representation of D4 is a direct sum of irreps: Q ρ_reg(g) Qᵀ is block-diagonal."""
import matplotlib.pyplot as plt
import torch

from gcnn.fourier import regular_decomposition
from gcnn.groups import DihedralGroup
from gcnn.representations import decomposition_error, orthogonality_error, regular

torch.manual_seed(0)
group = DihedralGroup(4)
Q, parts = regular_decomposition(group)
print("ρ_reg ≅ " + " ⊕ ".join(f"{rho.name}^{m}" if m > 1 else rho.name for rho, m in parts))
blocks = [rho for rho, m in parts for _ in range(m)]
print(f"max |Q ρ_reg(g) Qᵀ - ⊕ blocks(g)| over all g: {decomposition_error(regular(group), Q, blocks):.1e}")
print(f"max |Q Qᵀ - I| = {orthogonality_error(Q):.1e}")

g = 1  # the rotation by 90°
fig, axes = plt.subplots(1, 3, figsize=(10, 3.5), layout="constrained")
panels = [(regular(group)(g), "$\\rho_{reg}(r)$: a permutation"), (Q, "change of basis $Q$"),
          (Q @ regular(group)(g) @ Q.T, "$Q\\,\\rho_{reg}(r)\\,Q^T$: irreps on the diagonal")]
for ax, (matrix, title) in zip(axes, panels):
    ax.imshow(matrix, cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()
