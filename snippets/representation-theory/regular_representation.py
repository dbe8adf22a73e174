"""The regular representation of C4: each element permutes the group axis,
[ρ(g) f](h) = f(g⁻¹h)."""
import matplotlib.pyplot as plt
import torch

from gcnn.groups import CyclicGroup

torch.manual_seed(0)
C4 = CyclicGroup(4)
rho = {g: C4.regular_representation(g) for g in C4.elements()}

# homomorphism: ρ(a) ρ(b) = ρ(a·b) for every pair
error = max(
    (rho[a] @ rho[b] - rho[C4.product(a, b)]).abs().max().item()
    for a in C4.elements()
    for b in C4.elements()
)
print(f"max |ρ(a)ρ(b) - ρ(ab)| over all {C4.order ** 2} pairs: {error:.1e}")

f = torch.randn(C4.order, dtype=torch.float64)
print("f          =", [round(v, 2) for v in f.tolist()])
print("ρ(1) @ f   =", [round(v, 2) for v in (rho[1] @ f).tolist()], "(shifted by one)")

fig, axes = plt.subplots(1, C4.order, figsize=(11, 3.2), layout="constrained")
for g, ax in zip(C4.elements(), axes):
    ax.imshow(rho[g], cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
    ax.set_title(f"ρ({g}), rotation by {90 * g}°")
    ax.set_xticks(list(C4.elements()))
    ax.set_yticks(list(C4.elements()))
    ax.set_xlabel("input index k")
axes[0].set_ylabel("output index h = g·k")
plt.show()
