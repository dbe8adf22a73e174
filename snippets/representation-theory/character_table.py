"""The character table of D6, computed from its irreps, and the orthogonality of characters."""
import matplotlib.pyplot as plt
import torch

from gcnn.groups import DihedralGroup
from gcnn.representations import character_orthogonality_error, irreps

torch.manual_seed(0)
group = DihedralGroup(6)
irreducibles = irreps(group)
classes = []  # conjugacy classes {u g u⁻¹ : u in G}, in order of their first element
for g in group.elements():
    if not any(g in members for members in classes):
        classes.append(sorted({group.product(group.product(u, g), group.inverse(u)) for u in group.elements()}))
table = torch.tensor([[rho.character(members[0]) for members in classes] for rho in irreducibles])


def name(g):
    """Elements 0..5 are the rotations r^i, 6..11 the reflections r^i s."""
    i = g % 6
    return ("e" if i == 0 else f"r^{i}") if g < 6 else ("s" if i == 0 else f"r^{i}s")


print("classes:", ", ".join("{" + " ".join(name(g) for g in members) + "}" for members in classes))
for rho, row in zip(irreducibles, table):
    print(f"{rho.name:8s} " + " ".join(f"{value:+5.1f}" for value in row.tolist()))
print(f"character orthogonality error: {character_orthogonality_error(irreducibles):.1e}")
print(f"number of irreps = number of conjugacy classes: {len(irreducibles)} = {len(classes)}")

fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
ax.imshow(table, cmap="RdBu_r", vmin=-2.5, vmax=2.5)
for i, row in enumerate(table.tolist()):
    for j, value in enumerate(row):
        ax.text(j, i, f"{value:+.0f}", ha="center", va="center", fontsize=11,
                color="white" if abs(value) > 1.5 else "black")
ax.set_yticks(range(len(irreducibles)), [f"${rho.name}$" for rho in irreducibles])
ax.set_xticks(range(len(classes)), [f"${name(m[0])}$\n({len(m)} el.)" for m in classes])
ax.set_title("character table of $D_6$ (one column per conjugacy class)")
plt.show()
