"""Training loop: the loss goes down, runs repeat exactly, evaluation helpers."""
from __future__ import annotations

import math

import pytest
import torch

from gcnn.data import load_rotated_digits
from gcnn.data.mnist import rotated_by
from gcnn.groups import CyclicGroup
from gcnn.models import CNNClassifier, GCNNClassifier
from gcnn.training import accuracy, accuracy_vs_angle, fit, predict


@pytest.fixture(scope="module")
def digits():
    return load_rotated_digits(size=15, seed=0)


def small_model(kind: str) -> torch.nn.Module:
    torch.manual_seed(0)
    if kind == "gcnn":
        return GCNNClassifier(CyclicGroup(4), channels=(4, 8, 16), kernel_size=3, image_size=15)
    return CNNClassifier(channels=(8, 16, 32), kernel_size=3, image_size=15)


@pytest.mark.parametrize("kind", ["gcnn", "cnn"])
def test_loss_decreases_on_a_tiny_subset(digits, kind):
    images, labels = digits.train_images[:256], digits.train_labels[:256]
    history = fit(small_model(kind), images, labels, epochs=5, batch_size=32, lr=1e-2, seed=0,
                  eval_images=digits.test_images[:100], eval_labels=digits.test_labels[:100])
    assert len(history.train_loss) == len(history.train_accuracy) == len(history.eval_accuracy) == 5
    assert history.train_loss[-1] < 0.6 * history.train_loss[0]
    assert history.train_accuracy[-1] > history.train_accuracy[0]
    assert all(0 <= a <= 1 for a in history.eval_accuracy)


def test_same_seed_same_history_and_weights(digits):
    images, labels = digits.train_images[:128], digits.train_labels[:128]
    runs = []
    for _ in range(2):
        model = small_model("gcnn")
        runs.append((fit(model, images, labels, epochs=2, batch_size=32, lr=1e-2, seed=3), model))
    (first, model_a), (second, model_b) = runs
    assert first == second and first.eval_accuracy == []
    for a, b in zip(model_a.parameters(), model_b.parameters()):
        assert torch.equal(a, b)
    other = fit(small_model("gcnn"), images, labels, epochs=2, batch_size=32, lr=1e-2, seed=4)
    assert other.train_loss != first.train_loss


def test_predict_accuracy_and_angles(digits):
    model = small_model("cnn").train()
    labels = predict(model, digits.test_images, batch_size=50)
    assert labels.shape == digits.test_labels.shape and labels.dtype == torch.int64
    assert model.training  # the mode is restored
    assert accuracy(model, digits.test_images, digits.test_labels) == (labels == digits.test_labels).double().mean()
    curve = accuracy_vs_angle(model, digits, [0, 45, 90])
    assert len(curve) == 3 and curve[0] == accuracy(model, digits.test_images, digits.test_labels)


def test_cosine_schedule_decays_the_learning_rate_to_zero(digits):
    images, labels = digits.train_images[:96], digits.train_labels[:96]
    constant = fit(small_model("cnn"), images, labels, epochs=4, batch_size=32, lr=1e-2)
    assert constant.learning_rate == [1e-2] * 4
    model = small_model("cnn")
    cosine = fit(model, images, labels, epochs=4, batch_size=32, lr=1e-2, schedule="cosine")
    # 3 steps per epoch, 12 in all: η after step t is η (1 + cos(π t / 12)) / 2
    expected = [1e-2 * (1 + math.cos(math.pi * 3 * epoch / 12)) / 2 for epoch in range(4)]
    assert cosine.learning_rate == pytest.approx(expected)
    assert cosine.train_loss != constant.train_loss


def test_keep_best_restores_the_weights_of_the_best_eval_epoch(digits):
    images, labels = digits.train_images[:256], digits.train_labels[:256]
    eval_images, eval_labels = digits.test_images[:100], digits.test_labels[:100]
    model = small_model("cnn")
    history = fit(model, images, labels, epochs=6, batch_size=32, lr=3e-2, seed=0, keep_best=True,
                  eval_images=eval_images, eval_labels=eval_labels)
    best = max(history.eval_accuracy)
    assert history.kept_epoch == history.eval_accuracy.index(best) < 5  # an earlier epoch: the restore is tested
    assert accuracy(model, eval_images, eval_labels) == best
    plain = fit(small_model("cnn"), images, labels, epochs=6, batch_size=32, lr=3e-2, seed=0,
                eval_images=eval_images, eval_labels=eval_labels)
    assert plain.kept_epoch is None and plain.eval_accuracy == history.eval_accuracy


class Recorder(torch.nn.Module):
    """A linear classifier that keeps every batch it is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.linear, self.seen = torch.nn.Linear(15 * 15, 10), []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append(x.clone())
        return self.linear(x.flatten(1))


def test_rotate_shows_each_drawn_image_rotated_by_a_fresh_angle_within_the_bound(digits):
    images, labels = digits.train_images[:20], digits.train_labels[:20]
    plain, rotated = Recorder(), Recorder()
    fit(plain, images, labels, epochs=1, batch_size=8, lr=1e-3, seed=3)
    fit(rotated, images, labels, epochs=1, batch_size=8, lr=1e-3, seed=3, rotate=30)
    generator = torch.Generator().manual_seed(3)
    order = torch.randperm(20, generator=generator).split(8)
    assert [len(b) for b in rotated.seen] == [8, 8, 4]
    for batch, shown, unrotated in zip(order, rotated.seen, plain.seen):
        assert torch.equal(unrotated, images[batch])
        angles = (torch.rand(len(batch), generator=generator, dtype=torch.float64) * 2 - 1) * 30
        assert angles.abs().max() <= 30 and len(set(angles.tolist())) == len(batch)
        assert torch.equal(shown, rotated_by(images[batch], angles))
        assert not torch.equal(shown, unrotated)


@pytest.mark.parametrize("kwargs, message", [
    (dict(labels=torch.zeros(5, dtype=torch.int64)), r"int64 labels of shape \(8,\)"),
    (dict(labels=torch.zeros(8)), "int64 labels"),
    (dict(images=torch.rand(8, 15, 15)), r"images of shape \(N >= 1, C, H, W\)"),
    (dict(epochs=0), "epochs expects an int >= 1"),
    (dict(batch_size=2.5), "batch_size expects an int >= 1"),
    (dict(lr=0), "lr expects a positive number"),
    (dict(eval_images=torch.rand(2, 1, 15, 15)), "both given or both None"),
    (dict(schedule="step"), r"schedule expects one of \('constant', 'cosine'\), got 'step'"),
    (dict(keep_best=True), "keep_best expects eval_images and eval_labels"),
    (dict(rotate=270), r"rotate expects a number of degrees in \[0, 180\], got 270"),
])
def test_fit_rejects_bad_input(kwargs, message):
    arguments = dict(images=torch.rand(8, 1, 15, 15), labels=torch.zeros(8, dtype=torch.int64),
                     epochs=1, batch_size=4, lr=1e-3)
    with pytest.raises(ValueError, match=message):
        fit(small_model("cnn"), **{**arguments, **kwargs})
