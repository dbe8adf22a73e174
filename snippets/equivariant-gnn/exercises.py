"""Numbers for the exercises of the equivariant-GNN page: the triple product under rotations and
reflections (exercise 2), how many independent invariants n points have (exercise 3), and
Clebsch-Gordan bookkeeping (exercise 4)."""
import torch

from gcnn.groups import random_orthogonal
from gcnn.representations import so3_clebsch_gordan

torch.manual_seed(0)
u, v, w = torch.randn(3, 3, dtype=torch.float64)
for reflection in (False, True):
    Q = random_orthogonal(3, reflection=reflection)
    ratio = torch.dot(Q @ u, torch.linalg.cross(Q @ v, Q @ w)) / torch.dot(u, torch.linalg.cross(v, w))
    print(f"exercise 2: triple product after / before, det Q = {torch.linalg.det(Q):+.0f}: {ratio:+.6f}")


def squared_distances(flat, n, d):
    x = flat.view(n, d)
    i, j = torch.triu_indices(n, n, 1)
    return ((x[i] - x[j]) ** 2).sum(dim=1)


for n, d in [(4, 3), (5, 3), (6, 3), (5, 2)]:
    x = torch.randn(n * d, dtype=torch.float64)  # a generic configuration
    jacobian = torch.autograd.functional.jacobian(lambda flat: squared_distances(flat, n, d), x)
    rank = int(torch.linalg.matrix_rank(jacobian, atol=1e-9, rtol=0.0))
    print(f"exercise 3: n = {n} points in R^{d}, distances {n * (n - 1) // 2}, rank of their Jacobian: {rank}")
    print(f"exercise 3: n = {n} points in R^{d}, nd - d(d+1)/2: {n * d - d * (d + 1) // 2}")

for l1, l2 in [(1, 1), (1, 2), (2, 3)]:
    total = sum(so3_clebsch_gordan(l1, l2, l).shape[0] for l in range(abs(l1 - l2), l1 + l2 + 1))
    print(f"exercise 4: types {l1} x {l2}, sum of 2l+1 over l: {total} (product {(2 * l1 + 1) * (2 * l2 + 1)})")
for top in (1, 2):
    paths = [(l1, l2, l) for l1 in range(top + 1) for l2 in range(top + 1) for l in range(top + 1)
             if abs(l1 - l2) <= l <= l1 + l2]
    for l1, l2, l in paths:  # every counted path has Clebsch-Gordan coefficients
        assert so3_clebsch_gordan(l1, l2, l).shape == (2 * l + 1, 2 * l1 + 1, 2 * l2 + 1)
    print(f"exercise 4: Clebsch-Gordan paths with all types <= {top}: {len(paths)}")
