"""Commutative diagrams (tikzcd, drawn at build time) in Chromium, in both colour schemes and on a phone."""
from __future__ import annotations

import pytest

from test_browser import DESKTOP, PHONE, browser, open_page, site_url  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

DIAGRAM_STATE = """() => [...document.querySelectorAll('.tikzcd svg')].map(svg => {
    const box = svg.getBoundingClientRect();
    const text = getComputedStyle(svg.closest('.md-typeset')).color;
    const painted = [...svg.querySelectorAll('path, line, polyline')].map(e => getComputedStyle(e).stroke !== 'none'
        ? getComputedStyle(e).stroke : getComputedStyle(e).fill);
    return {width: box.width, height: box.height, right: box.right, color: getComputedStyle(svg).color, text,
            painted: [...new Set(painted)], label: svg.getAttribute('aria-label')};
})"""


def luminance(css: str) -> float:
    r, g, b = (int(x) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_commutative_diagrams_render_in_both_schemes(open_page, scheme, viewport):
    page, recorder = open_page("/introduction/", viewport=viewport, color_scheme=scheme)
    diagrams = page.evaluate(DIAGRAM_STATE)
    assert len(diagrams) >= 3, diagrams  # the invariance triangle, the equivariance square, the shift square
    for diagram in diagrams:
        assert diagram["width"] > 40 and diagram["height"] > 30, diagram
        assert diagram["right"] <= viewport["width"] + 1, f"diagram overflows the screen: {diagram}"
        assert diagram["color"] == diagram["text"], diagram  # currentColor: the ink is the text's colour
        ink = [c for c in diagram["painted"] if c.startswith("rgb")]
        assert ink and all(c == diagram["text"] for c in ink), diagram
        assert (luminance(diagram["text"]) > 0.5) == (scheme == "dark"), diagram
    labels = [d["label"] for d in diagrams]
    assert any("→" in label and "y" in label for label in labels), labels
    triangle = next(d for d in diagrams if "y(x)" in d["label"])
    assert triangle["label"].count("→") == 3  # two sides and the diagonal
    recorder.assert_clean()
