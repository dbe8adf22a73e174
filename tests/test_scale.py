"""The scale-translation group ℝ^d ⋊ ℝ_{>0}: group laws, Haar measures, and the scale lifting convolution."""
from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gcnn.groups import ScaleTranslations
from gcnn.nn import ScaleLiftingConv2d

finite = st.floats(-5, 5)
scales = st.floats(0.1, 10)


def element(t, s):
    return torch.tensor(t, dtype=torch.float64), torch.tensor(s, dtype=torch.float64)


@settings(max_examples=50, deadline=None)
@given(st.lists(finite, min_size=6, max_size=6), st.lists(scales, min_size=3, max_size=3),
       st.lists(finite, min_size=2, max_size=2))
def test_group_axioms_and_action(ts, ss, x):
    G = ScaleTranslations(2)
    a, b, c = (element(ts[2 * i:2 * i + 2], ss[i]) for i in range(3))
    left, right = G.product(G.product(a, b), c), G.product(a, G.product(b, c))
    assert all(torch.allclose(p, q, rtol=1e-12, atol=1e-12) for p, q in zip(left, right))
    identity = G.product(a, G.inverse(a))
    assert torch.allclose(identity[0], torch.zeros(2, dtype=torch.float64), atol=1e-12)
    assert torch.allclose(identity[1], torch.tensor(1.0, dtype=torch.float64))
    point = torch.tensor(x, dtype=torch.float64)
    assert torch.allclose(G.act(G.product(a, b), point), G.act(a, G.act(b, point)), atol=1e-12)


@pytest.mark.parametrize("dim", [1, 2])
def test_haar_densities_cancel_the_jacobians_of_left_and_right_translation(dim):
    # μ(gA) = ∫_A ρ(g·p) |det ∂(g·p)/∂p| dp, so left invariance is ρ_L(g·p) |J_left| = ρ_L(p); likewise right
    G = ScaleTranslations(dim)
    torch.manual_seed(0)
    g = (torch.randn(dim, dtype=torch.float64), torch.tensor(1.7, dtype=torch.float64))
    for _ in range(5):
        p = torch.cat([torch.randn(dim, dtype=torch.float64), torch.rand(1, dtype=torch.float64) + 0.2])

        def left(q):
            t, s = G.product(g, (q[:dim], q[dim]))
            return torch.cat([t, s[None]])

        def right(q):
            t, s = G.product((q[:dim], q[dim]), g)
            return torch.cat([t, s[None]])

        for move, density, invariant in ((left, G.left_haar_density, True), (right, G.right_haar_density, True),
                                         (right, G.left_haar_density, False), (left, G.right_haar_density, False)):
            jacobian = torch.linalg.det(torch.autograd.functional.jacobian(move, p)).abs()
            ratio = density(move(p)[dim]) * jacobian / density(p[dim])
            if invariant:
                assert torch.isclose(ratio, torch.tensor(1.0, dtype=torch.float64), atol=1e-12)
            else:  # the other side: off by the modular function Δ(g) = s^{−d} (or its inverse)
                expected = G.modular_function(g[1]) if move is right else 1 / G.modular_function(g[1])
                assert torch.isclose(ratio, expected, atol=1e-12) and not torch.isclose(ratio, torch.tensor(1.0).double())


def test_bad_elements_are_named():
    G = ScaleTranslations(2)
    with pytest.raises(ValueError, match=r"t of shape \(\.\.\., 2\).*got \(\(3,\), \(\)\)"):
        G.inverse((torch.zeros(3), torch.tensor(1.0)))
    with pytest.raises(ValueError, match=r"scales s > 0"):
        G.inverse((torch.zeros(2), torch.tensor(-1.0)))


def _blobs(size: int, dilation: float) -> torch.Tensor:
    """``f(x / dilation)`` for a fixed sum of Gaussian blobs, evaluated exactly on the grid."""
    generator = torch.Generator().manual_seed(0)
    centres = torch.randn(6, 2, generator=generator, dtype=torch.float64) * 5
    widths = 1.5 + 2 * torch.rand(6, generator=generator, dtype=torch.float64)
    amplitudes = torch.randn(6, generator=generator, dtype=torch.float64)
    coords = torch.arange(size, dtype=torch.float64) - size // 2
    x, y = coords[None, :] / dilation, -coords[:, None] / dilation
    return sum(a * torch.exp(-((x - p[0]) ** 2 + (y - p[1]) ** 2) / (2 * w**2))
               for a, p, w in zip(amplitudes, centres, widths))[None, None]


@pytest.mark.parametrize("sigma, bound", [(1.0, 1e-4), (0.5, None)])
def test_scale_lifting_commutes_with_dilation_up_to_sampling(sigma, bound):
    # (k ⋆ f_2)(x, s) = (k ⋆ f)(x/2, s/2): scale index i + 2 of the dilated input at even pixels
    torch.manual_seed(0)
    layer = ScaleLiftingConv2d(1, 3, [2 ** (i / 2) for i in range(5)], sigma=sigma).double()
    size, c = 97, 48
    with torch.no_grad():
        out, dilated = layer(_blobs(size, 1.0)), layer(_blobs(size, 2.0))
    errors = []
    for i in range(3):
        a, b = dilated[..., i + 2, c - 40:c + 41:2, c - 40:c + 41:2], out[..., i, c - 20:c + 21, c - 20:c + 21]
        errors.append(float((a - b).abs().max() / b.abs().max()))
    if bound is not None:
        assert max(errors) < bound, errors
    else:  # a kernel of width σ·s = 0.5 pixel is undersampled: the smallest scale is far off, larger ones recover
        assert errors[0] > 0.1 and errors[0] > 10 * errors[1] > 10 * errors[2], errors


def test_scale_lifting_shapes_and_errors():
    layer = ScaleLiftingConv2d(2, 3, [1.0, 2.0], order=1)
    assert layer(torch.zeros(1, 2, 20, 20)).shape == (1, 3, 2, 20, 20) and layer.weight.shape == (3, 2, 3)
    with pytest.raises(ValueError, match=r"\(B, C_in=2, H, W\), got \(1, 1, 20, 20\)"):
        layer(torch.zeros(1, 1, 20, 20))
    with pytest.raises(ValueError, match="positive scales"):
        ScaleLiftingConv2d(1, 1, [0.0, 1.0])
    assert math.isclose(layer.kernel_stack().shape[-1], 2 * math.ceil(5 * 2.0) + 1)
