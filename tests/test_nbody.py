"""Charged N-body data: shapes, seeds, momentum, the frame-30 → frame-40 split and E(3) moves."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from gcnn.data import NBody, NBodySet, load_nbody, simulate_charged
from gcnn.groups import random_orthogonal

SIZES = dict(n_train=12, n_val=6, n_test=5)


@pytest.fixture(scope="module")
def nbody() -> NBody:
    return load_nbody(**SIZES, seed=3)


def test_simulation_shapes_charges_and_initial_speed():
    positions, velocities, charges = simulate_charged(7, n_particles=4, frames=3, steps_per_frame=10, seed=1)
    assert positions.shape == velocities.shape == (7, 3, 4, 3)
    assert charges.shape == (7, 4, 1)
    assert positions.dtype == velocities.dtype == charges.dtype == np.float64
    assert set(np.unique(charges)) == {-1.0, 1.0}
    np.testing.assert_allclose(np.linalg.norm(velocities[:, 0], axis=-1), 0.5)


def test_same_seed_same_systems_other_seed_other_systems():
    first = simulate_charged(4, frames=2, steps_per_frame=5, seed=0)
    again = simulate_charged(4, frames=2, steps_per_frame=5, seed=0)
    other = simulate_charged(4, frames=2, steps_per_frame=5, seed=1)
    for a, b, c in zip(first, again, other):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])


def test_total_momentum_is_conserved_unless_forces_are_clipped():
    # Pairwise forces cancel and masses are 1, so Σ_i v_i is constant; only the component-wise
    # clipping of close encounters breaks this, in a minority of systems over 1000 steps.
    _, velocities, _ = simulate_charged(100, frames=11, seed=0)
    momentum = velocities.sum(axis=2)
    drift = np.abs(momentum - momentum[:, :1]).max(axis=(1, 2))
    assert (drift < 1e-9).mean() > 0.7


def test_one_step_follows_the_clipped_coulomb_force():
    # With one step per frame, frame 1 holds v₁ = v₀ + dt·F(x₀) and x₁ = x₀ + dt·v₁; the large
    # step lowers the clip 0.1/dt to 1, so that some components are clipped.  The sign of F
    # makes like charges repel.
    dt = 0.1
    positions, velocities, charges = simulate_charged(50, n_particles=3, frames=2, steps_per_frame=1, dt=dt, seed=2)
    x, c = positions[:, 0], charges
    force = np.zeros_like(x)
    for i in range(3):
        for j in range(3):
            if i != j:
                d = x[:, i] - x[:, j]
                force[:, i] += c[:, i] * c[:, j] * d / np.linalg.norm(d, axis=-1, keepdims=True) ** 3
    force = np.clip(force, -0.1 / dt, 0.1 / dt)
    assert 0 < (np.abs(force) == 0.1 / dt).mean() < 0.5
    np.testing.assert_allclose(velocities[:, 1], velocities[:, 0] + dt * force, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(positions[:, 1], x + dt * velocities[:, 1], rtol=1e-12, atol=1e-12)


def test_load_nbody_splits(nbody: NBody):
    assert (len(nbody.train), len(nbody.val), len(nbody.test), len(nbody.test_transformed)) == (12, 6, 5, 5)
    assert nbody.dt == 0.001 and nbody.horizon == 1000
    for split in (nbody.train, nbody.val, nbody.test, nbody.test_transformed):
        n = len(split)
        assert split.positions.shape == split.velocities.shape == split.targets.shape == (n, 5, 3)
        assert split.charges.shape == (n, 5, 1)
        assert split.positions.dtype == torch.float32
        assert set(split.charges.unique().tolist()) <= {-1.0, 1.0}
    starts = torch.cat([nbody.train.positions, nbody.val.positions, nbody.test.positions]).reshape(23, -1)
    assert len(torch.unique(starts, dim=0)) == 23  # every system appears once
    assert nbody.test_paths.shape == (5, 11, 5, 3)
    assert torch.equal(nbody.test_paths[:, 0], nbody.test.positions)
    assert torch.equal(nbody.test_paths[:, -1], nbody.test.targets)


def test_targets_are_frame_40_of_the_simulation(nbody: NBody):
    positions, velocities, charges = simulate_charged(sum(SIZES.values()), frames=41, seed=3)
    test = slice(SIZES["n_train"] + SIZES["n_val"], None)
    as_float = lambda a: torch.as_tensor(a, dtype=torch.float32)  # noqa: E731
    assert torch.equal(nbody.test.positions, as_float(positions[test, 30]))
    assert torch.equal(nbody.test.velocities, as_float(velocities[test, 30]))
    assert torch.equal(nbody.test.targets, as_float(positions[test, 40]))
    assert torch.equal(nbody.test.charges, as_float(charges[test]))
    assert torch.equal(nbody.train.targets, as_float(positions[: SIZES["n_train"], 40]))


def test_load_nbody_is_seeded_and_keeps_dtype():
    a, b = load_nbody(2, 1, 1, seed=5, dtype=torch.float64), load_nbody(2, 1, 1, seed=5, dtype=torch.float64)
    assert torch.equal(a.test_transformed.targets, b.test_transformed.targets)
    assert a.train.positions.dtype == torch.float64
    assert not torch.equal(a.train.positions, load_nbody(2, 1, 1, seed=6).train.positions.double())


def test_transformed_applies_x_Qt_plus_t(nbody: NBody):
    Q = random_orthogonal(3, reflection=True, generator=torch.Generator().manual_seed(0))
    t = torch.randn(5, 3, dtype=torch.float64)
    moved = nbody.test.transformed(Q, t)
    Qf, tf = Q.float(), t.float()[:, None]
    torch.testing.assert_close(moved.positions, nbody.test.positions @ Qf.T + tf)
    torch.testing.assert_close(moved.targets, nbody.test.targets @ Qf.T + tf)
    torch.testing.assert_close(moved.velocities, nbody.test.velocities @ Qf.T)
    assert torch.equal(moved.charges, nbody.test.charges)
    one_shift = nbody.test.transformed(Q, t[0])
    torch.testing.assert_close(one_shift.positions, nbody.test.positions @ Qf.T + tf[0])
    torch.testing.assert_close(nbody.test.transformed(Q, t[:, None]).targets, moved.targets)


def test_test_transformed_is_a_rigid_motion_of_test(nbody: NBody):
    def pairwise(split: NBodySet) -> torch.Tensor:
        return torch.cdist(split.targets, split.targets)

    torch.testing.assert_close(pairwise(nbody.test_transformed), pairwise(nbody.test), atol=1e-4, rtol=0)
    assert not torch.allclose(nbody.test_transformed.positions, nbody.test.positions)


def test_transformed_rejects_bad_input(nbody: NBody):
    with pytest.raises(ValueError, match=r"rotation expects an orthogonal matrix"):
        nbody.test.transformed(2 * torch.eye(3), torch.zeros(3))
    with pytest.raises(ValueError, match=r"rotation expects a \(3, 3\) tensor, got \(2, 2\)"):
        nbody.test.transformed(torch.eye(2), torch.zeros(3))
    with pytest.raises(ValueError, match=r"translation expects shape .* S = 5, got \(4, 3\)"):
        nbody.test.transformed(torch.eye(3), torch.zeros(4, 3))


def test_subset(nbody: NBody):
    part = nbody.train.subset(slice(2, 5))
    assert len(part) == 3 and torch.equal(part.targets, nbody.train.targets[2:5])


def test_argument_checks():
    with pytest.raises(ValueError, match="n_particles expects an int >= 2, got 1"):
        simulate_charged(3, n_particles=1)
    with pytest.raises(ValueError, match="dt expects a positive number, got -0.1"):
        simulate_charged(3, dt=-0.1)
    with pytest.raises(ValueError, match="seed expects an int >= 0"):
        simulate_charged(3, seed=-1)
    with pytest.raises(ValueError, match="n_test expects an int >= 1, got 0"):
        load_nbody(n_test=0)
    with pytest.raises(ValueError, match="dtype expects a floating-point torch.dtype"):
        load_nbody(1, 1, 1, dtype=torch.int64)
