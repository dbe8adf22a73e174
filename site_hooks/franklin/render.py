"""Rendering scanned tokens as Python-Markdown: math for arithmatex, commands, divs, raw HTML."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from site_hooks.errors import PageError
from site_hooks.franklin.bibliography import Bibliography, bib_id, escape
from site_hooks.franklin.outputs import MissingOutput, Outputs, SnippetFailed
from site_hooks.franklin.scan import EVAL_INFO, Token, line_of, read_args


RAW_PLACEHOLDER = re.compile(r"<!--franklin-raw-(\d+)-->")


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
    bibliography: dict[str, str] = field(default_factory=dict)  # page-local \\biblabel{key}{label}
    references: Bibliography = field(default_factory=Bibliography)  # the site's .bib
    cited: list[str] = field(default_factory=list)  # keys cited from `references`, in order
    raw_html: list[str] = field(default_factory=list)

    def error(self, offset: int, message: str) -> PageError:
        return PageError(self.source, line_of(self.text, offset), message)

    def cite_label(self, key: str, parenthetical: bool = False) -> str | None:
        """A citation's label: the page's `\\biblabel` wins over the .bib; None if neither has `key`."""
        if key in self.bibliography:
            return self.bibliography[key]
        if key in self.references:
            return self.references.parenthetical(key) if parenthetical else self.references.textual(key)
        return None

    def cite(self, command: str, keys: str, offset: int) -> list[tuple[str, str]]:
        """(key, label) of each key of `\\cite{a,b}` (`command` is cite, citet or citep), in order;
        works from the .bib are recorded for the page's References. Unknown keys are errors."""
        cited = []
        for key in (k.strip() for k in keys.split(",")):
            label = self.cite_label(key, parenthetical=command == "citep")
            if label is None:
                raise self.error(offset, f"\\{command}{{{key}}}: no entry in {self.references.source} "
                                 f"and no \\biblabel on this page")
            if key not in self.bibliography and key not in self.cited:
                self.cited.append(key)
            cited.append((key, label))
        return cited


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
            ref, _, key = args[0].partition("#")
            printed = outputs.stdout(ref, uri)
            return printed_value(printed, key, args[0]) if key else printed.strip()
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
        links = [f"[{label if key in state.bibliography else escape(label)}](#{bib_id(key)})"
                 for key, label in state.cite(name, args[0], token.offset)]
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


def printed_value(printed: str, key: str, ref: str) -> str:
    """The value a snippet printed as `key: value` or `key = value` (first such line)."""
    for line in printed.splitlines():
        match = re.match(rf"\s*{re.escape(key)}\s*[:=]\s*(.*\S)", line)
        if match:
            return match.group(1)
    raise MissingOutput(f"\\textoutput{{{ref}}}: the snippet printed no line '{key}: …' or '{key} = …'")


def snippet_tabs(ref: str, outputs: Outputs, page_uri: str) -> str:
    """Content tabs: what the snippet shows (figures, printed text) ⇄ its source."""
    path, code = outputs.source(ref, page_uri)
    parts = []
    try:
        urls = outputs.figures(ref, page_uri)
    except MissingOutput:  # a snippet that only prints
        urls = []
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
