"""All irreducible representations of D4, as matrices, and the checks that make them irreps."""
import matplotlib.pyplot as plt
import torch

from gcnn.groups import DihedralGroup
from gcnn.representations import homomorphism_error, irreps, schur_orthogonality_error

torch.manual_seed(0)
group = DihedralGroup(4)
irreducibles = irreps(group)
for rho in irreducibles:
    print(f"{rho.name:8s} dim {rho.dim}   max |ρ(gh) - ρ(g)ρ(h)| = {homomorphism_error(rho):.1e}")
print(f"sum of dim² = {sum(rho.dim ** 2 for rho in irreducibles)} = |D4| = {group.order}")
print(f"Schur orthogonality error: {schur_orthogonality_error(irreducibles):.1e}")

names = ["e", "r", "r²", "r³", "s", "rs", "r²s", "r³s"]
fig, axes = plt.subplots(len(irreducibles), group.order, figsize=(10, 6.2), layout="constrained")
for row, rho in zip(axes, irreducibles):
    for g, ax in zip(group.elements(), row):
        ax.imshow(rho(g), cmap="RdBu_r", vmin=-1, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        if g == 0:
            ax.set_ylabel(f"${rho.name}$", rotation=0, labelpad=22, fontsize=11)
        if rho is irreducibles[0]:
            ax.set_title(f"${names[g]}$", fontsize=11)
fig.suptitle("irreps of $D_4$: one row per irrep, one column per element (red +1, blue −1)")
plt.show()
