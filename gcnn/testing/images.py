"""Equivariance checks for maps on images and group signals.

A map $Φ$ is equivariant when $Φ(g · x) = g · Φ(x)$.  The error reported
for an element (or angle) $g$ is relative:

    e(g) = max|Φ(g·x) − g·Φ(x)| / max|g·Φ(x)|

(the absolute error where $g·Φ(x)$ vanishes).  How $g$ acts on a tensor is
named by a *kind*:

* ``"plane"``: images ``(..., H, W)``, moved by ``group.act_on_image``;
* ``"group"``: group signals ``(..., |G|, H, W)``, moved by ``group.act_on_group_signal``;
* ``"invariant"``: $g$ does nothing.

Rotations by angles that are not multiples of 90° resample the image, and the
corners of a square leave the frame.  With ``disk=True`` the input is first
restricted to the centred disk inscribed in the frame (so no content is lost),
and plane or group outputs are compared only inside the disk inscribed in
their own frame.
"""

from __future__ import annotations

from typing import Callable, Iterable, Literal

import torch

from gcnn.groups.finite import FiniteGroup
from gcnn.groups.images import rotate_image

__all__ = ["equivariance_errors", "assert_equivariant", "rotation_errors", "centred_disk"]

Kind = Literal["plane", "group", "invariant"]
KINDS: tuple[str, ...] = ("plane", "group", "invariant")
DEFAULT_TOLERANCE = {torch.float64: 1e-12, torch.float32: 1e-6}
Action = Callable[[torch.Tensor], torch.Tensor]


def equivariance_errors(
    fn: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    group: FiniteGroup,
    input: Kind = "plane",
    output: Kind = "group",
    elements: Iterable[int] | None = None,
    disk: bool = False,
) -> dict[int, float]:
    """Relative error $e(g) = max|Φ(g·x) − g·Φ(x)| / max|g·Φ(x)|$ for each element
    (default: all of ``group``)."""
    actions = _group_actions(group, input, output, elements)
    deviations = _deviations(fn, x, actions, disk, output != "invariant")
    return {g: _relative(diff, scale) for g, (diff, scale) in deviations.items()}


def assert_equivariant(
    fn: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    group: FiniteGroup,
    input: Kind = "plane",
    output: Kind = "group",
    atol: float | None = None,
    rtol: float | None = None,
    elements: Iterable[int] | None = None,
) -> None:
    """Assert ``max|Φ(g·x) − g·Φ(x)| ≤ atol + rtol · max|g·Φ(x)|`` for each element
    (default: all of ``group``).

    ``atol`` and ``rtol`` default to 1e-12 for float64 inputs and 1e-6 for float32.
    """
    if atol is None or rtol is None:
        if x.dtype not in DEFAULT_TOLERANCE:
            raise ValueError(
                "no default tolerance for dtype "
                f"{x.dtype}; expected float32 or float64, or pass atol and rtol"
            )
        atol = DEFAULT_TOLERANCE[x.dtype] if atol is None else atol
        rtol = DEFAULT_TOLERANCE[x.dtype] if rtol is None else rtol
    deviations = _deviations(fn, x, _group_actions(group, input, output, elements), False, False)
    if all(diff <= atol + rtol * scale for diff, scale in deviations.values()):
        return
    lines = [
        f"  g={g}: max abs error {diff:.3e}, relative {_relative(diff, scale):.3e}"
        for g, (diff, scale) in deviations.items()
    ]
    raise AssertionError(
        f"not equivariant under {group!r} ({input} -> {output}, "
        f"atol={atol:g}, rtol={rtol:g}):\n" + "\n".join(lines)
    )


def rotation_errors(
    fn: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    angles: Iterable[float],
    output: Literal["plane", "invariant"] = "plane",
    disk: bool = True,
) -> dict[float, float]:
    """Relative error $e(θ) = max|Φ(R_θ x) − R_θ Φ(x)| / max|R_θ Φ(x)|$ for any angles
    (radians), with ``R_θ = rotate_image(·, θ)`` on images ``x``.

    Measures how far a map on images is from rotation equivariance (``"plane"``
    outputs) or invariance (``"invariant"``), also between the angles of its
    group.  Group-signal outputs have no action at off-group angles: measure
    them with ``equivariance_errors`` at the group's elements, or pool them
    over the group axis first.  ``disk`` restricts the comparison to inscribed
    disks (see the module docstring).
    """
    if output not in ("plane", "invariant"):
        raise ValueError(
            f"rotation_errors expects output 'plane' or 'invariant', got {output!r}; "
            "group signals only move under their own group: use equivariance_errors"
        )
    identity: Action = lambda t: t  # noqa: E731
    transforms = {}
    for angle in angles:
        turn: Action = lambda t, a=angle: rotate_image(t, a)  # noqa: E731
        transforms[angle] = (turn, turn if output == "plane" else identity)
    deviations = _deviations(fn, x, transforms, disk, output == "plane")
    return {angle: _relative(diff, scale) for angle, (diff, scale) in deviations.items()}


def centred_disk(x: torch.Tensor) -> torch.Tensor:
    """``x`` times the indicator of the disk inscribed in its frame:
    $|p| ≤ (min(H, W) − 1)/2$ for pixel centres $p$ measured from the image centre."""
    height, width = x.shape[-2:]
    rows = torch.arange(height, dtype=torch.float64, device=x.device) - (height - 1) / 2
    cols = torch.arange(width, dtype=torch.float64, device=x.device) - (width - 1) / 2
    radius = (min(height, width) - 1) / 2
    inside = rows[:, None] ** 2 + cols[None, :] ** 2 <= radius**2 + 1e-9
    return x * inside.to(x.dtype)


def _group_actions(
    group: FiniteGroup, input: str, output: str, elements: Iterable[int] | None
) -> dict[int, tuple[Action, Action]]:
    for name, kind in [("input", input), ("output", output)]:
        if kind not in KINDS:
            raise ValueError(f"{name} expects one of {KINDS}, got {kind!r}")
    chosen = group.elements() if elements is None else elements
    return {g: (_action(group, input, g), _action(group, output, g)) for g in chosen}


def _action(group: FiniteGroup, kind: str, g: int) -> Action:
    if kind == "plane":
        return lambda t: group.act_on_image(g, t)
    if kind == "group":
        return lambda t: group.act_on_group_signal(g, t)
    return lambda t: t


def _deviations(
    fn: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    transforms: dict,
    disk: bool,
    crop_output: bool,
) -> dict:
    """$(max|Φ(g·x) − g·Φ(x)|, max|g·Φ(x)|)$ for each ``g: (act on input, act on output)``;
    with ``disk``, the input and (if ``crop_output``) both outputs are cut to inscribed disks."""
    crop = centred_disk if disk else (lambda t: t)
    result = {}
    with torch.no_grad():
        x = crop(x)
        y = fn(x)
        for g, (act_in, act_out) in transforms.items():
            moved_first = fn(act_in(x))
            moved_after = act_out(y)
            if moved_first.shape != moved_after.shape:
                raise ValueError(
                    f"shape mismatch at g={g}: fn(g·x) has shape "
                    f"{tuple(moved_first.shape)}, g·fn(x) has {tuple(moved_after.shape)}"
                )
            if disk and crop_output:
                moved_first, moved_after = crop(moved_first), crop(moved_after)
            diff = (moved_first - moved_after).abs().max().item()
            result[g] = (diff, moved_after.abs().max().item())
    return result


def _relative(diff: float, scale: float) -> float:
    return diff / scale if scale > 0 else diff
