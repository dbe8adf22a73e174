"""Numbers for the exercises of the representation-theory page: multiplicities in the regular
representation (exercise 1), a tensor product of D4 and C4 (exercise 2), dimensions of spaces of
equivariant linear maps (exercise 3) and the Fourier transform of a group correlation (exercise 4)."""
import torch

from gcnn.fourier import fourier_transform
from gcnn.groups import CyclicGroup, DihedralGroup
from gcnn.representations import clebsch_gordan, irrep, irreps, regular, standard, trivial

torch.manual_seed(0)
for group in (CyclicGroup(6), DihedralGroup(6)):
    chi = [regular(group).character(g) for g in group.elements()]  # |G| at e, 0 elsewhere
    found = {psi.name: round(sum(chi[g] * psi.character(g) for g in group.elements())
                             / group.order / psi.commutant_dim) for psi in irreps(group)}
    listed = ", ".join(f"{name} x{m}" for name, m in found.items())
    print(f"exercise 1: multiplicities in the regular representation of {group.name}: {listed}")
    print(f"exercise 1: sum of d m over the irreps of {group.name}: "
          f"{sum(psi.dim * found[psi.name] for psi in irreps(group))}")

for group, vector in ((DihedralGroup(4), irrep(DihedralGroup(4), 1)), (CyclicGroup(4), irrep(CyclicGroup(4), 1))):
    _, parts = clebsch_gordan(vector, vector)
    print(f"exercise 2: {vector.name} ⊗ {vector.name} of {group.name}: {' ⊕ '.join(p.name for p in parts)}")


def equivariant_maps(rho, sigma):
    """dim {A : A ρ(g) = σ(g) A for all g}, from the linear equations on the entries of A."""
    eye_in, eye_out = torch.eye(rho.dim, dtype=torch.float64), torch.eye(sigma.dim, dtype=torch.float64)
    rows = [torch.kron(sigma(g), eye_in) - torch.kron(eye_out, rho(g).T.contiguous()) for g in rho.group.elements()]
    return sigma.dim * rho.dim - int(torch.linalg.matrix_rank(torch.cat(rows), atol=1e-9, rtol=0.0))


for group in (CyclicGroup(4), DihedralGroup(4)):
    pairs = {"regular to regular": (regular(group), regular(group)),
             "regular to standard": (regular(group), standard(group)),
             "standard to standard": (standard(group), standard(group)),
             "standard to trivial": (standard(group), trivial(group))}
    for name, (rho, sigma) in pairs.items():
        print(f"exercise 3: {group.name}, {name}: {equivariant_maps(rho, sigma)}")

group = DihedralGroup(4)
k, F = torch.randn(2, group.order, dtype=torch.float64)
correlation = torch.stack([sum(k[group.product(group.inverse(g), h)] * F[h] for h in group.elements())
                           for g in group.elements()]) / group.order  # the Haar-normalised k ⋆ F
k_hat, F_hat, c_hat = (fourier_transform(group, f) for f in (k, F, correlation))
error = max((c_hat[name] - F_hat[name] @ k_hat[name].T).abs().max().item() for name in c_hat)
print(f"exercise 4: max |FT(k ⋆ F) - FT(F) FT(k)ᵀ| over the irreps of D4 is below 1e-12: {error < 1e-12}")
