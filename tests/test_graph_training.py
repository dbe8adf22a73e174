"""gcnn.graph.training: MSE training of particle models on N-body data."""
import pytest
import torch

from gcnn.data import load_nbody
from gcnn.graph import EGNNDynamics, LinearDynamics
from gcnn.graph.training import fit_dynamics, mse, predict_positions


@pytest.fixture(scope="module")
def small():
    return load_nbody(n_train=40, n_val=20, n_test=20, seed=3)


def test_training_lowers_the_error_and_is_reproducible(small):
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = EGNNDynamics(16, 2)
        before = mse(model, small.val)
        history = fit_dynamics(model, small.train, epochs=4, batch_size=10, lr=1e-3, val=small.val)
        runs.append(history.train_mse)
        assert min(history.val_mse) < before
        assert mse(model, small.val) == pytest.approx(history.val_mse[history.best_epoch], rel=1e-6)
    assert runs[0] == runs[1]


def test_linear_model_learns_its_time_step(small):
    model = LinearDynamics()
    fit_dynamics(model, small.train, epochs=60, batch_size=40, lr=5e-2)
    glide = ((small.test.positions + small.dt * small.horizon * small.test.velocities
              - small.test.targets) ** 2).mean().item()
    assert mse(model, small.test) < glide  # τ adapts instead of staying the nominal 1.0
    assert predict_positions(model, small.test).shape == small.test.targets.shape


def test_patience_stops_once_the_validation_error_has_not_improved_for_that_many_epochs(small):
    torch.manual_seed(0)
    model = LinearDynamics()
    full = fit_dynamics(model, small.train, epochs=40, batch_size=40, lr=0.5, val=small.val)  # overshoots
    t_best = full.best_epoch
    assert t_best + 3 < 40, "the test needs a run whose best epoch is not near the end"
    torch.manual_seed(0)
    stopped = fit_dynamics(LinearDynamics(), small.train, epochs=40, batch_size=40, lr=0.5, val=small.val,
                           patience=3)
    assert len(stopped.val_mse) == t_best + 3 + 1 and stopped.best_epoch == t_best
    assert stopped.val_mse == full.val_mse[:t_best + 4]


def test_bad_arguments(small):
    with pytest.raises(ValueError, match="expected NBodySet data"):
        fit_dynamics(LinearDynamics(), small.train.positions, epochs=1)
    with pytest.raises(ValueError, match="epochs expects an int >= 1"):
        fit_dynamics(LinearDynamics(), small.train, epochs=0)
    with pytest.raises(ValueError, match="lr expects a positive number"):
        fit_dynamics(LinearDynamics(), small.train, epochs=1, lr=0)
    with pytest.raises(ValueError, match="patience expects a validation set"):
        fit_dynamics(LinearDynamics(), small.train, epochs=1, patience=5)
    with pytest.raises(ValueError, match="patience expects an int >= 1"):
        fit_dynamics(LinearDynamics(), small.train, epochs=1, val=small.val, patience=0)
