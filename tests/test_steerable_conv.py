"""SteerableConv2d: equivariance for exact elements, the eval cache, errors, and the regular G-conv."""
from __future__ import annotations

import math

import pytest
import torch

from gcnn.fourier import regular_decomposition
from gcnn.groups import O2, SO2, CyclicGroup, DihedralGroup
from gcnn.nn import GroupConv2d
from gcnn.representations import irreps, regular, standard, trivial
from gcnn.steerable import FieldType, SteerableConv2d, field_equivariance_errors, fourier_field_type
from gcnn.steerable.harmonics import grid_polar
from gcnn.testing import assert_equivariant

QUARTER_TURNS = {
    "SO2": [0.0, math.pi / 2, math.pi, 3 * math.pi / 2],
    "O2": [(a * math.pi / 2, m) for a in range(4) for m in (0, 1)],
}


def field_types(group):
    if isinstance(group, (SO2, O2)):
        return (FieldType(group, [*irreps(group, 2), trivial(group)]),
                FieldType(group, [*irreps(group, 3), standard(group)], max_frequency=1))
    return (FieldType(group, [regular(group), *irreps(group)[:3]]),
            FieldType(group, [*irreps(group), regular(group), standard(group)]))


def elements(group):
    if isinstance(group, (SO2, O2)):
        return QUARTER_TURNS[group.name]
    return list(group.elements())


@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4), SO2(), O2()], ids=str)
@pytest.mark.parametrize("dtype, tolerance", [(torch.float64, 1e-12), (torch.float32, 1e-6)])
def test_equivariant_for_every_exact_element(group, dtype, tolerance):
    torch.manual_seed(0)
    in_type, out_type = field_types(group)
    conv = SteerableConv2d(in_type, out_type, 5, padding=2).to(dtype)
    with torch.no_grad():
        conv.bias.normal_()
    x = torch.randn(2, in_type.size, 9, 9, dtype=dtype)
    errors = field_equivariance_errors(conv, x, in_type, out_type, elements(group))
    assert max(errors.values()) <= tolerance, errors


def test_equivariant_for_the_90_degree_elements_of_c8():
    torch.manual_seed(0)
    group = CyclicGroup(8)
    in_type = FieldType(group, [regular(group), *irreps(group)])
    conv = SteerableConv2d(in_type, in_type, 3, padding=1).double()
    x = torch.randn(1, in_type.size, 7, 7, dtype=torch.float64)
    assert max(field_equivariance_errors(conv, x, in_type, in_type, [0, 2, 4, 6]).values()) <= 1e-12


def test_bias_only_on_invariant_components():
    group = CyclicGroup(4)
    out_type = FieldType(group, [irreps(group)[1], regular(group), trivial(group)])
    conv = SteerableConv2d(FieldType(group, [trivial(group)]), out_type, 3)
    assert conv.bias.shape == (2,)  # one for the regular field's constant direction, one for the scalar
    with torch.no_grad():
        conv.weight.zero_()
        conv.bias.copy_(torch.tensor([2.0, 3.0]))
    out = conv(torch.randn(1, 1, 5, 5))
    assert out[:, :2].abs().max() == 0  # ψ_1 has no invariant part
    assert torch.allclose(out[:, 2:6], torch.full_like(out[:, 2:6], 1.0))  # 2 · (1/2, 1/2, 1/2, 1/2)
    assert torch.allclose(out[:, 6], torch.full_like(out[:, 6], 3.0))
    no_invariant = SteerableConv2d(FieldType(group, [trivial(group)]), FieldType(group, [irreps(group)[1]]), 3)
    assert no_invariant.bias is None


def test_train_and_eval_agree_and_the_cache_follows_the_weights():
    torch.manual_seed(0)
    in_type, out_type = field_types(DihedralGroup(4))
    conv = SteerableConv2d(in_type, out_type, 3, padding=1)
    x = torch.randn(2, in_type.size, 6, 6)
    trained = conv(x)
    conv.eval()
    with torch.no_grad():
        first = conv(x)
        assert torch.equal(first, trained)
        assert conv._cache is not None
        cached = conv._cache[1]
        assert conv(x) is not None and conv._cache[1] is cached  # reused
        conv.weight.mul_(2)
        doubled = conv(x)
    assert conv._cache[1] is not cached
    assert torch.allclose(doubled, 2 * first, atol=1e-6)  # the bias starts at zero
    conv.train()
    assert conv._cache is None
    with torch.no_grad():
        conv.weight.div_(2)
    assert torch.allclose(conv(x), trained)
    assert "cache" not in " ".join(conv.state_dict())


def test_filter_is_one_conv2d_weight():
    group = CyclicGroup(4)
    in_type = FieldType(group, [regular(group)] * 2)
    out_type = FieldType(group, [regular(group)] * 3)
    conv = SteerableConv2d(in_type, out_type, 3)
    assert conv.expand_filter().shape == (12, 8, 3, 3)


def test_mismatched_field_types_and_channels_raise():
    in_type, out_type = field_types(CyclicGroup(4))
    with pytest.raises(ValueError, match=r"in_type of C4 and out_type of D4"):
        SteerableConv2d(in_type, field_types(DihedralGroup(4))[1], 3)
    conv = SteerableConv2d(in_type, out_type, 3)
    with pytest.raises(ValueError, match=rf"C={in_type.size}.*got \(1, 3, 5, 5\)"):
        conv(torch.randn(1, 3, 5, 5))
    with pytest.raises(ValueError, match="FieldType"):
        SteerableConv2d(in_type, 4, 3)
    with pytest.raises(ValueError, match="H and W >= 3"):
        conv(torch.randn(1, in_type.size, 2, 2))


def _all_grid_radii(kernel_size):
    r, _ = grid_polar(kernel_size)
    return sorted({round(v, 9) for v in r.flatten().tolist()})


def _fit(conv: SteerableConv2d, target: torch.Tensor) -> float:
    """Set ``conv.weight`` to the least-squares fit of its filter to ``target``; the residual."""
    with torch.no_grad():
        columns = []
        for i in range(conv.weight.numel()):
            conv.weight.zero_()
            conv.weight[i] = 1.0
            columns.append(conv.expand_filter().flatten())
        design = torch.stack(columns, dim=1)
        solution = torch.linalg.lstsq(design, target.flatten()[:, None]).solution[:, 0]
        conv.weight.copy_(solution)
        return (design @ solution - target.flatten()).abs().max().item()


@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4)], ids=str)
def test_regular_fields_compute_the_group_convolution(group):
    """A GroupConv2d is a SteerableConv2d between regular fields: in the group-element basis
    directly, and between the irreps of Q ρ_reg Qᵀ = ⊕ ψ after the change of basis Q."""
    torch.manual_seed(0)
    n, k = group.order, 3
    gconv = GroupConv2d(group, 2, 3, k, padding=1, bias=False).double()
    target = gconv._expand()[0].detach()
    x = torch.randn(2, 2, n, 7, 7, dtype=torch.float64)
    expected = gconv(x).flatten(1, 2)
    options = dict(padding=1, bias=False, radii=_all_grid_radii(k), sigma=0.3, bandwidth=3.0)

    steerable = SteerableConv2d(FieldType(group, [regular(group)] * 2), FieldType(group, [regular(group)] * 3),
                                k, **options).double()
    assert _fit(steerable, target) <= 1e-10
    assert (steerable(x.flatten(1, 2)) - expected).abs().max() <= 1e-6 * expected.abs().max()

    Q, _ = regular_decomposition(group)
    fourier = SteerableConv2d(fourier_field_type(group, 2), fourier_field_type(group, 3), k, **options).double()
    assert _fit(fourier, torch.einsum("po,uovqkl,qi->upvikl", Q, target.view(3, n, 2, n, k, k), Q.T)
                .reshape(3 * n, 2 * n, k, k)) <= 1e-10
    moved = torch.einsum("po,bcohw->bcphw", Q, x).flatten(1, 2)
    back = torch.einsum("po,bcphw->bcohw", Q, fourier(moved).unflatten(1, (3, n))).flatten(1, 2)
    assert (back - expected).abs().max() <= 1e-6 * expected.abs().max()


@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4)], ids=str)
def test_regular_fields_pass_the_group_signal_check_of_gcnn_testing(group):
    """Regular fields are group signals ``(B, C, |G|, H, W)``: ``gcnn.testing`` checks them directly."""
    torch.manual_seed(0)
    n = group.order
    lifting = SteerableConv2d(FieldType(group, [trivial(group)]), FieldType(group, [regular(group)] * 2), 3).double()
    mixing = SteerableConv2d(FieldType(group, [regular(group)] * 2), FieldType(group, [regular(group)]), 3).double()
    x = torch.randn(2, 1, 9, 9, dtype=torch.float64)
    assert_equivariant(lambda t: lifting(t).unflatten(1, (2, n)), x, group, input="plane", output="group")
    signal = torch.randn(2, 2, n, 7, 7, dtype=torch.float64)
    assert_equivariant(lambda t: mixing(t.flatten(1, 2)).unflatten(1, (1, n)), signal, group,
                       input="group", output="group")
