"""Small multilayer perceptrons: ``Linear → SiLU → Linear [→ SiLU]``."""

from __future__ import annotations

from torch import nn

__all__ = ["mlp"]


def mlp(in_features: int, hidden: int, out_features: int, last_activation: bool = False, bias: bool = True) -> nn.Sequential:
    """$x ↦ W₂ σ(W₁ x + b₁) + b₂$ with ``σ = SiLU`` (and $σ$ once more if ``last_activation``)."""
    layers: list[nn.Module] = [nn.Linear(in_features, hidden), nn.SiLU(), nn.Linear(hidden, out_features, bias=bias)]
    if last_activation:
        layers.append(nn.SiLU())
    return nn.Sequential(*layers)
