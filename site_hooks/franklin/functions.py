"""Franklin's built-in `{{…}}` functions in a page, applied to the scanned tokens.

    {{fill x}}, {{x}}                          the value of page (or global) variable x
    {{isdef x}} … {{end}}, {{isnotdef x}} …    kept when x is (not) defined
    {{if x}} … {{elseif y}} … {{else}} … {{end}}   the first branch whose variable is true
    {{isempty x}}, {{isnotempty x}}, {{ispage p…}}, {{isnotpage p…}}   likewise
    {{toc min max}}                            the page's table of contents between two levels
    {{insert file}}                            a file of the site's `_layout/` folder, as raw HTML
    {{redirect /old/path/}}                    the old address sends readers to this page
    {{page_tags}}                              the page's tags

Anything else is a Julia function of the site's utils.jl: a `page:line` error says so.
"""
from __future__ import annotations

import fnmatch
import html
from dataclasses import dataclass, field
from pathlib import Path

from site_hooks.errors import PageError
from site_hooks.franklin import julia
from site_hooks.franklin.scan import Token
from site_hooks.franklin.variables import JuliaValue

BUILTINS = {"fill", "toc", "insert", "redirect", "page_tags"}
CONDITIONS = {"if", "isdef", "ifdef", "isnotdef", "ifndef", "isndef", "isempty", "isnotempty", "ispage",
              "isnotpage"}


@dataclass
class FunctionContext:
    variables: dict  # global variables overlaid with the page's
    page_uri: str
    source: str
    layout_dir: Path | None = None
    utils: frozenset[str] = frozenset()
    redirects: list[str] = field(default_factory=list)

    def error(self, token: Token, message: str) -> PageError:
        return PageError(self.source, token.line, message)

    def value(self, token: Token, name: str):
        """A variable's value; a JuliaValue (from config.md) cannot be used here."""
        value = self.variables[name]
        if isinstance(value, JuliaValue):
            raise self.error(token, f"variable {name!r} is set at {value.where} to the Julia expression "
                                    f"{value.expression!r}, which this site cannot evaluate (it runs Python): "
                                    f"give it a plain value (string, number, true/false, array)")
        return value

    def truth(self, token: Token, name: str, args: tuple[str, ...]) -> bool:
        variables = self.variables
        if name in ("isdef", "ifdef"):
            return args[0] in variables and variables[args[0]] is not None
        if name in ("isnotdef", "ifndef", "isndef"):
            return not (args[0] in variables and variables[args[0]] is not None)
        if name in ("isempty", "isnotempty"):
            empty = variables.get(args[0]) in (None, "", [], {})
            return empty == (name == "isempty")
        if name in ("ispage", "isnotpage"):
            page = "/" + self.page_uri.removesuffix(".md")
            match = any(fnmatch.fnmatch(page, "/" + p.strip("/").removesuffix(".md").removesuffix(".html"))
                        for p in args)
            return match == (name == "ispage")
        if args[0] not in variables:
            raise self.error(token, f"{{{{if {args[0]}}}}}: no page or global variable {args[0]!r}")
        return bool(self.value(token, args[0]))


def apply_functions(tokens: list[Token], context: FunctionContext) -> list[Token]:
    """Resolve conditionals and the other built-ins; other tokens pass through."""
    out: list[Token] = []
    # each open conditional: [keeping this branch, a branch was already taken, the enclosing one keeps]
    stack: list[list[bool]] = []
    openers: list[Token] = []

    def keeping() -> bool:
        return not stack or (stack[-1][0] and stack[-1][2])

    for token in tokens:
        if token.kind != "hfun":
            if keeping():
                out.append(token)
            continue
        name, args = token.text.lower(), token.args
        if name in CONDITIONS:
            if not args:
                example = "/posts/*" if "page" in name else "title"
                raise context.error(token, f"{{{{{name}}}}} needs an argument, e.g. {{{{{name} {example}}}}}")
            value = keeping() and context.truth(token, name, args)
            stack.append([value, value, keeping()])
            openers.append(token)
        elif name in ("elseif", "else"):
            if not stack:
                raise context.error(token, f"{{{{{name}}}}} without an opening {{{{if …}}}}")
            if name == "else" and args[:1] == ("if",):
                name, args = "elseif", args[1:]
            branch = stack[-1]
            taken = branch[1]
            branch[0] = not taken and (name == "else" or context.truth(token, "if", args))
            branch[1] = taken or branch[0]
        elif name == "end":
            if not stack:
                raise context.error(token, "{{end}} without an opening {{if …}} or {{isdef …}}")
            stack.pop()
            openers.pop()
        elif keeping():
            out.extend(call(token, name, args, context))
    if stack:
        opener = openers[-1]
        raise context.error(opener, f"{{{{{' '.join((opener.text, *opener.args))}}}}} is never closed with {{{{end}}}}")
    return out


def call(token: Token, name: str, args: tuple[str, ...], context: FunctionContext) -> list[Token]:
    variables = context.variables
    if f"hfun_{name}" in context.utils and name not in BUILTINS:
        # Franklin looks in utils.jl first; a site's own version of a built-in gets the built-in here
        raise context.error(token, julia.hfun_message(name, context.utils))
    if name == "fill" and not args:
        raise context.error(token, "{{fill}} needs a variable name, e.g. {{fill title}}")
    if name == "fill" or (not args and name in variables):
        key = args[0] if name == "fill" else name
        if name == "fill" and len(args) > 1:
            raise context.error(token, f"{{{{fill {key} {args[1]}}}}} reads a variable of another page, "
                                       f"which this site does not do: repeat the value here")
        if key not in variables:
            raise context.error(token, f"{{{{fill {key}}}}}: no page or global variable {key!r}")
        value = context.value(token, key)
        text = ", ".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
        return [Token("raw" if token.in_raw else "text", text, token.line, token.indent)]
    if name == "toc":
        if args and not (len(args) == 2 and all(a.isdigit() for a in args)):
            raise context.error(token, f"{{{{toc {' '.join(args)}}}}}: expected two heading levels, e.g. {{{{toc 1 3}}}}")
        levels = tuple(args) if args else (variables.get("mintoclevel", 1), variables.get("maxtoclevel", 10))
        return [Token("command", "toc", token.line, token.indent, levels)]
    if name == "insert":
        path = (context.layout_dir / args[0]) if context.layout_dir and args else None
        if path is None or not path.is_file():
            raise context.error(token, f"{{{{insert {' '.join(args)}}}}}: no such file in the site's _layout/ "
                                       f"folder ({context.layout_dir})")
        return [Token("raw", path.read_text(), token.line, token.indent)]
    if name == "redirect":
        context.redirects.extend(args)
        return []
    if name == "page_tags":
        tags = variables.get("tags") or []
        spans = " ".join(f'<span class="page-tag">{html.escape(str(tag))}</span>' for tag in tags)
        return [Token("raw", f'<span class="page-tags">{spans}</span>', token.line, token.indent)]
    if name == "for":
        raise context.error(token, "{{for … in …}} loops are not supported on this site: write the items out")
    raise context.error(token, julia.hfun_message(name, context.utils))
