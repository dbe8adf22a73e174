"""Features that are direct sums of O(3) irreps, and the two operations a steerable graph network needs.

A feature is a dict ``{l: (N, C_l, 2l + 1)}``: ``C_l`` channels of degree ``l``, transforming under
``R ∈ O(3)`` by the Wigner matrix ``D_l(R)`` of ``gcnn.representations.so3`` (with parity: ``D_l(−I) =
(−1)^l``, so every feature here is a true tensor; none is a pseudo-vector).

* ``O3TensorProduct``: a linear map of ``h`` *conditioned* on attributes ``a`` (spherical harmonics),

      out_l = Σ_{(l₁, l₂) → l} W_{l₁ l₂ l} · C_{l₁ l₂ l} (h_{l₁} ⊗ a_{l₂})  (+ b for l = 0),

  one channel-mixing matrix ``W`` per path, ``C`` the Clebsch–Gordan coefficients.  Only paths with
  ``l₁ + l₂ + l`` even are kept: those intertwine reflections too (``1 ⊗ 1 → 1``, the cross product,
  would make a pseudo-vector), so the map is exactly O(3)-equivariant.
* ``O3Gate``: the gated nonlinearity, ``SiLU`` on the scalars and each ``l > 0`` channel scaled by
  ``sigmoid`` of its own extra scalar.
"""

from __future__ import annotations

import math
from typing import Mapping

import torch
from torch import nn

from gcnn.representations.so3 import real_spherical_harmonics, so3_clebsch_gordan
from gcnn.validation import check_ints

__all__ = ["O3TensorProduct", "O3Gate", "spherical_attributes", "check_features"]

Features = dict[int, torch.Tensor]


def check_features(who: str, h: object, types: Mapping[int, int]) -> Features:
    """ValueError unless ``h`` is ``{l: (N, C_l, 2l + 1)}`` with the channels of ``types`` and one ``N``."""
    expected = ", ".join(f"{l}: (N, {c}, {2 * l + 1})" for l, c in sorted(types.items()))
    ok = isinstance(h, dict) and set(h) == set(types) and all(
        isinstance(h[l], torch.Tensor) and h[l].shape[1:] == (types[l], 2 * l + 1) for l in types)
    if ok and len({t.shape[0] for t in h.values()}) == 1:
        return h
    got = ({l: tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__ for l, t in h.items()}
           if isinstance(h, dict) else type(h).__name__)
    raise ValueError(f"{who} expects features {{{expected}}}, got {got}")


def spherical_attributes(vectors: torch.Tensor, max_degree: int) -> Features:
    """``{l: Y_l(v/|v|)}`` for ``l ≤ max_degree``, each ``(N, 1, 2l + 1)``; a zero vector gets zeros for ``l > 0``."""
    check_ints(minimum=0, max_degree=max_degree)
    norm = torch.linalg.vector_norm(vectors, dim=-1, keepdim=True)
    safe = torch.where(norm > 0, vectors, torch.ones_like(vectors))  # any direction; zeroed below
    attributes = {}
    for l in range(max_degree + 1):
        Y = real_spherical_harmonics(l, safe).to(vectors.dtype) * math.sqrt(4 * math.pi)  # |Y_l| = √(2l+1)
        attributes[l] = (Y * (norm > 0) if l > 0 else Y)[:, None, :]
    return attributes


class O3TensorProduct(nn.Module):
    """``O3TensorProduct(in_types, attr_degree, out_types)``: ``{l₁: C₁}`` features ⊗ attributes of degrees
    ``0 … attr_degree`` (one channel each) → ``{l: C}`` features, ``forward(h, a)`` (module docstring)."""

    def __init__(self, in_types: Mapping[int, int], attr_degree: int, out_types: Mapping[int, int]) -> None:
        super().__init__()
        for name, types in (("in_types", in_types), ("out_types", out_types)):
            if not isinstance(types, Mapping) or not types:
                raise ValueError(f"O3TensorProduct expects {name} as a non-empty {{degree: channels}}, got {types!r}")
            for l, c in types.items():
                check_ints(minimum=0, degree=l)
                check_ints(channels=c)
        check_ints(minimum=0, attr_degree=attr_degree)
        self.in_types, self.out_types, self.attr_degree = dict(in_types), dict(out_types), attr_degree
        self.paths = [(l1, l2, l) for l in sorted(out_types) for l1 in sorted(in_types)
                      for l2 in range(attr_degree + 1) if abs(l1 - l2) <= l <= l1 + l2 and (l1 + l2 + l) % 2 == 0]
        missing = [l for l in out_types if not any(p[2] == l for p in self.paths)]
        if missing:
            raise ValueError(f"O3TensorProduct cannot reach output degrees {missing} from {sorted(in_types)} "
                             f"⊗ attributes up to {attr_degree}")
        fan_in = {l: sum(in_types[p[0]] for p in self.paths if p[2] == l) for l in out_types}
        self.weights = nn.ParameterList()
        for index, (l1, l2, l) in enumerate(self.paths):
            self.register_buffer(f"cg{index}", so3_clebsch_gordan(l1, l2, l) * math.sqrt(2 * l + 1), persistent=False)
            w = torch.randn(out_types[l], in_types[l1]) / math.sqrt(fan_in[l])
            self.weights.append(nn.Parameter(w))
        self.bias = nn.Parameter(torch.zeros(out_types[0])) if 0 in out_types else None

    def forward(self, h: Features, a: Features) -> Features:
        h = check_features("O3TensorProduct (h)", h, self.in_types)
        a = check_features("O3TensorProduct (a)", a, {l: 1 for l in range(self.attr_degree + 1)})
        out: Features = {}
        for index, ((l1, l2, l), weight) in enumerate(zip(self.paths, self.weights)):
            C = getattr(self, f"cg{index}").to(h[l1].dtype)
            coupled = torch.einsum("kij,nci,nj->nck", C, h[l1], a[l2][:, 0])
            term = torch.einsum("oc,nck->nok", weight, coupled)
            out[l] = out[l] + term if l in out else term
        if self.bias is not None:
            out[0] = out[0] + self.bias[None, :, None]
        return out

    def extra_repr(self) -> str:
        return f"in={self.in_types}, attr_degree={self.attr_degree}, out={self.out_types}, paths={len(self.paths)}"


class O3Gate(nn.Module):
    """``O3Gate(types)``: input ``types`` plus one extra scalar per ``l > 0`` channel (appended to degree 0),
    output ``types``: ``SiLU`` on the scalars, ``h_l ↦ sigmoid(g) h_l`` channel by channel."""

    def __init__(self, types: Mapping[int, int]) -> None:
        super().__init__()
        self.types = dict(types)
        self.gates = sum(c for l, c in self.types.items() if l > 0)
        self.in_types = {**self.types, 0: self.types.get(0, 0) + self.gates}

    def forward(self, h: Features) -> Features:
        h = check_features("O3Gate", h, self.in_types)
        scalars, gates = h[0][:, :self.types.get(0, 0)], torch.sigmoid(h[0][:, self.types.get(0, 0):])
        out: Features = {0: nn.functional.silu(scalars)} if 0 in self.types else {}
        start = 0
        for l in sorted(l for l in self.types if l > 0):
            out[l] = h[l] * gates[:, start:start + self.types[l]]
            start += self.types[l]
        return out
