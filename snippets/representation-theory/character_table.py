"""The character table of D6, computed from its irreps, and the orthogonality of characters."""
import matplotlib.pyplot as plt
import torch

from gcnn.groups import DihedralGroup
from gcnn.representations import character_orthogonality_error, irreps

torch.manual_seed(0)
group = DihedralGroup(6)
irreducibles = irreps(group)
# elements with equal characters in every irrep form a conjugacy class; show one column per class
table = torch.tensor([[rho.character(g) for g in group.elements()] for rho in irreducibles])
classes = {}
for g in group.elements():
    classes.setdefault(tuple(table[:, g].round(decimals=9).tolist()), []).append(g)
columns = [members[0] for members in classes.values()]
print("class sizes:", [len(members) for members in classes.values()], "=", group.order, "elements")
print("irrep      " + " ".join(f"g={g:<5d}" for g in columns))
for rho, row in zip(irreducibles, table):
    print(f"{rho.name:10s} " + " ".join(f"{row[g].item():+6.2f}" for g in columns))
print(f"character orthogonality error: {character_orthogonality_error(irreducibles):.1e}")
print(f"number of irreps = number of classes: {len(irreducibles)} = {len(classes)}")

fig, ax = plt.subplots(figsize=(6, 3.8), layout="constrained")
ax.imshow(table[:, columns], cmap="RdBu_r", vmin=-2, vmax=2)
for i in range(len(irreducibles)):
    for j, g in enumerate(columns):
        ax.text(j, i, f"{table[i, g].item():+.0f}", ha="center", va="center", fontsize=11)
ax.set_yticks(range(len(irreducibles)), [f"${rho.name}$" for rho in irreducibles])
ax.set_xticks(range(len(columns)), [f"class of {g}\n({len(m)} el.)" for g, m in zip(columns, classes.values())],
              fontsize=8)
ax.set_title("character table of $D_6$")
plt.show()
