"""C4 end to end: the shift matrix ρ_reg(r), its complex eigenvectors (the DFT) and eigenvalues i^k (the complex
irreps), then the real form: pairing k = 1 and k = 3 gives the 2-D real irrep ψ1 = R(90°) and Q = the real DFT."""
import math

import torch

from gcnn.fourier import regular_decomposition
from gcnn.groups import CyclicGroup
from gcnn.representations import regular

torch.manual_seed(0)
P = regular(CyclicGroup(4))(1).to(torch.complex128)  # [ρ(r) f](g) = f(r⁻¹g): a cyclic shift
print("ρ_reg(r) =", P.real.int().tolist())
w = torch.tensor(1j, dtype=torch.complex128)  # e^{2πi/4}
U = torch.stack([w ** (k * torch.arange(4)) for k in range(4)], dim=1) / 2  # column k: (i^{kg})_g / 2, unitary
eigenvalues = torch.diagonal(U.conj().T @ P @ U)
names = {(1, 0): "1", (0, 1): "i", (-1, 0): "−1", (0, -1): "−i"}
print("eigenvalues on the DFT columns k = 0, 1, 2, 3:",
      ", ".join(names[round(z.real.item()), round(z.imag.item())] for z in eigenvalues))
error = (U.conj().T @ P @ U - torch.diag(w ** -torch.arange(4))).abs().max().item()
print("max |U* ρ_reg(r) U − diag(i^-k)| < 1e-15:", error < 1e-15)

# real form: Re and Im of column 1 (k = 1 and its conjugate k = 3 together) span a rotation plane
Q = torch.stack([U[:, 0].real, math.sqrt(2) * U[:, 1].real, math.sqrt(2) * U[:, 1].imag, U[:, 2].real]).real
blocks = Q @ P.real @ Q.T
print("Q (rows: ψ0, ψ1 (2 rows), ψ2) =", [[round(v, 3) + 0.0 for v in row] for row in Q.tolist()])
print("Q ρ_reg(r) Qᵀ =", [[round(v, 3) + 0.0 for v in row] for row in blocks.tolist()])
Q_lib, parts = regular_decomposition(CyclicGroup(4))
print("gcnn.fourier.regular_decomposition:", " ⊕ ".join(rho.name for rho, m in parts),
      f"— same blocks: {torch.allclose(Q_lib @ P.real @ Q_lib.T, blocks, atol=1e-12)}")
