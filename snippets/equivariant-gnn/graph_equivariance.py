"""How exact is each new model? The steerable model under random rotations, reflections, shifts and
relabellings; the position–orientation model under the 60 rotations of its icosahedral grid and under
rotations between them, for 12 and 62 orientations. Untrained models, float64, 50 test systems."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.data import load_nbody
from gcnn.graph import Graph, PONITADynamics, SEGNNDynamics, icosahedral_rotations
from gcnn.groups import random_orthogonal
from gcnn.testing import euclidean_errors

torch.manual_seed(0)
test = load_nbody(n_train=10, n_val=10, n_test=50, seed=0).test
x, v, c = (t.double() for t in (test.positions, test.velocities, test.charges))
B, n = x.shape[:2]
segnn = SEGNNDynamics({0: 32, 1: 16}).double()
torch.nn.init.normal_(segnn.readout.weights["1"], std=0.1)  # trained weights are not zero; nor should these be
graph = Graph(h=c.reshape(-1, 1), x=x.reshape(-1, 3), v=v.reshape(-1, 3), batch=torch.arange(B).repeat_interleave(n))
errors = euclidean_errors(lambda G: segnn(G.x.view(B, n, 3), G.v.view(B, n, 3), G.h.view(B, n, 1)).reshape(-1, 3),
                          graph, ("position",), torch.Generator().manual_seed(0))
print(", ".join(f"SEGNN {k}: {e:.1e}" for k, e in errors.items()))
print(f"SEGNN worst float64: {max(errors.values()):.1e}")


@torch.no_grad()
def error(model, Q):
    """max |Δ(Qx, Qv) − Q Δ(x, v)| / max |Q Δ(x, v)| for the predicted displacements Δ = x̂ − x."""
    reference = (model(x, v, c) - x) @ Q.T
    return ((model(x @ Q.T, v @ Q.T, c) - x @ Q.T - reference).abs().max() / reference.abs().max()).item()


def about(axis, angle):
    """The rotation by `angle` about the unit vector `axis` (Rodrigues)."""
    K = torch.tensor([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]], dtype=torch.float64)
    return torch.eye(3, dtype=torch.float64) + math.sin(angle) * K + (1 - math.cos(angle)) * K @ K


axis = torch.tensor([0.0, 1.0, (1 + math.sqrt(5)) / 2], dtype=torch.float64)
axis = axis / axis.norm()  # through two opposite vertices of the icosahedron: a 5-fold axis
angles = torch.linspace(0, 2 * math.pi / 5, 25, dtype=torch.float64)  # 72° exactly, not a float32 near miss
fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
for level, orientations in ((0, 12), (1, 62)):
    torch.manual_seed(0)
    model = PONITADynamics(24, basis_dim=16, grid_level=level).double()
    grid = max(error(model, R) for R in icosahedral_rotations())
    random = max(error(model, random_orthogonal(3, generator=torch.Generator().manual_seed(s), dtype=torch.float64))
                 for s in range(20))
    print(f"PONITA {orientations} orientations, grid rotations: {grid:.1e}")
    print(f"PONITA {orientations} orientations, random rotations: {random:.1e}")
    curve = [max(error(model, about(axis, a.item())), 1e-17) for a in angles]
    ax.plot(torch.rad2deg(angles), curve, marker=".", label=f"{orientations} orientations")
ax.set(yscale="log", xlabel="rotation angle about a 5-fold axis (degrees)", ylabel="relative error",
       xticks=[0, 18, 36, 54, 72], title="PONITA-style model: exact at 0° and 72° (grid rotations), approximate between")
ax.legend()
plt.show()
