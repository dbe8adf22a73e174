"""Numerical equivariance checks, shared by the test suite and the figures.

A map ``Φ`` is equivariant when ``Φ(g · x) = g · Φ(x)`` for every group element
``g``.  How ``g`` acts on a tensor is named by a *kind*:

* ``"plane"``: images ``(B, C, H, W)``, rotated by ``act_on_image``;
* ``"group"``: group signals ``(B, C, |G|, H, W)``, moved by ``act_on_group_signal``;
* ``"invariant"``: ``g`` does nothing.
"""

from __future__ import annotations

from typing import Callable, Literal

import torch

from gcnn.groups import CyclicGroup

__all__ = ["equivariance_errors", "assert_equivariant"]

Kind = Literal["plane", "group", "invariant"]
KINDS: tuple[str, ...] = ("plane", "group", "invariant")
DEFAULT_TOLERANCE = {torch.float64: 1e-12, torch.float32: 1e-6}


def equivariance_errors(
    fn: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    group: CyclicGroup,
    input: Kind = "plane",
    output: Kind = "group",
) -> dict[int, float]:
    """Relative error per element: ``e(g) = max|Φ(g·x) − g·Φ(x)| / max|g·Φ(x)|``.

    Where ``g·Φ(x)`` is zero everywhere, the absolute error is returned instead.
    """
    return {
        g: diff / scale if scale > 0 else diff
        for g, (diff, scale) in _deviations(fn, x, group, input, output).items()
    }


def assert_equivariant(
    fn: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    group: CyclicGroup,
    input: Kind = "plane",
    output: Kind = "group",
    atol: float | None = None,
    rtol: float | None = None,
) -> None:
    """Assert ``max|Φ(g·x) − g·Φ(x)| ≤ atol + rtol · max|g·Φ(x)|`` for every ``g``.

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
    deviations = _deviations(fn, x, group, input, output)
    if all(diff <= atol + rtol * scale for diff, scale in deviations.values()):
        return
    lines = [
        f"  g={g}: max abs error {diff:.3e}, relative {diff / scale if scale else diff:.3e}"
        for g, (diff, scale) in deviations.items()
    ]
    raise AssertionError(
        f"not equivariant under {group!r} ({input} -> {output}, "
        f"atol={atol:g}, rtol={rtol:g}):\n" + "\n".join(lines)
    )


def _deviations(
    fn: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    group: CyclicGroup,
    input: str,
    output: str,
) -> dict[int, tuple[float, float]]:
    """``(max|Φ(g·x) − g·Φ(x)|, max|g·Φ(x)|)`` for every ``g``."""
    for name, kind in [("input", input), ("output", output)]:
        if kind not in KINDS:
            raise ValueError(f"{name} expects one of {KINDS}, got {kind!r}")
    result = {}
    with torch.no_grad():
        y = fn(x)
        for g in group.elements():
            moved_first = fn(_act(group, input, g, x))
            moved_after = _act(group, output, g, y)
            if moved_first.shape != moved_after.shape:
                raise ValueError(
                    f"shape mismatch at g={g}: fn(g·x) has shape "
                    f"{tuple(moved_first.shape)}, g·fn(x) has {tuple(moved_after.shape)}"
                )
            diff = (moved_first - moved_after).abs().max().item()
            result[g] = (diff, moved_after.abs().max().item())
    return result


def _act(group: CyclicGroup, kind: str, g: int, t: torch.Tensor) -> torch.Tensor:
    if kind == "plane":
        return group.act_on_image(g, t)
    if kind == "group":
        return group.act_on_group_signal(g, t)
    return t
