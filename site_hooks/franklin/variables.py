"""Page variables: `+++ … +++` blocks and `@def name = value` lines.

Franklin evaluates both as Julia. This site runs Python, so it reads the values that mean the same
in both languages — strings (`"…"`, `\"\"\"…\"\"\"`), numbers, `true`/`false`, `nothing`, and arrays or
tuples of these — and stops with `page:line` at any other Julia expression (`Date(2021, 3, 1)`,
`Dict(…)`, a function call, an interpolated string).
"""
from __future__ import annotations

import ast
import re
import tomllib

from site_hooks.errors import PageError

ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)[ \t]*=[ \t]*(.*)$")
JULIA_TO_PYTHON = {"true": "True", "false": "False", "nothing": "None"}


def read_def_value(name: str, value: str, source: str, line: int, where: str = "@def"):
    """The Python value of a Julia literal, or a PageError naming the Julia expression."""
    if not value.strip():
        raise PageError(source, line, f"{where} {name} = : expected a value after '='")
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        pass
    words = re.sub(r"\b(true|false|nothing)\b", lambda m: JULIA_TO_PYTHON[m.group(1)], value)
    try:
        parsed = ast.literal_eval(words) if "$" not in value else None
    except (ValueError, SyntaxError):
        parsed = None
    if parsed is not None or words.strip() == "None":
        return list(parsed) if isinstance(parsed, tuple) else parsed
    raise PageError(source, line, f"{where} {name} = {value}: a Julia expression, which this site cannot evaluate "
                                  f"(it runs Python, not Julia); write a string, number, true/false, nothing "
                                  f"or an array of these, e.g. @def {name} = \"{_plain(value)}\"")


def _plain(value: str) -> str:
    return value.replace('"', "'")[:40]


def parse_toml_block(body: str, first_line: int, source: str) -> dict:
    """A `+++` block (the text between the markers; `first_line` is the line of the opening `+++`).

    TOML when it is TOML; otherwise Julia assignments `name = value`, one per line (a value may
    continue on following lines while its brackets are open)."""
    try:
        return tomllib.loads(body)
    except tomllib.TOMLDecodeError:
        pass
    meta: dict = {}
    lines = body.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index].split("#", 1)[0].rstrip() if not lines[index].lstrip().startswith('"') else lines[index]
        start = index
        index += 1
        if not line.strip():
            continue
        match = ASSIGNMENT.match(line.strip())
        if match is None:
            raise PageError(source, first_line + start, f"invalid page variables in '+++' block: expected "
                                                        f"name = value, got {line.strip()!r}")
        value = match.group(2)
        while _open_brackets(value) > 0 and index < len(lines):
            value += "\n" + lines[index]
            index += 1
        meta[match.group(1)] = read_def_value(match.group(1), value.strip(), source, first_line + start,
                                              "invalid page variables in '+++' block:")
    return meta


def _open_brackets(value: str) -> int:
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', "", value)
    return sum(unquoted.count(c) for c in "([{") - sum(unquoted.count(c) for c in ")]}")
