"""Franklin page → jupytext Markdown: the page's prose as Markdown cells, its snippets as code cells.

The prose is made Jupyter-friendly: math as `$…$` / `$$…$$` (a `\\label` becomes `\\tag{n}`),
`\\textoutput` replaced by its value, citations by their plain labels, `\\eqref` by "(n)", `\\figref`
by "Figure n", a figure's caption (or its snippet's docstring) as "*Figure n.* …" after it, and
`\\toc`, `@@` divs and `\\label` dropped. Every `\\snippet`, `\\fig`, `\\figalt`, `\\output` and
`\\input` (and every evaluated ```` ```python:name ```` block) becomes one ```` ```python ```` code
cell, the first time its snippet is named; the cell's metadata `snippet` holds the snippet's name,
so that the outputs of the site build can be attached to it. Other code blocks stay Markdown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from site_hooks.franklin import SiteConfig, scan_page
from site_hooks.franklin.assets import Assets
from site_hooks.franklin.bibliography import Bibliography
from site_hooks.franklin.figures import caption_alt, figure_number, snippet_docstring
from site_hooks.franklin.outputs import MissingOutput, Outputs, SnippetFailed
from site_hooks.franklin.render import (INLINE_COMMANDS, PageState, collect_labels, inline_value,
                                        katex_display)
from site_hooks.franklin.scan import EVAL_INFO, Token

SNIPPET_COMMANDS = {"snippet": 0, "fig": 0, "figalt": 1, "output": 0, "input": 1}  # command → index of the ref
DROPPED_COMMANDS = ("toc", "tableofcontents", "label", "biblabel")


class NotebookOutputs(Outputs, Protocol):
    def name(self, ref: str, page_uri: str) -> str:
        """The snippet name a reference resolves to (raises `MissingOutput` if none)."""


@dataclass
class NotebookSource:
    """A page as jupytext Markdown, its page variables, and its snippets in order of appearance."""

    markdown: str
    meta: dict = field(default_factory=dict)
    snippets: list[str] = field(default_factory=list)
    alts: dict[str, str] = field(default_factory=dict)  # snippet name → the alt text of its figures


def to_jupytext(text: str, source: str, page_uri: str, outputs: NotebookOutputs,
                site: SiteConfig | None = None,
                bibliography: Bibliography | None = None) -> NotebookSource:
    """Convert one Franklin page; `source` names it in errors, `page_uri` resolves `./name` refs.

    Citations resolve as on the site (the page's `\\biblabel`s, then `bibliography`); the works cited
    from `bibliography` are listed in a References section at the end, as on the site."""
    page = scan_page(text, source, page_uri, site or SiteConfig())
    state = PageState(source, page_uri, outputs, references=bibliography or Bibliography())
    collect_labels(page.tokens, state)
    writer = _Writer(state, outputs)
    # no link to the .bib: a relative link does not survive the notebook's download
    markdown = writer.write(page.tokens) + state.references.references(state.cited, page_uri, link_bibtex=False)
    return NotebookSource(markdown, dict(page.meta), writer.snippets, writer.alts)


def shows_snippets(tokens: list[Token]) -> bool:
    """Whether scanned page tokens show any snippet output (an image file in `\\fig` is not one)."""
    for token in tokens:
        if token.kind == "command" and token.text in SNIPPET_COMMANDS:
            if not (token.text in ("fig", "figalt") and Assets.is_image(token.args[-1])):
                return True
        if token.kind == "code" and (match := EVAL_INFO.match(token.args[2])) and match.group(1) == "python":
            return True
    return False


def display_math(token: Token, state: PageState) -> str:
    """`$$ … $$` with the site's equation number as `\\tag{n}` (environments as the site draws them)."""
    tex = katex_display(token, state.numbers.get(id(token))).removeprefix("\\[").removesuffix("\\]")
    lines = "\n".join(line.strip() for line in tex.split("\n") if line.strip())
    return f"\n\n$$\n{lines}\n$$\n\n"


def code_cell(name: str, code: str) -> str:
    if "```" in code:
        raise MissingOutput(f"snippet {name} contains ``` and cannot be a jupytext code cell")
    return f'\n\n```python snippet="{name}"\n{code.rstrip()}\n```\n\n'


class _Writer:
    def __init__(self, state: PageState, outputs: NotebookOutputs):
        self.state = state
        self.outputs = outputs
        self.snippets: list[str] = []
        self.alts: dict[str, str] = {}
        self.figure = 0  # the number of the last figure written

    def write(self, tokens: list[Token]) -> str:
        self.tokens = tokens
        out: list[str] = []
        divs: list[str] = []  # the classes of the open divs, innermost last
        for token in tokens:
            kind = token.kind
            if kind in ("text", "inline_code", "raw"):
                out.append(token.text)
            elif kind == "linebreak":
                out.append("<br>")
            elif kind == "code":
                out.append(self.code(token))
            elif kind == "math":
                out.append("$" + " ".join(token.text.split()) + "$")
            elif kind == "display_math":
                out.append(display_math(token, self.state))
            elif kind == "command" and token.text in ("caption", "caption_end"):
                out.append(f"\n\n*Figure {self.figure}.* " if token.text == "caption" else "\n\n")
            elif kind == "command":
                out.append(self.command(token, list(token.args)) + self.after_figure(token))
            elif kind == "div_open":
                divs.append(token.args[0])
                out.append("\n\n<details><summary>Solution</summary>\n\n" if token.args[0] == "solution" else "")
            elif kind == "div_close":
                out.append("\n\n</details>\n\n" if divs and divs.pop() == "solution" else "")
            # other divs are the site's styling, nothing for a notebook; a solution stays collapsed
            # (an HTML <details> in the Markdown cell: solutions hold no code cells)
        return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip() + "\n"

    def after_figure(self, token: Token) -> str:
        """After a figure command: its number and alt text noted; the docstring caption if the page gives none."""
        if id(token) not in self.state.figure_numbers:
            return ""
        self.figure = self.state.figure_numbers[id(token)]
        span = self.state.captions.get(id(token))
        if span and not Assets.is_image(token.args[-1]):
            self.alts.setdefault(self.outputs.name(token.args[-1], self.state.page_uri),
                                 caption_alt(self.tokens[span[0]]))
        docstring = "" if span else snippet_docstring(token, self.state)
        return f"\n\n*Figure {self.figure}.* {docstring}\n\n" if docstring else ""

    def snippet(self, ref: str, line: int) -> str:
        try:
            name = self.outputs.name(ref, self.state.page_uri)
            _, code = self.outputs.source(ref, self.state.page_uri)
        except MissingOutput as exc:
            raise self.state.error(line, str(exc)) from None
        if name in self.snippets:
            return ""
        self.snippets.append(name)
        return code_cell(name, code)

    def code(self, token: Token) -> str:
        match = EVAL_INFO.match(token.args[2])
        if match and match.group(1) == "python":
            return self.snippet("./" + match.group(2), token.line)
        return f"\n\n<!-- #region -->\n{token.text}\n<!-- #endregion -->\n\n"

    def command(self, token: Token, args: list[str]) -> str:
        name, state = token.text, self.state
        if name in ("fig", "figalt") and Assets.is_image(args[-1]):  # an image file of the site, not a snippet
            return f"![{args[0] if name == 'figalt' else ''}]({args[-1].strip()})"
        if name in SNIPPET_COMMANDS:
            return self.snippet(args[SNIPPET_COMMANDS[name]], token.line)
        if name in DROPPED_COMMANDS:
            return ""
        if name in INLINE_COMMANDS:
            try:
                return inline_value(name, args[0], self.outputs, state.page_uri)
            except SnippetFailed as exc:
                return f"(snippet failed: {exc.location})"
            except MissingOutput as exc:
                raise state.error(token.line, str(exc)) from None
        if name in ("cite", "citet", "citep"):
            joined = "; ".join(label for _, label in state.cite(name, args[0], token.line))
            return f"({joined})" if name == "citep" else joined
        if name == "eqref":
            if args[0] not in state.equations:
                raise state.error(token.line, f"\\eqref{{{args[0]}}}: no display equation has \\label{{{args[0]}}}")
            return f"({state.equations[args[0]]})"
        if name == "figref":
            return f"Figure {figure_number(args[0], token, state)}"
        raise state.error(token.line, f"\\{name} has no notebook form yet (site_hooks/franklin/notebook.py)")
