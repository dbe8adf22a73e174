"""Franklin.jl Markdown → Python-Markdown (as configured in mkdocs.yml).

`convert(text, source, page_uri, outputs)` rewrites one page: it is scanned once into tokens
(code, math, raw HTML, divs, commands, `{{…}}` functions, text) with macros expanded on the way
and every token knowing its line; `{{…}}` functions are applied with the page variables known;
the tokens are rendered with the page's equation numbers and bibliography known; headings get
Franklin's ids. Any other backslash command outside math is an error naming `source:line`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from site_hooks.errors import PageError
from site_hooks.franklin.assets import Assets
from site_hooks.franklin.bibliography import Bibliography, load_bibliography
from site_hooks.franklin.config import NOT_SITE, SiteConfig, is_page, is_published, load_site_config, parse_config_page
from site_hooks.franklin.functions import FunctionContext, apply_functions
from site_hooks.franklin.headings import add_heading_ids, table_of_contents
from site_hooks.franklin.macros import Macro
from site_hooks.franklin.outputs import MissingOutput, Outputs, SnippetFailed
from site_hooks.franklin.render import RAW_PLACEHOLDER, PageState, collect_labels, render
from site_hooks.franklin.scan import CODE_FENCE, EVAL_INFO, Scanner, Token, neutralise_markdown_traps
from site_hooks.franklin.source import Source
from site_hooks.mathtext import tex_to_text

__all__ = ["Assets", "Bibliography", "Converted", "MissingOutput", "NOT_SITE", "Outputs", "SiteConfig", "is_page", "is_published",
           "SnippetFailed", "convert", "find_eval_blocks", "load_bibliography", "load_site_config",
           "parse_site_macros", "plain_title", "scan_page"]

LONE_PLACEHOLDER = re.compile(r"<p>\s*(<!--franklin-raw-\d+-->)\s*</p>")
INCLUDE_LINE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+(["']?)([^"'\s]+)\1[ \t]*$""")


@dataclass
class Converted:
    markdown: str
    meta: dict = field(default_factory=dict)
    raw_html: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)

    def restore_raw_html(self, html: str) -> str:
        """Put the `~~~ … ~~~` blocks back into the rendered page and fill in `\\toc`."""
        html = LONE_PLACEHOLDER.sub(r"\1", html)  # a block's placeholder that Markdown put in a paragraph
        html = RAW_PLACEHOLDER.sub(lambda m: self.raw_html[int(m.group(1) or m.group(2))], html)
        return table_of_contents(html)


@dataclass
class ScannedPage:
    tokens: list[Token]
    meta: dict  # the page's own variables
    variables: dict  # the site's global variables overlaid with the page's
    redirects: list[str]


def check_includes(text: str, source: str, base: Path) -> None:
    """`--8<-- "path"` (pymdownx.snippets) must name an existing file under `base`."""
    for number, line in enumerate(text.split("\n"), 1):
        match = INCLUDE_LINE.match(line)
        if match and not (base / match.group(2)).is_file():
            raise PageError(source, number, f"--8<-- includes {match.group(2)!r}, which does not exist "
                            f"(paths are relative to the repository root)")


def scan_page(text: str, source: str, page_uri: str, site: SiteConfig) -> ScannedPage:
    """Scan a page (macros expanded) and apply its `{{…}}` functions."""
    scanner = Scanner(source, dict(site.macros), site.utils)
    tokens = scanner.scan(neutralise_markdown_traps(Source.of(text.replace("\r\n", "\n"))))
    variables = {"mintoclevel": 1, "maxtoclevel": 10, **site.variables, **scanner.meta}
    context = FunctionContext(variables, page_uri, source, site.layout_dir, site.utils)
    return ScannedPage(apply_functions(tokens, context), scanner.meta, variables, context.redirects)


def convert(text: str, source: str, page_uri: str, outputs: Outputs,
            site_macros: dict[str, Macro] | None = None, include_base: Path | None = None,
            bibliography: Bibliography | None = None, site: SiteConfig | None = None,
            assets: Assets | None = None, warn: Callable[[str], None] | None = None) -> Converted:
    """Convert one Franklin page. `source` names it in errors; `page_uri` is its path under docs/.

    Citations resolve to the page's `\\biblabel`s first, then to `bibliography`; the works cited
    from `bibliography` are listed in a References section appended to the page."""
    if include_base is not None:
        check_includes(text, source, include_base)
    site = site or SiteConfig()
    if site_macros:
        site = SiteConfig({**site.macros, **site_macros}, site.variables, site.utils, site.layout_dir, site.source)
    page = scan_page(text, source, page_uri, site)
    state = PageState(source, page_uri, outputs, references=bibliography or Bibliography(), assets=assets,
                      meta=page.variables, warn=warn or (lambda message: None))
    collect_labels(page.tokens, state)
    markdown = add_heading_ids(render(page.tokens, state)) + state.references.references(state.cited, page_uri)
    meta = dict(page.meta)
    if "title" in meta:
        meta["title"] = markdown_math(str(meta["title"]))
    return Converted(markdown, meta, state.raw_html, page.redirects)


def find_eval_blocks(text: str, source: str) -> list[tuple[str, str, str, int]]:
    """(language, name, code, line of the first code line) of each ```lang:name block."""
    blocks = []
    lines = text.replace("\r\n", "\n").split("\n")
    index = 0
    while index < len(lines):
        fence = CODE_FENCE.fullmatch(lines[index])
        index += 1
        if not (fence and fence.group(2)):
            continue
        start = index
        while index < len(lines) and not re.fullmatch(rf"[ \t]*{fence.group(2)}`*[ \t]*", lines[index]):
            index += 1
        if (match := EVAL_INFO.match(fence.group(3).strip())):
            blocks.append((match.group(1), match.group(2), "".join(l + "\n" for l in lines[start:index]), start + 1))
        index += 1
    return blocks


def parse_site_macros(text: str, source: str) -> dict[str, Macro]:
    """The `\\newcommand`s of a site-wide config page."""
    return parse_config_page(text, source)[0]


def markdown_math(title: str) -> str:
    """A title's `$…$` in the `\\(…\\)` form the rest of the site uses."""
    return re.sub(r"\$([^$]+)\$", r"\\(\1\\)", title)


def plain_title(title: str) -> str:
    """A title as plain text, for the browser tab, search and descriptions."""
    return tex_to_text(markdown_math(title))
