"""LaTeX-like macros as Franklin has them: `\\newcommand` and `\\newenvironment`.

    \\newcommand{\\name}[n]{body}            \\name{a1}…{an}  →  body with #k → " ak", !#k → "ak"
    \\newenvironment{name}[n]{pre}{post}    \\begin{name}{a1}…{an} X \\end{name}  →  pre X post

Franklin's rules, kept here: spaces are allowed inside the naming braces and around `[n]`; the
body and each argument are stripped; `#k` is replaced by a space and the argument (so that
`\\mathbb#1` or `\\langle#1` never glue two command names together), `!#k` by the argument alone;
the arguments follow the name with no space in between; a definition applies from its position
on (a later one redefines the name from there). Expansion is recursive up to `MAX_DEPTH` nested
expansions — a limit on depth, never on the number of uses — and linear in the text's size.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


MAX_DEPTH = 64
NAME = re.compile(r"\s*\\([A-Za-z]+)\s*")
ENV_NAME = re.compile(r"\s*([A-Za-z]+\*?)\s*")
NARGS = re.compile(r"\s*(?:\[\s*(\d*)\s*\])?\s*")
COMMAND = re.compile(r"\\([A-Za-z]+)")
SPACES = re.compile(r"\s*")


@dataclass(frozen=True)
class Macro:
    nargs: int
    body: str  # a command's body, or an environment's `pre`
    post: str | None = None  # an environment's `post`; None for a command
    where: str = ""  # `file:line` of the definition, for messages


def read_braced(text: str, start: int, fail) -> tuple[str, int]:
    """The content of the `{…}` group opening at `start` and the index after it.

    `fail(offset, message)` builds the error to raise (it knows the file and line)."""
    if start >= len(text) or text[start] != "{":
        got = text[start:start + 12].split("\n")[0] or "the end of the text"
        raise fail(start, f"expected '{{' to open an argument, got {got!r}")
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
        i += 1
    raise fail(start, "unbalanced braces: '{' is never closed")


def read_arguments(text: str, pos: int, count: int, what: str, fail) -> tuple[list[str], int]:
    """`count` brace groups right after `pos` (no space before or between them, as in Franklin)."""
    spans, end = argument_spans(text, pos, count, what, fail)
    return [text[a:b] for a, b in spans], end


def argument_spans(text: str, pos: int, count: int, what: str, fail) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of each argument's stripped content, and the index after the last brace."""
    spans = []
    for index in range(count):
        if pos >= len(text) or text[pos] != "{":
            got = repr(text[pos:pos + 12]) if pos < len(text) else "the end of the text"
            raise fail(pos, f"{what} expects {count} argument(s) {{…}} written right after it (no space), "
                            f"argument {index + 1} is missing: got {got}")
        arg, end = read_braced(text, pos, fail)
        lead = len(arg) - len(arg.lstrip())
        spans.append((pos + 1 + lead, pos + 1 + lead + len(arg.strip())))
        pos = end
    return spans, pos


def read_definition(text: str, pos: int, environment: bool, where: str, fail) -> tuple[str, Macro, int]:
    """Parse `{\\name}[n]{body}` (or `{name}[n]{pre}{post}`) starting at `pos`, just after the keyword."""
    keyword = "\\newenvironment" if environment else "\\newcommand"
    naming, pos = read_braced(text, pos, fail)
    name = (ENV_NAME if environment else NAME).fullmatch(naming)
    if name is None:
        expected = "an environment name such as {name}" if environment else "a command name such as {\\name}"
        raise fail(pos, f"{keyword}: expected {expected}, got {{{naming}}}")
    nargs = NARGS.match(text, pos)
    count = int(nargs.group(1) or 0)
    pos = nargs.end()
    body, pos = read_braced(text, pos, fail)
    post = None
    if environment:
        post, pos = read_braced(text, SPACES.match(text, pos).end(), fail)
        post = post.strip()
    return name.group(1), Macro(count, body.strip(), post, where), pos


PARAMETER = re.compile(r"(!?)#(\d)")


def substitute(body: str, args: list[str]) -> str:
    """Franklin's substitution: `!#k` → argument k, `#k` → a space and argument k."""
    return "".join(substitute_pieces(body, args))


def substitute_pieces(body: str, args: list):
    """The body's text and the arguments in order (`#k` preceded by a space); `args` may be any
    sequence of pieces (strings, or text that keeps its source lines)."""
    pos = 0
    for match in PARAMETER.finditer(body):
        k = int(match.group(2))
        if not 1 <= k <= len(args):
            continue
        yield body[pos:match.start()] + ("" if match.group(1) else " ")
        yield args[k - 1]
        pos = match.end()
    yield body[pos:]


def expand_in_math(tex: str, macros: dict[str, Macro], fail, depth: int = 0) -> str:
    """Expand user macros inside math; unknown commands are left to the math engine.

    `fail(offset, message)` gets the offset in `tex` (for an expansion: of the macro's use)."""
    if depth > MAX_DEPTH:
        raise fail(0, f"macro expansion nested deeper than {MAX_DEPTH} levels (a macro that uses itself?)")
    out, pos, i = [], 0, 0
    while True:
        i = tex.find("\\", i)
        if i == -1:
            break
        match = COMMAND.match(tex, i)
        if match is None:
            i += 2  # \\, \{, \, … : two characters
            continue
        macro = macros.get(match.group(1))
        if macro is None or macro.post is not None:
            i = match.end()
            continue
        args, end = read_arguments(tex, match.end(), macro.nargs, "\\" + match.group(1), fail)
        use = i
        out.append(tex[pos:i])
        out.append(expand_in_math(substitute(macro.body, args), macros, lambda _, m: fail(use, m), depth + 1))
        pos = i = end
    out.append(tex[pos:])
    return "".join(out)
