"""Numbered figures: which commands show one, their `\\caption`s, their numbers and `\\figref`s.

A figure command (`\\snippet`, `\\fig`, `\\figalt`) may be followed, on the next line, by this
site's `\\caption{alt}{text}`; the scanner turns it into a `caption` token, the tokens of `text` and
a `caption_end` token. Every snippet figure is numbered in page order (an image file only when it has
a caption); a figure without `\\caption` takes its snippet's docstring as caption.
"""
from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from site_hooks.franklin.outputs import MissingOutput, SnippetFailed
from site_hooks.franklin.scan import Token
from site_hooks.mathtext import tex_to_text

if TYPE_CHECKING:
    from site_hooks.franklin.render import PageState

FIGURE_COMMANDS = ("snippet", "fig", "figalt")


def figure_id(ref: str) -> str:
    return "figure-" + re.sub(r"[^\w\-]+", "-", ref.strip()).strip("-")


def caption_alt(caption: Token) -> str:
    """The alt text of a `\\caption` token, as plain text on one line (its math read out)."""
    return tex_to_text(" ".join(caption.args[0].split()))


def collect_figures(tokens: list[Token], state: PageState) -> None:
    """Pair each `\\caption` with the figure command just before it, and number the figures in order:
    a snippet's figures, and an image file that has a caption."""
    last = None  # the index of the last figure command, while only white space follows it
    for index, token in enumerate(tokens):
        if token.kind == "command" and token.text == "caption":
            if last is None:
                raise state.error(token.line, "\\caption{alt}{text} must come right after the \\snippet, \\fig or "
                                              "\\figalt of a figure (on the next line)")
            end = next(j for j in range(index, len(tokens)) if tokens[j].text == "caption_end")
            state.captions[id(tokens[last])] = (index, end)
            if not tokens[index].args[0].strip():
                raise state.error(token.line, "\\caption{alt}{text}: the alt text (first argument) is empty; say what "
                                              "the figure shows, for readers who cannot see it")
            last = None
        elif token.kind == "command" and token.text in FIGURE_COMMANDS:
            last = index
        elif not (token.kind == "text" and not token.text.strip()):
            last = None
    for token in tokens:
        if token.kind == "command" and token.text in FIGURE_COMMANDS and shows_figure(token, state):
            state.figure_numbers[id(token)] = len(state.figure_numbers) + 1
            state.figures.setdefault(token.args[-1].strip(), state.figure_numbers[id(token)])


def shows_figure(token: Token, state: PageState) -> bool:
    """Whether a figure command shows a numbered figure (an image file: only with a caption)."""
    captioned, ref = id(token) in state.captions, token.args[-1]
    if token.text != "snippet":
        return captioned or not (state.assets is not None and state.assets.is_image(ref))
    try:
        shown = bool(state.outputs.figures(ref, state.page_uri))
    except SnippetFailed:
        return captioned
    except MissingOutput:
        shown = False
    if captioned and not shown:
        raise state.error(token.line, f"\\caption after \\snippet{{{ref}}}: that snippet makes no figure "
                                      f"(a caption describes a figure)")
    return shown


def snippet_docstring(token: Token, state: PageState) -> str:
    """The first paragraph of the docstring of the snippet a figure command shows ("" if none)."""
    if state.assets is not None and state.assets.is_image(token.args[-1]):
        return ""
    try:
        docstring = ast.get_docstring(ast.parse(state.outputs.source(token.args[-1], state.page_uri)[1])) or ""
    except (MissingOutput, SnippetFailed, SyntaxError):
        return ""
    return " ".join(docstring.split("\n\n")[0].split())


def figure_number(ref: str, token: Token, state: PageState) -> int:
    """The number of the figure `\\figref{ref}` names: one shown by `\\snippet{ref}` or `\\fig{ref}` on the page."""
    if ref.strip() not in state.figures:
        known = ", ".join(state.figures) or "none"
        raise state.error(token.line, f"\\figref{{{ref}}}: no figure on this page is shown by \\snippet{{{ref}}} "
                                      f"or \\fig{{{ref}}} (the figures here: {known})")
    return state.figures[ref.strip()]
