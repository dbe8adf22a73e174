"""Scanning a Franklin page: one pass, macros expanded on the way, every token knowing its page line.

The scanner reads the page left to right. Code, math, raw HTML, comments, `+++`/`@def` page
variables, divs (`@@cls`, `@@`), `{{…}}` functions and backslash commands become tokens; a user
macro is expanded where it is used and its expansion scanned again (it may hold Markdown, divs or
math), each expanded character carrying the line of the use. A `\\newcommand` takes effect from
where it stands. Errors name `page:line` of the author's file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from site_hooks.errors import PageError
from site_hooks.franklin import julia
from site_hooks.franklin.macros import (MAX_DEPTH, Macro, argument_spans, expand_in_math, read_arguments,
                                        read_definition, substitute_pieces)
from site_hooks.franklin.source import Source
from site_hooks.franklin.variables import parse_toml_block, read_def_value

MATH_ENVIRONMENTS = ("equation", "equation*", "align", "align*", "aligned", "gather", "gather*",
                     "multline", "multline*", "eqnarray", "eqnarray*", "tikzcd")
# Franklin commands and their number of arguments; `\fig{x}` is `\figalt{}{x}`, `\tableofcontents` is `\toc`.
COMMAND_ARITY = {
    "toc": 0, "tableofcontents": 0, "fig": 1, "figalt": 2, "output": 1, "codeoutput": 1, "textoutput": 1,
    "runtime": 1,
    "input": 2, "snippet": 1, "cite": 1, "citet": 1, "citep": 1, "biblabel": 2, "label": 1, "eqref": 1,
    "figref": 1,
    "style": 2,  # expanded by the scanner into raw HTML around page content
    "caption": 2,  # \caption{alt}{text}: the scanner reads text as page content between two tokens
}
# Franklin's own definitions that are plain macros: `\nonumber{…}` keeps its content (unnumbered here anyway)
BUILTIN_MACROS = {"nonumber": Macro(1, "!#1", where="Franklin")}
CODE_FENCE = re.compile(r"([ \t]*)(`{3,})([^\n`]*)$", re.M)
EVAL_INFO = re.compile(r"^(\w+):(\S+)\s*$")
DIV_OPEN = re.compile(r"@@([\w\-,:/]+)")
DIV_CLOSE = re.compile(r"@@(?=\s|$)")
DEF_LINE = re.compile(r"@def[ \t]+([A-Za-z_]\w*)[ \t]*=[ \t]*([^\n]*)")
COMMENT = re.compile(r"<!--.*?-->")
HFUN_CALL = re.compile(r"\{\{\s*([^{}]*?\S)\s*\}\}")
TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*$", re.M)
COMMAND_NAME = re.compile(r"\\([A-Za-z]+)")
BEGIN = re.compile(r"\\begin\{([A-Za-z]+\*?)\}")
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S")
MATERIAL_BLOCK = re.compile(r'!!!|\?\?\?|=== *"')
API_DIRECTIVE = re.compile(r"^:::[ \t]+\S")  # mkdocstrings `::: gcnn.x`, its indented YAML options follow
ESCAPES = {"*": "\\*", "_": "\\_", "`": "\\`", "{": "\\{", "}": "\\}", "$": "\\$", "#": "\\#", "@": "&#64;",
           " ": "&#92;"}  # Franklin: `\ ` is a backslash, `\@` an at sign; the rest stay Markdown escapes


@dataclass
class Token:
    kind: str  # text | code | inline_code | math | display_math | raw | linebreak | command | div_open |
    #            div_close | hfun
    text: str
    line: int
    indent: str = ""  # indentation of the line the token stands on (block output keeps it)
    args: tuple = ()
    in_raw: bool = False  # a `{{…}}` inside raw HTML: what it produces is raw HTML too


class _Cursor:
    """The state of scanning one piece of text: where the pending plain text starts, the tokens so far."""

    def __init__(self, scanner: Scanner, src: Source, indent: str, line_start: bool):
        self.scanner, self.src, self.text = scanner, src, src.text
        self.indent, self.line_start = indent, line_start
        self.tokens: list[Token] = []
        self.start = 0

    def fail(self, offset: int, message: str) -> PageError:
        return self.scanner.error(self.src.line(offset), message)

    def starts_line(self, offset: int) -> bool:
        """Only white space stands before `offset` on its line (of the page, for an expansion)."""
        begin = self.text.rfind("\n", 0, offset) + 1
        return (begin > 0 or self.line_start) and not self.text[begin:offset].strip(" \t")

    def indent_at(self, offset: int) -> str:
        begin = self.text.rfind("\n", 0, offset) + 1
        own = re.match(r"[ \t]*", self.text[begin:]).group(0)
        return self.indent + own if (begin == 0 and self.line_start) else (own if begin else self.indent)

    def flush(self, upto: int) -> None:
        if upto > self.start:
            self.tokens.append(Token("text", self.text[self.start:upto], self.src.line(self.start),
                                     self.indent_at(self.start)))

    def skip(self, at: int, end: int) -> int:
        """Drop text[at:end] (a definition). Its line stays, empty: as in Franklin, the text
        before and after it are separate paragraphs."""
        return self.emit("skip", "", at, end)

    def emit(self, kind: str, value: str, at: int, end: int, args: tuple = ()) -> int:
        self.flush(at)
        if kind != "skip":
            self.tokens.append(Token(kind, value, self.src.line(at), self.indent_at(at), args))
        self.start = end
        return end

    def closing(self, delimiter: str, begin: int, what: str) -> int:
        end = self.text.find(delimiter, begin)
        while end != -1 and delimiter[0] != "\\" and self.text[end - 1] == "\\":
            end = self.text.find(delimiter, end + 1)
        if end == -1:
            raise self.fail(begin, f"{what} is never closed (expected {delimiter!r})")
        return end

    def math(self, start: int, end: int) -> str:
        """The math text[start:end] with macros expanded; errors name the line of the offending part."""
        return expand_in_math(self.text[start:end], self.scanner.macros,
                              lambda offset, message: self.fail(start + offset, message))


@dataclass
class Scanner:
    """Scans one page; `macros` are the site-wide ones, the page's own are added as they come."""

    source: str  # the page, as errors name it
    macros: dict[str, Macro] = field(default_factory=dict)
    julia_functions: frozenset[str] = frozenset()  # lx_/hfun_/env_ names defined in the site's utils.jl
    meta: dict = field(default_factory=dict)  # page variables from `+++` blocks and `@def` lines
    lazy_julia: bool = False  # keep Julia-valued variables as JuliaValue (a config page) instead of failing

    def error(self, line: int, message: str) -> PageError:
        return PageError(self.source, line, message)

    def __post_init__(self) -> None:
        self.macros = {**BUILTIN_MACROS, **self.macros}

    def scan(self, src: Source, indent: str = "", depth: int = 0, line_start: bool = True) -> list[Token]:
        """Tokens of `src`; `indent`/`line_start` say where an expansion was used."""
        if depth > MAX_DEPTH:
            raise self.error(src.line(0), f"macro expansion nested deeper than {MAX_DEPTH} levels "
                                          f"(a macro that uses itself?)")
        cur = _Cursor(self, src, indent, line_start)
        text, n, i = src.text, len(src.text), 0
        while i < n:
            c = text[i]
            if (i == 0 and line_start) or (i > 0 and text[i - 1] == "\n"):
                if (fence := CODE_FENCE.match(text, i)) and fence.group(2):
                    i = self._fence(cur, fence)
                    continue
                if text.startswith("+++", i) and not text[i + 3:text.find("\n", i) if "\n" in text[i:] else n].strip():
                    i = self._toml(cur, i)
                    continue
                if c == "@" and (definition := DEF_LINE.match(text, i)):
                    name, value = definition.group(1), COMMENT.sub("", definition.group(2)).strip()
                    self.meta[name] = read_def_value(name, value, self.source, src.line(i), lazy=self.lazy_julia)
                    i = cur.skip(i, definition.end())
                    continue
            if c == "`":
                run = re.match(r"`+", text[i:]).group(0)
                end = text.find(run, i + len(run))
                i = cur.emit("inline_code", text[i:end + len(run)], i, end + len(run)) if end != -1 else i + len(run)
            elif c == "<" and text.startswith("<!--", i):  # Franklin drops comments
                i = cur.emit("skip", "", i, cur.closing("-->", i + 4, "HTML comment '<!--'") + 3)
            elif c == "~" and text.startswith("~~~", i):
                end = cur.closing("~~~", i + 3, "raw HTML block '~~~'")
                cur.flush(i)
                cur.tokens.extend(raw_tokens(src, i + 3, end, cur.indent_at(i)))
                i = cur.start = end + 3
            elif c == "$":
                double = text.startswith("$$", i)
                delimiter = "$$" if double else "$"
                what = "display math '$$'" if double else "inline math '$'"
                end = cur.closing(delimiter, i + len(delimiter), what)
                tex = cur.math(i + len(delimiter), end)
                i = cur.emit("display_math" if double else "math", tex, i, end + len(delimiter),
                             ("$$",) if double else ())
            elif c == "\\":
                i = self._backslash(cur, i, depth)
            elif c == "@" and text.startswith("@@", i):
                if (div := DIV_OPEN.match(text, i)):
                    names = tuple(x for x in div.group(1).split(",") if x)
                    i = cur.emit("div_open", div.group(0), i, div.end(), names)
                elif DIV_CLOSE.match(text, i):
                    i = cur.emit("div_close", "@@", i, i + 2)
                else:
                    i += 2
            elif c == "{" and text.startswith("{{", i):
                end = cur.closing("}}", i + 2, "function call '{{'")
                words = tuple(text[i + 2:end].split())
                if not words:
                    raise cur.fail(i, "empty '{{ }}': expected a function or variable name inside")
                i = cur.emit("hfun", words[0], i, end + 2, words[1:])
            else:
                i += 1
        cur.flush(n)
        return cur.tokens

    # -------------------------------------------------------------------------------- pieces
    def _fence(self, cur: _Cursor, fence: re.Match) -> int:
        marker, info = fence.group(2), fence.group(3).strip()
        closer = re.compile(rf"^[ \t]*{marker}`*[ \t]*$", re.M).search(cur.text, fence.end())
        if closer is None:
            raise cur.fail(fence.start(), f"code block opened with {marker} is never closed")
        if info[:1] in ("!", ">", "?", ";", "]") or ((m := EVAL_INFO.match(info)) and m.group(1) == "julia"):
            raise cur.fail(fence.start(), julia.eval_block_message(info))
        body = cur.text[fence.end() + 1:closer.start()] if closer.start() > fence.end() else ""
        return cur.emit("code", cur.text[fence.start():closer.end()], fence.start(), closer.end(),
                        (fence.group(1), marker, info, body))

    def _toml(self, cur: _Cursor, i: int) -> int:
        first = cur.text.find("\n", i)
        close = TOML_CLOSE.search(cur.text, first + 1) if first != -1 else None
        if close is None:
            raise cur.fail(i, "the '+++' block of page variables is never closed")
        self.meta.update(parse_toml_block(cur.text[i + 3:close.start()], cur.src.line(i), self.source,
                                          self.lazy_julia))
        return cur.skip(i, close.end())

    def _backslash(self, cur: _Cursor, i: int, depth: int) -> int:
        """Handle the backslash at `i`; returns where scanning goes on."""
        text, src = cur.text, cur.src
        nxt = text[i + 1:i + 2]
        if nxt == "\\":
            return cur.emit("linebreak", "<br>", i, i + 2)
        if nxt == "[":
            end = cur.closing("\\]", i + 2, "math '\\['")
            return cur.emit("display_math", cur.math(i + 2, end), i, end + 2, ("\\[",))
        if nxt == "(":
            end = cur.closing("\\)", i + 2, "math '\\('")
            return cur.emit("math", cur.math(i + 2, end), i, end + 2)
        if nxt in ESCAPES:
            return cur.emit("text", ESCAPES[nxt], i, i + 2)
        name = COMMAND_NAME.match(text, i)
        if name is None:
            return i + 2 if nxt else i + 1
        command, after = name.group(1), name.end()
        if command in ("newcommand", "newenvironment") and text[after:after + 1] == "{":
            where = f"{self.source}:{src.line(i)}"
            defined, macro, end = read_definition(text, after, command == "newenvironment", where, cur.fail)
            self.macros[defined] = macro
            return cur.skip(i, end)
        if command == "begin" and (begin := BEGIN.match(text, i)):
            return self._environment(cur, i, begin, depth)
        macro = self.macros.get(command)
        if macro is not None and macro.post is None:
            spans, end = argument_spans(text, after, macro.nargs, "\\" + command, cur.fail)
            return self._splice(cur, expansion(macro.body, [src.slice(a, b) for a, b in spans], src.line(i)),
                                i, end, depth)
        if command == "caption":
            return self._caption(cur, i, after, depth)
        if command == "style":  # Franklin: ~~~<span style="!#1">~~~!#2~~~</span>~~~
            (css, content), end = read_arguments(text, after, 2, "\\style", cur.fail)
            css = css.replace("&", "&amp;").replace('"', "&quot;")
            styled = f'~~~<span style="{css}">~~~{content}~~~</span>~~~'
            return self._splice(cur, Source.at(styled, src.line(i)), i, end, depth)
        if command in COMMAND_ARITY:
            args, end = read_arguments(text, after, COMMAND_ARITY[command], "\\" + command, cur.fail)
            return cur.emit("command", command, i, end, tuple(args))
        raise cur.fail(i, julia.command_message(command, self.julia_functions, sorted(COMMAND_ARITY)))

    def _environment(self, cur: _Cursor, i: int, begin: re.Match, depth: int) -> int:
        text, env = cur.text, begin.group(1)
        end_marker = f"\\end{{{env}}}"
        if env in MATH_ENVIRONMENTS:
            end = cur.closing(end_marker, begin.end(), f"\\begin{{{env}}}") + len(end_marker)
            return cur.emit("display_math", cur.math(i, end), i, end, ("environment", env))
        macro = self.macros.get(env)
        if macro is None or macro.post is None:
            if f"env_{env}" in self.julia_functions:
                raise cur.fail(i, julia.environment_message(env))
            raise cur.fail(i, f"unknown environment {{{env}}} outside math: not one of "
                              f"{', '.join(MATH_ENVIRONMENTS)}, and no \\newenvironment{{{env}}} defines it")
        spans, body_start = argument_spans(text, begin.end(), macro.nargs, f"\\begin{{{env}}}", cur.fail)
        args = [cur.src.slice(a, b) for a, b in spans]
        body_end = cur.closing(end_marker, body_start, f"\\begin{{{env}}}")
        # an environment is a block of its own: it closes the paragraph before it and starts a new one after
        whole = Source.join([Source.at("\n\n", cur.src.line(i)), expansion(macro.body, args, cur.src.line(i)),
                             cur.src.slice(body_start, body_end), expansion(macro.post, args, cur.src.line(body_end)),
                             Source.at("\n\n", cur.src.line(body_end))])
        return self._splice(cur, whole, i, body_end + len(end_marker), depth)

    def _caption(self, cur: _Cursor, i: int, after: int, depth: int) -> int:
        """`\\caption{alt}{text}` (this site's, for the figure before it): a `caption` command token
        holding the alt text, the tokens of `text` (math, commands and Markdown as anywhere on the page),
        and a `caption_end` command token."""
        (alt, text), end = argument_spans(cur.text, after, 2, "\\caption", cur.fail)
        cur.emit("command", "caption", i, text[0], (cur.text[alt[0]:alt[1]],))
        cur.tokens.extend(self.scan(neutralise_markdown_traps(cur.src.slice(*text)), cur.indent_at(i), depth + 1,
                                    line_start=False))
        cur.start = text[1]
        return cur.emit("command", "caption_end", text[1], end)

    def _splice(self, cur: _Cursor, expansion: Source, at: int, end: int, depth: int) -> int:
        """Scan a macro's expansion in place of its use (text[at:end])."""
        cur.flush(at)
        cur.tokens.extend(self.scan(neutralise_markdown_traps(expansion), cur.indent_at(at), depth + 1,
                                    line_start=cur.starts_line(at)))
        cur.start = end
        return end


def expansion(body: str, args: list[Source], line: int) -> Source:
    """A macro's body with its arguments in: the body's characters belong to the use's line, each
    argument keeps the lines it has on the page."""
    return Source.join([piece if isinstance(piece, Source) else Source.at(piece, line)
                        for piece in substitute_pieces(body, args)])


def raw_tokens(src: Source, start: int, end: int, indent: str) -> list[Token]:
    """Raw HTML between `start` and `end`, split around its `{{…}}` functions (Franklin fills them in
    the finished HTML, raw blocks included): `raw` tokens and `hfun` tokens marked `in_raw`."""
    tokens, pos = [], start
    for call in HFUN_CALL.finditer(src.text, start, end):
        if call.start() > pos:
            tokens.append(Token("raw", src.text[pos:call.start()], src.line(pos), indent))
        words = call.group(1).split()
        tokens.append(Token("hfun", words[0], src.line(call.start()), indent, tuple(words[1:]), in_raw=True))
        pos = call.end()
    if end > pos or not tokens:
        tokens.append(Token("raw", src.text[pos:end], src.line(pos), indent))
    return tokens


def neutralise_markdown_traps(src: Source) -> Source:
    """Python-Markdown constructs that Franklin does not have, outside code fences.

    - 4+ spaces of indentation start a code block in Python-Markdown but not in Franklin:
      such lines are dedented unless they continue a list item or a `::: identifier` directive;
    - a list item continues at its text's column in Franklin (as in CommonMark), at 4 spaces a
      level in Python-Markdown: indentation inside a list is rounded up to a multiple of 4;
    - `!!!`, `???` and `=== "…"` at the start of a line open an admonition, a collapsible block and
      a content tab in this site's Markdown: they are escaped.
    """
    pieces: list[Source] = []
    fence: str | None = None
    within: str | None = None  # "list" (a list item goes on) or "directive" (`::: x` options go on)
    offset = 0
    for line in src.text.split("\n"):
        begin, end = offset, offset + len(line)
        offset = end + 1
        piece = src.slice(begin, min(end + 1, len(src.text)))
        match = CODE_FENCE.match(line)
        stripped = line.lstrip(" \t")
        if match and match.group(2):
            marker = match.group(2)
            if fence is None:
                fence = marker
            elif marker.startswith(fence) and not match.group(3).strip():
                fence = None
        elif fence is None and stripped:
            leading = line[:len(line) - len(stripped)]
            if within == "list" and leading:  # inside a list item: indentation in 4s, as Python-Markdown counts it
                width = len(leading.expandtabs(4))
                piece = (Source.at(" " * (4 * -(-width // 4)), piece.line(0))
                         + src.slice(begin + len(leading), min(end + 1, len(src.text))))
            elif within == "directive" and leading:  # its YAML options: kept as written
                pass
            elif LIST_ITEM.match(line):
                within = "list"
            elif API_DIRECTIVE.match(line):
                within = "directive"
            elif not leading:
                within = None
            else:
                piece = src.slice(begin + len(leading), min(end + 1, len(src.text)))
            if MATERIAL_BLOCK.match(piece.text):  # plain text in Franklin
                piece = Source.at("\\", piece.line(0)) + piece
        pieces.append(piece)
    return Source.join(pieces) if pieces else src
