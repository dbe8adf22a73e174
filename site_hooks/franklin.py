"""Franklin.jl Markdown → Python-Markdown (as configured in mkdocs.yml).

`convert(text, source, outputs)` rewrites one page. It scans the page once into tokens
(code, math, raw HTML, commands, text), then renders the tokens with the page's labels
and bibliography known. Every Franklin construct of BRIEF §3 is mapped here; anything
else that starts with a backslash outside math is an error naming `source:line`.
"""
from __future__ import annotations

import posixpath
import re
import tomllib
from dataclasses import dataclass, field
from typing import Protocol

from site_hooks.errors import PageError
from site_hooks.mathtext import tex_to_text


class Outputs(Protocol):
    """What a page can ask of the snippet runner (see `site_hooks.outputs`)."""

    def figures(self, ref: str, page_uri: str) -> list[str]:
        """Site-relative URIs of the figures `ref` names."""

    def stdout(self, ref: str, page_uri: str) -> str:
        """What the snippet printed."""

    def source(self, ref: str, page_uri: str) -> tuple[str, str]:
        """(display path, code) of the snippet."""


class SnippetFailed(Exception):
    """Raised by an `Outputs` when the referenced snippet raised; shown as an admonition."""

    def __init__(self, location: str, details: str):
        super().__init__(location)
        self.location = location
        self.details = details


class MissingOutput(Exception):
    """Raised by an `Outputs` when a reference names nothing that exists."""


@dataclass
class Converted:
    markdown: str
    meta: dict = field(default_factory=dict)
    raw_html: list[str] = field(default_factory=list)

    def restore_raw_html(self, html: str) -> str:
        """Put the `~~~ … ~~~` blocks back into the rendered page."""
        return RAW_PLACEHOLDER.sub(lambda m: self.raw_html[int(m.group(1))], html)


RAW_PLACEHOLDER = re.compile(r"<!--franklin-raw-(\d+)-->")
MATH_ENVIRONMENTS = ("equation", "equation*", "align", "align*", "gather", "gather*",
                     "multline", "multline*", "eqnarray", "eqnarray*")
CODE_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{4,})([^\n]*)$", re.M)
EVAL_INFO = re.compile(r"^(\w+):(\S+)\s*$")
NEWCOMMAND_HEAD = re.compile(r"\\newcommand\s*\{\s*\\([A-Za-z]+)\s*\}\s*(?:\[(\d)\])?\s*\{")
DEF_LINE = re.compile(r"^@def[ \t]+([A-Za-z_]\w*)[ \t]*=[ \t]*(.+)$")
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S")


@dataclass
class Token:
    kind: str  # text | code | inline_code | math | display_math | raw | command | div_open | div_close
    text: str
    offset: int
    args: tuple = ()


# --------------------------------------------------------------------------- helpers
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


# --------------------------------------------------------------------------- page variables
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


# --------------------------------------------------------------------------- macros
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


# --------------------------------------------------------------------------- line-level traps
def neutralise_markdown_traps(text: str) -> str:
    """Python-Markdown constructs that Franklin does not have, outside code fences.

    - 4+ spaces of indentation start a code block in Python-Markdown but not in Franklin:
      such lines are dedented unless they continue a list item;
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
        if LIST_ITEM.match(line):
            in_list = True
        elif line[0] not in " \t":
            in_list = False
        elif not in_list:
            lines[index] = stripped
        if lines[index].startswith("!!!"):
            lines[index] = "\\" + lines[index]
    return "\n".join(lines)


# --------------------------------------------------------------------------- scanning
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
        if text.startswith("~~~", i):
            flush(i)
            end = closing("~~~", i + 3, "raw HTML block '~~~'")
            tokens.append(Token("raw", text[i + 3:end], i))
            i = buffer_start = end + 3
            continue
        if text.startswith("$$", i):
            flush(i)
            end = closing("$$", i + 2, "display math '$$'")
            tokens.append(Token("display_math", text[i + 2:end], i))
            i = buffer_start = end + 2
            continue
        if c == "$":
            flush(i)
            end = closing("$", i + 1, "inline math '$'")
            tokens.append(Token("math", text[i + 1:end], i))
            i = buffer_start = end + 1
            continue
        if c == "\\":
            nxt = text[i + 1:i + 2]
            if nxt in ("(", "["):
                flush(i)
                end = closing("\\)" if nxt == "(" else "\\]", i + 2, f"math '\\{nxt}'")
                tokens.append(Token("math" if nxt == "(" else "display_math", text[i + 2:end], i))
                i = buffer_start = end + 2
                continue
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


# --------------------------------------------------------------------------- rendering
COMMAND_ARITY = {
    "toc": 0, "tableofcontents": 0, "fig": 1, "figalt": 2, "output": 1, "textoutput": 1,
    "input": 2, "snippet": 1, "cite": 1, "citet": 1, "citep": 1, "biblabel": 2, "label": 1, "eqref": 1,
}


@dataclass
class PageState:
    source: str
    page_uri: str
    outputs: Outputs
    text: str
    equations: dict[str, int] = field(default_factory=dict)
    bibliography: dict[str, str] = field(default_factory=dict)
    raw_html: list[str] = field(default_factory=list)

    def error(self, offset: int, message: str) -> PageError:
        return PageError(self.source, line_of(self.text, offset), message)


def indent_of(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    return re.match(r"[ \t]*", text[start:]).group(0)


def block(content: str, indent: str) -> str:
    """Content that must stand as its own Markdown block, at the current indentation."""
    body = "\n".join(indent + line if line.strip() else "" for line in content.split("\n"))
    return f"\n\n{body}\n\n"


def fenced(code: str, language: str, title: str | None = None) -> str:
    ticks = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", code)), default=0))
    head = f'{ticks}{language}' + (f' title="{title}"' if title else "")
    return f"{head}\n{code.rstrip()}\n{ticks}"


def render_display_math(token: Token, state: PageState) -> str:
    body = token.text.strip()
    label = re.search(r"\\label\{([^}]*)\}", body)
    anchor = ""
    if label:
        number = state.equations[label.group(1)]
        body = body.replace(label.group(0), f"\\tag{{{number}}}")
        anchor = f'<div id="{equation_id(label.group(1))}" class="equation-anchor"></div>\n\n'
    if token.args != ("environment",):
        body = f"\\[\n{body}\n\\]"
    lines = "\n".join(line.strip() for line in body.split("\n"))
    return block(anchor + lines, indent_of(state.text, token.offset))


def equation_id(label: str) -> str:
    return "eq-" + re.sub(r"[^\w\-]+", "-", label.removeprefix("eq:"))


def bib_id(key: str) -> str:
    return "ref-" + re.sub(r"[^\w\-]+", "-", key)


def unsearchable(markdown: str) -> str:
    """Code and printed output stay out of the search index (Material's data-search-exclude)."""
    return f'<div class="snippet" data-search-exclude markdown="1">\n\n{markdown}\n\n</div>'


def figure_markdown(urls: list[str], alt: str, page_uri: str) -> str:
    base = posixpath.dirname(page_uri)
    links = [posixpath.relpath(url, base or ".") for url in urls]
    return "\n\n".join(f"[![{alt}]({link}){{ .snippet-figure loading=lazy }}]({link})" for link in links)


def failure_admonition(exc: SnippetFailed) -> str:
    details = "\n".join("    " + line for line in fenced(exc.details, "text").split("\n"))
    return f'\n\n!!! failure "Snippet failed: {exc.location}"\n\n{details}\n\n'


def render_command(token: Token, state: PageState, args: list[str]) -> str:
    name, outputs, uri = token.text, state.outputs, state.page_uri
    indent = indent_of(state.text, token.offset)
    try:
        if name in ("toc", "tableofcontents"):
            return block("[TOC]", indent)
        if name in ("fig", "figalt"):
            ref = args[-1]
            alt = args[0] if name == "figalt" else f"Figure rendered by {outputs.source(ref, uri)[0]}"
            return block(figure_markdown(outputs.figures(ref, uri), alt.replace("]", "\\]"), uri), indent)
        if name == "output":
            printed = outputs.stdout(args[0], uri)
            if not printed.strip():
                raise MissingOutput(f"\\output{{{args[0]}}}: the snippet printed nothing")
            return block(unsearchable(fenced(printed, "text")), indent)
        if name == "textoutput":
            return outputs.stdout(args[0], uri).strip()
        if name == "input":
            path, code = outputs.source(args[1], uri)
            return block(unsearchable(fenced(code, args[0] or "text", path)), indent)
        if name == "snippet":
            return block(unsearchable(snippet_tabs(args[0], outputs, uri)), indent)
    except SnippetFailed as exc:
        return failure_admonition(exc)
    except MissingOutput as exc:
        raise state.error(token.offset, str(exc)) from None
    if name in ("cite", "citet", "citep"):
        links = []
        for key in (k.strip() for k in args[0].split(",")):
            if key not in state.bibliography:
                raise state.error(token.offset, f"\\{name}{{{key}}}: no \\biblabel{{{key}}}{{…}} on this page")
            links.append(f"[{state.bibliography[key]}](#{bib_id(key)})")
        joined = "; ".join(links)
        return f"({joined})" if name == "citep" else joined
    if name == "biblabel":
        return f'<a id="{bib_id(args[0])}"></a>'
    if name == "label":
        return f'<a id="{equation_id(args[0])}"></a>'
    if name == "eqref":
        if args[0] not in state.equations:
            raise state.error(token.offset, f"\\eqref{{{args[0]}}}: no display equation has \\label{{{args[0]}}}")
        return f"[({state.equations[args[0]]})](#{equation_id(args[0])})"
    raise AssertionError(name)


def snippet_tabs(ref: str, outputs: Outputs, page_uri: str) -> str:
    """Content tabs: what the snippet shows (figures, printed text) ⇄ its source."""
    path, code = outputs.source(ref, page_uri)
    parts = []
    urls = outputs.figures(ref, page_uri)
    if urls:
        parts.append(figure_markdown(urls, f"Figure rendered by {path}", page_uri))
    printed = outputs.stdout(ref, page_uri)
    if printed.strip():
        parts.append(fenced(printed, "text"))
    if not parts:
        raise MissingOutput(f"\\snippet{{{ref}}}: the snippet shows nothing (no figure, no printed output)")

    def tab(title: str, body: str) -> str:
        return f'=== "{title}"\n\n' + "\n".join("    " + l if l.strip() else "" for l in body.split("\n"))
    return tab("Result", "\n\n".join(parts)) + "\n\n" + tab("Code", fenced(code, "python", path))


def render_code(token: Token, state: PageState) -> str:
    indent, marker, info, body = token.args
    match = EVAL_INFO.match(info)
    if match:  # ```python:name — an evaluated block: show it plainly, its outputs live in the runner
        return f"{indent}{marker}{match.group(1)}\n{body}{indent}{marker}"
    return token.text


def collect_labels(tokens: list[Token], state: PageState) -> None:
    for token in tokens:
        if token.kind == "display_math":
            for label in re.findall(r"\\label\{([^}]*)\}", token.text):
                if label in state.equations:
                    raise state.error(token.offset, f"\\label{{{label}}} is used twice on this page")
                state.equations[label] = len(state.equations) + 1
        if token.kind == "command" and token.text == "biblabel":
            args, _ = read_args(state.text, token.offset + len(token.text) + 1, 2, state.source)
            state.bibliography[args[0]] = args[1]


def render(tokens: list[Token], state: PageState) -> str:
    out: list[str] = []
    depth = 0
    skip_until = -1
    for token in tokens:
        if token.offset < skip_until:
            # the token lies inside the arguments of the previous command
            if token.offset + len(token.text) > skip_until and token.kind == "text":
                out.append(state.text[skip_until:token.offset + len(token.text)])
            continue
        kind = token.kind
        if kind == "text":
            out.append(token.text)
        elif kind in ("code", "inline_code"):
            out.append(render_code(token, state) if kind == "code" else token.text)
        elif kind == "math":
            out.append("\\(" + " ".join(token.text.split()) + "\\)")
        elif kind == "display_math":
            if out:
                out[-1] = out[-1].rstrip(" \t")
            out.append(render_display_math(token, state))
        elif kind == "raw":
            state.raw_html.append(token.text)
            out.append(f"<!--franklin-raw-{len(state.raw_html) - 1}-->")
        elif kind == "div_open":
            depth += 1
            classes = " ".join(token.args)
            out.append(block(f'<div class="{classes}" markdown="1">', indent_of(state.text, token.offset)))
        elif kind == "div_close":
            if depth == 0:
                raise state.error(token.offset, "'@@' closes a div that was never opened")
            depth -= 1
            out.append(block("</div>", indent_of(state.text, token.offset)))
        elif kind == "command":
            if token.text not in COMMAND_ARITY:
                raise state.error(token.offset, f"unknown command \\{token.text} outside math "
                                  f"(known: {', '.join(sorted(COMMAND_ARITY))}, and \\newcommand macros)")
            args, end = read_args(state.text, token.offset + 1 + len(token.text),
                                  COMMAND_ARITY[token.text], state.source)
            out.append(render_command(token, state, args))
            skip_until = end
    if depth:
        raise PageError(state.source, line_of(state.text, len(state.text)), f"{depth} '@@' div(s) never closed")
    return "".join(out)


def convert(text: str, source: str, page_uri: str, outputs: Outputs,
            site_macros: dict[str, tuple[int, str]] | None = None) -> Converted:
    """Convert one Franklin page. `source` names it in errors; `page_uri` is its path under docs/."""
    text = text.replace("\r\n", "\n")
    meta, text = parse_front_matter(text, source)
    defs, text = parse_def_lines(text, source)
    meta.update(defs)
    page_macros, text = extract_macros(text, source)
    macros = {**(site_macros or {}), **page_macros}
    text = expand_outside_code(text, macros, source)
    text = neutralise_markdown_traps(text)
    state = PageState(source, page_uri, outputs, text)
    tokens = tokenize(text, source)
    collect_labels(tokens, state)
    markdown = render(tokens, state)
    if "title" in meta:
        meta["title"] = markdown_math(str(meta["title"]))
    return Converted(markdown, meta, state.raw_html)


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


def markdown_math(title: str) -> str:
    """A title's `$…$` in the `\\(…\\)` form the rest of the site uses."""
    return re.sub(r"\$([^$]+)\$", r"\\(\1\\)", title)


def plain_title(title: str) -> str:
    """A title as plain text, for the browser tab, search and descriptions."""
    return tex_to_text(markdown_math(title))


def find_eval_blocks(text: str, source: str) -> list[tuple[str, str, str, int]]:
    """(language, name, code, line of the first code line) of each ```lang:name block."""
    blocks = []
    text = text.replace("\r\n", "\n")
    for token in tokenize(text, source) if "```" in text else []:
        if token.kind == "code" and (match := EVAL_INFO.match(token.args[2])):
            first_line = line_of(text, token.offset) + 1
            blocks.append((match.group(1), match.group(2), token.args[3], first_line))
    return blocks


def parse_site_macros(text: str, source: str) -> dict[str, tuple[int, str]]:
    """The `\\newcommand`s of a site-wide config page."""
    macros, _ = extract_macros(text, source)
    return macros
