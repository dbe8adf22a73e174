"""Classifiers: shapes, matched parameter counts, exact invariance of the G-CNN, input checks."""
from __future__ import annotations

import pytest
import torch

from gcnn.data import load_rotated_digits
from gcnn.groups import CyclicGroup, DihedralGroup
from gcnn.models import CNNClassifier, GCNNClassifier, count_parameters, match_parameters
from gcnn.testing import equivariance_errors
from gcnn.training import predict

GROUPS = [CyclicGroup(4), DihedralGroup(4)]


@pytest.mark.parametrize("group", GROUPS, ids=repr)
def test_gcnn_output_shape(group):
    torch.manual_seed(0)
    model = GCNNClassifier(group, channels=(4, 6, 8), kernel_size=3, image_size=29)
    assert model(torch.rand(3, 1, 29, 29)).shape == (3, 10)
    assert model.pool_sizes == (3, 2)  # 29 → 14 → 7: the windows tile each map exactly


def test_cnn_output_shape():
    model = CNNClassifier(in_channels=2, num_classes=4, channels=(5, 7), kernel_size=5, image_size=16)
    assert model(torch.rand(3, 2, 16, 16)).shape == (3, 4)


@pytest.mark.parametrize("group", [None, *GROUPS], ids=repr)
def test_matched_parameter_count_within_two_percent(group):
    reference = GCNNClassifier(CyclicGroup(4), channels=(8, 16, 32))
    matched = match_parameters(reference, group)
    assert type(matched) is (CNNClassifier if group is None else GCNNClassifier)
    assert matched.kernel_size == reference.kernel_size and matched.image_size == reference.image_size
    target = count_parameters(reference)
    assert abs(count_parameters(matched) - target) <= 0.02 * target


def test_count_parameters_counts_trainable_scalars():
    model = torch.nn.Linear(3, 2)
    assert count_parameters(model) == 8
    model.bias.requires_grad_(False)
    assert count_parameters(model) == 6


@pytest.mark.parametrize("group", GROUPS, ids=repr)
def test_gcnn_logits_are_invariant_to_every_group_element(group):
    torch.manual_seed(0)
    model = GCNNClassifier(group, channels=(3, 4, 5), kernel_size=3, image_size=17).double().eval()
    x = torch.rand(2, 1, 17, 17, dtype=torch.float64)
    with torch.no_grad():
        errors = equivariance_errors(model, x, group, input="plane", output="invariant")
    assert set(errors) == set(group.elements())
    assert max(errors.values()) <= 1e-12, errors


def test_cnn_logits_are_not_invariant():
    torch.manual_seed(0)
    model = CNNClassifier(channels=(3, 4, 5), kernel_size=3, image_size=17).double().eval()
    x = torch.rand(2, 1, 17, 17, dtype=torch.float64)
    with torch.no_grad():
        assert (model(torch.rot90(x, 1, dims=(-2, -1))) - model(x)).abs().max() > 1e-3


def test_untrained_c4_predicts_quarter_turned_digits_as_upright():
    digits = load_rotated_digits(seed=0)
    images = digits.test_images[:200]
    torch.manual_seed(0)
    model = GCNNClassifier(CyclicGroup(4), channels=(4, 8, 8))
    for layer in model.modules():  # untrained, but with batch-norm statistics of these digits
        if isinstance(layer, torch.nn.BatchNorm3d):
            layer.momentum = None
    with torch.no_grad():
        model.train()(images)
    upright = predict(model, images)
    assert len(upright.unique()) > 1  # a non-trivial comparison
    for quarter_turns in (1, 2, 3):
        turned = torch.rot90(images, quarter_turns, dims=(-2, -1))
        assert torch.equal(predict(model, turned), upright)


@pytest.mark.parametrize("model", [GCNNClassifier(CyclicGroup(4), channels=(2, 2)), CNNClassifier(channels=(2, 2))],
                         ids=["gcnn", "cnn"])
@pytest.mark.parametrize("x", [torch.rand(1, 2, 29, 29), torch.rand(1, 1, 28, 29), torch.rand(1, 29, 29)],
                         ids=["channels", "size", "dims"])
def test_bad_input_shape_raises(model, x):
    with pytest.raises(ValueError, match=r"expected images of shape \(B, 1, 29, 29\), got"):
        model(x)


@pytest.mark.parametrize("kwargs, message", [
    (dict(kernel_size=4), "odd int"),
    (dict(kernel_size=0), "kernel_size expects an int >= 1"),
    (dict(channels=()), "non-empty sequence"),
    (dict(channels=(4, 0)), "non-empty sequence"),
    (dict(num_classes=0), "num_classes expects"),
    (dict(channels=(2, 2, 2, 2), image_size=7), "expected at least 8"),
])
@pytest.mark.parametrize("cls", ["gcnn", "cnn"])
def test_bad_arguments_raise(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        if cls == "gcnn":
            GCNNClassifier(CyclicGroup(4), **kwargs)
        else:
            CNNClassifier(**kwargs)


def test_match_parameters_rejects_bad_arguments():
    with pytest.raises(ValueError, match="reference expects a GCNNClassifier or CNNClassifier"):
        match_parameters(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError, match="tolerance expects"):
        match_parameters(CNNClassifier(), tolerance=-0.1)
    with pytest.raises(ValueError, match="expected a width within 0.0%"):
        match_parameters(GCNNClassifier(CyclicGroup(4), channels=(1, 1)), tolerance=0.0)
