"""Regular G-CNN layers for the continuous group SE(2): kernels in a circular-harmonic basis, any N."""
from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from gcnn.data import load_rotated_digits
from gcnn.groups import CyclicGroup, rotate_image
from gcnn.nn import GroupConv2d, GroupPool, LiftingConv2d, SE2GroupConv2d, SE2LiftingConv2d, rotate_fibre, rotate_se2_signal
from gcnn.nn.se2 import coefficient_rotation, harmonic_basis
from gcnn.steerable.harmonics import grid_polar
from gcnn.testing import assert_equivariant, rotation_errors


def quarter_turns(n):
    return [q * n // 4 for q in range(4)]


def test_rotating_the_coefficients_rotates_the_sampled_kernel():
    # ψ_b(R_θ⁻¹ x) from D(θ) equals τ(r) cos j(ϑ − θ) evaluated on the grid: nothing is interpolated
    basis, frequencies = harmonic_basis(7, 3)
    theta = 0.37
    rotated = torch.einsum("bc,cxy->bxy", coefficient_rotation(frequencies, theta), basis)
    r, vartheta = grid_polar(7)
    ring = torch.exp(-((r - 2) ** 2) / (2 * 0.6**2)) * (r > 0)  # harmonics with j ≠ 0 vanish at the centre
    for j in (1, 2, 3):
        b = [i for i, f in enumerate(frequencies.tolist()) if f == 0][2] + 2 * j - 1  # ring 2's cos jϑ
        assert int(frequencies[b]) == int(frequencies[b + 1]) == j
        pair = torch.stack([ring * torch.cos(j * vartheta), ring * torch.sin(j * vartheta)])
        norm = torch.linalg.vector_norm(pair) / math.sqrt(2)
        assert torch.allclose(rotated[b], ring * torch.cos(j * (vartheta - theta)) / norm, atol=1e-12)
        assert torch.allclose(rotated[b + 1], ring * torch.sin(j * (vartheta - theta)) / norm, atol=1e-12)


@pytest.mark.parametrize("n", [4, 8, 12])
def test_lifting_and_group_convolution_are_exact_for_quarter_turns(n):
    torch.manual_seed(0)
    group = CyclicGroup(n)
    lift = SE2LiftingConv2d(2, 3, 5, n, padding=2).double()
    conv = SE2GroupConv2d(3, 2, 5, n, padding=2).double()
    x = torch.randn(2, 2, 13, 13, dtype=torch.float64)
    F = torch.randn(2, 3, n, 13, 13, dtype=torch.float64)
    assert_equivariant(lift, x, group, "plane", "group", elements=quarter_turns(n))
    assert_equivariant(conv, F, group, "group", "group", elements=quarter_turns(n))
    stack = nn.Sequential(lift, nn.ReLU(), conv)
    assert_equivariant(stack, x, group, "plane", "group", elements=quarter_turns(n))
    assert_equivariant(stack.float(), x.float(), group, "plane", "group", elements=quarter_turns(n))


def test_the_same_weights_sample_the_same_continuous_operator_at_any_n():
    torch.manual_seed(0)
    x = torch.randn(1, 1, 15, 15, dtype=torch.float64)
    lift8 = SE2LiftingConv2d(1, 4, 5, 8, max_frequency=2, padding=2).double()
    conv8 = SE2GroupConv2d(4, 3, 5, 8, angular_frequency=2, padding=2).double()
    F8 = lift8(x)
    lift8.n_rotations, conv8.n_rotations = 16, 16
    F16 = lift8(x)
    assert torch.allclose(F16[:, :, ::2], F8, atol=1e-12, rtol=0)  # lifting: samples of one function of θ
    out16 = conv8(F16)
    conv8.n_rotations = 8
    # the fibres have frequencies ≤ 2 and the kernel ≤ 2 in its angle: 8 samples integrate it exactly
    assert torch.allclose(out16[:, :, ::2], conv8(F8), atol=1e-12, rtol=0)
    with pytest.raises(ValueError, match=r"N=8"):
        conv8(F16)


def test_rotate_fibre_interpolates_band_limited_fibres_and_rolls_whole_steps():
    torch.manual_seed(0)
    x = torch.randn(1, 1, 11, 11, dtype=torch.float64)
    lift = SE2LiftingConv2d(1, 2, 5, 56, max_frequency=3, padding=2).double()
    fine = lift(x)
    for n in (7, 8):
        lift.n_rotations = n
        coarse = lift(x)
        for step in (1, 2, 3):
            shifted = rotate_fibre(coarse, -math.tau * step / 56)
            assert torch.allclose(shifted, fine[:, :, [m * 56 // n + step for m in range(n)]], atol=1e-12)
        assert torch.equal(rotate_fibre(coarse, math.tau / n), torch.roll(coarse, 1, dims=-3))
    signal = torch.randn(2, 3, 8, 5, 5)
    assert torch.equal(rotate_se2_signal(signal, math.pi / 2), CyclicGroup(8).act_on_group_signal(2, signal))


def _stack(kind: str, n: int) -> nn.Module:
    torch.manual_seed(0)
    if kind == "se2":
        layers = [SE2LiftingConv2d(1, 8, 5, n, padding=2), nn.ReLU(), SE2GroupConv2d(8, 8, 5, n, padding=2)]
    else:
        group = CyclicGroup(n)
        layers = [LiftingConv2d(group, 1, 8, 5, padding=2), nn.ReLU(), GroupConv2d(group, 8, 8, 5, padding=2)]
    return nn.Sequential(*layers, GroupPool("max")).double().eval()


def test_off_grid_error_falls_with_n_and_stays_below_the_bilinear_layers():
    x = load_rotated_digits().train_images[:2].double()
    angles = [math.radians(a) for a in range(5, 90, 10)]  # none of them a grid rotation

    def mean_error(kind, n):
        errors = rotation_errors(_stack(kind, n), x, angles)
        return sum(errors.values()) / len(errors)

    se2 = {n: mean_error("se2", n) for n in (4, 8, 16)}
    bilinear = {n: mean_error("cn", n) for n in (4, 8, 16)}
    assert se2[4] > se2[8] > se2[16] > 0.01  # falls with N, down to the resampling of the input
    assert all(se2[n] < bilinear[n] for n in se2), (se2, bilinear)


def test_bad_inputs_name_what_was_expected():
    lift = SE2LiftingConv2d(1, 2, 5, 8)
    with pytest.raises(ValueError, match=r"SE2LiftingConv2d expects input of shape \(B, C_in=1, H, W\), got \(1, 2, 9, 9\)"):
        lift(torch.zeros(1, 2, 9, 9))
    with pytest.raises(ValueError, match=r"H and W >= 5"):
        lift(torch.zeros(1, 1, 3, 9))
    with pytest.raises(ValueError, match=r"n_rotations expects an int >= 1, got 0"):
        SE2GroupConv2d(1, 1, 3, 0)
    conv = SE2GroupConv2d(2, 2, 3, 4)
    with pytest.raises(ValueError, match=r"\(B, C_in=2, N=4, H, W\)"):
        conv(torch.zeros(1, 2, 8, 5, 5))
    assert "n_rotations=8" in repr(lift) and rotate_image(torch.ones(1, 3, 3), 0.0).shape == (1, 3, 3)
