"""Train EGNN, a plain GNN and the linear model on the charged 5-body set; test them on the
test systems and on the same systems rotated and translated."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_nbody
from gcnn.graph import EGNNDynamics, GNNDynamics, LinearDynamics
from gcnn.groups import random_orthogonal
from gcnn.graph.training import fit_dynamics, mse, predict_positions
from gcnn.models import count_parameters

torch.manual_seed(0)
torch.set_num_threads(1)  # summation order, hence every printed digit, does not depend on the machine
data = load_nbody(seed=0)  # 3000 training, 2000 validation, 2000 test systems
models = {"EGNN": EGNNDynamics(64, 4), "GNN": GNNDynamics(3, 74, 4), "Linear": LinearDynamics()}  # ~134k, ~134k, 1
epochs = {"EGNN": 100, "GNN": 80, "Linear": 50}
published = {"EGNN": 0.0071, "GNN": 0.0107, "Linear": 0.0819}  # Satorras et al. (2021), Table 2

for name, model in models.items():
    history = fit_dynamics(model, data.train, epochs[name], batch_size=100, lr=1e-3, val=data.val)
    print(f"{name} parameters: {count_parameters(model):,d}")
    print(f"{name} best epoch: {history.best_epoch + 1} of {epochs[name]}")
    print(f"{name} test: {mse(model, data.test):.4f} (published {published[name]})")
    print(f"{name} rotated and shifted: {mse(model, data.test_transformed):.4f}")
Q = random_orthogonal(3, generator=torch.Generator().manual_seed(1), dtype=torch.float32)  # det Q = +1
shifts = torch.randn(len(data.test), 1, 3)
for label, (A, b) in {"rotated only": (Q, torch.zeros(3)), "shifted only": (torch.eye(3), shifts)}.items():
    print(f"GNN {label}: {mse(models['GNN'], data.test.transformed(A, b)):.4f}")

systems = [0, 1, 2]
fig, axes = plt.subplots(1, len(systems), figsize=(10.5, 3.9), layout="constrained")
predicted = {name: predict_positions(model, data.test.subset(slice(0, 3))) for name, model in models.items()}
markers = {"EGNN": ("o", "tab:green"), "GNN": ("s", "tab:orange"), "Linear": ("^", "tab:purple")}
for ax, s in zip(axes, systems):
    paths = data.test_paths[s]  # (frames 30…40, particles, 3)
    for i in range(paths.shape[1]):
        ax.plot(paths[:, i, 0], paths[:, i, 1], color="gray", lw=1.2)
        ax.scatter(*paths[0, i, :2], color="gray", s=12)
    ax.scatter(*paths[-1, :, :2].T, marker="*", s=140, color="black", label="true (frame 40)")
    for name, (marker, colour) in markers.items():
        ax.scatter(*predicted[name][s, :, :2].T, marker=marker, s=40, facecolors="none",
                   edgecolors=colour, linewidths=1.5, label=name)
    ax.set_title(f"test system {s}")
    ax.set_xlabel("x")
    ax.set_aspect("equal", adjustable="datalim")
axes[0].set_ylabel("y")
axes[-1].legend(loc="best", fontsize=8)
fig.suptitle("True paths from frame 30 (dots) to 40 (stars) and each model's prediction, seen from above")
plt.show()
