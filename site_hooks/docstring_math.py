"""Docstring math on the API pages: function names set upright, as TeX sets `\\sin`.

Docstrings write their equations in Unicode so that `help()` reads well: `$x = (sin θ cos φ, …)$`,
`$χ(g) = tr ρ(g)$`. TeX would set `sin` as three italic variables and drop the space after it
(`sinθcosφ`); on the API pages each bare operator name inside math becomes `\\operatorname{sin}`
(`mod` becomes `\\bmod`) before KaTeX typesets it. The docstrings themselves stay free of backslashes.
"""
from __future__ import annotations

import re

OPERATORS = ("sin", "cos", "tan", "exp", "log", "det", "tr", "diag", "dim", "max", "min", "arg", "sign", "ker",
             "span", "vec", "End", "mod")
INLINE_MATH = re.compile(r'(<span class="arithmatex">\\\()(.*?)(\\\)</span>)', re.S)
OPERATOR = re.compile(r"(?<![\\A-Za-z{])(" + "|".join(OPERATORS) + r")(?![A-Za-z])")  # not `\sin`, `{tr}`


def upright(tex: str) -> str:
    """`tex` with every bare operator name as an upright operator."""
    return OPERATOR.sub(lambda m: r"\bmod " if m.group(1) == "mod" else rf"\operatorname{{{m.group(1)}}}", tex)


def upright_operator_names(html: str) -> str:
    """The inline math of a rendered API page with its operator names upright."""
    return INLINE_MATH.sub(lambda m: m.group(1) + upright(m.group(2)) + m.group(3), html)
