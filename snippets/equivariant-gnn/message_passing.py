"""One round of message passing on a small graph: every node sums messages from its
neighbours; relabelling the nodes only relabels the result."""
import matplotlib.pyplot as plt
import torch

from gcnn.graph import GNNLayer, Graph
from gcnn.testing import euclidean_errors

torch.manual_seed(0)
edges = torch.tensor([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3), (1, 4)])
edge_index = torch.cat([edges.T, edges.T.flip(0)], dim=1)  # both directions: row 0 receives from row 1
angles = torch.arange(6) * 2 * torch.pi / 6
x = torch.stack([angles.cos(), angles.sin()], dim=1)  # where to draw the nodes
h = torch.randn(6, 4)
layer = GNNLayer(4, 16)
out = layer(h, edge_index)

degree = torch.bincount(edge_index[0], minlength=6)
print("in-degrees: " + " ".join(str(d) for d in degree.tolist()))
graph = Graph(h=h, x=x, edge_index=edge_index)
errors = euclidean_errors(lambda G: layer(G.h, G.edge_index), graph, ("scalar",),
                          torch.Generator().manual_seed(1), ("permutation",))
print(f"permutation error: {errors['permutation']:.1e}")

perm = torch.tensor([3, 5, 0, 1, 4, 2])  # node i gets the new label perm[i]
moved = graph.permuted(perm)
out_moved = layer(moved.h, moved.edge_index)

fig, axes = plt.subplots(1, 2, figsize=(9, 4.4), layout="constrained")
for ax, G, y, title in ((axes[0], graph, out, "original labels"), (axes[1], moved, out_moved, "nodes relabelled")):
    for i, j in G.edge_index.T.tolist():
        ax.plot(*G.x[[i, j]].T, color="gray", lw=1, zorder=1)
    dots = ax.scatter(*G.x.T, c=y[:, 0].detach(), cmap="viridis", s=700, vmin=out[:, 0].min().item(),
                      vmax=out[:, 0].max().item(), zorder=2, edgecolors="black")
    for label, point in enumerate(G.x):
        ax.annotate(str(label), point.tolist(), ha="center", va="center", color="white", weight="bold")
    ax.set_title(f"{title}: colour = output channel 0")
    ax.set_aspect("equal")
    ax.axis("off")
fig.colorbar(dots, ax=axes, shrink=0.7, label="h'_i, channel 0")
plt.show()
