"""gcnn.experiments: the learning-rate search on validation digits, the seeds, mean ± std."""
from __future__ import annotations

import math

import pytest
import torch

from gcnn.data import load_mnist
from gcnn.experiments import format_mean_std, mean_std, study
from gcnn.models import CNNClassifier
from gcnn.training import accuracy, fit


@pytest.fixture(scope="module")
def digits():
    return load_mnist(train=100, validation=50, test=50, seed=0)


def tiny() -> CNNClassifier:
    return CNNClassifier(channels=(4, 8), kernel_size=3)


RECIPE = dict(epochs=5, batch_size=10, schedule="cosine")


@pytest.mark.parametrize("select_on", ["upright", "rotated"])
def test_study_keeps_the_rate_best_on_validation_and_trains_the_other_seeds_at_it(digits, select_on):
    s = study("tiny", tiny, digits, rates=(1e-5, 1e-2, 3.0), seeds=(5, 6, 7), select_on=select_on, **RECIPE)
    images = digits.validation_images if select_on == "upright" else digits.validation_rotated_images
    assert list(s.validation) == [1e-5, 1e-2, 3.0]
    assert s.lr == max(s.validation, key=s.validation.get)
    assert len(set(s.validation.values())) > 1, "the rates should differ, or the choice is not tested"
    assert [run.seed for run in s.runs] == [5, 6, 7]
    assert accuracy(s.runs[0].model, images, digits.validation_labels) == s.validation[s.lr]
    for run in s.runs:  # each run is what training that seed from scratch at the chosen rate gives
        torch.manual_seed(run.seed)
        again = tiny()
        history = fit(again, digits.train_images, digits.train_labels, lr=s.lr, seed=run.seed, **RECIPE)
        assert history.train_loss == run.history.train_loss
        assert all(torch.equal(a, b) for a, b in zip(again.state_dict().values(), run.model.state_dict().values()))
        assert run.cpu_seconds > 0
    assert not torch.equal(s.runs[0].model.head.weight, s.runs[1].model.head.weight)  # seeds set the weights


def test_ties_go_to_the_first_rate(digits):
    s = study("tiny", tiny, digits, rates=(3e-3, 3e-3), seeds=(0,), **RECIPE)
    assert s.lr == 3e-3 and len(s.runs) == 1


def test_mean_and_sample_standard_deviation():
    assert mean_std([0.9, 0.92]) == pytest.approx((0.91, math.sqrt(0.0002)))
    assert mean_std([0.5]) == (0.5, 0.0)
    assert format_mean_std([0.9, 0.92]) == "91.0 ± 1.4 %"
    assert format_mean_std([0.0083, 0.0084, 0.0082], percent=False, digits=4) == "0.0083 ± 0.0001"


def test_bad_arguments(digits):
    with pytest.raises(ValueError, match=r"select_on expects one of \('upright', 'rotated'\), got 'test'"):
        study("tiny", tiny, digits, rates=(1e-3,), seeds=(0,), select_on="test", **RECIPE)
    with pytest.raises(ValueError, match="expected at least one rate and distinct seeds"):
        study("tiny", tiny, digits, rates=(1e-3,), seeds=(0, 0), **RECIPE)
    with pytest.raises(ValueError, match="mean_std expects at least one value"):
        mean_std([])
