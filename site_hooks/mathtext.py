"""TeX → plain text, for the places where math cannot be typeset.

The browser tab title, the search index and the page description show `\\(G\\)-CNN`
as `G-CNN`: delimiters go, `\\alpha` becomes `α`, `\\mathbb{R}` becomes `ℝ`, braces and
sub/superscript markers vanish. It is a readable approximation, not a TeX engine.
"""
from __future__ import annotations

import re

SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "times": "×", "cdot": "·", "circ": "∘", "in": "∈",
    "to": "→", "mapsto": "↦", "rtimes": "⋊", "oplus": "⊕", "otimes": "⊗", "star": "⋆",
    "int": "∫", "sum": "∑", "leq": "≤", "geq": "≥", "neq": "≠", "approx": "≈", "cong": "≅",
    "infty": "∞", "partial": "∂", "nabla": "∇", "ldots": "…", "dots": "…", "cdots": "⋯",
}
DOUBLE_STRUCK = {"R": "ℝ", "Z": "ℤ", "C": "ℂ", "N": "ℕ", "Q": "ℚ"}
MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]|\$\$(.+?)\$\$|\$(.+?)\$", re.S)


def tex_to_text(text: str) -> str:
    """Replace every math span in `text` by a plain-text reading of it."""
    return MATH.sub(lambda m: _plain(next(g for g in m.groups() if g is not None)), text)


def _plain(tex: str) -> str:
    tex = re.sub(r"\\mathbb\s*\{?\s*([A-Z])\s*\}?", lambda m: DOUBLE_STRUCK.get(m.group(1), m.group(1)), tex)
    tex = re.sub(r"\\(?:mathrm|mathbf|mathit|mathcal|text|operatorname)\s*\{([^{}]*)\}", r"\1", tex)
    tex = re.sub(r"\\([A-Za-z]+)", lambda m: SYMBOLS.get(m.group(1), m.group(1)), tex)
    tex = re.sub(r"\\[,;:! ]", " ", tex)
    tex = tex.replace("{", "").replace("}", "").replace("^", "").replace("_", "")
    return re.sub(r"\s+", " ", tex).strip()
