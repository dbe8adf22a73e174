"""tikz-cd commutative diagrams → inline SVG at build time (KaTeX cannot draw them).

`tikzcd_svg(tex, warn)` parses one `\\begin{tikzcd}…\\end{tikzcd}` (see `tikzcd_parse`), typesets
node and label math with matplotlib's mathtext in Computer Modern (so the bounding boxes are known
here), centres the nodes on a grid, clips every arrow to the boxes of its end nodes and draws
arrowheads as paths. Everything is `currentColor`, so the diagram follows the colour scheme.
"""
from __future__ import annotations

import hashlib
import html
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.textpath import TextPath

from site_hooks.franklin.tikzcd_parse import Arrow, Diagram, Label, TikzcdError, Warn, contains_tikzcd, parse
from site_hooks.mathtext import tex_to_text

__all__ = ["TikzcdError", "contains_tikzcd", "tikzcd_svg"]

# Lengths in SVG units: EM units are 1 em of node math.
EM = 10.0
KATEX_SCALE = 1.21          # KaTeX sets display math at 1.21em of the surrounding text
LABEL_SIZE = 0.7 * EM       # labels in \scriptstyle
AXIS = 0.25 * EM            # the math axis above the baseline: where horizontal arrows run
CAP = 0.68 * EM             # node boxes reach at least cap height, so `a` and `A` end arrows alike
GAP = 0.3 * EM              # between a node's ink and the end of an arrow
LABEL_GAP = 0.2 * EM        # between an arrow and its label's ink
LINE = 0.4                  # rule thickness, 0.04em
HEAD_LENGTH, HEAD_HALF = 0.28 * EM, 0.2 * EM
DOUBLE_HALF = 0.12 * EM     # half the distance between the lines of `equal` and `Rightarrow`
SHIFT = 0.24 * EM           # shift left=1
HOLE = (0.1 * EM, 0.06 * EM)  # margin of the gap that a description label cuts into its arrow
MARGIN = 0.2 * EM
MIN_SCALE = 0.6             # phones may shrink a diagram to this much of its size, then it scrolls

REWRITES = [(re.compile(pattern), replacement) for pattern, replacement in (
    (r"\\[lr]?vert(?![A-Za-z])", "|"), (r"\\[lr]?Vert(?![A-Za-z])", r"\\|"),
    (r"\\[bB]igg?[lrm]?(?![A-Za-z])", ""), (r"\\(?:display|text|script|scriptscript)style(?![A-Za-z])", ""),
    (r"\\(?:textrm|textnormal|textup|mbox)(?![A-Za-z])", r"\\text"), (r"\\textbf(?![A-Za-z])", r"\\mathbf"),
    (r"\\textit(?![A-Za-z])", r"\\mathit"), (r"\\textsf(?![A-Za-z])", r"\\mathsf"),
    (r"\\texttt(?![A-Za-z])", r"\\mathtt"), (r"\\operatorname\*", r"\\operatorname"),
    (r"\\(?:bm|pmb)(?![A-Za-z])", r"\\boldsymbol"), (r"\\mathbbm(?![A-Za-z])", r"\\mathbb"),
    (r"\\Bbbk(?![A-Za-z])", r"\\mathbb{k}"), (r"\\[dt]frac(?![A-Za-z])", r"\\frac"),
    (r"\\coloneqq(?![A-Za-z])", ":="), (r"\\lnot(?![A-Za-z])", r"\\neg"),
    (r"\\stackrel(?![A-Za-z])", r"\\overset"), (r"\\math(?:bin|rel|op|ord|open|close)(?![A-Za-z])", ""),
    (r"\\hphantom(?![A-Za-z])", r"\\phantom"), (r"\\vphantom\s*\{[^{}]*\}", ""),
    # mathtext hangs the subscript of `L'_g` after the prime; TeX puts it under the prime
    (r"('+)_(\{[^{}]*\}|\\[A-Za-z]+|[^\s{}\\])", r"_\2\1"),
    # mathtext adds no italic correction: the `)` of `(V)` would touch the V
    (r"(?<![\\A-Za-z])([A-Z])(?=\s*[)\]|])", r"\1\\hspace{0.12}"),
)]
BLANK = re.compile(r"\\(?:[,;:! ]|q?quad(?![A-Za-z])|phantom\s*\{[^{}]*\})|[{}\s~]")
ARROW_WORDS = {"equal": "=", "double": "⇒", "hook": "↪", "hook'": "↪", "two heads": "↠", "tail": "↣",
               "mapsto": "↦", "none": "—"}


@dataclass(frozen=True)
class Glyphs:
    """Typeset math: an SVG path with its origin on the baseline, and its ink box (y down)."""
    d: str
    x0: float
    x1: float
    y0: float
    y1: float


@dataclass
class Box:
    """An axis-aligned box in diagram coordinates."""
    x0: float
    y0: float
    x1: float
    y1: float

    def inside(self, p: tuple[float, float]) -> bool:
        """Whether `p` is strictly inside."""
        return self.x0 < p[0] < self.x1 and self.y0 < p[1] < self.y1


def tikzcd_svg(tex: str, warn: Warn) -> str:
    """The diagram `tex` (a whole tikz-cd environment, macros expanded) as `<div class="tikzcd"><svg>`.

    Raises TikzcdError for malformed input or math mathtext cannot typeset; unknown options are
    ignored and reported through `warn`."""
    diagram = parse(tex, warn)
    nodes = {(r, c): _math(text, EM, f"node '{text}' in row {r + 1}, column {c + 1}")
             for r, row in enumerate(diagram.cells) for c, text in enumerate(row)}
    labels = [[_math(label.text, LABEL_SIZE, f"label '{label.text}' of arrow [{arrow.raw}]")
               for label in arrow.labels] for arrow in diagram.arrows]
    anchors, boxes = _layout(diagram, nodes, labels)
    strokes, glyphs, holes, points = [], [], [], []
    for (r, c), node in nodes.items():
        if node:
            x, y = anchors[r, c]
            glyphs.append(_place(node, x - (node.x0 + node.x1) / 2, y + AXIS))
    for arrow, arrow_labels in zip(diagram.arrows, labels):
        curve = _curve(arrow, anchors, boxes)
        points += [_bezier(curve, i / 16) for i in range(17)]
        if not arrow.phantom:
            strokes += _strokes(arrow, curve, points)
        for label, glyph in zip(arrow.labels, arrow_labels):
            if glyph:
                box = _label_box(label, glyph, curve, DOUBLE_HALF if arrow.double else 0.0, arrow.phantom)
                glyphs.append(_place(glyph, box.x0 - glyph.x0, box.y0 - glyph.y0))
                points += [(box.x0, box.y0), (box.x1, box.y1)]
                if label.description and not arrow.phantom:
                    holes.append(box)
    points += [p for box in boxes.values() for p in ((box.x0 + GAP, box.y0 + GAP), (box.x1 - GAP, box.y1 - GAP))]
    x0, y0 = min(p[0] for p in points) - MARGIN, min(p[1] for p in points) - MARGIN
    width, height = max(p[0] for p in points) + MARGIN - x0, max(p[1] for p in points) + MARGIN - y0
    mask_id = "tikzcd-" + hashlib.sha1(tex.encode()).hexdigest()[:10]
    # description labels: the mask hides the arrows under the label's ink box plus HOLE
    mask = "".join(f'<rect x="{_n(b.x0 - HOLE[0])}" y="{_n(b.y0 - HOLE[1])}" width="{_n(b.x1 - b.x0 + 2 * HOLE[0])}" '
                   f'height="{_n(b.y1 - b.y0 + 2 * HOLE[1])}" fill="#000"/>' for b in holes)
    defs = (f'<mask id="{mask_id}" maskUnits="userSpaceOnUse" x="{_n(x0)}" y="{_n(y0)}" width="{_n(width)}" '
            f'height="{_n(height)}"><rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(width)}" height="{_n(height)}" '
            f'fill="#fff"/>{mask}</mask>' if holes else "")
    em = KATEX_SCALE / EM
    masked = f' mask="url(#{mask_id})"' if holes else ""
    return (f'<div class="tikzcd"><svg xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="{_n(x0)} {_n(y0)} {_n(width)} {_n(height)}" width="{_n(width * em)}em" '
            f'height="{_n(height * em)}em" style="min-width:{_n(width * em * MIN_SCALE)}em" role="img" '
            f'aria-label="{html.escape(_description(diagram))}">{defs}'
            f'<g fill="none" stroke="currentColor" stroke-width="{_n(LINE)}" stroke-linecap="round" '
            f'stroke-linejoin="round"{masked}>{"".join(strokes)}</g>'
            f'<g fill="currentColor">{"".join(glyphs)}</g></svg></div>')


def _n(value: float) -> str:
    """A coordinate, rounded to 2 decimals without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _math(tex: str, size: float, what: str) -> Glyphs | None:
    """Typeset `tex` (None for an empty node); TikzcdError names `what` if mathtext rejects it."""
    for pattern, replacement in REWRITES:
        tex = pattern.sub(replacement, tex)
    if not BLANK.sub("", tex):
        return None
    try:
        return _typeset(tex, size)
    except TikzcdError as error:
        raise TikzcdError(f"mathtext cannot typeset the {what}: {error}") from None


@lru_cache(maxsize=None)
def _typeset(tex: str, size: float) -> Glyphs:
    """mathtext's outlines of `$tex$` at `size` as an SVG path (y down); TikzcdError if it refuses."""
    try:
        path = TextPath((0, 0), f"${tex}$", size=size, prop=FontProperties(math_fontfamily="cm"))
    except (ValueError, AttributeError) as error:  # AttributeError: mathtext on output without glyphs
        message = [line.strip() for line in str(error).splitlines() if line.strip()]
        raise TikzcdError(message[-1] if message else type(error).__name__) from None
    commands, letters = [], {Path.MOVETO: "M", Path.LINETO: "L", Path.CURVE3: "Q", Path.CURVE4: "C"}
    for vertices, code in path.iter_segments(curves=True, simplify=False):
        if code == Path.CLOSEPOLY:
            commands.append("Z")
        else:
            commands.append(letters[code] + " ".join(_n(v) for v in (vertices.reshape(-1, 2) * [1, -1]).ravel()))
    box = path.get_extents()
    return Glyphs("".join(commands), box.x0, box.x1, -box.y1, -box.y0)


def _place(glyph: Glyphs, x: float, y: float) -> str:
    """Typeset math with its baseline origin at (x, y)."""
    return f'<path transform="translate({_n(x)} {_n(y)})" d="{glyph.d}"/>'


def _layout(diagram: Diagram, nodes: dict, labels: list) -> tuple[dict, dict]:
    """Arrow anchors (column centre, row axis) and node boxes (ink widened by GAP) of every cell."""
    rows, columns = len(diagram.cells), len(diagram.cells[0])
    width = [max((n.x1 - n.x0 for (_, c), n in nodes.items() if n and c == col), default=0.0)
             for col in range(columns)]
    ascent = [max([CAP] + [-n.y0 for (r, _), n in nodes.items() if n and r == row]) for row in range(rows)]
    depth = [max([0.0] + [n.y1 for (r, _), n in nodes.items() if n and r == row]) for row in range(rows)]
    column_gap = [diagram.column_sep * EM + 2 * GAP] * columns
    row_gap = [diagram.row_sep * EM + 2 * GAP + extra * EM for extra in diagram.row_extra]
    for arrow, glyphs in zip(diagram.arrows, labels):  # room for the labels of one-step arrows
        (r0, c0), (r1, c1) = arrow.source, arrow.target
        sizes = [(g.x1 - g.x0, g.y1 - g.y0) for g in glyphs if g]
        if sizes and r0 == r1 and abs(c1 - c0) == 1:
            column_gap[min(c0, c1)] = max(column_gap[min(c0, c1)], max(s[0] for s in sizes) + 0.8 * EM + 2 * GAP)
        elif sizes and c0 == c1 and abs(r1 - r0) == 1:
            row_gap[min(r0, r1)] = max(row_gap[min(r0, r1)], max(s[1] for s in sizes) + 0.6 * EM + 2 * GAP)
    xs = [sum(width[:c]) + sum(column_gap[:c]) + width[c] / 2 for c in range(columns)]
    baselines = [sum(ascent[:r + 1]) + sum(depth[:r]) + sum(row_gap[:r]) for r in range(rows)]
    anchors, boxes = {}, {}
    for (r, c), node in nodes.items():
        x, y = xs[c], baselines[r] - AXIS
        anchors[r, c] = (x, y)
        half = (node.x1 - node.x0) / 2 if node else 0.0
        top, bottom = (min(node.y0, -CAP), node.y1) if node else (-AXIS, -AXIS)
        boxes[r, c] = Box(x - half - GAP, baselines[r] + top - GAP, x + half + GAP, baselines[r] + bottom + GAP)
    return anchors, boxes


def _bezier(curve: list, t: float) -> tuple[float, float]:
    """The point at `t` of the cubic with control points `curve`."""
    s = 1 - t
    weights = (s ** 3, 3 * s * s * t, 3 * s * t * t, t ** 3)
    return (sum(w * p[0] for w, p in zip(weights, curve)), sum(w * p[1] for w, p in zip(weights, curve)))


def _tangent(curve: list, t: float) -> tuple[float, float]:
    """The unit tangent at `t`."""
    a, b = _bezier(curve, max(t - 1e-4, 0)), _bezier(curve, min(t + 1e-4, 1))
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    return ((b[0] - a[0]) / length, (b[1] - a[1]) / length)


def _split_at(curve: list, t: float) -> tuple[list, list]:
    """de Casteljau: the cubic's pieces before and after `t`."""
    lerp = lambda p, q: (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)  # noqa: E731
    a, b, c = lerp(curve[0], curve[1]), lerp(curve[1], curve[2]), lerp(curve[2], curve[3])
    d, e = lerp(a, b), lerp(b, c)
    f = lerp(d, e)
    return [curve[0], a, d, f], [f, e, c, curve[3]]


def _crossing(curve: list, box: Box, leaving: bool) -> float:
    """The parameter where the curve leaves `box` (or, with leaving=False, last enters it)."""
    samples = [i / 256 for i in range(257)]
    outside = [not box.inside(_bezier(curve, t)) for t in samples]
    try:
        i = outside.index(True) if leaving else len(outside) - 1 - outside[::-1].index(True)
    except ValueError:
        return 1.0 if leaving else 0.0
    lo, hi = (samples[max(i - 1, 0)], samples[i]) if leaving else (samples[i], samples[min(i + 1, 256)])
    for _ in range(30):
        mid = (lo + hi) / 2
        if box.inside(_bezier(curve, mid)) == leaving:
            lo, hi = (mid, hi) if leaving else (lo, mid)
        else:
            lo, hi = (lo, mid) if leaving else (mid, hi)
    return (lo + hi) / 2


def _curve(arrow: Arrow, anchors: dict, boxes: dict) -> list:
    """The arrow as a cubic Bézier from anchor to anchor, bent and shifted, clipped to both boxes."""
    (x0, y0), (x1, y1) = anchors[arrow.source], anchors[arrow.target]
    length = math.hypot(x1 - x0, y1 - y0)
    dx, dy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = dy, -dx  # left of the direction of travel (y points down)
    shift = arrow.shift * SHIFT
    p0, p1 = (x0 + nx * shift, y0 + ny * shift), (x1 + nx * shift, y1 + ny * shift)
    # bent: control points leave at the bend angle, 0.3915 of the chord out (a near-circular arc)
    angle, reach = math.radians(arrow.bend), 0.3915 * length if arrow.bend else length / 3
    cos, sin = math.cos(angle), math.sin(angle)
    c0 = (p0[0] + reach * (dx * cos + nx * sin), p0[1] + reach * (dy * cos + ny * sin))
    c1 = (p1[0] + reach * (-dx * cos + nx * sin), p1[1] + reach * (-dy * cos + ny * sin))
    curve = [p0, c0, c1, p1]
    t0, t1 = _crossing(curve, boxes[arrow.source], True), _crossing(curve, boxes[arrow.target], False)
    if t1 - t0 < 0.02:
        raise TikzcdError(f"arrow [{arrow.raw}] has no room between its nodes; increase row sep or column sep")
    head = _split_at(curve, t1)[0]
    return _split_at(head, t0 / t1)[1]


def _d(curve: list) -> str:
    """SVG path data of a cubic: a line when it is straight."""
    p = [f"{_n(x)} {_n(y)}" for x, y in curve]
    straight = abs((curve[3][0] - curve[0][0]) * (curve[1][1] - curve[0][1])
                   - (curve[3][1] - curve[0][1]) * (curve[1][0] - curve[0][0])) < 1e-6
    return f"M{p[0]}L{p[3]}" if straight else f"M{p[0]}C{p[1]} {p[2]} {p[3]}"


def _offset(curve: list, distance: float) -> list:
    """The curve moved `distance` to its left (exact for straight arrows, close for bent ones)."""
    (ax, ay), (bx, by) = _tangent(curve, 0), _tangent(curve, 1)
    return [(x + ay * distance, y - ax * distance) for x, y in curve[:2]] + \
           [(x + by * distance, y - bx * distance) for x, y in curve[2:]]


def _barbs(tip: tuple[float, float], direction: tuple[float, float], half: float) -> str:
    """A Computer-Modern-like arrowhead: two curved barbs meeting at `tip`."""
    (x, y), (dx, dy) = tip, direction
    point = lambda u, v: f"{_n(x + u * dx - v * dy)} {_n(y + u * dy + v * dx)}"  # noqa: E731
    length = HEAD_LENGTH * half / HEAD_HALF
    return (f"M{point(-length, -half)}Q{point(-0.35 * length, -0.15 * half)} {point(0, 0)}"
            f"Q{point(-0.35 * length, 0.15 * half)} {point(-length, half)}")


def _barb_depth(half: float, lateral: float) -> float:
    """How far behind the tip the barbs of `_barbs` are `lateral` away from the axis."""
    s = (-0.3 + math.sqrt(0.09 + 2.8 * lateral / half)) / 1.4  # solves half * (0.3s + 0.7s²) = lateral
    return HEAD_LENGTH * half / HEAD_HALF * (0.7 * s * (1 - s) + s * s)


def _strokes(arrow: Arrow, curve: list, points: list) -> list[str]:
    """The `<path>`s of the line, head and tail of one arrow; adds their extent to `points`."""
    dash = {"solid": "", "dashed": ' stroke-dasharray="3 2"', "dotted": ' stroke-dasharray="0 1.6"'}[arrow.line]
    end, start = _tangent(curve, 1), _tangent(curve, 0)
    half = HEAD_HALF + (DOUBLE_HALF if arrow.double else 0)
    tips = {"to": [curve[3]], "two heads": [curve[3], _move(curve[3], end, -0.22 * EM)], "none": []}[arrow.head]
    heads = [_barbs(tip, end, half) for tip in tips]
    lines = [curve]
    if arrow.double:
        back = 0.0 if arrow.head == "none" else _barb_depth(half, DOUBLE_HALF)
        trimmed = _split_at(curve, _crossing(curve, _square(curve[3], back), False))[0] if back else curve
        lines = [_offset(trimmed, DOUBLE_HALF), _offset(trimmed, -DOUBLE_HALF)]
    paths = [f'<path d="{_d(line)}"{dash}/>' for line in lines] + [f'<path d="{d}"/>' for d in heads]
    (x, y), (dx, dy) = curve[0], start
    if arrow.tail in ("hook", "hook'"):
        side, r = (1 if arrow.tail == "hook" else -1), 0.12 * EM
        nx, ny, k = dy * side * 2 * r, -dx * side * 2 * r, 4 / 3 * r
        paths.append(f'<path d="M{_n(x)} {_n(y)}C{_n(x - k * dx)} {_n(y - k * dy)} {_n(x + nx - k * dx)} '
                     f'{_n(y + ny - k * dy)} {_n(x + nx)} {_n(y + ny)}"/>')
    elif arrow.tail == "tail":
        paths.append(f'<path d="{_barbs(_move(curve[0], start, HEAD_LENGTH), start, HEAD_HALF)}"/>')
    elif arrow.tail == "mapsto":
        paths.append(f'<path d="M{_n(x + dy * half)} {_n(y - dx * half)}L{_n(x - dy * half)} {_n(y + dx * half)}"/>')
    points += [_move(p, (dy, -dx), s * half) for p in (curve[0], curve[3]) for s in (-1, 1)]
    return paths


def _move(p: tuple[float, float], direction: tuple[float, float], distance: float) -> tuple[float, float]:
    """`p` moved `distance` along the unit vector `direction`."""
    return (p[0] + direction[0] * distance, p[1] + direction[1] * distance)


def _square(centre: tuple[float, float], radius: float) -> Box:
    """The square of half-side `radius` around `centre` (to trim double lines before the head)."""
    return Box(centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius)


def _label_box(label: Label, glyph: Glyphs, curve: list, widen: float, on_line: bool) -> Box:
    """The label's ink box: on the arrow (description, phantom arrows) or beside it, left of travel
    unless swapped; `widen` is the extra half-width of a double line."""
    (x, y), (dx, dy) = _bezier(curve, label.pos), _tangent(curve, label.pos)
    half_w, half_h = (glyph.x1 - glyph.x0) / 2, (glyph.y1 - glyph.y0) / 2
    side = -1 if label.swap else 1
    nx, ny = dy * side, -dx * side
    away = 0.0 if label.description or on_line else widen + LABEL_GAP + half_w * abs(nx) + half_h * abs(ny)
    cx, cy = x + nx * away, y + ny * away
    return Box(cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def _description(diagram: Diagram) -> str:
    """A text reading for screen readers: `Commutative diagram: A → B (f), …`."""
    def name(cell: tuple[int, int]) -> str:
        return tex_to_text(f"${diagram.cells[cell[0]][cell[1]]}$") if diagram.cells[cell[0]][cell[1]] else "·"
    parts = []
    for arrow in diagram.arrows:
        if not arrow.phantom:
            word = ARROW_WORDS.get("equal" if arrow.double and arrow.head == "none" else
                                   "double" if arrow.double else arrow.tail if arrow.tail != "none" else
                                   arrow.head, "→")
            texts = ", ".join(tex_to_text(f"${label.text}$") for label in arrow.labels if label.text)
            parts.append(f"{name(arrow.source)} {word} {name(arrow.target)}" + (f" ({texts})" if texts else ""))
    if not parts:
        parts = [tex_to_text(f"${text}$") for row in diagram.cells for text in row if text]
    return "Commutative diagram: " + ", ".join(parts)
