"""rotate_image and flip_image: exact quarter turns, exact composition, correct geometry."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gcnn.groups import flip_image, rotate_image
from gcnn.groups.resampling import apply_taps, bilinear_taps

SHAPES = [(7, 7), (6, 6), (5, 8)]


def plane(row, col, height, width):
    """Pixel index → (x right, y up) about the image centre."""
    return torch.tensor([col - (width - 1) / 2, (height - 1) / 2 - row], dtype=torch.float64)


def rotation(angle):
    c, s = math.cos(angle), math.sin(angle)
    return torch.tensor([[c, -s], [s, c]], dtype=torch.float64)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("q", range(-4, 9))
def test_quarter_turns_are_rot90_without_interpolation(shape, q):
    x = torch.randn(2, 3, *shape)
    assert torch.equal(rotate_image(x, q * math.pi / 2), torch.rot90(x, q, dims=(-2, -1)))


@settings(max_examples=40, deadline=None)
@given(st.floats(-20, 20, allow_nan=False), st.integers(-3, 3))
def test_quarter_turn_after_any_rotation_is_exact(angle, q):
    x = torch.arange(63, dtype=torch.float64).view(7, 9).sin()
    turned = rotate_image(rotate_image(x, angle), q * math.pi / 2)
    assert torch.equal(turned, rotate_image(x, angle + q * math.pi / 2))


def test_residual_near_a_quarter_turn_is_snapped():
    x = torch.randn(5, 5)
    assert torch.equal(rotate_image(x, math.pi / 2 + 1e-11), torch.rot90(x, 1, dims=(-2, -1)))
    assert torch.equal(rotate_image(x, math.pi / 2 - 1e-11), torch.rot90(x, 1, dims=(-2, -1)))
    assert torch.equal(rotate_image(x, -1e-12), x)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("angle", [math.pi / 2, math.pi, -math.pi / 2])
def test_bright_pixel_moves_as_the_rotation_matrix_says(shape, angle):
    H, W = shape
    image = torch.zeros(H, W, dtype=torch.float64)
    image[1, 2] = 1.0
    rotated = rotate_image(image, angle)
    row, col = (rotated == 1.0).nonzero()[0].tolist()
    predicted = rotation(angle) @ plane(1, 2, H, W)
    assert torch.allclose(plane(row, col, *rotated.shape), predicted, atol=1e-12)


@pytest.mark.parametrize("angle", [math.pi / 6, math.pi / 4, 2.0, -0.4])
def test_off_grid_rotation_moves_the_centre_of_mass_as_predicted(angle):
    size = 21
    image = torch.zeros(size, size, dtype=torch.float64)
    image[4, 13] = 1.0
    rotated = rotate_image(image, angle)
    rows, cols = torch.meshgrid(*(torch.arange(size, dtype=torch.float64),) * 2, indexing="ij")
    mass = rotated.sum()
    centre = plane((rows * rotated).sum() / mass, (cols * rotated).sum() / mass, size, size)
    predicted = rotation(angle) @ plane(4, 13, size, size)
    assert (centre - predicted).norm() < 0.1
    assert mass == pytest.approx(1.0, abs=0.15)  # a single pixel is not smooth


@pytest.mark.parametrize("angle", [0.1, math.pi / 8, math.pi / 3, 4.0])
def test_off_grid_rotation_keeps_the_mass_of_a_smooth_blob(angle):
    size = 33
    coords = torch.arange(size, dtype=torch.float64) - 12.0
    blob = torch.exp(-(coords[:, None] ** 2 + (coords[None, :] - 4) ** 2) / 8)
    rotated = rotate_image(blob, angle)
    assert rotated.sum() == pytest.approx(blob.sum().item(), rel=1e-3)
    assert rotated.max() == pytest.approx(1.0, abs=0.1)  # bilinear blurs the peak a little


def test_rotation_is_bilinear_about_the_centre():
    x = torch.randn(3, 6, 8, dtype=torch.float64)
    manual = apply_taps(x, bilinear_taps(6, 8, rotation(-0.3)))
    assert torch.allclose(rotate_image(x, 0.3), manual, rtol=0, atol=1e-8)  # angle on a 2⁻³² grid
    assert rotate_image(x, 0.3).shape == x.shape


def test_rotation_keeps_dtype_and_follows_float32():
    x = torch.randn(1, 9, 9)
    y = rotate_image(x, 0.5)
    assert y.dtype == torch.float32
    assert torch.allclose(y, rotate_image(x.double(), 0.5).float(), atol=1e-6)


def test_flip_mirrors_x():
    x = torch.randn(2, 5, 6)
    assert torch.equal(flip_image(x), torch.flip(x, dims=[-1]))
    assert torch.equal(flip_image(flip_image(x)), x)
    # a mirror conjugates a rotation into its inverse: F R F = R⁻¹
    assert torch.equal(flip_image(rotate_image(flip_image(x), math.pi / 2)),
                       rotate_image(x, -math.pi / 2))


@pytest.mark.parametrize("bad", [torch.zeros(5), torch.tensor(1.0), [[1.0]]])
def test_bad_images_are_rejected(bad):
    with pytest.raises(ValueError, match=r"expected an image tensor \(\.\.\., H, W\), got"):
        rotate_image(bad, 0.3)
    with pytest.raises(ValueError, match=r"expected an image tensor \(\.\.\., H, W\), got"):
        flip_image(bad)


@pytest.mark.parametrize("angle", [float("nan"), float("inf"), "1", None, True])
def test_bad_angles_are_rejected(angle):
    with pytest.raises(ValueError, match=r"expected a finite angle in radians, got"):
        rotate_image(torch.zeros(3, 3), angle)


def test_bad_taps_matrix_is_rejected():
    with pytest.raises(ValueError, match=r"expects a 2×2 matrix, got shape \(3, 3\)"):
        bilinear_taps(4, 4, torch.eye(3))
