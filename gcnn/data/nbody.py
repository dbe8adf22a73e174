r"""Charged N-body systems in 3-D: the benchmark of EGNN (Satorras, Hoogeboom & Welling 2021, §5.1).

Each system has $n = 5$ particles of unit mass with charges $c_i = ±1$ (equally likely).
Particle $i$ feels the Coulomb-like force, with interaction strength 1,

    F_i = Σ_{j≠i} c_i c_j (x_i − x_j) / ‖x_i − x_j‖³        (like charges repel),

each component clipped to $±0.1/dt$, and moves by semi-implicit Euler with $dt = 0.001$:

    v_{k+1} = v_k + dt · F(x_k),        x_{k+1} = x_k + dt · v_{k+1}.

Initially $x_i \sim N(0, I₃)$ and $v_i$ has norm 0.5 in a uniformly random direction; there
are no walls.  Frame $f$ is the state after ``100 f`` steps (frame 0 is the initial state);
its velocity is the one that moved the particles onto that frame's positions.  The task:
from positions, velocities and charges at frame 30, predict the positions at frame 40,
``horizon = 1000`` steps later.

This is the charged-particles simulation of Kipf et al. (2018, NRI) in 3-D without its box,
with the constants of the EGNN code (``vgsatorras/egnn``, ``n_body_system/dataset``).  EGNN's
stored frame $f$ is the state after $100 (f + 1)$ steps, 100 steps later than ours.
Without clipping the dynamics commute with every $(x, v) ↦ (Qx + t, Qv)$, $Q ∈ O(3)$, and
conserve total momentum; the component-wise clipping breaks both.  It acts only in close
encounters, yet in about half of the systems at some step before frame 40.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from gcnn.groups import random_orthogonal
from gcnn.validation import check_ints, is_int

__all__ = ["NBodySet", "NBody", "simulate_charged", "load_nbody"]

_POSITION_STD = 1.0
_SPEED = 0.5
_CLIP_TIMES_DT = 0.1  # each force component is clipped to ±0.1/dt
_DT = 0.001
_STEPS_PER_FRAME = 100
_INPUT_FRAME = 30
_TARGET_FRAME = 40


@dataclass(frozen=True)
class NBodySet:
    """S systems of n particles: inputs at one frame, target positions a fixed number of steps later.

    ``positions``, ``velocities`` and ``targets`` are ``(S, n, 3)``; ``charges`` is ``(S, n, 1)``
    with values $±1$.
    """

    positions: torch.Tensor
    velocities: torch.Tensor
    charges: torch.Tensor
    targets: torch.Tensor

    def __len__(self) -> int:
        return self.positions.shape[0]

    def subset(self, index: slice | torch.Tensor) -> NBodySet:
        """The systems picked by a slice, an index tensor or a boolean mask."""
        return NBodySet(self.positions[index], self.velocities[index], self.charges[index], self.targets[index])

    def transformed(self, rotation: torch.Tensor, translation: torch.Tensor) -> NBodySet:
        """The set moved by $x ↦ x Qᵀ + t$ (positions and targets) and $v ↦ v Qᵀ$.

        ``rotation`` is any orthogonal ``(3, 3)`` matrix $Q$ (reflections included);
        ``translation`` is one shift ``(3,)`` or one per system, ``(S, 3)`` or ``(S, 1, 3)``.
        """
        Q = _check_orthogonal(rotation).to(self.positions.dtype)
        t = _check_translation(translation, len(self)).to(self.positions.dtype)
        return NBodySet(
            positions=self.positions @ Q.T + t,
            velocities=self.velocities @ Q.T,
            charges=self.charges,
            targets=self.targets @ Q.T + t,
        )


@dataclass(frozen=True)
class NBody:
    """Train, validation and test systems, inputs at frame 30 and targets at frame 40.

    ``test_transformed`` is ``test.transformed(Q, t)`` with ``Q = random_orthogonal(3,
    generator=g)`` and then ``t = torch.randn(n_test, 1, 3, generator=g, dtype=torch.float64)``,
    for ``g = torch.Generator().manual_seed(seed)``: one rotation, a translation per system.
    ``test_paths[s, k]`` holds the positions ``(n, 3)`` of test system $s$ at frame $30 + k$,
    $k = 0…10$ (the true path from input to target).
    """

    train: NBodySet
    val: NBodySet
    test: NBodySet
    test_transformed: NBodySet
    test_paths: torch.Tensor
    dt: float
    horizon: int


def simulate_charged(
    n_systems: int,
    n_particles: int = 5,
    frames: int = 41,
    steps_per_frame: int = 100,
    dt: float = 0.001,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """positions (S, frames, n, 3), velocities (S, frames, n, 3), charges (S, n, 1)

    All float64; frame $f$ is the state after ``f · steps_per_frame`` steps.  The draws
    depend on ``n_systems``: the same ``(n_systems, n_particles, seed)`` gives the same systems.
    """
    check_ints(n_systems=n_systems, frames=frames, steps_per_frame=steps_per_frame)
    check_ints(minimum=2, n_particles=n_particles)
    if not isinstance(dt, (int, float)) or isinstance(dt, bool) or not 0 < dt < math.inf:
        raise ValueError(f"dt expects a positive number, got {dt!r}")
    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed expects an int >= 0, got {seed!r}")
    rng = np.random.default_rng(seed)
    charges = rng.choice([-1.0, 1.0], size=(n_systems, n_particles, 1))
    x = rng.normal(0.0, _POSITION_STD, size=(n_systems, n_particles, 3))
    v = rng.normal(size=(n_systems, n_particles, 3))
    v *= _SPEED / np.linalg.norm(v, axis=-1, keepdims=True)

    # Particle-major layout (n, 3, S): every operation below runs over all systems at once.
    x, v = np.ascontiguousarray(x.transpose(1, 2, 0)), np.ascontiguousarray(v.transpose(1, 2, 0))
    c = charges[:, :, 0].T
    pairs = [(i, j, c[i] * c[j]) for i in range(n_particles) for j in range(i + 1, n_particles)]
    max_force = _CLIP_TIMES_DT / dt
    positions = np.empty((frames, n_particles, 3, n_systems))
    velocities = np.empty_like(positions)
    positions[0], velocities[0] = x, v
    force = np.empty_like(x)
    for frame in range(1, frames):
        for _ in range(steps_per_frame):
            force.fill(0.0)
            for i, j, cc in pairs:
                d = x[i] - x[j]
                r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
                f = d * (cc / (r2 * np.sqrt(r2)))  # force of j on i; i pushes j by −f
                force[i] += f
                force[j] -= f
            np.clip(force, -max_force, max_force, out=force)
            v += dt * force
            x += dt * v
        positions[frame], velocities[frame] = x, v
    return positions.transpose(3, 0, 1, 2).copy(), velocities.transpose(3, 0, 1, 2).copy(), charges


def load_nbody(
    n_train: int = 3000,
    n_val: int = 2000,
    n_test: int = 2000,
    seed: int = 0,
    dtype: torch.dtype = torch.float32,
) -> NBody:
    """The EGNN charged N-body split: 3000 / 2000 / 2000 systems of 5 particles by default.

    The systems are ``simulate_charged(n_train + n_val + n_test, seed=seed)`` in that order:
    the first ``n_train`` are for training, the next ``n_val`` for validation, the rest for testing.
    """
    check_ints(n_train=n_train, n_val=n_val, n_test=n_test)
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise ValueError(f"dtype expects a floating-point torch.dtype, got {dtype!r}")
    positions, velocities, charges = simulate_charged(
        n_train + n_val + n_test, frames=_TARGET_FRAME + 1, steps_per_frame=_STEPS_PER_FRAME, dt=_DT, seed=seed
    )
    positions, velocities, charges = (torch.as_tensor(a, dtype=dtype) for a in (positions, velocities, charges))

    def split(systems: slice) -> NBodySet:
        return NBodySet(
            positions=positions[systems, _INPUT_FRAME],
            velocities=velocities[systems, _INPUT_FRAME],
            charges=charges[systems],
            targets=positions[systems, _TARGET_FRAME],
        )

    test_systems = slice(n_train + n_val, None)
    test = split(test_systems)
    generator = torch.Generator().manual_seed(seed)
    rotation = random_orthogonal(3, generator=generator)
    translation = torch.randn(n_test, 1, 3, generator=generator, dtype=torch.float64)
    return NBody(
        train=split(slice(0, n_train)),
        val=split(slice(n_train, n_train + n_val)),
        test=test,
        test_transformed=test.transformed(rotation, translation),
        test_paths=positions[test_systems, _INPUT_FRAME : _TARGET_FRAME + 1].clone(),
        dt=_DT,
        horizon=(_TARGET_FRAME - _INPUT_FRAME) * _STEPS_PER_FRAME,
    )


def _check_orthogonal(rotation: torch.Tensor) -> torch.Tensor:
    if not isinstance(rotation, torch.Tensor) or rotation.shape != (3, 3):
        got = tuple(rotation.shape) if isinstance(rotation, torch.Tensor) else type(rotation).__name__
        raise ValueError(f"rotation expects a (3, 3) tensor, got {got}")
    Q = rotation.to(torch.float64)
    error = (Q.T @ Q - torch.eye(3, dtype=torch.float64)).abs().max().item()
    if not error <= 1e-5:
        raise ValueError(f"rotation expects an orthogonal matrix (QᵀQ = I), got max |QᵀQ − I| = {error:.3g}")
    return rotation


def _check_translation(translation: torch.Tensor, n_systems: int) -> torch.Tensor:
    shapes = [(3,), (n_systems, 3), (n_systems, 1, 3)]
    if not isinstance(translation, torch.Tensor) or tuple(translation.shape) not in shapes:
        got = tuple(translation.shape) if isinstance(translation, torch.Tensor) else type(translation).__name__
        raise ValueError(f"translation expects shape (3,), (S, 3) or (S, 1, 3) with S = {n_systems}, got {got}")
    return translation.reshape(-1, 1, 3) if translation.dim() == 2 else translation
