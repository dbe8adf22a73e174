"""Numbers for the exercises of the steerable page: scalar-to-vector kernels (exercise 1), steerable
kernels of C4 on the pixel grid (exercise 2), allowed biases (exercise 3) and the size of a layer
between Fourier fields (exercise 4)."""
import torch

from gcnn.groups import SO2, CyclicGroup
from gcnn.nn import GroupConv2d
from gcnn.representations import irrep, regular, trivial
from gcnn.steerable import SteerableConv2d, fourier_field_type, irrep_kernel_basis, numerical_kernel_basis

torch.manual_seed(0)
so2, c4 = SO2(), CyclicGroup(4)
for size in (3, 5):
    count = irrep_kernel_basis(irrep(so2, 1), irrep(so2, 0), size).shape[0]
    print(f"exercise 1: SO(2) basis kernels psi_0 -> psi_1, {size}x{size}: {count}")

pairs = {"psi_0 -> psi_0": (trivial(c4), trivial(c4)), "psi_0 -> psi_1": (trivial(c4), irrep(c4, 1)),
         "psi_1 -> psi_1": (irrep(c4, 1), irrep(c4, 1)), "regular -> regular": (regular(c4), regular(c4))}
for name, (rho_in, rho_out) in pairs.items():
    print(f"exercise 2: C4 solutions on the 5x5 grid, {name}: {numerical_kernel_basis(rho_out, rho_in, 5).shape[0]}")
print(f"exercise 2: weights of GroupConv2d(C4, 1, 1, 5): {GroupConv2d(c4, 1, 1, 5).weight.numel()}")
print(f"exercise 2: analytic C4 basis psi_0 -> psi_1 with the cut-off, 5x5: "
      f"{irrep_kernel_basis(irrep(c4, 1), irrep(c4, 0), 5).shape[0]}")

for name, rho in (("regular of C4", regular(c4)), ("psi_1 of C4", irrep(c4, 1))):
    average = sum(rho(g) for g in c4.elements()) / c4.order  # projector onto the invariant vectors
    directions = int(torch.linalg.matrix_rank(average, atol=1e-9, rtol=0.0))
    print(f"exercise 3: allowed bias directions, {name}: {directions}")

fields = fourier_field_type(so2, 1, 3)  # psi_0 + psi_1 + psi_2 + psi_3: 7 numbers
single = SteerableConv2d(fields, fields, 5)
print(f"exercise 4: basis kernels between two Fourier fields, 5x5: {single.weight.numel()}")
for n in range(4):
    row = [irrep_kernel_basis(irrep(so2, n), irrep(so2, m), 5).shape[0] for m in range(4)]
    print(f"exercise 4: output psi_{n}, inputs psi_0..psi_3: {row}")
layer = SteerableConv2d(fourier_field_type(so2, 8, 3), fourier_field_type(so2, 16, 3), 5)
print(f"exercise 4: weights of the 8 -> 16 field layer: {layer.weight.numel()}")
print(f"exercise 4: biases of the 8 -> 16 field layer: {layer.bias.numel()}")
plain = torch.nn.Conv2d(56, 112, 5)
plain_count = sum(p.numel() for p in plain.parameters())
print(f"exercise 4: parameters of an unconstrained 56 -> 112 channel conv2d: {plain_count}")
