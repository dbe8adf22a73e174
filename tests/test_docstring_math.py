"""Docstring math on the API pages: bare operator names become upright operators, nothing else changes."""
from __future__ import annotations

import pytest

from site_hooks.docstring_math import upright, upright_operator_names


@pytest.mark.parametrize("tex, expected", [
    ("x = (sin θ cos φ)", r"x = (\operatorname{sin} θ \operatorname{cos} φ)"),
    ("χ(g) = tr ρ(g)", r"χ(g) = \operatorname{tr} ρ(g)"),
    ("(n − k) mod s = 0", r"(n − k) \bmod  s = 0"),
    ("c = dim End_G(ψ)", r"c = \operatorname{dim} \operatorname{End}_G(ψ)"),
    (r"\sin x + \operatorname{tr} A", r"\sin x + \operatorname{tr} A"),  # already TeX: kept
    ("sinh x + cosmic + E_{tr} + max_frequency", r"sinh x + cosmic + E_{tr} + \operatorname{max}_frequency"),
])
def test_operator_names_are_set_upright(tex, expected):
    assert upright(tex) == expected


def test_only_inline_math_of_the_page_changes():
    html = ('<p>The max of <code>sin</code>: <span class="arithmatex">\\(max |sin x|\\)</span>, '
            '<span class="arithmatex">\\(a &lt; tr B\\)</span></p>')
    assert upright_operator_names(html) == (
        '<p>The max of <code>sin</code>: <span class="arithmatex">\\(\\operatorname{max} |\\operatorname{sin} x|\\)'
        '</span>, <span class="arithmatex">\\(a &lt; \\operatorname{tr} B\\)</span></p>')
