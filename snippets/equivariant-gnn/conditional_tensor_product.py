"""A tensor product conditioned on a direction is a linear layer whose matrix W(r̂) is steered by the
geometry: W(Q r̂) = D(Q) W(r̂) D(Q)ᵀ for every orthogonal Q, reflections included."""
import matplotlib.pyplot as plt
import torch

from gcnn.graph import O3TensorProduct, spherical_attributes
from gcnn.groups import random_orthogonal
from gcnn.representations import wigner_d

torch.manual_seed(0)
types = {0: 2, 1: 2}  # two scalars and two vectors in, the same out: 8 numbers each way
tp = O3TensorProduct(types, 1, types).double()
torch.nn.init.zeros_(tp.bias)  # with the bias, h ↦ TP(h, a) is affine rather than linear


@torch.no_grad()
def matrix(direction):
    """W(r̂): column k is TP(e_k, Y(r̂)) for the k-th basis feature e_k."""
    a = spherical_attributes(direction[None], 1)
    columns = []
    for k in torch.eye(8, dtype=torch.float64):
        out = tp({0: k[:2].view(1, 2, 1), 1: k[2:].view(1, 2, 3)}, a)
        columns.append(torch.cat([out[0].flatten(), out[1].flatten()]))
    return torch.stack(columns, dim=1)


def D(Q):
    """The representation on {0: 2, 1: 2}: 1 ⊕ 1 ⊕ D_1(Q) ⊕ D_1(Q)."""
    return torch.block_diag(torch.eye(2, dtype=torch.float64), wigner_d(1, Q), wigner_d(1, Q))


r = torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64)
h, h2 = torch.randn(2, 8, dtype=torch.float64)
as_features = lambda v: {0: v[:2].view(1, 2, 1), 1: v[2:].view(1, 2, 3)}  # noqa: E731
a = spherical_attributes(r[None], 1)
combined = tp(as_features(2 * h - 3 * h2), a)
separate = {l: 2 * tp(as_features(h), a)[l] - 3 * tp(as_features(h2), a)[l] for l in combined}
print(f"linearity error: {max((combined[l] - separate[l]).abs().max().item() for l in combined):.1e}")
steering = 0.0
for seed in range(10):
    Q = random_orthogonal(3, reflection=seed % 2 == 1, generator=torch.Generator().manual_seed(seed))
    steering = max(steering, (matrix(Q @ r) - D(Q) @ matrix(r) @ D(Q).T).abs().max().item())
print(f"steering error: {steering:.1e}")
print(f"paths (l1, l2, l): {tp.paths}")

directions = {"r̂ = z": r, "r̂ = x": torch.tensor([1.0, 0, 0], dtype=torch.float64),
              "r̂ = (x + y)/√2": torch.tensor([1.0, 1, 0], dtype=torch.float64) / 2**0.5}
limit = max(matrix(d).abs().max().item() for d in directions.values())
fig, axes = plt.subplots(1, 3, figsize=(10, 3.6), layout="constrained")
for ax, (label, d) in zip(axes, directions.items()):
    image = ax.imshow(matrix(d), cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set(title=f"W({label})", xticks=[0.5, 4.5], xticklabels=["scalars", "vectors"],
           yticks=[0.5, 4.5], yticklabels=["scalars", "vectors"])
    for edge in (1.5, 4.5):  # block boundaries: 2 scalars | vector 1 (y, z, x) | vector 2 (y, z, x)
        ax.axhline(edge, color="black", lw=0.8)
        ax.axvline(edge, color="black", lw=0.8)
fig.colorbar(image, ax=axes, shrink=0.8)
fig.suptitle("One tensor product, three linear maps (vector components in the order y, z, x)")
plt.show()
