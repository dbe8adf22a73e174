"""Animation: a charged 5-body test system turned about a vertical axis through its centre; a briefly trained
EGNN's predictions, recomputed for every turned input, turn with the system; a plain GNN's drift."""
import math

import matplotlib.pyplot as plt
import torch
from matplotlib.animation import FuncAnimation

from gcnn.data import load_nbody
from gcnn.graph import EGNNDynamics, GNNDynamics
from gcnn.graph.training import fit_dynamics, mse, predict_positions
from gcnn.groups import SO2

torch.manual_seed(0)
torch.set_num_threads(1)
data = load_nbody(n_train=1000, n_val=200, n_test=200, seed=0)  # a small copy of the EGNN paper's set
models = {"EGNN": EGNNDynamics(32, 4), "GNN": GNNDynamics(3, 32, 4)}
for name, model in models.items():
    fit_dynamics(model, data.train, 15, batch_size=50, lr=1e-3, val=data.val)
    print(f"{name} test MSE after 15 epochs: {mse(model, data.test):.4f}")

index, frames = 174, 36  # a compact test system (easy to see) that this EGNN predicts well
system, paths = data.test.subset(slice(index, index + 1)), data.test_paths[index]  # paths: (11, 5 particles, 3)
centre = system.positions[0].mean(0)
turns = [torch.block_diag(SO2().matrix(2 * math.pi * k / frames), torch.eye(1, dtype=torch.float64)).float()
         for k in range(frames)]  # rotations about the z-axis
moves = [(Q, centre - Q @ centre) for Q in turns]  # x -> Q x + t: turns about the axis through the centre
seen = [{name: predict_positions(m, system.transformed(Q, t))[0] for name, m in models.items()} for Q, t in moves]
print(f"drift = max |f(Qx + t) - (Q f(x) + t)| over the {frames} turns, f the predicted positions")
for name in models:
    drift = max((p[name] - (seen[0][name] @ Q.T + t)).abs().max().item() for p, (Q, t) in zip(seen, moves))
    print(f"{name} drift: {drift:.1e}\n{name} MSE on the shown system: {mse(models[name], system):.4f}")

fig = plt.figure(figsize=(5.2, 4.6), layout="constrained")
ax = fig.add_subplot(projection="3d")
reach = (paths - centre).norm(dim=-1).max().item()
ax.set(xlim=(centre[0] - reach, centre[0] + reach), ylim=(centre[1] - reach, centre[1] + reach),
       zlim=(centre[2] - reach, centre[2] + reach), xlabel="x", ylabel="y", zlabel="z",
       xticklabels=[], yticklabels=[], zticklabels=[])
lines = [ax.plot([], [], [], color="0.6", lw=1.5)[0] for _ in range(paths.shape[1])]  # true paths, frames 30…40
marks = {"true (frame 40)": ("*", "black", 12, "black"), "EGNN": ("o", "tab:green", 9, "none"),
         "GNN": ("s", "tab:orange", 8, "none")}
points = {label: ax.plot([], [], [], ls="none", marker=m, color=c, ms=s, mfc=face, label=label)[0]
          for label, (m, c, s, face) in marks.items()}
ax.legend(loc="upper left", fontsize=8)


def show(k):
    Q, t = moves[k]
    path = paths @ Q.T + t
    for i, line in enumerate(lines):
        line.set_data_3d(*path[:, i].T)
    for label, xyz in zip(marks, (path[-1], seen[k]["EGNN"], seen[k]["GNN"])):
        points[label].set_data_3d(*xyz.T)
    ax.set_title(f"turned by {360 * k // frames}° about the z-axis", fontsize=10)
    return [*lines, *points.values()]


animation = FuncAnimation(fig, show, frames=frames, interval=150)
plt.show()
