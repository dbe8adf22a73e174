"""How far each model is from E(3) and permutation equivariance: random rotations,
reflections, translations and node relabellings of a batch of 5-body systems."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_nbody
from gcnn.graph import EGNNDynamics, GNNDynamics, Graph, LinearDynamics
from gcnn.testing import euclidean_errors

torch.manual_seed(0)
test = load_nbody(n_train=10, n_val=10, n_test=50, seed=0).test
B, n = len(test), test.positions.shape[1]
models = {"EGNN": EGNNDynamics(), "GNN": GNNDynamics(), "Linear": LinearDynamics()}


def predictions(model, dtype):
    """The model as a map on a batch of graphs: charges as node features, x̂ per node."""
    model = model.to(dtype)
    return lambda G: model(G.x.view(B, n, 3), G.v.view(B, n, 3), G.h.view(B, n, 1)).reshape(B * n, 3)


errors = {}
for dtype in (torch.float64, torch.float32):
    graph = Graph(h=test.charges.reshape(-1, 1).to(dtype), x=test.positions.reshape(-1, 3).to(dtype),
                  v=test.velocities.reshape(-1, 3).to(dtype), batch=torch.arange(B).repeat_interleave(n))
    for name, model in models.items():
        errors[name, dtype] = euclidean_errors(predictions(model, dtype), graph, ("position",),
                                               torch.Generator().manual_seed(0))
kinds = list(errors["EGNN", torch.float64])
print(f"{'model':8s} {'dtype':8s} " + " ".join(f"{k:>11s}" for k in kinds))
for (name, dtype), e in errors.items():
    print(f"{name:8s} {str(dtype)[6:]:8s} " + " ".join(f"{e[k]:11.1e}" for k in kinds))
for name in models:
    print(f"{name} worst float64: {max(errors[name, torch.float64].values()):.1e}")

fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
width = 0.8 / len(models)
for m, name in enumerate(models):
    values = [max(errors[name, torch.float64][k], 1e-17) for k in kinds]
    ax.bar([i + m * width for i in range(len(kinds))], values, width, label=name)
ax.set_xticks([i + width for i in range(len(kinds))], kinds)
ax.set_yscale("log")
ax.set_ylabel("relative error (float64)")
ax.set_title("Equivariance error of the untrained models (bars at 1e-17 mean exactly 0)")
ax.legend()
plt.show()
