r"""Regular group convolutions on the continuous group SE(2) = ℝ² ⋊ SO(2), sampled at any $N$ rotations.

The kernels are continuous functions of the plane, expanded in circular harmonics times radial rings
(the basis of ``gcnn.steerable.harmonics``, in polar coordinates $(r, ϑ)$):

    k(x) = Σ_b w_b ψ_b(x),    ψ_b ∈ {τ_R(r) cos jϑ,  τ_R(r) sin jϑ},   0 ≤ j ≤ max_frequency.

A rotation shifts $ϑ$, and $cos j(ϑ − θ)$, $sin j(ϑ − θ)$ are again combinations of $cos jϑ$,
$sin jϑ$, so rotating the kernel rotates its coefficients and nothing is interpolated:

    k(R_θ⁻¹ x) = Σ_b (D(θ) w)_b ψ_b(x),    D(θ) = ⊕_b R(j_b θ)   (1 for j_b = 0).

The layers evaluate this at $θ_n = 2πn/N$ for any $N$ (``n_rotations``, changeable after training):

    lifting:  (k ⋆ f)(x, θ) = Σ_x̃ k(R_θ⁻¹(x̃ − x)) f(x̃),
    group:    (k ⋆ F)(x, θ) = (1/N) Σ_m Σ_x̃ k(R_θ⁻¹(x̃ − x), α_m − θ) F(x̃, α_m),   α_m = 2πm/N,

where the group kernel is also a trigonometric polynomial in its angle,
$k(x, α) = Σ_{b,a} w_{ba} ψ_b(x) χ_a(α)$, ``χ_a ∈ {1, cos lα, sin lα : l ≤ angular_frequency}``.
The factor $1/N$ is the Haar measure $dα/2π$ of SO(2): the same weights approximate the same
continuous operator at every $N$.  The lifted signal $θ ↦ (k \star f)(x, θ)$ has no frequency above
``max_frequency``, so with ``N > 2·max_frequency`` its samples determine it at every angle
(``rotate_fibre``).  Both layers are exactly equivariant to quarter turns when $4 | N$ (the grid
maps onto itself and the fibre rolls by $N/4$); other rotations resample the input image.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from gcnn.groups.images import rotate_image
from gcnn.steerable.harmonics import circular_harmonic, grid_polar, ring_frequencies, ring_radii
from gcnn.validation import check_ints

__all__ = ["SE2LiftingConv2d", "SE2GroupConv2d", "harmonic_basis", "rotate_fibre", "rotate_se2_signal"]


def harmonic_basis(kernel_size: int, max_frequency: int, sigma: float = 0.6,
                   bandwidth: float = 0.35) -> tuple[torch.Tensor, torch.Tensor]:
    """``(basis (B, k, k), frequencies (B,))`` in float64: $τ_R(r) cos jϑ$ and then $τ_R(r) sin jϑ$
    ($j > 0$) for each ring $R$ and ``j ≤ min(max_frequency, ⌊bandwidth·2πR⌋)``; a ``cos``/``sin``
    pair shares one normalisation, so that $D(θ)$ below rotates it exactly."""
    check_ints(kernel_size=kernel_size)
    check_ints(minimum=0, max_frequency=max_frequency)
    r, _ = grid_polar(kernel_size)
    elements, frequencies = [], []
    for R in ring_radii(kernel_size):
        ring = torch.exp(-((r - R) ** 2) / (2 * sigma**2))
        for j in range(min(max_frequency, ring_frequencies(R, bandwidth)) + 1):
            parts = circular_harmonic(kernel_size, j)[:1 if j == 0 else 2]
            # one norm for the pair: a rotation mixes cos and sin with the same weights
            norm = torch.linalg.vector_norm(torch.stack([ring * part for part in parts])) / math.sqrt(len(parts))
            elements.extend(ring * part / norm for part in parts)
            frequencies.extend([j] * len(parts))
    return torch.stack(elements), torch.tensor(frequencies)


def coefficient_rotation(frequencies: torch.Tensor, angle: float) -> torch.Tensor:
    """$D(θ)$ (float64) with $ψ_b(R_θ⁻¹ x) = Σ_c D(θ)_{bc} ψ_c(x)$: $(cos, sin) ↦ (c cos + s sin,
    c sin − s cos)$ with $c = cos jθ$, $s = sin jθ$ (a ``cos`` element is followed by its ``sin``)."""
    size = len(frequencies)
    D = torch.zeros(size, size, dtype=torch.float64)
    b = 0
    while b < size:
        j = int(frequencies[b])
        if j == 0:
            D[b, b] = 1.0
            b += 1
            continue
        c, s = _cos_sin(j * angle)
        D[b, b], D[b, b + 1], D[b + 1, b], D[b + 1, b + 1] = c, s, -s, c
        b += 2
    return D


def rotate_fibre(F_: torch.Tensor, angle: float, dim: int = -3) -> torch.Tensor:
    """$F(α) ↦ F(α − θ)$ along the rotation axis ``dim`` ($N$ samples at $α_m = 2πm/N$): a roll
    when $θ$ is a multiple of $2π/N$, otherwise the band-limited (trigonometric) interpolation,
    exact for fibres without frequencies $≥ N/2$."""
    N = F_.shape[dim]
    steps = _whole(angle / math.tau * N)
    if steps is not None:
        return torch.roll(F_, steps % N, dims=dim)
    spectrum = torch.fft.rfft(F_, dim=dim)
    k = torch.arange(spectrum.shape[dim], dtype=torch.float64)
    phase = torch.polar(torch.ones_like(k), -k * angle)
    if N % 2 == 0:  # the Nyquist term, split evenly between ±N/2, stays real
        phase[-1] = math.cos(N / 2 * angle)
    shape = [1] * F_.dim()
    shape[dim] = -1
    shifted = spectrum * phase.to(spectrum.dtype).view(shape)
    return torch.fft.irfft(shifted, n=N, dim=dim).to(F_.dtype)


def rotate_se2_signal(F_: torch.Tensor, angle: float) -> torch.Tensor:
    """$[L_θ F](x, α) = F(R_θ⁻¹ x, α − θ)$ for signals ``(..., N, H, W)``: every slice rotated in the
    plane (``rotate_image``), the fibre shifted by ``rotate_fibre``."""
    return rotate_fibre(rotate_image(F_, angle), angle, dim=-3)


class _HarmonicConv2d(nn.Module):
    """Shared by the two layers: the circular-harmonic basis, ``n_rotations``, bias and one ``conv2d``.
    ``weight`` is ``(C_out, C_in, B, *angular)``; each subclass defines ``kernel_stack()``, the filter
    ``(C_out, N, C_in, [N,] k, k)`` that ``forward`` applies."""

    group_axis: bool  # the input has a rotation axis (B, C_in, N, H, W)

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, n_rotations: int,
                 max_frequency: int | None, padding: int, bias: bool, angular: tuple[int, ...] = ()) -> None:
        super().__init__()
        check_ints(in_channels=in_channels, out_channels=out_channels, kernel_size=kernel_size)
        check_ints(minimum=0, padding=padding)
        basis, frequencies = harmonic_basis(kernel_size, kernel_size if max_frequency is None else max_frequency)
        self.in_channels, self.out_channels, self.kernel_size, self.padding = (
            in_channels, out_channels, kernel_size, padding)
        self.register_buffer("basis", basis, persistent=False)
        self.register_buffer("frequencies", frequencies, persistent=False)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, len(frequencies), *angular))
        self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None
        bound = math.sqrt(6 / (in_channels * len(frequencies)))  # He-uniform over the spatial basis
        nn.init.uniform_(self.weight, -bound, bound)
        self.n_rotations = n_rotations

    @property
    def n_rotations(self) -> int:
        """$N$: the rotation axis is sampled at $θ_n = 2πn/N$."""
        return self._n_rotations

    @n_rotations.setter
    def n_rotations(self, n: int) -> None:
        check_ints(n_rotations=n)
        self._n_rotations = n
        self.register_buffer("rotated_basis", _rotated_basis(self.basis, self.frequencies, n), persistent=False)
        self._sample_angles(n)

    def _sample_angles(self, n: int) -> None:
        """Tables that depend on $N$ besides the rotated basis (none here)."""

    @property
    def max_frequency(self) -> int:
        """The largest angular frequency of the kernels in the plane."""
        return int(self.frequencies.max())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        N, k = self.n_rotations, self.kernel_size
        dims = ("B", f"C_in={self.in_channels}", *((f"N={N}",) if self.group_axis else ()), "H", "W")
        _check_input(self, x, dims)
        bias = None if self.bias is None else self.bias.repeat_interleave(N)
        weight = self.kernel_stack().reshape(self.out_channels * N, -1, k, k)
        out = F.conv2d(x.flatten(1, -3), weight, bias, padding=self.padding)
        return out.unflatten(1, (self.out_channels, N))

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"n_rotations={self.n_rotations}, max_frequency={self.max_frequency}, padding={self.padding}")


class SE2LiftingConv2d(_HarmonicConv2d):
    r"""Lifting $(k \star f)(x, θ_n) = Σ_x̃ k(R_{θ_n}⁻¹(x̃ − x)) f(x̃)$ with a kernel in the circular-harmonic basis.

    ``SE2LiftingConv2d(in_channels, out_channels, kernel_size, n_rotations, max_frequency=None,
    padding=0, bias=True)`` maps images ``(B, C_in, H, W)`` to ``(B, C_out, N, H', W')``.
    ``weight`` is ``(C_out, C_in, B)``; ``n_rotations`` may be changed at any time.
    ``max_frequency`` (default: all the rings allow) bounds the angular frequencies, and so the
    frequencies of the lifted fibres.
    """

    group_axis = False

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, n_rotations: int,
                 max_frequency: int | None = None, padding: int = 0, bias: bool = True) -> None:
        super().__init__(in_channels, out_channels, kernel_size, n_rotations, max_frequency, padding, bias)

    def kernel_stack(self) -> torch.Tensor:
        """``(C_out, N, C_in, k, k)``: slice $n$ is the kernel rotated by $θ_n$, sampled on the grid."""
        return torch.einsum("oib,nbxy->onixy", self.weight, self.rotated_basis.to(self.weight.dtype))


class SE2GroupConv2d(_HarmonicConv2d):
    r"""Group convolution $(k \star F)(x, θ_n) = (1/N) Σ_m Σ_x̃ k(R_{θ_n}⁻¹(x̃ − x), α_m − θ_n) F(x̃, α_m)$.

    ``SE2GroupConv2d(in_channels, out_channels, kernel_size, n_rotations, max_frequency=None,
    angular_frequency=2, padding=0, bias=True)`` maps ``(B, C_in, N, H, W)`` to ``(B, C_out, N, H', W')``.
    ``weight`` is ``(C_out, C_in, B, 2·angular_frequency + 1)``: the kernel's coefficients in the
    spatial basis times $1, cos lα, sin lα$.
    """

    group_axis = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, n_rotations: int,
                 max_frequency: int | None = None, angular_frequency: int = 2, padding: int = 0,
                 bias: bool = True) -> None:
        check_ints(minimum=0, angular_frequency=angular_frequency)
        self.angular_frequency = angular_frequency
        super().__init__(in_channels, out_channels, kernel_size, n_rotations, max_frequency, padding, bias,
                         (2 * angular_frequency + 1,))

    def _sample_angles(self, n: int) -> None:
        relative = [[(m - k) / n for m in range(n)] for k in range(n)]  # (α_m − θ_n) in turns
        self.register_buffer("angular", _angular_basis(torch.tensor(relative, dtype=torch.float64),
                                                       self.angular_frequency), persistent=False)

    def kernel_stack(self) -> torch.Tensor:
        """``(C_out, N, C_in, N, k, k)``: the weights for output angle $θ_n$ and input angle $α_m$,
        including the quadrature weight $1/N$."""
        dtype = self.weight.dtype
        angular = torch.einsum("oiba,nma->onimb", self.weight, self.angular.to(dtype)) / self.n_rotations
        return torch.einsum("onimb,nbxy->onimxy", angular, self.rotated_basis.to(dtype))

    def extra_repr(self) -> str:
        return super().extra_repr() + f", angular_frequency={self.angular_frequency}"


def _rotated_basis(basis: torch.Tensor, frequencies: torch.Tensor, n: int) -> torch.Tensor:
    """``(N, B, k, k)``: $ψ_b(R_{θ_n}⁻¹ x)$ on the grid, $θ_n = 2πn/N$."""
    rotations = torch.stack([coefficient_rotation(frequencies, math.tau * i / n) for i in range(n)])
    return torch.einsum("nbc,cxy->nbxy", rotations, basis)


def _angular_basis(turns: torch.Tensor, L: int) -> torch.Tensor:
    """``χ_a(2π·turns)`` for $χ = (1, cos α, sin α, …, cos Lα, sin Lα)$: shape ``(*turns.shape, 2L + 1)``."""
    parts = [torch.ones_like(turns)]
    for l in range(1, L + 1):
        parts += [torch.cos(math.tau * l * turns), torch.sin(math.tau * l * turns)]
    return torch.stack(parts, dim=-1)


def _whole(value: float) -> int | None:
    """``value`` as an int when it is one up to rounding ($2π·k/N$ divided by $2π/N$), else None."""
    nearest = round(value)
    return nearest if abs(value - nearest) < 1e-9 else None


def _cos_sin(angle: float) -> tuple[float, float]:
    """``(cos, sin)`` of ``angle``, exact at multiples of a quarter turn."""
    quarter = _whole(angle / (math.pi / 2))
    if quarter is not None:
        return [(1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0)][quarter % 4]
    return math.cos(angle), math.sin(angle)


def _check_input(layer: _HarmonicConv2d, x: object, dims: tuple[str, ...]) -> None:
    shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
    sizes = [int(d.split("=")[1]) if "=" in d else None for d in dims]
    if not isinstance(x, torch.Tensor) or x.dim() != len(dims) or any(
            s is not None and x.shape[i] != s for i, s in enumerate(sizes)):
        raise ValueError(f"{type(layer).__name__} expects input of shape ({', '.join(dims)}), got {shape}")
    smallest = layer.kernel_size - 2 * layer.padding
    if min(x.shape[-2:]) < smallest:
        raise ValueError(f"{type(layer).__name__} expects H and W >= {smallest} (kernel_size − 2·padding), got {shape}")
