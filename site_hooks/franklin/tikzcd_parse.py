"""Parse one tikz-cd diagram (`\\begin{tikzcd}[opts] … \\end{tikzcd}`) into a grid and arrows.

Cells are split on `&` and rows on `\\\\` at brace depth 0, as TeX does; `\\arrow[…]` / `\\ar[…]`
commands are taken out of each cell and what remains is the node's math. `tikzcd.py` lays out
and draws the result.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

Warn = Callable[[str], None]

BEGIN = re.compile(r"\\begin\s*\{tikzcd\}")
ENVIRONMENT = re.compile(r"\A\s*\\begin\s*\{tikzcd\}(.*)\\end\s*\{tikzcd\}\s*\Z", re.S)
TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.S)
ARROW = re.compile(r"\\(?:arrow|ar)(?![A-Za-z])\s*")
COMMENT = re.compile(r"(?<!\\)%[^\n]*")
LENGTH = re.compile(r"\A(-?\d*\.?\d+)\s*(em|ex|pt|bp|mm|cm|in)\Z")
CELL_REF = re.compile(r"\A(\d+)-(\d+)\Z")

# Named separations of tikz-cd, in em.
SEPARATIONS = {
    "row sep": {"tiny": 0.45, "small": 0.9, "scriptsize": 1.35, "normal": 1.8, "large": 2.7, "huge": 3.6},
    "column sep": {"tiny": 0.6, "small": 1.2, "scriptsize": 1.8, "normal": 2.4, "large": 3.6, "huge": 4.8},
}
UNITS_IN_EM = {"em": 1.0, "ex": 0.43, "pt": 0.1, "bp": 0.1004, "mm": 0.2845, "cm": 2.845, "in": 7.227}
LABEL_POSITIONS = {"at start": 0.0, "very near start": 0.125, "near start": 0.25, "midway": 0.5,
                   "near end": 0.75, "very near end": 0.875, "at end": 1.0}
# Arrow styles: option name -> the Arrow fields it sets.
STYLES: dict[str, dict[str, object]] = {
    "to": {}, "rightarrow": {},
    "equal": {"double": True, "head": "none"}, "Rightarrow": {"double": True},
    "dashed": {"line": "dashed"}, "dotted": {"line": "dotted"},
    "hook": {"tail": "hook"}, "hookrightarrow": {"tail": "hook"}, "hook'": {"tail": "hook'"},
    "two heads": {"head": "two heads"}, "twoheadrightarrow": {"head": "two heads"},
    "tail": {"tail": "tail"}, "rightarrowtail": {"tail": "tail"},
    "mapsto": {"tail": "mapsto"}, "maps to": {"tail": "mapsto"},
    "no head": {"head": "none"}, "dash": {"head": "none"}, "-": {"head": "none"},
    "phantom": {"phantom": True},
}


class TikzcdError(ValueError):
    """A malformed diagram; the message says what was expected and what came."""


@dataclass
class Label:
    """An arrow label: its math, side (`swap` = right of the arrow) and position along it (0…1)."""
    text: str
    swap: bool = False
    description: bool = False
    pos: float = 0.5


@dataclass
class Arrow:
    """An arrow between two cells, given 0-based as (row, column)."""
    source: tuple[int, int]
    target: tuple[int, int]
    labels: list[Label] = field(default_factory=list)
    head: str = "to"       # to | two heads | none
    tail: str = "none"     # none | hook | hook' | tail | mapsto
    line: str = "solid"    # solid | dashed | dotted
    double: bool = False
    phantom: bool = False  # labels only, no line
    raw: str = ""          # the options as written, for messages
    bend: float = 0.0      # degrees; positive bends to the left of the direction of travel
    shift: float = 0.0     # in units of `shift left=1`; positive shifts to the left


@dataclass
class Diagram:
    """The grid of node math (rows of equal length, "" = no node), the arrows and the spacing."""
    cells: list[list[str]]
    arrows: list[Arrow]
    row_sep: float = SEPARATIONS["row sep"]["normal"]
    column_sep: float = SEPARATIONS["column sep"]["normal"]
    row_extra: list[float] = field(default_factory=list)  # extra em below each row, from `\\[len]`


def contains_tikzcd(tex: str) -> bool:
    """Whether `tex` contains a tikz-cd environment."""
    return bool(BEGIN.search(tex))


def parse(tex: str, warn: Warn) -> Diagram:
    """Parse a whole `\\begin{tikzcd}…\\end{tikzcd}`; unknown options are reported to `warn`."""
    match = ENVIRONMENT.match(COMMENT.sub("", tex))
    if not match:
        raise TikzcdError(f"expected \\begin{{tikzcd}} … \\end{{tikzcd}}, got {_excerpt(tex)!r}")
    body = match.group(1)
    diagram = Diagram([], [])
    separators = {"&"}
    if body.lstrip().startswith("["):
        options, body = _bracketed(body.lstrip(), "diagram options")
        separators |= _diagram_options(options, diagram, warn)
    rows, diagram.row_extra = _rows(body, separators)
    width = max(len(row) for row in rows)
    for r, row in enumerate(rows):
        diagram.cells.append([])
        for c, cell in enumerate(row + [""] * (width - len(row))):
            node, arrows = _cell(cell, (r, c), warn)
            diagram.cells[r].append(node)
            diagram.arrows.extend(arrows)
    for arrow in diagram.arrows:
        for what, (r, c) in (("starts at", arrow.source), ("points to", arrow.target)):
            if not (0 <= r < len(rows) and 0 <= c < width):
                size = _count(len(rows), "row") if not 0 <= r < len(rows) else _count(width, "column")
                raise TikzcdError(f"arrow [{arrow.raw}] {what} row {r + 1}, column {c + 1}, "
                                  f"but the diagram has {size}")
    return diagram


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _split(text: str, separators: set[str], quotes: bool = False) -> list[str]:
    """Split at `separators` tokens at brace depth 0 (and outside `"…"` when `quotes`)."""
    pieces, start, depth, quoted = [], 0, 0, False
    for m in TOKEN.finditer(text):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                raise TikzcdError(f"unbalanced '}}' in {_excerpt(text)!r}")
        elif token == '"' and quotes and depth == 0:
            quoted = not quoted
        elif token in separators and depth == 0 and not quoted:
            pieces.append(text[start:m.start()])
            start = m.end()
    if depth > 0:
        raise TikzcdError(f"expected '}}' to close a '{{' in {_excerpt(text)!r}")
    if quoted:
        raise TikzcdError(f"expected a closing '\"' in {_excerpt(text)!r}")
    return pieces + [text[start:]]


def _is_group(text: str) -> bool:
    """Whether `text` is one brace group `{…}` (not `{a}b{c}`)."""
    depth = 0
    for m in TOKEN.finditer(text):
        depth += {"{": 1, "}": -1}.get(m.group(), 0)
        if depth == 0:
            return m.end() == len(text) and m.group() == "}"
    return False


def _bracketed(text: str, what: str) -> tuple[str, str]:
    """`[…]…` -> (inside, rest); brackets inside braces or quotes do not count."""
    depth, quoted = 0, False
    for m in TOKEN.finditer(text, 1):
        token = m.group()
        depth += {"{": 1, "}": -1}.get(token, 0)
        if token == '"' and depth == 0:
            quoted = not quoted
        elif token == "]" and depth == 0 and not quoted:
            return text[1:m.start()], text[m.end():]
    raise TikzcdError(f"expected ']' to close the {what} in {_excerpt(text)!r}")


def _length(value: str, key: str) -> float:
    """A separation in em: a tikz-cd name (`large`) or a length (`2em`, `1.5cm`)."""
    value = value.strip()
    if value in SEPARATIONS[key]:
        return SEPARATIONS[key][value]
    match = LENGTH.match(value)
    if not match:
        raise TikzcdError(f"{key} expects tiny, small, scriptsize, normal, large, huge or a length "
                          f"such as 2em or 1cm, got {value!r}")
    return float(match.group(1)) * UNITS_IN_EM[match.group(2)]


def _diagram_options(options: str, diagram: Diagram, warn: Warn) -> set[str]:
    """Apply diagram options; returns the extra cell separators (`ampersand replacement`)."""
    separators: set[str] = set()
    for option in filter(None, (o.strip() for o in _split(options, {","}))):
        key, _, value = (part.strip() for part in option.partition("="))
        if key in ("row sep", "column sep", "sep"):
            for name in (("row sep", "column sep") if key == "sep" else (key,)):
                setattr(diagram, name.replace(" ", "_"), _length(value, name))
        elif key == "ampersand replacement":
            separators.add(value)
        else:
            warn(f"tikzcd: ignoring unknown diagram option {option!r}")
    return separators


def _rows(body: str, separators: set[str]) -> tuple[list[list[str]], list[float]]:
    """Rows of cell texts, and the extra space below each row from `\\\\[len]`."""
    rows: list[str] = []
    extra: list[float] = []
    for text in _split(body, {"\\\\"}):
        if rows and text.lstrip().startswith("["):
            space, text = _bracketed(text.lstrip(), "row spacing after \\\\")
            extra[-1] = _length(space, "row sep")
        rows.append(text)
        extra.append(0.0)
    if len(rows) > 1 and not rows[-1].strip():  # a trailing `\\`
        rows.pop()
        extra.pop()
    return [_split(row, separators) for row in rows], extra


def _cell(text: str, here: tuple[int, int], warn: Warn) -> tuple[str, list[Arrow]]:
    """A cell's node math (arrows removed) and its arrows."""
    node, arrows = [], []
    while match := ARROW.search(text):
        node.append(text[:match.start()])
        rest = text[match.end():]
        if not rest.startswith("["):
            raise TikzcdError(f"expected '[' after {match.group().strip()} in row {here[0] + 1}, "
                              f"column {here[1] + 1}, got {_excerpt(rest)!r}")
        options, text = _bracketed(rest, "arrow options")
        arrows.append(_arrow(options, here, warn))
    node.append(text)
    return "".join(node).strip(), arrows


def _arrow(options: str, here: tuple[int, int], warn: Warn) -> Arrow:
    """One `\\arrow[options]` written in cell `here`."""
    raw = _excerpt(options)
    arrow = Arrow(here, here, raw=raw)
    moves, start, end, swap_all, description_all, position = None, None, None, False, False, None
    for option in filter(None, (o.strip() for o in _split(options, {","}, quotes=True))):
        key, _, value = (part.strip() for part in option.partition("="))
        if option.startswith('"'):
            arrow.labels.append(_label(option, warn))
        elif re.fullmatch(r"[rlud]+", option):
            moves = option
        elif key in ("from", "to"):
            match = CELL_REF.match(value)
            if not match:
                raise TikzcdError(f"arrow [{raw}]: {key}= expects row-column such as 1-2, got {value!r}")
            cell = (int(match.group(1)) - 1, int(match.group(2)) - 1)
            start, end = (cell, end) if key == "from" else (start, cell)
        elif key in ("bend left", "bend right", "shift left", "shift right"):
            try:
                amount = float(value) if value else (30.0 if key.startswith("bend") else 1.0)
            except ValueError:
                raise TikzcdError(f"arrow [{raw}]: {key}= expects a number, got {value!r}") from None
            sign = 1 if key.endswith("left") else -1
            setattr(arrow, key.split()[0], sign * amount)
        elif option in STYLES:
            for name, setting in STYLES[option].items():
                setattr(arrow, name, setting)
        elif option == "swap" or option == "'":
            swap_all = True
        elif option == "description":
            description_all = True
        elif option in LABEL_POSITIONS or key == "pos":
            position = _position(option, key, value, f"arrow [{raw}]")
        else:
            warn(f"tikzcd: ignoring unknown arrow option {option!r} in [{raw}]")
    for label in arrow.labels:
        label.swap ^= swap_all
        label.description |= description_all
        label.pos = label.pos if position is None else position
    arrow.source = start or here
    if end is not None:
        arrow.target = end
    elif moves is not None:
        rows, columns = moves.count("d") - moves.count("u"), moves.count("r") - moves.count("l")
        arrow.target = (arrow.source[0] + rows, arrow.source[1] + columns)
    elif start is None:
        raise TikzcdError(f"arrow [{raw}] in row {here[0] + 1}, column {here[1] + 1} has no direction: "
                          f"expected letters r, l, u, d (as in [r] or [dr]) or to=row-column")
    if arrow.source == arrow.target:
        raise TikzcdError(f"arrow [{raw}] starts and ends at row {arrow.source[0] + 1}, "
                          f"column {arrow.source[1] + 1}; expected two different cells")
    return arrow


def _position(option: str, key: str, value: str, where: str) -> float:
    """A label position along the arrow, 0 (start) to 1 (end): `near end` or `pos=0.7`."""
    if key != "pos":
        return LABEL_POSITIONS[option]
    if not re.fullmatch(r"\d*\.?\d+", value) or float(value) > 1:
        raise TikzcdError(f"{where}: pos= expects a number from 0 to 1, got {value!r}")
    return float(value)


def _label(option: str, warn: Warn) -> Label:
    """`"text"`, optionally followed by `'` (swap) and label options, bare or in braces."""
    closing = len(_split(option[1:], {'"'})[0]) + 1
    if closing >= len(option):
        raise TikzcdError(f"expected a closing '\"' after the label {option!r}")
    text, rest = option[1:closing].strip(), option[closing + 1:].strip()
    if _is_group(text):
        text = text[1:-1].strip()
    label = Label(text)
    if rest.startswith("'"):
        label.swap, rest = True, rest[1:].strip()
    if _is_group(rest):
        rest = rest[1:-1]
    for setting in filter(None, (s.strip() for s in _split(rest, {","}))):
        key, _, value = (part.strip() for part in setting.partition("="))
        if setting in ("swap", "'"):
            label.swap = not label.swap
        elif setting == "description":
            label.description = True
        elif setting in LABEL_POSITIONS or key == "pos":
            label.pos = _position(setting, key, value, f'label "{text}"')
        else:
            warn(f"tikzcd: ignoring unknown label option {setting!r} of label \"{text}\"")
    return label
