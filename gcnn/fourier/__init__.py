"""Harmonic analysis on C_n, D_n, SO(2) and O(2) with real irreps.

* ``transform``: $f̂(ψ) = E_g[f(g) ψ(g)]$ and $f(g) = Σ_ψ m_ψ tr(f̂(ψ)ᵀ ψ(g))$;
* ``regular``: $ρ_{reg}(g) = Qᵀ (⊕_ψ ψ(g)^{⊕ m_ψ}) Q$ (real Peter–Weyl);
* ``checks``: inversion, Parseval and the shift theorem as numbers.
"""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn.fourier.checks import inversion_error, parseval_error, shift_signal, shift_theorem_error
    from gcnn.fourier.regular import regular_decomposition
    from gcnn.fourier.transform import band_limit, fourier_transform, inverse_fourier_transform, signal_elements

__all__ = [
    "fourier_transform",
    "inverse_fourier_transform",
    "signal_elements",
    "band_limit",
    "regular_decomposition",
    "inversion_error",
    "parseval_error",
    "shift_signal",
    "shift_theorem_error",
]

lazy_package(__name__)
