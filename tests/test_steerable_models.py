"""SteerableClassifier: shapes, exact invariance to quarter turns (and mirrors), the smooth invariant pool, errors."""
from __future__ import annotations

import pytest
import torch

from gcnn.groups import O2, SO2, CyclicGroup, DihedralGroup
from gcnn.models import SteerableClassifier
from gcnn.representations import irreps, trivial
from gcnn.steerable import FieldType, InvariantPool

MIRRORED = (O2, DihedralGroup)
CASES = [(SO2(), 2), (O2(), 1), (CyclicGroup(4), None), (CyclicGroup(8), 2), (DihedralGroup(4), None)]


def grid_symmetries(x: torch.Tensor, mirrors: bool) -> list[torch.Tensor]:
    """``x`` under the quarter turns, and their mirror images when ``mirrors``."""
    turns = [torch.rot90(x, k, dims=(-2, -1)) for k in range(1, 4)]
    return turns + ([torch.flip(t, dims=(-1,)) for t in [x, *turns]] if mirrors else [])


@pytest.mark.parametrize("group, max_frequency", CASES, ids=lambda c: str(c))
def test_output_shape(group, max_frequency):
    torch.manual_seed(0)
    model = SteerableClassifier(group, in_channels=2, num_classes=4, channels=(2, 3), kernel_size=3,
                                max_frequency=max_frequency, image_size=15)
    assert model(torch.rand(3, 2, 15, 15)).shape == (3, 4)
    assert model.pool_sizes == (3,)


@pytest.mark.parametrize("group, max_frequency", CASES, ids=lambda c: str(c))
def test_logits_are_invariant_to_quarter_turns_and_mirrors(group, max_frequency):
    torch.manual_seed(0)
    model = SteerableClassifier(group, channels=(2, 3, 3), kernel_size=5, max_frequency=max_frequency,
                                image_size=17).double().eval()
    x = torch.rand(2, 1, 17, 17, dtype=torch.float64)
    with torch.no_grad():
        y = model(x)
        errors = [(model(gx) - y).abs().max().item() for gx in grid_symmetries(x, isinstance(group, MIRRORED))]
    assert max(errors) <= 1e-10 * y.abs().max().item(), errors


def test_mirrors_change_the_logits_of_a_rotation_only_group():
    torch.manual_seed(0)
    model = SteerableClassifier(SO2(), channels=(2, 3), kernel_size=5, max_frequency=2, image_size=17).double()
    x = torch.rand(2, 1, 17, 17, dtype=torch.float64)
    with torch.no_grad():
        assert (model(torch.flip(x, dims=(-1,))) - model(x)).abs().max() > 1e-6


def test_gradients_are_finite_where_fields_vanish():
    torch.manual_seed(0)
    model = SteerableClassifier(SO2(), channels=(2, 3), kernel_size=5, max_frequency=2, image_size=17)
    x = torch.zeros(2, 1, 17, 17)
    x[:, :, 6:11, 6:11] = 1.0  # zero padding and an empty border: fields that are exactly zero
    model(x).sum().backward()
    assert all(torch.isfinite(p.grad).all() for p in model.parameters())


def test_invariant_pool_smoothing_matches_the_norm_and_has_finite_gradients():
    group = SO2()
    field_type = FieldType(group, [trivial(group), *irreps(group, 2)])
    smooth, plain = InvariantPool(field_type, eps=1e-9).double(), InvariantPool(field_type, eps=0).double()
    x = torch.randn(2, field_type.size, 4, 4, dtype=torch.float64)
    assert torch.allclose(smooth(x), plain(x), atol=1e-8)
    zero = torch.zeros(1, field_type.size, 2, 2, dtype=torch.float64, requires_grad=True)
    smooth(zero).sum().backward()
    assert torch.isfinite(zero.grad).all()


def test_trains_one_step():
    torch.manual_seed(0)
    model = SteerableClassifier(CyclicGroup(4), channels=(2, 2), kernel_size=3, image_size=9)
    x, labels = torch.rand(4, 1, 9, 9), torch.tensor([0, 1, 2, 3])
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1)
    before = torch.nn.functional.cross_entropy(model(x), labels)
    before.backward()
    optimiser.step()
    assert torch.nn.functional.cross_entropy(model(x), labels) < before


@pytest.mark.parametrize("kwargs, message", [
    (dict(group=CyclicGroup(4), channels=(2, 2, 2), image_size=3), "too small"),
    (dict(group=SO2(), max_frequency=None), "max_frequency"),
    (dict(group=O2(), max_frequency=-1), "max_frequency"),
    (dict(group="SO2"), "expects CyclicGroup"),
    (dict(group=SO2(), kernel_size=4), "kernel_size"),
    (dict(group=SO2(), channels=()), "channels"),
])
def test_bad_arguments_raise(kwargs, message):
    shape = dict(channels=(2, 2), kernel_size=3, max_frequency=1, image_size=9) | kwargs
    with pytest.raises(ValueError, match=message):
        SteerableClassifier(**shape)


def test_bad_input_raises():
    model = SteerableClassifier(SO2(), channels=(2, 2), kernel_size=3, max_frequency=1, image_size=9)
    with pytest.raises(ValueError, match=r"expected images of shape \(B, 1, 9, 9\), got \(1, 2, 9, 9\)"):
        model(torch.rand(1, 2, 9, 9))
    with pytest.raises(ValueError, match="eps expects a number >= 0"):
        InvariantPool(FieldType(SO2(), [trivial(SO2())]), eps=-1)
