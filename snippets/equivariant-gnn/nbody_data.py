"""The charged 5-body data set: a few systems from frame 0 to the target frame, and what
two trivial predictors score on the test split."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_nbody, simulate_charged

torch.manual_seed(0)
data = load_nbody(seed=0)
test = data.test
for name, part in (("train", data.train), ("validation", data.val), ("test", data.test)):
    print(f"{name} systems: {len(part)}")
print(f"horizon: {data.horizon} steps of dt = {data.dt}")
stay = ((test.positions - test.targets) ** 2).mean().item()
glide = ((test.positions + data.horizon * data.dt * test.velocities - test.targets) ** 2).mean().item()
print(f"mse stay put: {stay:.4f}")
print(f"mse constant velocity: {glide:.4f}")

positions, _, charges = simulate_charged(3, seed=1)  # (systems, frames, particles, 3), numpy
fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.8), layout="constrained")
for s, ax in enumerate(axes):
    for i in range(positions.shape[2]):
        path = positions[s, :, i]
        colour = "tab:red" if charges[s, i, 0] > 0 else "tab:blue"
        ax.plot(path[:31, 0], path[:31, 1], color=colour, lw=0.8, alpha=0.35)
        ax.plot(path[30:, 0], path[30:, 1], color=colour, lw=2)
        ax.scatter(*path[30, :2], color=colour, marker="o", s=30)
        ax.scatter(*path[40, :2], color=colour, marker="*", s=90, edgecolors="black", linewidths=0.5)
    ax.set_title(f"system {s}")
    ax.set_xlabel("x")
    ax.set_aspect("equal", adjustable="datalim")
axes[0].set_ylabel("y")
fig.suptitle("Frames 0–40 seen from above: red +1, blue −1; ● input (frame 30), ★ target (frame 40)")
plt.show()
