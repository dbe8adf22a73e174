"""`\\newcommand{\\name}[n]{body}` macros: collected from a page or `docs/_config.md`, expanded outside code."""
from __future__ import annotations

import re

from site_hooks.errors import PageError
from site_hooks.franklin.scan import line_of, read_args, read_braced


NEWCOMMAND_HEAD = re.compile(r"\\newcommand\s*\{\s*\\([A-Za-z]+)\s*\}\s*(?:\[(\d)\])?\s*\{")


def extract_macros(text: str, source: str) -> tuple[dict[str, tuple[int, str]], str]:
    """Remove `\\newcommand{\\name}[n]{body}` definitions; return them and the rest of the page."""
    macros: dict[str, tuple[int, str]] = {}
    out, pos = [], 0
    for match in NEWCOMMAND_HEAD.finditer(text):
        if match.start() < pos:
            continue
        body, end = read_braced(text, match.end() - 1, source)
        macros[match.group(1)] = (int(match.group(2) or 0), body)
        out.append(text[pos:match.start()])
        out.append("\n" * text.count("\n", match.start(), end))
        pos = end
    out.append(text[pos:])
    return macros, "".join(out)


def expand_macros(text: str, macros: dict[str, tuple[int, str]], source: str, line: int = 1) -> str:
    """Expand user macros (`#1…#n` substituted), repeatedly, in one region of the page."""
    if not macros:
        return text
    pattern = re.compile(r"\\(" + "|".join(sorted(map(re.escape, macros), key=len, reverse=True))
                         + r")(?![A-Za-z])")
    for _ in range(50):
        match = pattern.search(text)
        if match is None:
            return text
        count, body = macros[match.group(1)]
        args, end = read_args(text, match.end(), count, source)
        for n, arg in enumerate(args, 1):
            body = body.replace(f"#{n}", arg)
        text = text[:match.start()] + body + text[end:]
    raise PageError(source, line, "macro expansion does not terminate (a macro that uses itself?)")


def expand_outside_code(text: str, macros: dict[str, tuple[int, str]], source: str) -> str:
    """Macro expansion everywhere except inside code fences and inline code."""
    if not macros:
        return text
    pieces, pos = [], 0
    for match in re.finditer(r"(?ms)^([ \t]*)(`{3,}|~{4,}).*?^[ \t]*\2[ \t]*$|`+[^`\n]*`+", text):
        pieces.append(expand_macros(text[pos:match.start()], macros, source, line_of(text, pos)))
        pieces.append(match.group(0))
        pos = match.end()
    pieces.append(expand_macros(text[pos:], macros, source, line_of(text, pos)))
    return "".join(pieces)


def parse_site_macros(text: str, source: str) -> dict[str, tuple[int, str]]:
    """The `\\newcommand`s of a site-wide config page."""
    macros, _ = extract_macros(text, source)
    return macros
