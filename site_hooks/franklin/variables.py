"""Page variables: the `+++ … +++` block (TOML) and `@def name = value` lines."""
from __future__ import annotations

import re
import tomllib

from site_hooks.errors import PageError


DEF_LINE = re.compile(r"^@def[ \t]+([A-Za-z_]\w*)[ \t]*=[ \t]*(.+)$")


def parse_front_matter(text: str, source: str) -> tuple[dict, str]:
    """Split a leading `+++ … +++` block (TOML) from the page; blank lines keep line numbers."""
    if not text.startswith("+++"):
        return {}, text
    end = re.search(r"^\+\+\+[ \t]*$", text[3:], re.M)
    if end is None:
        raise PageError(source, 1, "the '+++' block of page variables is never closed")
    body = text[3:3 + end.start()]
    try:
        meta = tomllib.loads(body)
    except tomllib.TOMLDecodeError as exc:
        line = 1 + int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
        raise PageError(source, line, f"invalid page variables in '+++' block: {exc}") from None
    consumed = 3 + end.end()
    return meta, "\n" * text.count("\n", 0, consumed) + text[consumed:]


def parse_def_lines(text: str, source: str) -> tuple[dict, str]:
    """`@def name = value` lines (outside code) → page variables; the lines become blank."""
    meta: dict = {}
    lines = text.split("\n")
    for index, line in enumerate(lines):
        match = DEF_LINE.match(line)
        if not match:
            continue
        try:
            meta[match.group(1)] = tomllib.loads(f"v = {match.group(2)}")["v"]
        except tomllib.TOMLDecodeError:
            raise PageError(source, index + 1, f"cannot read the value of @def {match.group(1)}: "
                            f"expected a string, number, bool or array, got {match.group(2)!r}") from None
        lines[index] = ""
    return meta, "\n".join(lines)
