"""The steerable kernel basis of SO(2) between irreps ψ_m → ψ_n: rings × circular harmonics
of angular frequency |n − m| and n + m, solving k(gx) = ψ_n(g) k(x) ψ_m(g)⁻¹."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.groups import SO2
from gcnn.representations import irrep
from gcnn.steerable import constraint_error, irrep_kernel_basis

torch.manual_seed(0)
group, size = SO2(), 9
quarter_turns = [a * math.pi / 2 for a in range(4)]
pairs = [(0, 0), (0, 1), (1, 1), (1, 2)]  # (input frequency m, output frequency n)
for m, n in pairs:
    out, inp = irrep(group, n), irrep(group, m)
    basis = irrep_kernel_basis(out, inp, size)  # all rings R = 0..4
    print(f"ψ{m}→ψ{n}: {basis.shape[0]:2d} basis kernels of shape {tuple(basis.shape[1:])}, "
          f"angular frequencies {sorted({abs(n - m), n + m})}, "
          f"constraint error at 90° turns = {constraint_error(basis, out, inp, quarter_turns):.1e}")


def tile(kernel):  # (d_out, d_in, k, k) -> one image, the d_out × d_in kernels separated by blank pixels
    d_out, d_in = kernel.shape[:2]
    image = torch.full((d_out * (size + 1) - 1, d_in * (size + 1) - 1), float("nan"), dtype=torch.float64)
    for p in range(d_out):
        for q in range(d_in):
            image[p * (size + 1):p * (size + 1) + size, q * (size + 1):q * (size + 1) + size] = kernel[p, q]
    return image


fig, axes = plt.subplots(len(pairs), 4, figsize=(8, 8.4), layout="constrained")
for row, (m, n) in zip(axes, pairs):
    ring = irrep_kernel_basis(irrep(group, n), irrep(group, m), size, radii=[3.0])  # one ring, R = 3
    for b, ax in enumerate(row):
        ax.set_axis_off()
        if b < ring.shape[0]:
            scale = ring[b].abs().max()
            ax.imshow(tile(ring[b]), cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
            ax.set_title(f"ψ{m}→ψ{n}, element {b}", fontsize=10)
fig.suptitle("Steerable kernels on the ring R = 3 (each panel: the d_out × d_in matrix of 9×9 kernels)",
             fontsize=10)
plt.show()
