"""Animation of the shift theorem on SO(2): as a band-limited f is shifted by u, the coefficient of frequency k,
computed afresh from 9 samples of L_u f, keeps its length and turns by k·u."""
import math

import matplotlib.pyplot as plt
import torch
from matplotlib.animation import FuncAnimation

from gcnn.fourier import fourier_transform, shift_theorem_error, signal_elements
from gcnn.groups import SO2

torch.manual_seed(0)
group, band, frames = SO2(), 3, 36
weights = torch.randn(2 * band + 1, dtype=torch.float64)


def f(theta):  # frequencies 0…3: exactly resolved by 2·3 + 1 = 7 or more samples
    return sum(w * t(k * theta) for w, (k, t) in zip(weights.tolist(), [(0, math.cos)] + [
        (k, t) for k in range(1, band + 1) for t in (math.cos, math.sin)]))


grid = signal_elements(group, 9)  # 9 evenly spaced rotations
shifts = [2 * math.pi * j / frames for j in range(frames)]
samples = [torch.tensor([f(g - u) for g in grid], dtype=torch.float64) for u in shifts]  # (L_u f)(g) = f(g - u)
spectra = [fourier_transform(group, s, max_frequency=band) for s in samples]
print(f"band limit: {band}\nsamples per shift: {len(grid)}\nshifts: {frames}")
print("largest shift-theorem error over the shifts: "
      f"{max(shift_theorem_error(group, samples[0], u, shifted=s) for u, s in zip(shifts, samples)):.1e}")
print("coefficient lengths per frequency, min/max over the shifts: " + ", ".join(
    f"k={k}: {min(c[name][:, 0].norm() for c in spectra):.4f}/{max(c[name][:, 0].norm() for c in spectra):.4f}"
    for k, name in enumerate(spectra[0])))

fig, (left, right) = plt.subplots(1, 2, figsize=(8.4, 3.6), layout="constrained", width_ratios=[1.5, 1])
fine = torch.linspace(0, 2 * math.pi, 181).tolist()
left.plot(fine, [f(t) for t in fine], color="0.75", label="$f$")
curve, = left.plot([], [], color="C0", label="$L_u f$")
dots, = left.plot([], [], "o", color="C0", label="9 samples")
left.set(xlabel="rotation angle θ (rad)", xlim=(0, 2 * math.pi))
left.margins(y=0.3)
left.legend(loc="upper center", ncols=3, fontsize=8)
radius = 1.15 * max(c[:, 0].norm().item() for c in spectra[0].values())
right.set(xlim=(-radius, radius), ylim=(-radius, radius), aspect="equal", title="first column of $\\hat f(\\psi_k)$")
arrows = []
for k, (name, c) in enumerate(spectra[0].items()):
    right.add_patch(plt.Circle((0, 0), c[:, 0].norm().item(), fill=False, color=f"C{k}", ls=":", lw=0.8))
    arrows.append(right.plot([], [], "-o", color=f"C{k}", markevery=[1], label=f"k = {k}")[0])
right.legend(loc="center left", bbox_to_anchor=(1, 0.5), fontsize=8)


def show(j):
    curve.set_data(fine, [f(t - shifts[j]) for t in fine])
    dots.set_data(grid, samples[j].tolist())
    for arrow, c in zip(arrows, spectra[j].values()):
        arrow.set_data([0, c[0, 0].item()], [0, c[1, 0].item() if len(c) > 1 else 0.0])  # ψ_0 is 1x1: real
    left.set_title(f"shift u = {shifts[j]:.2f} rad: coefficient k turns by k·u", fontsize=10)
    return [curve, dots, *arrows]


animation = FuncAnimation(fig, show, frames=frames, interval=120)
plt.show()
