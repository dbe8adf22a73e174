"""Digit classifiers: a group-invariant G-CNN and a plain CNN of the same shape.

Both stack ``L = len(channels)`` blocks ``conv → batch norm → ReLU`` with
"same" zero padding (``kernel_size // 2``, so odd kernels keep the size), and
a ``2×2`` or ``3×3`` max pool of stride 2 after every block but the last.  The
pool window is 2 on even and 3 on odd sizes, so that the windows tile the
image from border to border, $(H − k) mod 2 = 0$: the tiling is its own
rotation by 90° (and mirror image).  Each pool maps $H ↦ ⌊H/2⌋$; a
29×29 digit goes 29 → 14 → 7 → 3 through four blocks.

The G-CNN lifts to the group in its first block and convolves on the group
after it; it ends with a max over the group axis and a mean over the plane,

    y = W · mean_x max_h F(h, x) + b,

and since every block is $G$-equivariant, $F$ of a transformed image is
$L_g F$, whose max over $h$ is a rotated copy of the original map and whose
mean is unchanged: the logits are invariant to every element of $G$.
"""

from __future__ import annotations

from typing import Callable, Sequence

import torch
from torch import nn

from gcnn.groups import O2, SO2, CyclicGroup, DihedralGroup, FiniteGroup
from gcnn.nn import EquivariantAvgPool2d, EquivariantMaxPool2d, GroupBatchNorm, GroupConv2d, GroupPool, LiftingConv2d
from gcnn.representations import trivial
from gcnn.representations.base import Group
from gcnn.steerable import FieldBatchNorm, FieldType, FourierPointwise, InvariantPool, SteerableConv2d
from gcnn.validation import check_ints, is_int

__all__ = ["GCNNClassifier", "CNNClassifier", "SteerableClassifier", "count_parameters", "count_flops",
           "match_parameters"]


class _Classifier(nn.Module):
    """What both classifiers share: argument checks, pooling plan, block stack, input check."""

    def __init__(
        self,
        in_channels: int,
        num_classes: int,
        channels: Sequence[int],
        kernel_size: int,
        image_size: int,
    ) -> None:
        super().__init__()
        check_ints(in_channels=in_channels, num_classes=num_classes, kernel_size=kernel_size,
                   image_size=image_size)
        if kernel_size % 2 == 0:
            raise ValueError(f"kernel_size expects an odd int (so 'same' padding is symmetric), got {kernel_size}")
        channels = tuple(channels)
        if not channels or not all(is_int(c) and c >= 1 for c in channels):
            raise ValueError(f"channels expects a non-empty sequence of ints >= 1, got {channels!r}")
        self.in_channels = in_channels
        self.num_classes = num_classes
        self.channels = channels
        self.kernel_size = kernel_size
        self.image_size = image_size
        self.pool_sizes = _pool_sizes(image_size, len(channels) - 1)

    def _stack(
        self,
        conv: Callable[[int, int, int], nn.Module],
        norm: Callable[[int], nn.Module],
        pool: Callable[[int], nn.Module],
    ) -> nn.Sequential:
        """Blocks ``conv(i, c_in, c_out) → norm → ReLU`` with ``pool(k)`` between them."""
        layers: list[nn.Module] = []
        widths = (self.in_channels, *self.channels)
        for i, (c_in, c_out) in enumerate(zip(widths, widths[1:])):
            layers += [conv(i, c_in, c_out), norm(c_out), nn.ReLU()]
            if i < len(self.pool_sizes):
                layers.append(pool(self.pool_sizes[i]))
        return nn.Sequential(*layers)

    def _check_input(self, x: torch.Tensor) -> None:
        expected = (self.in_channels, self.image_size, self.image_size)
        if not isinstance(x, torch.Tensor) or x.dim() != 4 or tuple(x.shape[1:]) != expected:
            got = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
            raise ValueError(
                f"expected images of shape (B, {self.in_channels}, {self.image_size}, {self.image_size}), got {got}"
            )


class GCNNClassifier(_Classifier):
    """A G-CNN whose logits are invariant to every element of ``group``.

    ``LiftingConv2d`` then ``GroupConv2d`` blocks with ``GroupBatchNorm`` and
    ``EquivariantMaxPool2d``; ``GroupPool("max")``, spatial mean, ``Linear``.
    Input ``(B, in_channels, image_size, image_size)``, output ``(B, num_classes)``.
    """

    def __init__(
        self,
        group: FiniteGroup,
        in_channels: int = 1,
        num_classes: int = 10,
        channels: Sequence[int] = (16, 16, 32, 64),
        kernel_size: int = 3,
        image_size: int = 29,
    ) -> None:
        super().__init__(in_channels, num_classes, channels, kernel_size, image_size)
        self.group = group
        pad = kernel_size // 2

        def conv(i: int, c_in: int, c_out: int) -> nn.Module:
            layer = LiftingConv2d if i == 0 else GroupConv2d
            return layer(group, c_in, c_out, kernel_size, padding=pad)

        self.features = self._stack(conv, GroupBatchNorm, lambda k: EquivariantMaxPool2d(k, 2))
        self.group_pool = GroupPool("max")
        self.head = nn.Linear(self.channels[-1], num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        invariant = self.group_pool(self.features(x)).mean(dim=(-2, -1))
        return self.head(invariant)


class CNNClassifier(_Classifier):
    """The plain-CNN twin of ``GCNNClassifier``: ``Conv2d``, ``BatchNorm2d``, ``MaxPool2d``.

    Equivariant to translations only; rotating the input changes its logits.
    """

    def __init__(
        self,
        in_channels: int = 1,
        num_classes: int = 10,
        channels: Sequence[int] = (32, 32, 64, 128),
        kernel_size: int = 3,
        image_size: int = 29,
    ) -> None:
        super().__init__(in_channels, num_classes, channels, kernel_size, image_size)
        pad = kernel_size // 2

        def conv(i: int, c_in: int, c_out: int) -> nn.Module:
            return nn.Conv2d(c_in, c_out, kernel_size, padding=pad)

        self.features = self._stack(conv, nn.BatchNorm2d, lambda k: nn.MaxPool2d(k, 2))
        self.head = nn.Linear(self.channels[-1], num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        return self.head(self.features(x).mean(dim=(-2, -1)))


class SteerableClassifier(_Classifier):
    """A steerable CNN whose logits are invariant to the grid symmetries in ``group``.

    Block $i$ is ``SteerableConv2d → FieldBatchNorm → FourierPointwise`` on ``channels[i]`` band-limited
    functions on the group, each stored as its Fourier coefficients up to ``max_frequency``
    (``fourier_field_type``; ``max_frequency=None`` keeps all irreps of $C_n$/$D_n$,
    i.e. regular fields).  The input is ``in_channels`` trivial (scalar) fields.  Between
    blocks an ``EquivariantAvgPool2d`` (windows as in ``GCNNClassifier``): averaging acts
    on each channel alone and is linear, so it commutes with any channel mixing $ρ(g)$,

        avg(ρ(g) f) = ρ(g) avg(f),

    while a per-channel max does not ($max(ρ(g) f) ≠ ρ(g) max(f)$ for a rotating
    vector), so max pooling is only safe on scalar or permutation fields.  The head is

        y = W · mean_x InvariantPool(F)(x) + b,

    per field its value (trivial irrep) or its (smoothed) norm (any other): ``InvariantPool``.  Convolutions, the
    nonlinearity (sampled on a grid that holds the quarter turns and mirrors) and the pools
    are exactly equivariant for multiples of 90° (and mirrors for ``O2``/$D_n$) that lie in
    ``group``, so the logits are exactly invariant to them; other rotations only
    approximately (interpolation, band limit).  ``FieldBatchNorm`` plays the part of the
    G-CNN's ``GroupBatchNorm``, so both train with the same recipe.
    Input ``(B, in_channels, image_size, image_size)``, output ``(B, num_classes)``.
    """

    def __init__(
        self,
        group: Group,
        in_channels: int = 1,
        num_classes: int = 10,
        channels: Sequence[int] = (4, 8, 8),
        kernel_size: int = 5,
        max_frequency: int | None = 3,
        image_size: int = 29,
    ) -> None:
        super().__init__(in_channels, num_classes, channels, kernel_size, image_size)
        if not isinstance(group, (CyclicGroup, DihedralGroup, SO2, O2)):
            raise ValueError(f"SteerableClassifier expects CyclicGroup, DihedralGroup, SO2 or O2, got {group!r}")
        if max_frequency is None and isinstance(group, (SO2, O2)):
            raise ValueError(f"SteerableClassifier on {group} expects max_frequency (an int >= 0), got None")
        if max_frequency is not None and (not is_int(max_frequency) or max_frequency < 0):
            raise ValueError(f"max_frequency expects an int >= 0 or None, got {max_frequency!r}")
        self.group, self.max_frequency = group, max_frequency
        pad = kernel_size // 2
        field_type = FieldType(group, [trivial(group)] * in_channels)
        layers: list[nn.Module] = []
        for i, fields in enumerate(self.channels):
            nonlinearity = FourierPointwise(group, fields, max_frequency)
            layers += [SteerableConv2d(field_type, nonlinearity.in_type, kernel_size, padding=pad),
                       FieldBatchNorm(nonlinearity.in_type), nonlinearity]
            if i < len(self.pool_sizes):
                layers.append(EquivariantAvgPool2d(self.pool_sizes[i], 2))
            field_type = nonlinearity.out_type
        self.features = nn.Sequential(*layers)
        self.invariant = InvariantPool(field_type)
        self.head = nn.Linear(len(field_type), num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        return self.head(self.invariant(self.features(x)).mean(dim=(-2, -1)))


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars, ``Σ numel(p)`` over parameters with ``requires_grad``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def count_flops(model: _Classifier) -> int:
    """Multiply–adds of one forward pass on one image in eval mode (convolutions and matrix products,
    as ``torch.utils.flop_counter`` counts them: ``FLOPs / 2``), kernel construction included."""
    if not isinstance(model, _Classifier):
        raise ValueError(f"count_flops expects a classifier of gcnn.models, got {type(model).__name__}")
    from torch.utils.flop_counter import FlopCounterMode

    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            model(torch.zeros(1, model.in_channels, model.image_size, model.image_size))
    finally:
        model.train(was_training)
    return counter.get_total_flops() // 2


def match_parameters(
    reference: GCNNClassifier | CNNClassifier, group: FiniteGroup | None = None, tolerance: float = 0.02
) -> GCNNClassifier | CNNClassifier:
    """A classifier like ``reference`` whose parameter count is within ``tolerance`` of it.

    Builds a ``CNNClassifier`` (``group=None``) or a ``GCNNClassifier`` on
    ``group`` with the reference's kernel size, image size, input and output
    widths, and hidden widths ``round(s · c_i)``: $s$ is found by bisection
    on the (monotone) parameter count, then each width is nudged by ±1 to land
    closest to the target.  Raises ``ValueError`` when no candidate is close enough.
    """
    if not isinstance(reference, _Classifier):
        raise ValueError(f"reference expects a GCNNClassifier or CNNClassifier, got {type(reference).__name__}")
    if not 0 <= tolerance < 1:
        raise ValueError(f"tolerance expects a number in [0, 1), got {tolerance!r}")
    target = count_parameters(reference)
    counts: dict[tuple[int, ...], int] = {}

    def build(widths: tuple[int, ...]) -> GCNNClassifier | CNNClassifier:
        shape = dict(
            in_channels=reference.in_channels,
            num_classes=reference.num_classes,
            channels=widths,
            kernel_size=reference.kernel_size,
            image_size=reference.image_size,
        )
        return CNNClassifier(**shape) if group is None else GCNNClassifier(group, **shape)

    def count(widths: tuple[int, ...]) -> int:
        if widths not in counts:
            counts[widths] = count_parameters(build(widths))
        return counts[widths]

    def scaled(s: float) -> tuple[int, ...]:
        return tuple(max(1, round(s * c)) for c in reference.channels)

    low, high = 1 / 16, 16.0
    for _ in range(30):
        middle = (low * high) ** 0.5
        low, high = (middle, high) if count(scaled(middle)) < target else (low, middle)
    best = scaled(high)
    candidates = {scaled(low), best}
    for i in range(len(best)):
        for step in (-1, 1):
            nudged = best[:i] + (best[i] + step,) + best[i + 1 :]
            if nudged[i] >= 1:
                candidates.add(nudged)
    widths = min(candidates, key=lambda w: (abs(count(w) - target), w))
    error = abs(count(widths) - target) / target
    if error > tolerance:
        raise ValueError(
            f"expected a width within {tolerance:.1%} of {target} parameters, "
            f"got at best {count(widths)} ({error:.1%} off) with channels {widths}"
        )
    return build(widths)


def _pool_sizes(image_size: int, n_pools: int) -> tuple[int, ...]:
    """Pool windows $k = 2$ (even $H$) or ``3`` (odd $H$), stride 2: $H ↦ (H − k)/2 + 1 = ⌊H/2⌋$."""
    sizes, h = [], image_size
    for _ in range(n_pools):
        if h < 2:
            raise ValueError(
                f"image_size {image_size} is too small for {n_pools} poolings of stride 2; "
                f"expected at least {2 ** n_pools}"
            )
        k = 2 if h % 2 == 0 else 3
        sizes.append(k)
        h = (h - k) // 2 + 1
    return tuple(sizes)

