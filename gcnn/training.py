r"""Training and evaluation of image classifiers: Adam on the cross-entropy loss.

``fit`` minimises $ℓ(θ) = −(1/B) Σ_i log softmax(f_θ(x_i))_{y_i}$ over
shuffled mini-batches, at a constant learning rate or one that decays along a half cosine,
$η_t = η · (1 + cos(π t / T)) / 2$ after step $t$ of $T$; with an eval set it can keep the
weights of the epoch that scored best on it (choose on a validation split, never on the test
split).  Augmentation by rotation replaces each drawn image $x$ by $R_θ x$, $θ \sim U[−a, a]$
degrees, a fresh angle every time.  It is reproducible: ``torch.manual_seed(seed)`` and a
generator seeded with ``seed`` for the shuffling make two runs with the same
arguments (and the same starting weights) give identical histories.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Iterable

import torch
import torch.nn.functional as F
from torch import nn

from gcnn.data import RotatedDigits
from gcnn.data.mnist import rotated_by
from gcnn.validation import check_ints

__all__ = ["History", "fit", "predict", "accuracy", "accuracy_vs_angle"]

SCHEDULES = ("constant", "cosine")


@dataclass
class History:
    """Per-epoch record: mean training loss, training accuracy, and accuracy on the eval set (if given)."""

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    eval_accuracy: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)  # at the start of each epoch
    kept_epoch: int | None = None  # 0-based epoch whose weights `keep_best` restored


def fit(
    model: nn.Module,
    images: torch.Tensor,
    labels: torch.Tensor,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int = 0,
    eval_images: torch.Tensor | None = None,
    eval_labels: torch.Tensor | None = None,
    schedule: str = "constant",
    keep_best: bool = False,
    rotate: float = 0.0,
) -> History:
    """Train ``model`` in place with Adam for ``epochs`` passes; returns the ``History``.

    ``schedule`` is ``"constant"`` or ``"cosine"`` (decay to 0 over all steps). ``keep_best``
    (needs the eval set) ends with the weights of the epoch of highest eval accuracy, the first
    of equals. ``rotate`` is the augmentation's $a$ in degrees (0: none, 180: every angle).
    Training accuracy counts the batch predictions made while training (train mode).
    """
    _check_pair(images, labels)
    check_ints(epochs=epochs, batch_size=batch_size)
    if not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr expects a positive number, got {lr!r}")
    if (eval_images is None) != (eval_labels is None):
        raise ValueError("expected eval_images and eval_labels both given or both None")
    if eval_images is not None:
        _check_pair(eval_images, eval_labels)
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule expects one of {SCHEDULES}, got {schedule!r}")
    if not isinstance(rotate, (int, float)) or isinstance(rotate, bool) or not 0 <= rotate <= 180:
        raise ValueError(f"rotate expects a number of degrees in [0, 180], got {rotate!r}")
    if keep_best and eval_images is None:
        raise ValueError("keep_best expects eval_images and eval_labels to choose the epoch by")

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * -(-len(images) // batch_size)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, steps) if schedule == "cosine" else None
    history, best = History(), None
    for epoch in range(epochs):
        history.learning_rate.append(optimiser.param_groups[0]["lr"])
        model.train()
        total_loss, correct = 0.0, 0
        for batch in torch.randperm(len(images), generator=generator).split(batch_size):
            inputs = images[batch]
            if rotate:
                angles = (torch.rand(len(batch), generator=generator, dtype=torch.float64) * 2 - 1) * rotate
                inputs = rotated_by(inputs, angles)
            logits = model(inputs)
            loss = F.cross_entropy(logits, labels[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            if scheduler is not None:
                scheduler.step()
            total_loss += loss.item() * len(batch)
            correct += (logits.argmax(dim=1) == labels[batch]).sum().item()
        history.train_loss.append(total_loss / len(images))
        history.train_accuracy.append(correct / len(images))
        if eval_images is not None:
            history.eval_accuracy.append(accuracy(model, eval_images, eval_labels))
            improved = best is None or history.eval_accuracy[-1] > history.eval_accuracy[history.kept_epoch]
            if keep_best and improved:
                history.kept_epoch, best = epoch, copy.deepcopy(model.state_dict())
    if best is not None:
        model.load_state_dict(best)
    return history


@torch.no_grad()
def predict(model: nn.Module, images: torch.Tensor, batch_size: int = 256) -> torch.Tensor:
    """Predicted classes ``argmax_c f(x)_c`` in eval mode, int64 ``(N,)``; the model's mode is restored."""
    was_training = model.training
    model.eval()
    try:
        return torch.cat([model(chunk).argmax(dim=1) for chunk in images.split(batch_size)])
    finally:
        model.train(was_training)


def accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    """Fraction of ``images`` whose predicted class equals the label."""
    _check_pair(images, labels)
    return (predict(model, images) == labels).double().mean().item()


def accuracy_vs_angle(model: nn.Module, digits: RotatedDigits, angles_degrees: Iterable[float]) -> list[float]:
    """Test accuracy with all test images rotated by each angle: ``[acc(R_θ X_test) for θ in angles]``."""
    return [accuracy(model, digits.test_at(a), digits.test_labels) for a in angles_degrees]


def _check_pair(images: torch.Tensor, labels: torch.Tensor) -> None:
    if not isinstance(images, torch.Tensor) or images.dim() != 4 or len(images) == 0:
        got = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__
        raise ValueError(f"expected images of shape (N >= 1, C, H, W), got {got}")
    if not isinstance(labels, torch.Tensor) or labels.shape != (len(images),) or labels.dtype != torch.int64:
        got = (tuple(labels.shape), labels.dtype) if isinstance(labels, torch.Tensor) else type(labels).__name__
        raise ValueError(f"expected int64 labels of shape ({len(images)},), got {got}")
