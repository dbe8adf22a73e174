"""Franklin.jl Markdown → Python-Markdown (as configured in mkdocs.yml).

`convert(text, source, page_uri, outputs)` rewrites one page: page variables and macros first,
then the page is scanned once into tokens (code, math, raw HTML, commands, text) and the tokens
are rendered with the page's labels and bibliography known. Every construct of BRIEF §3 is mapped;
any other backslash command outside math is an error naming `source:line`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from site_hooks.errors import PageError
from site_hooks.franklin.bibliography import Bibliography, load_bibliography
from site_hooks.franklin.macros import expand_outside_code, extract_macros, parse_site_macros
from site_hooks.franklin.outputs import MissingOutput, Outputs, SnippetFailed
from site_hooks.franklin.render import RAW_PLACEHOLDER, PageState, collect_labels, render
from site_hooks.franklin.scan import find_eval_blocks, neutralise_markdown_traps, tokenize
from site_hooks.franklin.variables import parse_def_lines, parse_front_matter
from site_hooks.mathtext import tex_to_text

__all__ = ["Bibliography", "Converted", "MissingOutput", "Outputs", "SnippetFailed", "convert", "find_eval_blocks",
           "load_bibliography", "parse_site_macros", "plain_title"]

INCLUDE_LINE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+(["']?)([^"'\s]+)\1[ \t]*$""")


@dataclass
class Converted:
    markdown: str
    meta: dict = field(default_factory=dict)
    raw_html: list[str] = field(default_factory=list)

    def restore_raw_html(self, html: str) -> str:
        """Put the `~~~ … ~~~` blocks back into the rendered page."""
        return RAW_PLACEHOLDER.sub(lambda m: self.raw_html[int(m.group(1))], html)


def check_includes(text: str, source: str, base: Path) -> None:
    """`--8<-- "path"` (pymdownx.snippets) must name an existing file under `base`."""
    for number, line in enumerate(text.split("\n"), 1):
        match = INCLUDE_LINE.match(line)
        if match and not (base / match.group(2)).is_file():
            raise PageError(source, number, f"--8<-- includes {match.group(2)!r}, which does not exist "
                            f"(paths are relative to the repository root)")


def convert(text: str, source: str, page_uri: str, outputs: Outputs,
            site_macros: dict[str, tuple[int, str]] | None = None, include_base: Path | None = None,
            bibliography: Bibliography | None = None) -> Converted:
    """Convert one Franklin page. `source` names it in errors; `page_uri` is its path under docs/.

    Citations resolve to the page's `\\biblabel`s first, then to `bibliography`; the works cited
    from `bibliography` are listed in a References section appended to the page."""
    text = text.replace("\r\n", "\n")
    if include_base is not None:
        check_includes(text, source, include_base)
    meta, text = parse_front_matter(text, source)
    defs, text = parse_def_lines(text, source)
    meta.update(defs)
    page_macros, text = extract_macros(text, source)
    macros = {**(site_macros or {}), **page_macros}
    text = expand_outside_code(text, macros, source)
    text = neutralise_markdown_traps(text)
    state = PageState(source, page_uri, outputs, text, references=bibliography or Bibliography())
    tokens = tokenize(text, source)
    collect_labels(tokens, state)
    markdown = render(tokens, state) + state.references.references(state.cited, page_uri)
    if "title" in meta:
        meta["title"] = markdown_math(str(meta["title"]))
    return Converted(markdown, meta, state.raw_html)


def markdown_math(title: str) -> str:
    """A title's `$…$` in the `\\(…\\)` form the rest of the site uses."""
    return re.sub(r"\$([^$]+)\$", r"\\(\1\\)", title)


def plain_title(title: str) -> str:
    """A title as plain text, for the browser tab, search and descriptions."""
    return tex_to_text(markdown_math(title))
