r"""Features that are direct sums of O(3) irreps, and the two operations a steerable graph network needs.

A feature is a dict ``{l: (N, C_l, 2l + 1)}``: $C_l$ channels of degree $l$, transforming under
$R ∈ O(3)$ by the Wigner matrix $D_l(R)$ of ``gcnn.representations.so3`` (with parity: $D_l(−I) =
(−1)^l$, so every feature here is a true tensor; none is a pseudo-vector).

* ``O3TensorProduct``: a linear map of $h$ *conditioned* on attributes $a$ (spherical harmonics),

      out_l = Σ_{(l₁, l₂) → l} W_{l₁ l₂ l} · C_{l₁ l₂ l} (h_{l₁} ⊗ a_{l₂})  (+ b for l = 0),

  one channel-mixing matrix $W$ per path, $C$ the Clebsch–Gordan coefficients.  Only paths with
  $l₁ + l₂ + l$ even are kept: those intertwine reflections too ($1 ⊗ 1 → 1$, the cross product,
  would make a pseudo-vector), so the map is exactly O(3)-equivariant.
* ``O3Gate``: the gated nonlinearity, ``SiLU`` on the scalars and each $l > 0$ channel scaled by
  ``sigmoid`` of its own extra scalar.
* ``O3Norm``: $h_l ↦ γ_l ⊙ h_l / \sqrt{mean_{c,m} h_{l,cm}² + ε}$ degree by degree (an RMS norm; norms
  are invariant, so it commutes with every $D_l(R)$).
"""

from __future__ import annotations

import math
from typing import Mapping

import torch
from torch import nn

from gcnn.representations.so3 import real_spherical_harmonics, so3_clebsch_gordan
from gcnn.validation import check_ints

__all__ = ["O3TensorProduct", "O3Gate", "O3Norm", "spherical_attributes", "check_features"]

Features = dict[int, torch.Tensor]


def check_features(who: str, h: object, types: Mapping[int, int]) -> Features:
    """ValueError unless ``h`` is ``{l: (N, C_l, 2l + 1)}`` with the channels of ``types`` and one $N$."""
    expected = ", ".join(f"{l}: (N, {c}, {2 * l + 1})" for l, c in sorted(types.items()))
    ok = isinstance(h, dict) and set(h) == set(types) and all(
        isinstance(h[l], torch.Tensor) and h[l].shape[1:] == (types[l], 2 * l + 1) for l in types)
    if ok and len({t.shape[0] for t in h.values()}) == 1:
        return h
    got = ({l: tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__ for l, t in h.items()}
           if isinstance(h, dict) else type(h).__name__)
    raise ValueError(f"{who} expects features {{{expected}}}, got {got}")


def spherical_attributes(vectors: torch.Tensor, max_degree: int) -> Features:
    """``{l: Y_l(v/|v|)}`` for ``l ≤ max_degree``, each ``(N, 1, 2l + 1)`` scaled to unit norm ($Y_0 = 1$,
    $Y_1 = (y, z, x)/|v|$); a zero vector gets zeros for $l > 0$."""
    check_ints(minimum=0, max_degree=max_degree)
    norm = torch.linalg.vector_norm(vectors, dim=-1, keepdim=True)
    safe = torch.where(norm > 0, vectors, torch.ones_like(vectors))  # any direction; zeroed below
    attributes = {}
    for l in range(max_degree + 1):
        Y = real_spherical_harmonics(l, safe).to(vectors.dtype) * math.sqrt(4 * math.pi / (2 * l + 1))  # |Y_l| = 1
        attributes[l] = (Y * (norm > 0) if l > 0 else Y)[:, None, :]
    return attributes


class O3TensorProduct(nn.Module):
    """``O3TensorProduct(in_types, attr_degree, out_types)``: ``{l₁: C₁}`` features ⊗ attributes of degrees
    ``0 … attr_degree`` (one channel each) → ``{l: C}`` features, ``forward(h, a)`` (module docstring).

    Computed in two matrix products: for each $l₁$ one product with the stacked Clebsch–Gordan
    coefficients of all its paths ($h_{l₁} ⊗ a$ flattened), then for each $l$ one channel mixing
    ``W_l = [W_{l₁ l₂ l}]_{paths → l}``, the path weights side by side (``path_weight`` slices them)."""

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
        attr_dim = (attr_degree + 1) ** 2  # the attributes of degrees 0 … L side by side
        self._columns: dict[tuple[int, int, int], slice] = {}  # path → its columns in the coupled h_{l₁}
        for l1 in sorted(in_types):
            outgoing = [p for p in self.paths if p[0] == l1]
            stacked = torch.zeros(2 * l1 + 1, attr_dim, sum(2 * l + 1 for *_, l in outgoing), dtype=torch.float64)
            column = 0
            for path in outgoing:
                _, l2, l = path
                C = so3_clebsch_gordan(l1, l2, l) * math.sqrt(2 * l + 1)  # (2l + 1, 2l₁ + 1, 2l₂ + 1)
                stacked[:, l2**2:(l2 + 1) ** 2, column:column + 2 * l + 1] = C.permute(1, 2, 0)
                self._columns[path] = slice(column, column + 2 * l + 1)
                column += 2 * l + 1
            self.register_buffer(f"cg{l1}", stacked, persistent=False)
        self.weights = nn.ParameterDict()
        for l in sorted(out_types):
            fan_in = sum(in_types[l1] for l1, _, k in self.paths if k == l)
            self.weights[str(l)] = nn.Parameter(torch.randn(out_types[l], fan_in) / math.sqrt(fan_in))
        self.bias = nn.Parameter(torch.zeros(out_types[0])) if 0 in out_types else None

    def path_weight(self, path: tuple[int, int, int]) -> torch.Tensor:
        """$W_{l₁ l₂ l}$ ``(C_l, C_{l₁})``: the columns of $W_l$ that belong to ``path``."""
        if path not in self._columns:
            raise ValueError(f"expected a path of {self.paths}, got {path!r}")
        l = path[2]
        start = sum(self.in_types[p[0]] for p in self.paths[:self.paths.index(path)] if p[2] == l)
        return self.weights[str(l)][:, start:start + self.in_types[path[0]]]

    def forward(self, h: Features, a: Features) -> Features:
        h = check_features("O3TensorProduct (h)", h, self.in_types)
        a = check_features("O3TensorProduct (a)", a, {l: 1 for l in range(self.attr_degree + 1)})
        attributes = torch.cat([a[l2][:, 0] for l2 in range(self.attr_degree + 1)], dim=1)  # (N, (L + 1)²)
        n = attributes.shape[0]
        coupled = {}
        for l1, t in h.items():  # M(a) = Σ_j a_j C[:, j, :] (N, 2l₁ + 1, P), then h_{l₁}ᵀ M(a): (N, P, C₁)
            stacked = getattr(self, f"cg{l1}").to(t.dtype)  # (2l₁ + 1, (L + 1)², P)
            M = (attributes @ stacked.transpose(0, 1).flatten(1)).view(n, 2 * l1 + 1, -1)
            coupled[l1] = sum(M[:, i, :, None] * t[:, None, :, i] for i in range(2 * l1 + 1))  # beats bmm here
        out: Features = {}
        for l in sorted(self.out_types):
            stacked = torch.cat([coupled[l1][:, self._columns[(l1, l2, k)]] for l1, l2, k in self.paths if k == l],
                                dim=2)  # (N, 2l + 1, Σ C₁)
            out[l] = (stacked @ self.weights[str(l)].T).transpose(1, 2)
        if self.bias is not None:
            out[0] = out[0] + self.bias[None, :, None]
        return out

    def extra_repr(self) -> str:
        return f"in={self.in_types}, attr_degree={self.attr_degree}, out={self.out_types}, paths={len(self.paths)}"


class O3Gate(nn.Module):
    """``O3Gate(types)``: input ``types`` plus one extra scalar per $l > 0$ channel (appended to degree 0),
    output ``types``: ``SiLU`` on the scalars, $h_l ↦ sigmoid(g) h_l$ channel by channel."""

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


class O3Norm(nn.Module):
    """``O3Norm(types, eps=1e-6)``: the RMS norm of each degree, one learned gain per channel (module docstring)."""

    def __init__(self, types: Mapping[int, int], eps: float = 1e-6) -> None:
        super().__init__()
        self.types, self.eps = dict(types), eps
        self.gains = nn.ParameterDict({str(l): nn.Parameter(torch.ones(c, 1)) for l, c in self.types.items()})

    def forward(self, h: Features) -> Features:
        h = check_features("O3Norm", h, self.types)
        return {l: self.gains[str(l)] * t / torch.sqrt(t.pow(2).mean(dim=(1, 2), keepdim=True) + self.eps)
                for l, t in h.items()}
