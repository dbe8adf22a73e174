"""tikz-cd diagrams → inline SVG (site_hooks/franklin/tikzcd.py): parser, geometry, styles, output."""
from __future__ import annotations

import re

import pytest

from site_hooks.franklin.tikzcd import TikzcdError, contains_tikzcd, tikzcd_svg
from site_hooks.franklin.tikzcd_parse import parse

SQUARE = r"""\begin{tikzcd} A \arrow[r, "f"] \arrow[d, "L_g"'] & B \arrow[d, "L'_g"] \\
C \arrow[r, "f"'] & D \end{tikzcd}"""


def cd(body: str, options: str = "") -> str:
    return rf"\begin{{tikzcd}}{options} {body} \end{{tikzcd}}"


def diagram(body: str, options: str = ""):
    warnings: list[str] = []
    return parse(cd(body, options), warnings.append), warnings


def svg(body: str, options: str = "") -> str:
    warnings: list[str] = []
    out = tikzcd_svg(cd(body, options), warnings.append)
    assert not warnings, warnings
    return out


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def strokes(out: str) -> list[tuple[str, str]]:
    """(d, other attributes) of each path in the arrows group."""
    group = re.search(r'<g fill="none"[^>]*>(.*?)</g>', out).group(1)
    return re.findall(r'<path d="([^"]*)"([^>]*?)/>', group)


def glyph_boxes(out: str) -> list[tuple[float, float, float, float]]:
    """Bounding boxes (x0, y0, x1, y1) of the typeset math, nodes first, then labels."""
    boxes = []
    for tx, ty, d in re.findall(r'<path transform="translate\(([-\d.]+) ([-\d.]+)\)" d="([^"]*)"', out):
        values = numbers(d)
        xs, ys = values[0::2], values[1::2]
        boxes.append((min(xs) + float(tx), min(ys) + float(ty), max(xs) + float(tx), max(ys) + float(ty)))
    return boxes


def centre(box):
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


# ----------------------------------------------------------------------------- parser
@pytest.mark.parametrize("direction, target", [
    ("r", (1, 2)), ("rr", (1, 3)), ("l", (1, 0)), ("d", (2, 1)), ("u", (0, 1)),
    ("dr", (2, 2)), ("rd", (2, 2)), ("dl", (2, 0)), ("ur", (0, 2)), ("ul", (0, 0)), ("ddr", (3, 2)),
])
def test_direction_letters(direction, target):
    grid = r" & & & \\ & X \arrow[" + direction + r"] & & \\ & & & \\ & & &"
    (arrow,) = diagram(grid)[0].arrows
    assert arrow.source == (1, 1) and arrow.target == target


def test_from_to_form_and_from_alone():
    d, _ = diagram(r"A & B \\ C \arrow[from=1-1, to=2-2] & D \arrow[from=1-2]")
    assert [(a.source, a.target) for a in d.arrows] == [((0, 0), (1, 1)), ((0, 1), (1, 1))]


def test_cells_rows_and_empty_nodes():
    d, _ = diagram(r"A \arrow[dr] & \\ & {B_{\{x\}}} \\")
    assert d.cells == [["A", ""], ["", r"{B_{\{x\}}}"]]


def test_labels_swap_description_position_and_braces():
    d, warnings = diagram(r"""A \arrow[r, "f", "g"', "h" description, "{k,l}"{near start}, """
                          r""""m"{swap, pos=0.3}, "\mathcal{F}_{\{x\}}" near end] & B""")
    (arrow,) = d.arrows
    assert [(lab.text, lab.swap, lab.description, lab.pos) for lab in arrow.labels] == [
        ("f", False, False, 0.5), ("g", True, False, 0.5), ("h", False, True, 0.5), ("k,l", False, False, 0.25),
        ("m", True, False, 0.3), (r"\mathcal{F}_{\{x\}}", False, False, 0.75)]
    assert not warnings


def test_swap_and_description_as_arrow_options_apply_to_its_labels():
    (arrow,) = diagram(r'A \arrow[r, "f", swap, description] & B')[0].arrows
    assert arrow.labels[0].swap and arrow.labels[0].description


def test_label_position_as_arrow_option_and_bad_position():
    (arrow,) = diagram(r'A \arrow[dr, phantom, "\lrcorner", very near start] \\ & B')[0].arrows
    assert arrow.labels[0].pos == 0.125
    with pytest.raises(TikzcdError, match=r'label "f": pos= expects a number from 0 to 1, got \'2\''):
        diagram(r'A \arrow[r, "f"{pos=2}] & B')


@pytest.mark.parametrize("style, fields", [
    ("", {"head": "to", "tail": "none", "line": "solid", "double": False}),
    ("equal", {"double": True, "head": "none"}), ("Rightarrow", {"double": True, "head": "to"}),
    ("dashed", {"line": "dashed"}), ("dotted", {"line": "dotted"}), ("hook", {"tail": "hook"}),
    ("hookrightarrow", {"tail": "hook"}), ("hook'", {"tail": "hook'"}), ("two heads", {"head": "two heads"}),
    ("tail", {"tail": "tail"}), ("mapsto", {"tail": "mapsto"}), ("no head", {"head": "none"}),
    ("phantom", {"phantom": True}), ("bend left", {"bend": 30.0}), ("bend right=50", {"bend": -50.0}),
    ("shift left", {"shift": 1.0}), ("shift right=2", {"shift": -2.0}),
])
def test_arrow_styles_parse(style, fields):
    d, warnings = diagram(rf"A \ar[r, {style}] & B")
    (arrow,) = d.arrows
    assert {name: getattr(arrow, name) for name in fields} == fields and not warnings


def test_diagram_options_names_and_lengths():
    d, _ = diagram("A", "[row sep=large, column sep=small]")
    assert (d.row_sep, d.column_sep) == (2.7, 1.2)
    d, _ = diagram("A", "[sep=2em]")
    assert (d.row_sep, d.column_sep) == (2.0, 2.0)
    d, _ = diagram(r"A \\[1cm] B", "[column sep=10pt]")
    assert d.column_sep == pytest.approx(1.0) and d.row_extra[0] == pytest.approx(2.845)


def test_ampersand_replacement_and_comments():
    d, _ = diagram(r"A \arrow[r] \& B % a comment & with an ampersand" "\n" r"\\ C \& D",
                   r"[ampersand replacement=\&]")
    assert d.cells == [["A", "B"], ["C", "D"]] and d.arrows[0].target == (0, 1)


def test_unknown_options_warn_and_are_ignored():
    d, warnings = diagram(r'A \arrow[r, red, "f"{above}] & B', "[cramped]")
    assert d.arrows[0].labels[0].text == "f"
    assert warnings == ["tikzcd: ignoring unknown diagram option 'cramped'",
                        "tikzcd: ignoring unknown arrow option 'red' in [r, red, \"f\"{above}]",
                        "tikzcd: ignoring unknown label option 'above' of label \"f\""]


@pytest.mark.parametrize("body, options, message", [
    (r"A \arrow[rr] & B \\ D", "", "arrow [rr] points to row 1, column 3, but the diagram has 2 columns"),
    (r"A & B \arrow[rr] & C", "", "arrow [rr] points to row 1, column 4, but the diagram has 3 columns"),
    (r"A \arrow[d] & B", "", "arrow [d] points to row 2, column 1, but the diagram has 1 row"),
    (r"A & B \arrow[from=3-1]", "", "arrow [from=3-1] starts at row 3, column 1, but the diagram has 1 row"),
    (r'A \arrow["f"] & B', "", 'arrow ["f"] in row 1, column 1 has no direction: expected letters r, l, u, d'),
    (r"A \arrow[to=1-1] & B", "", "arrow [to=1-1] starts and ends at row 1, column 1"),
    (r"A \arrow[from=a] & B", "", "arrow [from=a]: from= expects row-column such as 1-2, got 'a'"),
    (r"A \arrow r & B", "", r"expected '[' after \arrow in row 1, column 1, got 'r'"),
    (r"A \arrow[r & B", "", "expected ']' to close the arrow options"),
    (r'A \arrow[r, "f] & B', "", "expected ']' to close the arrow options"),
    (r"{A & B", "", "expected '}' to close a '{'"),
    (r"A} & B", "", "unbalanced '}'"),
    (r"A", "[row sep=roomy]", "row sep expects tiny, small, scriptsize, normal, large, huge or a length"),
    (r"A \arrow[r, bend left=much] & B", "", "bend left= expects a number, got 'much'"),
])
def test_malformed_input_says_what_was_expected(body, options, message):
    with pytest.raises(TikzcdError) as info:
        tikzcd_svg(cd(body, options), lambda _: None)
    assert message in str(info.value)


def test_not_an_environment():
    with pytest.raises(TikzcdError, match=r"expected \\begin\{tikzcd\}"):
        tikzcd_svg(r"A \to B", lambda _: None)


def test_contains_tikzcd():
    assert contains_tikzcd(r"x = 1 \begin{tikzcd} A \end{tikzcd}") and not contains_tikzcd(r"\begin{aligned}")


def test_tikzcd_error_is_a_value_error():
    assert issubclass(TikzcdError, ValueError)


# ----------------------------------------------------------------------------- math
def test_common_tex_is_translated_for_mathtext():
    out = svg(r'\lvert V \rvert \arrow[r, "\textrm{id}"] & \operatorname*{Hom}(V, W) \arrow[r, "\bm{x}"] & '
              r'\mathbb{R} \rtimes \mathfrak{g} \otimes \mathcal{F} \circ \text{ab}')
    assert len(glyph_boxes(out)) == 5


def test_mathtext_rejection_names_the_label_and_the_reason():
    with pytest.raises(TikzcdError) as info:
        tikzcd_svg(cd(r'A \arrow[r, "\nosuchmacro"] & B'), lambda _: None)
    assert r"""the label '\nosuchmacro' of arrow [r, "\nosuchmacro"]""" in str(info.value)
    assert "Unknown symbol: \\nosuchmacro" in str(info.value)


# ----------------------------------------------------------------------------- geometry
def line(d: str) -> tuple[float, float, float, float]:
    assert re.fullmatch(r"M[-\d. ]+L[-\d. ]+", d), d
    return tuple(numbers(d))


def test_right_arrow_is_horizontal_between_the_boxes():
    out = svg(r"A \arrow[r] & B")
    (x0, y0, x1, y1) = line(strokes(out)[0][0])
    a, b = glyph_boxes(out)
    assert y0 == y1 and a[2] < x0 < x1 < b[0]
    assert a[1] < y0 < a[3]  # on the math axis, through the letters


def test_down_arrow_is_vertical_and_diagonal_is_diagonal():
    out = svg(r"A \arrow[d] \arrow[dr] & \\ B & C")
    (x0, y0, x1, y1), (u0, v0, u1, v1) = line(strokes(out)[0][0]), line(strokes(out)[2][0])
    a, b, c = glyph_boxes(out)
    assert x0 == x1 and a[3] < y0 < y1 < b[1]
    assert u1 - u0 > 5 and v1 - v0 > 5 and a[2] < u0 and v1 < c[1]


def test_label_sides_left_of_travel_and_swapped():
    above = centre(glyph_boxes(svg(r'A \arrow[r, "f"] & B'))[2])
    below = centre(glyph_boxes(svg(r"""A \arrow[r, "f"'] & B"""))[2])
    y = line(strokes(svg(r"A \arrow[r] & B"))[0][0])[1]
    assert above[1] < y < below[1]
    x = line(strokes(svg(r"A \arrow[d] \\ B"))[0][0])[0]
    east = centre(glyph_boxes(svg(r'A \arrow[d, "g"] \\ B'))[2])
    west = centre(glyph_boxes(svg(r"""A \arrow[d, "g"'] \\ B"""))[2])
    assert west[0] < x < east[0]  # going down, the left of travel is east


def test_labels_do_not_touch_the_arrow():
    out = svg(r'A \arrow[r, "\Phi \circ f"] & B')
    y = line(strokes(out)[0][0])[1]
    x0, _, x1, _ = line(strokes(out)[0][0])
    label = glyph_boxes(out)[2]
    assert label[3] < y - 1 and x0 < label[0] and label[2] < x1  # the column widens for a long label


def test_description_label_sits_on_the_arrow_over_a_hole():
    out = svg(r'A \arrow[r, "f" description] & B')
    y = line(strokes(out)[0][0])[1]
    label = glyph_boxes(out)[2]
    assert label[1] < y < label[3]
    assert re.search(r'<mask id="tikzcd-[0-9a-f]{10}"', out) and 'mask="url(#tikzcd-' in out


def test_bends_and_shifts_go_to_the_correct_side():
    y = line(strokes(svg(r"A \arrow[r] & B"))[0][0])[1]
    left, right = (strokes(svg(rf"A \arrow[r, bend {side}] & B"))[0][0] for side in ("left", "right"))
    assert left.count("C") == 1 and min(numbers(left)[1::2]) < y - 2 and max(numbers(right)[1::2]) > y + 2
    up, down = (line(strokes(svg(rf"A \arrow[r, shift {side}] & B"))[0][0]) for side in ("left", "right"))
    assert up[1] == up[3] == pytest.approx(y - 2.4) and down[1] == pytest.approx(y + 2.4)


# ----------------------------------------------------------------------------- one test per style
def test_style_plain_arrow_has_a_line_and_a_head():
    (shaft, _), (head, _) = strokes(svg(r"A \arrow[r] & B"))
    assert head.count("Q") == 2 and numbers(head)[4:6] == numbers(shaft)[2:4]  # tip at the end of the line


def test_style_equal_is_two_lines_without_head():
    paths = strokes(svg(r"A \arrow[r, equal] & B"))
    (a, _), (b, _) = paths
    assert len(paths) == 2 and numbers(b)[1] - numbers(a)[1] == pytest.approx(2.4)


def test_style_rightarrow_is_two_lines_ending_in_one_wide_head():
    paths = strokes(svg(r"A \arrow[r, Rightarrow] & B"))
    plain = strokes(svg(r"A \arrow[r] & B"))
    assert len(paths) == 3
    head_width, plain_width = (abs(numbers(p[-1][0])[1] - numbers(p[-1][0])[-1]) for p in (paths, plain))
    assert head_width > plain_width and numbers(paths[0][0])[2] < numbers(paths[2][0])[4]


@pytest.mark.parametrize("style, dash", [("dashed", "3 2"), ("dotted", "0 1.6")])
def test_style_dashed_and_dotted_lines(style, dash):
    (shaft, attributes), (head, head_attributes) = strokes(svg(rf"A \arrow[r, {style}] & B"))
    assert f'stroke-dasharray="{dash}"' in attributes and "dasharray" not in head_attributes


@pytest.mark.parametrize("style, sign", [("hook", -1), ("hook'", 1)])
def test_style_hook_curls_at_the_start(style, sign):
    (shaft, _), _, (hook, _) = strokes(svg(rf"A \arrow[r, {style}] & B"))
    x, y = numbers(shaft)[:2]
    assert numbers(hook)[:2] == [x, y] and hook.count("C") == 1
    assert (numbers(hook)[-1] - y) * sign == pytest.approx(2.4) and min(numbers(hook)[0::2]) < x


def test_style_two_heads():
    paths = strokes(svg(r"A \arrow[r, two heads] & B"))
    assert len(paths) == 3 and numbers(paths[2][0])[4] < numbers(paths[1][0])[4]


def test_style_tail_points_forward_at_the_start():
    (shaft, _), _, (tail, _) = strokes(svg(r"A \arrow[r, tail] & B"))
    start, tip = numbers(shaft)[0], numbers(tail)[4]
    assert tip > start and numbers(tail)[0] == pytest.approx(start, abs=0.02)


def test_style_mapsto_has_a_bar_across_the_start():
    (shaft, _), _, (bar, _) = strokes(svg(r"A \arrow[r, mapsto] & B"))
    bx0, by0, bx1, by1 = numbers(bar)
    assert bx0 == bx1 == numbers(shaft)[0] and by0 < numbers(shaft)[1] < by1


def test_style_no_head_and_phantom():
    assert len(strokes(svg(r"A \arrow[r, no head] & B"))) == 1
    out = svg(r'A \arrow[r, phantom, "\cong"] & B')
    a, b, label = glyph_boxes(out)
    assert strokes(out) == [] and label[1] < (a[1] + a[3]) / 2 < label[3]  # centred on the (unseen) line


def test_style_bend_is_a_cubic_and_keeps_its_head():
    paths = strokes(svg(r"A \arrow[r, bend left=40] & B"))
    assert len(paths) == 2 and re.fullmatch(r"M[-\d. ]+C[-\d. ]+", paths[0][0])


# ----------------------------------------------------------------------------- output
def test_output_is_a_scalable_accessible_svg_in_current_color():
    out = tikzcd_svg(SQUARE, lambda _: None)
    assert out.startswith('<div class="tikzcd"><svg ') and out.endswith("</svg></div>")
    assert re.search(r'viewBox="[-\d.]+ [-\d.]+ [\d.]+ [\d.]+" width="[\d.]+em" height="[\d.]+em"', out)
    assert 'role="img"' in out and "<marker" not in out
    assert 'aria-label="Commutative diagram: A → B (f), A → C (Lg), B → D (L\'g), C → D (f)"' in out.replace(
        "&#x27;", "'")
    colours = set(re.findall(r'(?:fill|stroke)="([^"]*)"', out))
    assert colours == {"currentColor", "none"}


def test_output_is_deterministic_with_two_decimals():
    first, second = tikzcd_svg(SQUARE, lambda _: None), tikzcd_svg(SQUARE, lambda _: None)
    assert first == second and not re.search(r"\d\.\d{3}", first)


def test_aria_label_names_the_arrow_kinds():
    out = svg(r'A \arrow[r, hook] \arrow[d, equal] & B \\ C \arrow[r, mapsto] & D')
    assert "A ↪ B, A = C, C ↦ D" in out


def test_wide_diagrams_may_shrink_to_a_minimum_and_then_scroll():
    out = svg(r"A & B")
    width = float(re.search(r'width="([\d.]+)em"', out).group(1))
    assert f"min-width:{round(width * 0.6, 2):g}em" in out.replace(".0em", "em")
