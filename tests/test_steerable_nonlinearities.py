"""Equivariant nonlinearities on feature fields (norm, gated, Fourier pointwise, invariant pooling) and their batch norm."""
from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from gcnn.groups import O2, SO2, CyclicGroup, DihedralGroup, FiniteGroup
from gcnn.representations import irreps, regular, standard, trivial
from gcnn.nn import GroupBatchNorm
from gcnn.steerable import (FieldBatchNorm, FieldType, FourierPointwise, GatedNonlinearity, InvariantPool, NormNonlinearity,
                            TensorProductNonlinearity, field_equivariance_errors, field_norms, fourier_sampling_matrix)

GROUPS = [CyclicGroup(4), DihedralGroup(4), SO2(), O2()]


def elements(group):
    if isinstance(group, SO2):
        return [a * math.pi / 2 for a in range(4)]
    if isinstance(group, O2):
        return [(a * math.pi / 2, m) for a in range(4) for m in (0, 1)]
    return list(group.elements())


def field_type(group):
    if isinstance(group, FiniteGroup):
        return FieldType(group, [regular(group), *irreps(group), standard(group), trivial(group)])
    return FieldType(group, [*irreps(group, 3), standard(group), trivial(group)], max_frequency=1)


def assert_equivariant(fn, x, in_type, out_type, group, tolerance=1e-12):
    errors = field_equivariance_errors(fn, x, in_type, out_type, elements(group))
    assert max(errors.values()) <= tolerance, errors


@pytest.mark.parametrize("group", GROUPS, ids=str)
def test_norm_nonlinearity(group):
    torch.manual_seed(0)
    ft = field_type(group)
    layer = NormNonlinearity(ft).double()
    with torch.no_grad():
        layer.bias.normal_()
    x = torch.randn(2, ft.size, 6, 6, dtype=torch.float64)
    assert_equivariant(layer, x, ft, ft, group)
    out = layer(x)
    expected = F.relu(field_norms(ft, x) + layer.bias[:, None, None]) / field_norms(ft, x)
    assert torch.allclose(field_norms(ft, out), expected * field_norms(ft, x))


@pytest.mark.parametrize("group", GROUPS, ids=str)
def test_gated_nonlinearity(group):
    torch.manual_seed(0)
    ft = field_type(group)
    layer = GatedNonlinearity(ft)
    assert layer.in_type.size == ft.size + len(ft) and layer.out_type == ft
    x = torch.randn(2, layer.in_type.size, 6, 6, dtype=torch.float64)
    assert_equivariant(layer, x, layer.in_type, layer.out_type, group)
    with pytest.raises(ValueError, match=rf"C={layer.in_type.size}"):
        layer(torch.randn(1, ft.size, 6, 6))


@pytest.mark.parametrize("group", GROUPS, ids=str)
@pytest.mark.parametrize("activation", [F.relu, F.elu], ids=["relu", "elu"])
def test_fourier_pointwise(group, activation):
    torch.manual_seed(0)
    layer = FourierPointwise(group, 3, None if isinstance(group, FiniteGroup) else 2, activation=activation)
    x = torch.randn(2, layer.in_type.size, 5, 5, dtype=torch.float64)
    assert_equivariant(layer, x, layer.in_type, layer.out_type, group)


def test_fourier_pointwise_is_the_regular_relu_for_finite_groups():
    """For C_n the samples are the regular field itself (up to Q): ReLU on the samples."""
    torch.manual_seed(0)
    group = CyclicGroup(4)
    layer = FourierPointwise(group, 1)
    A = fourier_sampling_matrix(group, None, list(group.elements()))
    assert A.shape == (4, 4) and torch.linalg.matrix_rank(A) == 4
    v = torch.randn(1, 4, 3, 3, dtype=torch.float64)
    samples = torch.einsum("nd,bdhw->bnhw", A, v)
    assert torch.allclose(torch.einsum("nd,bdhw->bnhw", A, layer(v)), samples.relu())


def test_fourier_pointwise_arguments():
    with pytest.raises(ValueError, match="grid_size is only for SO2 and O2"):
        FourierPointwise(CyclicGroup(4), 1, grid_size=8)
    with pytest.raises(ValueError, match="at least 2·max_frequency"):
        FourierPointwise(SO2(), 1, 3, grid_size=4)


@pytest.mark.parametrize("group", GROUPS, ids=str)
def test_invariant_pool(group):
    torch.manual_seed(0)
    ft = field_type(group)
    pool = InvariantPool(ft, eps=0)  # the plain norm; the smoothing is tested with the classifier
    x = torch.randn(2, ft.size, 6, 6, dtype=torch.float64)
    out = pool(x)
    assert out.shape == (2, len(ft), 6, 6)
    assert_equivariant(pool, x, ft, pool.out_type, group)
    for i in range(len(ft)):
        if ft.reps[i].dim == 1 and ft.irreps(i)[0].frequency == 0 and not ft.irreps(i)[0].flip:
            assert torch.equal(out[:, i], x[:, ft.channels(i).start])  # a trivial field keeps its sign
        else:
            assert torch.allclose(out[:, i], x[:, list(ft.channels(i))].norm(dim=1))


@pytest.mark.parametrize("group", GROUPS, ids=str)
@pytest.mark.parametrize("training", [True, False], ids=["batch statistics", "running statistics"])
def test_field_batch_norm_is_equivariant(group, training):
    torch.manual_seed(0)
    ft = field_type(group)
    norm = FieldBatchNorm(ft).double()
    with torch.no_grad():
        norm.weight.uniform_(0.5, 2.0)
        norm.bias.normal_()
    norm(torch.randn(8, ft.size, 5, 5, dtype=torch.float64) + 3)  # running statistics away from 0 and 1
    norm.train(training)
    assert_equivariant(norm, torch.randn(4, ft.size, 7, 7, dtype=torch.float64) + 1, ft, ft, group)


@pytest.mark.parametrize("group", GROUPS, ids=str)
def test_field_batch_norm_centres_the_invariant_part_and_scales_each_field(group):
    torch.manual_seed(0)
    ft = field_type(group)
    norm = FieldBatchNorm(ft).double()
    y = norm(torch.randn(6, ft.size, 5, 5, dtype=torch.float64) * 3 + 2)
    assert (norm.invariant @ y.mean(dim=(0, 2, 3))).abs().max() < 1e-12
    for i in range(len(ft)):
        mean_square = y[:, list(ft.channels(i))].pow(2).sum(dim=1).mean() / ft.reps[i].dim
        assert abs(mean_square.item() - 1) < 1e-4  # 1 up to eps / sigma^2
    P = norm.invariant
    assert torch.allclose(P @ P, P, atol=1e-12) and torch.allclose(P, P.T, atol=1e-12)


def test_field_batch_norm_on_regular_fields_is_group_batch_norm():
    group = CyclicGroup(4)
    torch.manual_seed(0)
    x = torch.randn(5, 3 * 4, 6, 6, dtype=torch.float64) * 2 + 1
    field_norm = FieldBatchNorm(FieldType(group, [regular(group)] * 3)).double()
    group_norm = GroupBatchNorm(3).double()
    for training in (True, False):
        field_norm.train(training), group_norm.train(training)
        expected = group_norm(x.view(5, 3, 4, 6, 6)).view(5, 12, 6, 6)
        assert torch.allclose(field_norm(x), expected, atol=1e-10)
    assert torch.allclose(field_norm.running_mean.view(3, 4), group_norm.running_mean[:, None].expand(3, 4))


def test_field_batch_norm_arguments():
    ft = FieldType(CyclicGroup(4), [regular(CyclicGroup(4))])
    with pytest.raises(ValueError, match="expects a FieldType"):
        FieldBatchNorm("regular")
    with pytest.raises(ValueError, match=r"momentum expects a number in \(0, 1\], got 0"):
        FieldBatchNorm(ft, momentum=0)
    with pytest.raises(ValueError, match=r"expects a tensor \(B, C=4, H, W\).*got \(2, 3, 5, 5\)"):
        FieldBatchNorm(ft)(torch.zeros(2, 3, 5, 5))


# Off-grid angles on fibres (1 × 1 images, which every rotation maps to themselves exactly): the norm,
# gated and tensor-product nonlinearities commute with every rotation; Fourier-pointwise only with its grid's.
ANGLES = [0.3, 1.1, 2.0, 2.9, 4.4]


def off_grid(group):
    return ANGLES if isinstance(group, SO2) else [(a, m) for a in ANGLES for m in (0, 1)]


@pytest.mark.parametrize("group", [SO2(), O2()], ids=str)
def test_nonlinearities_on_fibres_at_arbitrary_angles(group):
    torch.manual_seed(0)
    ft = field_type(group)
    fourier = FourierPointwise(group, 3, 2)  # 12 samples: exact at multiples of 30° only
    layers = {"norm": (NormNonlinearity(ft).double(), ft, ft),
              "tensor product": (TensorProductNonlinearity(ft).double(), ft, ft),
              "Fourier-pointwise": (fourier, fourier.in_type, fourier.out_type)}
    gated = GatedNonlinearity(ft)
    layers["gated"] = (gated, gated.in_type, gated.out_type)
    for name, (layer, in_type, out_type) in layers.items():
        x = torch.randn(4, in_type.size, 1, 1, dtype=torch.float64)
        worst = max(field_equivariance_errors(layer, x, in_type, out_type, off_grid(group)).values())
        if name == "Fourier-pointwise":
            assert worst > 1e-3, worst  # sampling the group costs exactness between the samples
        else:
            assert worst <= 1e-12, (name, worst)


@pytest.mark.parametrize("group", GROUPS, ids=str)
def test_tensor_product_nonlinearity(group):
    torch.manual_seed(0)
    ft = field_type(group)
    targets = irreps(group) if isinstance(group, FiniteGroup) else irreps(group, 2)
    out = FieldType(group, [trivial(group), *targets], ft.max_frequency)
    layer = TensorProductNonlinearity(ft, out).double()
    assert layer.in_type == ft and layer.out_type == out
    x = torch.randn(2, ft.size, 5, 5, dtype=torch.float64)
    assert_equivariant(layer, x, ft, out, group)
    bias = layer(torch.zeros_like(x))  # only the trivial outputs carry a bias
    assert torch.allclose(layer(2 * x) - bias, 4 * (layer(x) - bias))  # quadratic in the features
    with pytest.raises(ValueError, match=rf"C={ft.size}"):
        layer(x[:, 1:])
    with pytest.raises(ValueError, match="expects FieldTypes"):
        TensorProductNonlinearity(3)


def test_tensor_product_of_two_vectors_splits_into_invariants_and_frequency_two():
    # ψ_1 ⊗ ψ_1 = ψ_0 ⊕ ψ_0 ⊕ ψ_2: the invariants of two planar vectors are u·v and u×v
    group = SO2()
    ft = FieldType(group, [irreps(group, 1)[1], irreps(group, 1)[1]])
    layer = TensorProductNonlinearity(ft)
    frequencies = [psi.frequency for psi in layer.product_type.reps]
    assert sorted(frequencies) == [0, 0, 0, 0, 0, 0, 2, 2, 2]  # u⊗u, u⊗v, v⊗v
