"""Equivariance of maps between feature fields, as numbers.

    e(g) = max|Φ(g · x) − g · Φ(x)| / max|g · Φ(x)|,    [g · f](x) = ρ(g) f(g⁻¹x)

(``FieldType.act``; the absolute error where $g · Φ(x)$ vanishes).  ``gcnn.testing`` covers
images and group signals; this covers any ``FieldType``.
"""

from __future__ import annotations

from typing import Callable, Iterable

import torch

from gcnn.representations.base import Element, group_elements
from gcnn.steerable.field_type import FieldType

__all__ = ["field_equivariance_errors"]


def field_equivariance_errors(
    fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, in_type: FieldType, out_type: FieldType,
    elements: Iterable[Element] | None = None,
) -> dict:
    """``{g: e(g)}`` for each of ``elements`` (default: all of a finite group)."""
    if in_type.group != out_type.group:
        raise ValueError(f"expected field types of one group, got in_type of {in_type.group} "
                         f"and out_type of {out_type.group}")
    errors = {}
    with torch.no_grad():
        y = fn(x)
        for g in group_elements(in_type.group, elements, "field_equivariance_errors"):
            expected = out_type.act(g, y)
            diff = (fn(in_type.act(g, x)) - expected).abs().max().item()
            scale = expected.abs().max().item()
            errors[g] = diff / scale if scale > 0 else diff
    return errors
