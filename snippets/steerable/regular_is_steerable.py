"""A C4 group convolution is a steerable convolution between regular fields: fit the steerable
coefficients to its filter, then compare outputs, in the group-element basis and in the irrep basis."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.fourier import regular_decomposition
from gcnn.groups import CyclicGroup
from gcnn.nn import GroupConv2d
from gcnn.representations import regular
from gcnn.steerable import FieldType, SteerableConv2d, fourier_field_type

torch.manual_seed(0)
group, k = CyclicGroup(4), 3
gconv = GroupConv2d(group, 1, 1, k, padding=1, bias=False).double()
target = gconv.kernel_stack()[0, :, 0].detach()  # (|G| out, |G| in, k, k): the filter between regular fields
Q, _ = regular_decomposition(group)  # Q ρ_reg(g) Qᵀ = ψ0 ⊕ ψ1 ⊕ ψ2
options = dict(padding=1, bias=False, radii=[0.0, 1.0, math.sqrt(2)], sigma=0.3, bandwidth=3.0)  # every grid ring
shown = lambda error: f"{error:.1e}" if error >= 1e-12 else "< 1e-12 (float64 round-off)"  # noqa: E731


def fit(conv, filt):  # least squares: the coefficients whose expanded filter is closest to filt
    with torch.no_grad():
        columns = []  # column i: the filter of the i-th basis coefficient alone
        for i in range(conv.weight.numel()):
            conv.weight.zero_()
            conv.weight[i] = 1.0
            columns.append(conv.expand_filter().flatten())
        design = torch.stack(columns, dim=1)
        conv.weight.copy_(torch.linalg.lstsq(design, filt.flatten()[:, None]).solution[:, 0])
        return (conv.expand_filter() - filt).abs().max().item()


regular_field = FieldType(group, [regular(group)])
steerable = SteerableConv2d(regular_field, regular_field, k, **options).double()
in_irreps = SteerableConv2d(fourier_field_type(group, 1), fourier_field_type(group, 1), k, **options).double()
target_irreps = torch.einsum("po,oqkl,rq->prkl", Q, target, Q)  # Q k Qᵀ
print(f"regular fields: {steerable.weight.numel()} coefficients, fit residual {shown(fit(steerable, target))}")
print(f"irrep fields:   {in_irreps.weight.numel()} coefficients, fit residual {shown(fit(in_irreps, target_irreps))}")
x = torch.randn(1, 1, group.order, 9, 9, dtype=torch.float64)  # a group signal = one regular field
with torch.no_grad():
    expected, direct = gconv(x).flatten(1, 2), steerable(x.flatten(1, 2))
    via_irreps = torch.einsum("po,bphw->bohw", Q, in_irreps(torch.einsum("po,bohw->bphw", Q, x.flatten(1, 2))))
print(f"max|group conv - steerable|, group-element basis: {shown((direct - expected).abs().max())}")
print(f"max|group conv - Qᵀ·steerable(Q·x)|, irrep basis: {shown((via_irreps - expected).abs().max())}")

fig, axes = plt.subplots(1, 2, figsize=(8, 4.4), layout="constrained")
panels = [(target, "group-conv filter k (h, h̃ basis)"), (target_irreps, "Q k Qᵀ (irrep basis)")]
for ax, (filt, title) in zip(axes, panels):
    tiles = torch.full((4 * (k + 1) - 1, 4 * (k + 1) - 1), float("nan"), dtype=torch.float64)
    for p in range(4):
        for q in range(4):
            tiles[p * (k + 1):p * (k + 1) + k, q * (k + 1):q * (k + 1) + k] = filt[p, q]
    scale = filt.abs().max()
    ax.imshow(tiles, cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
    ax.set_title(title, fontsize=11)
    ax.set_axis_off()
fig.suptitle("One C4 filter, 4 × 4 blocks of 3×3 kernels; right: rows/columns ψ0 | ψ1 ψ1 | ψ2", fontsize=10)
plt.show()
