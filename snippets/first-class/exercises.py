"""Numbers for the exercises of the G-CNN page: products in D4 (exercise 1), parameters and
multiply-adds of a group convolution (exercise 3), equivariant linear maps on a group (exercise 4)."""
import math

import torch

from gcnn.groups import CyclicGroup, DihedralGroup
from gcnn.nn import GroupConv2d
from gcnn.representations import regular

torch.manual_seed(0)
D4 = DihedralGroup(4)  # r^k is element k, r^k s is element 4 + k
print(f"exercise 1: product of elements 5 and 6: {D4.product(5, 6)}")
print(f"exercise 1: inverse of element 5: {D4.inverse(5)}")
alpha = math.pi * 1 / 4 + math.pi / 2  # the predicted mirror line of r s = element 5
line = torch.tensor([math.cos(alpha), math.sin(alpha)], dtype=torch.float64)
print(f"exercise 1: element 5 fixes the line at angle 3π/4: {bool((D4.matrix(5) @ line - line).abs().max() < 1e-12)}")

channels, size = 16, 3
for group in (CyclicGroup(4), DihedralGroup(4)):
    layer = GroupConv2d(group, channels, channels, size, bias=False)
    print(f"exercise 3: {group.name} group convolution parameters: {layer.weight.numel()}")
    # kernel_stack() is the filter of the single conv2d: (C_out, |G|, C_in, |G|, k, k) numbers,
    # each used once per output position
    print(f"exercise 3: {group.name} group convolution multiply-adds per position: {layer.kernel_stack().numel()}")
cnn = torch.nn.Conv2d(32, 32, size, bias=False)
print(f"exercise 3: CNN (32 channels) parameters: {cnn.weight.numel()}")
print(f"exercise 3: CNN (32 channels) multiply-adds per position: {cnn.weight.numel()}")


def equivariant_maps(group):
    """dim {K : K ρ_reg(u) = ρ_reg(u) K for all u}, from the linear equations on the entries of K."""
    n = group.order
    eye = torch.eye(n, dtype=torch.float64)
    rows = [torch.kron(regular(group)(u), eye) - torch.kron(eye, regular(group)(u).T.contiguous())
            for u in group.elements()]
    return n * n - int(torch.linalg.matrix_rank(torch.cat(rows), atol=1e-9, rtol=0.0))


for group in (CyclicGroup(4), CyclicGroup(8), DihedralGroup(4)):
    print(f"exercise 4: dimension of the equivariant linear maps on functions on {group.name}: "
          f"{equivariant_maps(group)}")
