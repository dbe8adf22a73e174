"""The equivariance checker must catch broken maps and pass correct ones."""

import math

import pytest
import torch

from gcnn.groups import CyclicGroup, DihedralGroup, rotate_image
from gcnn.nn import LiftingConv2d
from gcnn.testing import assert_equivariant, centred_disk, equivariance_errors, rotation_errors

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


def test_dihedral_groups_are_checked_with_their_mirrors():
    D4 = DihedralGroup(4)
    signal = torch.randn(2, 3, 8, 5, 5, dtype=torch.float64)
    assert_equivariant(torch.tanh, signal, D4, input="group", output="group")
    # shifting rotations and mirrors alike commutes with rotations, not with mirrors
    shift = lambda t: t.unflatten(2, (2, 4)).roll(1, dims=3).flatten(2, 3)
    errors = equivariance_errors(shift, signal, D4, input="group", output="group")
    assert all(errors[g] == 0.0 for g in range(4))
    assert all(errors[g] > 0.1 for g in range(4, 8))


def test_elements_restricts_the_check():
    conv = lambda t: torch.nn.functional.conv2d(t, asymmetric_kernel(), padding=1)
    errors = equivariance_errors(conv, image(), C4, output="plane", elements=[0, 2])
    assert list(errors) == [0, 2]
    assert_equivariant(torch.relu, image(), CyclicGroup(8), output="plane", elements=[0, 2, 4, 6])
    with pytest.raises(ValueError, match=r"expected an element of CyclicGroup\(4\)"):
        equivariance_errors(torch.relu, image(), C4, output="plane", elements=[5])


def test_rotation_errors_of_linear_pointwise_maps_vanish_at_every_angle():
    angles = [0.0, 0.3, math.pi / 4, 2.0, math.pi]
    assert set(rotation_errors(lambda t: 2 * t, image(), angles).values()) == {0.0}
    total = lambda t: t.sum(dim=(-2, -1))
    errors = rotation_errors(total, torch.ones(1, 15, 15, dtype=torch.float64), angles,
                             output="invariant")
    assert errors[0.0] == 0.0 and errors[math.pi] < 1e-12  # rot90: same numbers, new order
    assert max(errors.values()) < 0.02  # bilinear resampling keeps the sum only roughly


def isotropic_conv(t):
    r = torch.arange(5, dtype=torch.float64) - 2
    kernel = torch.exp(-(r[:, None] ** 2 + r[None, :] ** 2) / 2).view(1, 1, 5, 5)
    return torch.nn.functional.conv2d(t, kernel, padding=2)


def test_rotation_errors_catch_a_plain_convolution_and_pass_a_smooth_isotropic_one():
    torch.manual_seed(0)
    smooth = torch.nn.functional.avg_pool2d(torch.randn(1, 1, 31, 31, dtype=torch.float64), 5, 1)
    conv = lambda t: torch.nn.functional.conv2d(t, asymmetric_kernel(), padding=1)
    angles = [0.4, 1.0]
    assert min(rotation_errors(conv, smooth, angles).values()) > 0.15
    assert max(rotation_errors(isotropic_conv, smooth, angles).values()) < 0.05


def test_disk_cropping_ignores_the_corners():
    ones = torch.ones(1, 1, 15, 15, dtype=torch.float64)
    cropped = centred_disk(ones)
    assert cropped[0, 0, 7].tolist() == [1.0] * 15 and cropped[0, 0, 0, 0] == 0.0
    assert torch.equal(centred_disk(torch.rot90(cropped, 1, (-2, -1))), cropped)
    with_corners = rotation_errors(isotropic_conv, ones, [0.5], disk=False)[0.5]
    without = rotation_errors(isotropic_conv, ones, [0.5])[0.5]
    assert with_corners > 0.2 and without < 0.05


def test_rotation_errors_match_equivariance_errors_on_the_group():
    layer = LiftingConv2d(CyclicGroup(8), 1, 2, 5, padding=2).double()
    pooled = lambda t: layer(t).amax(dim=2)
    smooth = torch.nn.functional.avg_pool2d(torch.randn(1, 1, 25, 25, dtype=torch.float64), 3, 1)
    by_angle = rotation_errors(pooled, smooth, [math.pi / 4, math.pi / 2])
    by_element = equivariance_errors(pooled, smooth, CyclicGroup(8), output="plane",
                                     elements=[1, 2], disk=True)
    assert by_angle[math.pi / 4] == pytest.approx(by_element[1], rel=1e-6)
    assert by_angle[math.pi / 2] < 1e-12 and by_element[2] < 1e-12
    assert torch.equal(rotate_image(smooth, math.pi / 2), CyclicGroup(8).act_on_image(2, smooth))


def test_rotation_errors_reject_group_outputs():
    with pytest.raises(ValueError, match=r"expects output 'plane' or 'invariant', got 'group'"):
        rotation_errors(torch.relu, image(), [0.1], output="group")
