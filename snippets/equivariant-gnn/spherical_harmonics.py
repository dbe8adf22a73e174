"""Real spherical harmonics Y_l are steered by Wigner matrices, Y_l(Rx) = D_l(R) Y_l(x), and
Clebsch–Gordan coefficients turn two vectors into their dot product (l = 0) and cross product (l = 1)."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.groups import random_orthogonal
from gcnn.representations import real_spherical_harmonics, so3_clebsch_gordan, wigner_d

torch.manual_seed(0)
R = random_orthogonal(3)
x = torch.randn(100, 3, dtype=torch.float64)
for l in range(4):
    error = real_spherical_harmonics(l, x @ R.T) - real_spherical_harmonics(l, x) @ wigner_d(l, R).T
    print(f"steerability error l={l}: {error.abs().max():.1e}")

for l in range(3):  # C (D_1 ⊗ D_1) = D_l C
    C = so3_clebsch_gordan(1, 1, l)
    left = torch.einsum("kij,ia,jb->kab", C, wigner_d(1, R), wigner_d(1, R))
    print(f"CG error 1x1 to l={l}: {(left - torch.einsum('kc,cab->kab', wigner_d(l, R), C)).abs().max():.1e}")

u, v = torch.randn(2, 100, 3, dtype=torch.float64)
yzx = [1, 2, 0]  # degree-1 components are ordered (y, z, x)
for l, name, exact in [(0, "dot", (u * v).sum(-1, keepdim=True)), (1, "cross", torch.linalg.cross(u, v)[:, yzx])]:
    out = torch.einsum("kij,ni,nj->nk", so3_clebsch_gordan(1, 1, l), u[:, yzx], v[:, yzx])
    scale = (out * exact).sum() / (exact * exact).sum()
    print(f"{name} scale: {scale:.6f}")
    print(f"1/sqrt({3 - l}): {1 / math.sqrt(3 - l):.6f}")
    print(f"{name} error: {(out - scale * exact).abs().max():.1e}")

theta, phi = torch.meshgrid(torch.linspace(0, math.pi, 91, dtype=torch.float64),
                            torch.linspace(0, 2 * math.pi, 181, dtype=torch.float64), indexing="ij")
sphere = torch.stack([theta.sin() * phi.cos(), theta.sin() * phi.sin(), theta.cos()], dim=-1)
fig, axes = plt.subplots(3, 5, figsize=(9, 6), sharex=True, sharey=True, layout="constrained")
for ax in axes.flat:
    ax.set_axis_off()
for l in range(3):
    Y = real_spherical_harmonics(l, sphere)
    for m in range(-l, l + 1):
        ax = axes[l, m + 2]
        ax.set_axis_on()
        image = ax.pcolormesh(phi, theta, Y[..., m + l], cmap="RdBu_r", vmin=-0.65, vmax=0.65,
                              rasterized=True)  # |Y| ≤ 0.63
        ax.set_title(f"$Y_{{{l},{m}}}$")
        ax.set_xticks([0, math.pi, 2 * math.pi], ["0", "π", "2π"])
        ax.set_yticks([0, math.pi / 2, math.pi], ["0", "π/2", "π"])
        ax.set_xlabel("φ" if l == 2 else "")
        ax.set_ylabel("θ" if m == -l else "")
        ax.tick_params(labelbottom=True, labelleft=True)
axes[0, 2].invert_yaxis()  # shared: north pole θ = 0 on top in every panel
fig.colorbar(image, ax=axes, shrink=0.8, label="$Y_{l,m}(θ, φ)$")
fig.suptitle("Real spherical harmonics, degree l = 0, 1, 2 (rows), order m = −l…l")
plt.show()
