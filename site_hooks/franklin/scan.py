"""Scanning a Franklin page: tokens (code, math, raw HTML, commands, divs, text) with offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass

from site_hooks.errors import PageError


MATH_ENVIRONMENTS = ("equation", "equation*", "align", "align*", "gather", "gather*",
                     "multline", "multline*", "eqnarray", "eqnarray*")


CODE_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{4,})([^\n]*)$", re.M)


EVAL_INFO = re.compile(r"^(\w+):(\S+)\s*$")


# Spans with an opening and a closing delimiter: (opening, closing, token kind, name in errors).
DELIMITED = (
    ("~~~", "~~~", "raw", "raw HTML block '~~~'"),
    ("$$", "$$", "display_math", "display math '$$'"),
    ("$", "$", "math", "inline math '$'"),
    ("\\(", "\\)", "math", "math '\\('"),
    ("\\[", "\\]", "display_math", "math '\\['"),
)
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S")
API_DIRECTIVE = re.compile(r"^:::[ \t]+\S")  # mkdocstrings `::: gcnn.x`, its indented YAML options follow


@dataclass
class Token:
    kind: str  # text | code | inline_code | math | display_math | raw | command | div_open | div_close
    text: str
    offset: int
    args: tuple = ()


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def read_braced(text: str, start: int, source: str) -> tuple[str, int]:
    """The content of the `{…}` group opening at `start` and the index after it."""
    if start >= len(text) or text[start] != "{":
        raise PageError(source, line_of(text, start), "expected '{' to open an argument")
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
    raise PageError(source, line_of(text, start), "unbalanced braces: '{' is never closed")


def read_args(text: str, pos: int, count: int, source: str) -> tuple[list[str], int]:
    args = []
    for _ in range(count):
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        arg, pos = read_braced(text, pos, source)
        args.append(arg)
    return args, pos


def neutralise_markdown_traps(text: str) -> str:
    """Python-Markdown constructs that Franklin does not have, outside code fences.

    - 4+ spaces of indentation start a code block in Python-Markdown but not in Franklin:
      such lines are dedented unless they continue a list item or a `::: identifier` directive;
    - `!!!` at the start of a line opens an admonition in Python-Markdown: escape it.
    """
    lines = text.split("\n")
    fence: str | None = None
    in_list = False
    for index, line in enumerate(lines):
        match = CODE_FENCE.match(line)
        if match:
            marker = match.group(2)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence) and not match.group(3).strip():
                fence = None
            continue
        if fence is not None:
            continue
        stripped = line.lstrip(" \t")
        if not stripped:
            continue
        if LIST_ITEM.match(line) or API_DIRECTIVE.match(line):
            in_list = True
        elif line[0] not in " \t":
            in_list = False
        elif not in_list:
            lines[index] = stripped
        if lines[index].startswith("!!!"):
            lines[index] = "\\" + lines[index]
    return "\n".join(lines)


def tokenize(text: str, source: str) -> list[Token]:
    """Split a page into code, math, raw HTML, commands, div markers and plain text."""
    tokens: list[Token] = []
    buffer_start, i, n = 0, 0, len(text)

    def flush(upto: int) -> None:
        if upto > buffer_start:
            tokens.append(Token("text", text[buffer_start:upto], buffer_start))

    def closing(delimiter: str, start: int, what: str) -> int:
        end = text.find(delimiter, start)
        while end != -1 and text[end - 1] == "\\" and delimiter[0] != "\\":
            end = text.find(delimiter, end + 1)
        if end == -1:
            raise PageError(source, line_of(text, start), f"{what} is never closed (expected {delimiter!r})")
        return end

    while i < n:
        at_line_start = i == 0 or text[i - 1] == "\n"
        c = text[i]
        if at_line_start and (fence := CODE_FENCE.match(text, i)) and fence.start() == i:
            flush(i)
            marker = fence.group(2)
            closer = re.compile(rf"^[ \t]*{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$", re.M)
            end = closer.search(text, fence.end())
            if end is None:
                raise PageError(source, line_of(text, i), f"code block opened with {marker} is never closed")
            tokens.append(Token("code", text[i:end.end()], i, (fence.group(1), marker, fence.group(3).strip(),
                                                              text[fence.end() + 1:end.start()])))
            i = buffer_start = end.end()
            continue
        line_end = text.find("\n", i) if at_line_start else -1
        if at_line_start and (div := re.fullmatch(r"[ \t]*@@([\w\-, ]*)[ \t]*", text[i:line_end if line_end != -1 else n])):
            flush(i)
            names = [x for x in re.split(r"[,\s]+", div.group(1)) if x]
            tokens.append(Token("div_open" if names else "div_close", div.group(0), i, tuple(names)))
            i = buffer_start = i + len(div.group(0))
            continue
        if c == "`":
            run = re.match(r"`+", text[i:]).group(0)
            end = text.find(run, i + len(run))
            if end != -1:
                flush(i)
                tokens.append(Token("inline_code", text[i:end + len(run)], i))
                i = buffer_start = end + len(run)
                continue
            i += len(run)
            continue
        if text.startswith("<!--", i):
            end = closing("-->", i + 4, "HTML comment")
            i = end + 3
            continue
        span = next((d for d in DELIMITED if text.startswith(d[0], i)), None)
        if span:
            opening, closer, kind, what = span
            flush(i)
            end = closing(closer, i + len(opening), what)
            tokens.append(Token(kind, text[i + len(opening):end], i))
            i = buffer_start = end + len(closer)
            continue
        if c == "\\":
            env = re.match(r"\\begin\{([a-z]+\*?)\}", text[i:])
            if env and env.group(1) in MATH_ENVIRONMENTS:
                flush(i)
                end_marker = f"\\end{{{env.group(1)}}}"
                end = closing(end_marker, i, f"\\begin{{{env.group(1)}}}") + len(end_marker)
                tokens.append(Token("display_math", text[i:end], i, ("environment",)))
                i = buffer_start = end
                continue
            name = re.match(r"[A-Za-z]+", text[i + 1:])
            if name:
                flush(i)
                tokens.append(Token("command", name.group(0), i))
                i = buffer_start = i + 1 + len(name.group(0))
                continue
            i += 2  # a Markdown escape such as \* or \$ stays as it is
            continue
        i += 1
    flush(n)
    return tokens


def find_eval_blocks(text: str, source: str) -> list[tuple[str, str, str, int]]:
    """(language, name, code, line of the first code line) of each ```lang:name block."""
    blocks = []
    text = text.replace("\r\n", "\n")
    for token in tokenize(text, source) if "```" in text else []:
        if token.kind == "code" and (match := EVAL_INFO.match(token.args[2])):
            first_line = line_of(text, token.offset) + 1
            blocks.append((match.group(1), match.group(2), token.args[3], first_line))
    return blocks
