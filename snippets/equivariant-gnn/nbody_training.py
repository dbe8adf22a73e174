"""Train EGNN, a plain GNN and the linear model on the charged 5-body set with early stopping on the
validation systems (3 seeds each); test them on the test systems and on the same systems rotated and
translated."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_nbody
from gcnn.experiments import format_mean_std
from gcnn.graph import EGNNDynamics, GNNDynamics, LinearDynamics
from gcnn.graph.training import fit_dynamics, mse, predict_positions
from gcnn.groups import random_orthogonal
from gcnn.models import count_parameters

torch.set_num_threads(1)  # summation order, hence every printed digit, does not depend on the machine
data = load_nbody(seed=0)  # 3000 training, 2000 validation, 2000 test systems
builds = {"EGNN": lambda: EGNNDynamics(64, 4), "GNN": lambda: GNNDynamics(3, 74, 4), "Linear": LinearDynamics}
max_epochs, patience, seeds = 160, 20, (0, 1, 2)  # stop 20 epochs after the best validation epoch
published = {"EGNN": 0.0071, "GNN": 0.0107, "Linear": 0.0819}  # Satorras et al. (2021), Table 2

models = {}
for name, build in builds.items():
    runs = []
    for seed in seeds:
        torch.manual_seed(seed)
        model = build()
        runs.append((model, fit_dynamics(model, data.train, max_epochs, batch_size=100, lr=1e-3, seed=seed,
                                         val=data.val, patience=patience)))
    models[name], ran, test = runs[0][0], [len(h.val_mse) for _, h in runs], [mse(m, data.test) for m, _ in runs]
    gains = [1 - min(h.val_mse) / h.val_mse[max(0, len(h.val_mse) - patience - 1)] for _, h in runs]  # vs patience ago
    print(f"{name} parameters: {count_parameters(models[name]):,d}\n{name} epochs run: {', '.join(map(str, ran))} "
          f"({'stopped early' if max(ran) < max_epochs else f'cap of {max_epochs} reached by some'})")
    print(f"{name} best epochs: {', '.join(str(h.best_epoch + 1) for _, h in runs)}\n{name} best validation MSE, "
          f"gain in the last {patience} epochs: {', '.join(f'{100 * g:.1f} %' for g in gains)}")
    print(f"{name} test: {format_mean_std(test, percent=False, digits=4)}\n"
          f"{name} test per seed: {', '.join(f'{t:.4f}' for t in test)}")
    print(f"{name} published: {published[name]}\n{name} rotated and shifted: "
          f"{format_mean_std([mse(m, data.test_transformed) for m, _ in runs], percent=False, digits=4)}")
Q = random_orthogonal(3, generator=torch.Generator().manual_seed(1), dtype=torch.float32)  # det Q = +1
shifts = torch.randn(len(data.test), 1, 3, generator=torch.Generator().manual_seed(2))
for label, (A, b) in {"as given": (torch.eye(3), torch.zeros(3)), "rotated only": (Q, torch.zeros(3)),
                      "shifted only": (torch.eye(3), shifts), "rotated and shifted": (Q, shifts)}.items():
    print(f"GNN seed 0, {label}: {mse(models['GNN'], data.test.transformed(A, b)):.4f}")
print(f"test systems: {len(data.test)}; mean ± std over seeds {', '.join(map(str, seeds))}")

fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.9), layout="constrained")
predicted = {name: predict_positions(model, data.test.subset(slice(0, 3))) for name, model in models.items()}
markers = {"EGNN": ("o", "tab:green"), "GNN": ("s", "tab:orange"), "Linear": ("^", "tab:purple")}
for s, ax in enumerate(axes):
    paths = data.test_paths[s]  # (frames 30…40, particles, 3)
    for i in range(paths.shape[1]):
        ax.plot(paths[:, i, 0], paths[:, i, 1], color="gray", lw=1.2)
        ax.scatter(*paths[0, i, :2], color="gray", s=12)
    ax.scatter(*paths[-1, :, :2].T, marker="*", s=140, color="black", label="true (frame 40)")
    for name, (marker, colour) in markers.items():
        ax.scatter(*predicted[name][s, :, :2].T, marker=marker, s=40, facecolors="none",
                   edgecolors=colour, linewidths=1.5, label=name)
    ax.set(title=f"test system {s}", xlabel="x", ylabel="y" if s == 0 else None, aspect="equal", adjustable="datalim")
axes[-1].legend(loc="best", fontsize=8)
fig.suptitle("True paths from frame 30 (dots) to 40 (stars) and each model's prediction (seed 0), seen from above")
plt.show()
