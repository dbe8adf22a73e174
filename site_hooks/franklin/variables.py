"""Page variables: `+++ … +++` blocks and `@def name = value` lines.

Franklin evaluates both as Julia. This site runs Python, so it reads the values that mean the same
in both languages — strings (`"…"`, `\"\"\"…\"\"\"`), numbers, `true`/`false`, `nothing`, arrays or
tuples of these, and dates written `Date(2021, 3, 1)` — and stops with `page:line` at any other
Julia expression (`Dict(…)`, a function call, an interpolated string). In a site's config.md such
a value is kept as a `JuliaValue`: layouts use most global variables, pages rarely; a page that
does use it fails, naming its own line and the config line.
"""
from __future__ import annotations

import ast
import datetime
import re
import tomllib
from dataclasses import dataclass

from site_hooks.errors import PageError

ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)[ \t]*=[ \t]*(.*)$", re.S)
JULIA_TO_PYTHON = {"true": "True", "false": "False", "nothing": "None"}
DATE = re.compile(r'(?:Dates\.)?Date\(\s*(?:(\d+)\s*,\s*(\d+)\s*,\s*(\d+)|"(\d{4})-(\d\d)-(\d\d)")\s*\)')
NOT_LITERAL = object()
STATEMENT = re.compile(r"^(?:using|import)\s+[\w.:, ]+$")  # Julia statements that set no variable


@dataclass(frozen=True)
class JuliaValue:
    """A variable whose value is Julia code this site cannot evaluate; using it is an error."""

    expression: str
    where: str  # file:line of the assignment


def read_def_value(name: str, value: str, source: str, line: int, where: str = "@def", lazy: bool = False):
    """The Python value of a Julia literal; for other Julia code a PageError (or a JuliaValue if `lazy`)."""
    if not value.strip():
        raise PageError(source, line, f"{where} {name} = : expected a value after '='")
    literal = julia_literal(value.strip())
    if literal is not NOT_LITERAL:
        return literal
    if lazy:
        return JuliaValue(value, f"{source}:{line}")
    raise PageError(source, line, f"{where} {name} = {value}: a Julia expression, which this site cannot evaluate "
                                  f"(it runs Python, not Julia); write a string, number, true/false, nothing "
                                  f"or an array of these, e.g. @def {name} = \"{_plain(value)}\"")


def julia_literal(value: str):
    """The Python value of a Julia value that is plain data, or NOT_LITERAL."""
    if (date := DATE.fullmatch(value)):
        year, month, day = (int(x) for x in (date.group(1, 2, 3) if date.group(1) else date.group(4, 5, 6)))
        return datetime.date(year, month, day)
    if interpolates(value):  # Julia fills `$name` / `$(…)` in
        return NOT_LITERAL
    if value.startswith('"""') and value.endswith('"""') and len(value) >= 6:
        return value[3:-3].removeprefix("\n")
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        pass
    try:
        parsed = ast.literal_eval(re.sub(r"\b(true|false|nothing)\b", lambda m: JULIA_TO_PYTHON[m.group(1)], value))
    except (ValueError, SyntaxError):
        return NOT_LITERAL
    return list(parsed) if isinstance(parsed, tuple) else parsed


def interpolates(value: str) -> bool:
    """Whether a Julia string value interpolates: `$(…)`, or a lone `$name` (paired `$…$` is math)."""
    dollars = re.findall(r"(?<!\\)\$(\(?)", value)
    return any(dollars) or len(dollars) % 2 == 1


def _plain(value: str) -> str:
    return value.replace('"', "'")[:40]


def parse_toml_block(body: str, first_line: int, source: str, lazy: bool = False) -> dict:
    """A `+++` block (the text between the markers; `first_line` is the line of the opening `+++`).

    Assignments `name = value`, one per line (a value may continue on following lines while its
    brackets or a triple-quoted string are open); `using`/`import` lines set nothing. Each value is
    read as `@def` reads it, so TOML-style blocks and Julia-style blocks both work."""
    meta: dict = {}
    lines = body.split("\n")
    index = 0
    while index < len(lines):
        line = without_comment(lines[index])
        start = index
        index += 1
        if not line.strip():
            continue
        if STATEMENT.match(line.strip()):
            continue
        match = ASSIGNMENT.match(line.strip())
        if match is None:
            raise PageError(source, first_line + start, f"invalid page variables in '+++' block: expected "
                                                        f"name = value, got {line.strip()!r}")
        value = match.group(2)
        while (_open_brackets(value) > 0 or value.count('"""') == 1) and index < len(lines):
            value += "\n" + lines[index]
            index += 1
        meta[match.group(1)] = read_def_value(match.group(1), value.strip(), source, first_line + start,
                                              "invalid page variables in '+++' block:", lazy)
    return meta


def without_comment(line: str) -> str:
    """A line of a `+++` block without its `# comment` (a `#` inside a string is text)."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"' and (index == 0 or line[index - 1] != "\\"):
            quoted = not quoted
        elif char == "#" and not quoted:
            return line[:index].rstrip()
    return line.rstrip()


def _open_brackets(value: str) -> int:
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', "", value)
    return sum(unquoted.count(c) for c in "([{") - sum(unquoted.count(c) for c in ")]}")
