"""A point cloud and its orbit under C6: rotations move every point, yet all
pairwise distances stay the same."""
import matplotlib.pyplot as plt
import torch

from gcnn.groups import CyclicGroup

torch.manual_seed(0)
C6 = CyclicGroup(6)
offset = torch.tensor([2.5, 0.0], dtype=torch.float64)  # keep the copies apart
points = 0.6 * torch.randn(7, 2, dtype=torch.float64) + offset

# row-vector points, so g acts as p ↦ p R(g)ᵀ
orbit = {g: points @ C6.matrix(g).T for g in C6.elements()}
distances = {g: torch.cdist(cloud, cloud) for g, cloud in orbit.items()}

for g in C6.elements():
    moved = (orbit[g] - points).abs().max()
    gap = (distances[g] - distances[0]).abs().max()
    print(f"g = {g} ({60 * g:>3}°): points move by up to {moved:.2f}, "
          f"distance matrix changes by {gap:.1e}")

fig, ax = plt.subplots(figsize=(7.5, 5.6), layout="constrained")
rings = torch.stack(list(orbit.values()) + [orbit[0]])  # each point's orbit, closed
for i in range(points.shape[0]):
    ax.plot(rings[:, i, 0], rings[:, i, 1], color="gray", lw=0.6, ls=":")
for g, cloud in orbit.items():
    ax.plot(cloud[:, 0], cloud[:, 1], color=f"C{g}", lw=1, alpha=0.6)  # same shape each time
    ax.scatter(cloud[:, 0], cloud[:, 1], marker="o^sDvP"[g], s=45, color=f"C{g}",
               label=f"g={g} ({60 * g}°)")
ax.scatter([0], [0], marker="+", color="gray", s=120, label="rotation centre")
ax.set_aspect("equal")
ax.grid(alpha=0.3)
fig.legend(loc="outside right upper", fontsize=9)
ax.set_title("Orbit of a 7-point cloud under C6")
plt.show()
