"""Rotated digits: deterministic splits, disjoint sets, exact quarter turns."""
from __future__ import annotations

import pytest
import torch

from gcnn.data import digit_images, load_rotated_digits


@pytest.fixture(scope="module")
def digits():
    return load_rotated_digits(size=29, test_fraction=0.33, seed=0)


def test_shapes_dtypes_and_ranges(digits):
    n_train, n_test = len(digits.train_images), len(digits.test_images)
    assert n_train + n_test == 1797 and n_test == round(0.33 * 1797)
    for images, n in [(digits.train_images, n_train), (digits.test_images, n_test),
                      (digits.test_rotated_images, n_test)]:
        assert images.shape == (n, 1, 29, 29) and images.dtype == torch.float32
        assert images.min() >= 0 and images.max() <= 1
    assert digits.train_labels.shape == (n_train,) and digits.train_labels.dtype == torch.int64
    assert set(digits.test_labels.tolist()) == set(range(10))
    assert digits.test_angles.shape == (n_test,)
    assert 0 <= digits.test_angles.min() and digits.test_angles.max() < 360
    assert digits.train_images.max() == 1  # some pixel of some digit has the top grey level


def test_digits_stay_inside_the_frame():
    images, _ = digit_images(29)
    border = torch.cat([images[..., :2, :].flatten(1), images[..., -2:, :].flatten(1),
                        images[..., :, :2].flatten(1), images[..., :, -2:].flatten(1)], dim=1)
    assert border.abs().max() == 0


def test_same_seed_same_tensors_other_seed_other_split(digits):
    again = load_rotated_digits(seed=0)
    for name in ["train_images", "train_labels", "test_images", "test_labels",
                 "test_rotated_images", "test_angles"]:
        assert torch.equal(getattr(digits, name), getattr(again, name)), name
    other = load_rotated_digits(seed=1)
    assert not torch.equal(digits.test_images, other.test_images)
    assert not torch.equal(digits.test_angles, other.test_angles)


def test_train_and_test_images_are_disjoint(digits):
    def contents(images):
        return {image.numpy().tobytes() for image in images}
    train, test = contents(digits.train_images), contents(digits.test_images)
    assert len(train) == len(digits.train_images) and len(test) == len(digits.test_images)
    assert not train & test
    assert len(train | test) == 1797  # every digit is used once (the 1797 digits are distinct)


def test_rotated_test_set_uses_the_recorded_angles(digits):
    for i in [0, 7, 100]:
        rotated = digits.test_at(float(digits.test_angles[i]))[i]
        torch.testing.assert_close(rotated, digits.test_rotated_images[i])


def test_quarter_turns_are_exact(digits):
    assert torch.equal(digits.test_at(0), digits.test_images)
    for quarter_turns in (1, 2, 3):
        expected = torch.rot90(digits.test_images, quarter_turns, dims=(-2, -1))
        assert torch.equal(digits.test_at(90 * quarter_turns), expected)


@pytest.mark.parametrize("kwargs, message", [
    (dict(size=28), "odd int >= 9"),
    (dict(size=7), "odd int >= 9"),
    (dict(size=29.0), "odd int >= 9"),
    (dict(test_fraction=0), r"\(0, 1\)"),
    (dict(test_fraction=1.5), r"\(0, 1\)"),
    (dict(test_fraction=1e-5), "both sets non-empty"),
    (dict(seed="0"), "seed expects an int"),
])
def test_bad_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_rotated_digits(**kwargs)
