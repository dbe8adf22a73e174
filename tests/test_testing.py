"""The equivariance checker must catch broken maps and pass correct ones."""

import pytest
import torch

from gcnn.groups import CyclicGroup
from gcnn.nn import LiftingConv2d
from gcnn.testing import assert_equivariant, equivariance_errors

C4 = CyclicGroup(4)


def image(dtype=torch.float64):
    torch.manual_seed(0)
    return torch.randn(2, 1, 9, 9, dtype=dtype)


def asymmetric_kernel():
    kernel = torch.zeros(1, 1, 3, 3, dtype=torch.float64)
    kernel[0, 0, 0, :] = torch.tensor([1.0, 2.0, 3.0])
    return kernel


def test_plain_convolution_is_not_rotation_equivariant():
    kernel = asymmetric_kernel()
    conv = lambda t: torch.nn.functional.conv2d(t, kernel, padding=1)
    errors = equivariance_errors(conv, image(), C4, input="plane", output="plane")
    assert errors[0] == 0.0
    assert all(errors[g] > 0.1 for g in (1, 2, 3))
    with pytest.raises(AssertionError, match=r"(?s)not equivariant.*g=1: .*g=3: "):
        assert_equivariant(conv, image(), C4, output="plane")


def test_naively_lifted_convolution_is_not_equivariant():
    # the same unrotated kernel in every group channel
    kernel = asymmetric_kernel()
    naive = lambda t: torch.nn.functional.conv2d(t, kernel).unsqueeze(2).expand(-1, -1, 4, -1, -1)
    with pytest.raises(AssertionError):
        assert_equivariant(naive, image(), C4, input="plane", output="group")


def test_positional_bias_breaks_equivariance():
    torch.manual_seed(1)
    layer = LiftingConv2d(C4, 1, 2, 3).double()
    position = torch.linspace(0, 1, 7, dtype=torch.float64)
    biased = lambda t: layer(t) + position
    with pytest.raises(AssertionError):
        assert_equivariant(biased, image(), C4)


def test_reversing_the_group_axis_is_caught():
    signal = torch.randn(2, 3, 4, 5, 5, dtype=torch.float64)
    reverse = lambda t: torch.roll(t.flip(2), 1, dims=2)
    errors = equivariance_errors(reverse, signal, C4, input="group", output="group")
    assert errors[0] == errors[2] == 0.0  # g = g⁻¹ for these two
    assert errors[1] > 0.1 and errors[3] > 0.1


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_trivially_equivariant_maps_have_zero_error(dtype):
    x = image(dtype)
    assert set(equivariance_errors(torch.relu, x, C4, output="plane").values()) == {0.0}
    total = lambda t: t.sum(dim=(-2, -1))
    assert_equivariant(total, x, C4, output="invariant")
    signal = torch.randn(2, 3, 4, 5, 5, dtype=dtype)
    assert_equivariant(torch.tanh, signal, C4, input="group", output="group")


def test_zero_output_does_not_divide_by_zero():
    errors = equivariance_errors(torch.zeros_like, image(), C4, output="plane")
    assert errors == {0: 0.0, 1: 0.0, 2: 0.0, 3: 0.0}


def test_explicit_tolerances_override_the_defaults():
    kernel = asymmetric_kernel()
    conv = lambda t: torch.nn.functional.conv2d(t, kernel, padding=1)
    assert_equivariant(conv, image(), C4, output="plane", atol=0.0, rtol=10.0)


@pytest.mark.parametrize("field", ["input", "output"])
def test_unknown_kind_is_rejected(field):
    message = rf"{field} expects one of \('plane', 'group', 'invariant'\), got 'sphere'"
    with pytest.raises(ValueError, match=message):
        equivariance_errors(torch.relu, image(), C4, **{field: "sphere"})
    with pytest.raises(ValueError, match=message):
        assert_equivariant(torch.relu, image(), C4, **{field: "sphere"})


def test_mismatched_kind_is_reported():
    with pytest.raises(ValueError, match=r"group_signal expects .*got shape \(2, 1, 9, 9\)"):
        equivariance_errors(torch.relu, image(), C4, input="plane", output="group")
    crop = lambda t: t[..., :3, :]
    with pytest.raises(ValueError, match=r"fn\(g·x\) has shape \(2, 1, 3, 9\), g·fn\(x\) has"):
        equivariance_errors(crop, image(), C4, output="plane")


def test_dtype_without_default_tolerance_is_rejected():
    with pytest.raises(ValueError, match=r"no default tolerance for dtype torch.float16"):
        assert_equivariant(torch.relu, image(torch.float16), C4, output="plane")
