"""Math typeset at build time: the vendored KaTeX (`katex.min.js`) run in embedded V8 (mini-racer).

pymdownx.arithmatex (generic mode) leaves `<span class="arithmatex">\\(…\\)</span>` and
`<div class="arithmatex">\\[…\\]</div>` (or a bare `\\begin{align}…\\end{align}`) wherever a page
has math, its headings and table of contents included; page titles reach the navigation, header and
footer links as text such as `\\(G\\)-CNN`. `typeset_page` replaces all of them by KaTeX's HTML, so
a page shows its math without JavaScript — as Franklin's `optimize()` pre-renders KaTeX.
"""
from __future__ import annotations

import atexit
import html
import json
import re
from collections.abc import Callable
from pathlib import Path

from py_mini_racer import MiniRacer

KATEX_JS = Path(__file__).resolve().parent / "node_modules" / "katex" / "dist" / "katex.min.js"

# Errors come back as KaTeX's message, not as a V8 stack trace. LaTeX-incompatibility warnings
# (strict mode, e.g. Unicode text in math) are not errors: KaTeX renders those as the browser would.
RENDER_JS = """
function gcnnRender(tex, display) {
  try {
    return JSON.stringify({html: katex.renderToString(tex, {displayMode: display, throwOnError: true,
                                                            strict: "ignore"})});
  } catch (error) {
    return JSON.stringify({error: String(error && error.message || error)});
  }
}
"""

# One pass over the page: arithmatex's output (its TeX is HTML-escaped text, so the first closing tag
# ends it); elements whose text is never math (as for KaTeX's auto-render) and other tags, kept whole;
# `\(…\)` in text (titles in the navigation, header, footer and `\toc`).
PAGE_MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>'
                       r"|<(?P<raw>script|style|textarea|title|pre|code)\b.*?</(?P=raw)\s*>|<[^>]*>"
                       r"|\\\((?P<text>[^<]+?)\\\)", re.S)
DISPLAY_DELIMITERS = re.compile(r"\A\s*\\\[(.*)\\\]\s*\Z", re.S)
INLINE_DELIMITERS = re.compile(r"\A\s*\\\((.*)\\\)\s*\Z", re.S)


class KatexError(ValueError):
    """KaTeX refused a formula: `tex` is the formula, `message` KaTeX's own explanation."""

    def __init__(self, tex: str, message: str) -> None:
        super().__init__(f"KaTeX cannot typeset {tex!r}: {message}")
        self.tex = tex
        self.message = message


class KatexRenderer:
    """One V8 context with KaTeX loaded; each distinct (tex, display) is rendered once."""

    def __init__(self, katex_js: Path = KATEX_JS) -> None:
        if not katex_js.exists():
            raise FileNotFoundError(f"{katex_js} not found: run `npm ci --prefix site_hooks` first")
        self._context = MiniRacer()
        self._context.eval(katex_js.read_text(encoding="utf-8"))
        self._context.eval(RENDER_JS)
        self._cache: dict[tuple[str, bool], str] = {}
        self.calls = 0  # formulas actually sent to KaTeX (cache misses)

    def close(self) -> None:
        """Free the V8 context (left to garbage collection at interpreter exit, freeing can hang)."""
        self._context.close()

    def render(self, tex: str, display: bool) -> str:
        """KaTeX's HTML for `tex` (no delimiters); raises KatexError if KaTeX rejects it."""
        key = (tex, display)
        if key not in self._cache:
            self.calls += 1
            result = json.loads(self._context.call("gcnnRender", tex, display))
            if "error" in result:
                raise KatexError(tex, result["error"])
            self._cache[key] = result["html"]
        return self._cache[key]


_renderer: KatexRenderer | None = None


def renderer() -> KatexRenderer:
    """The process's renderer, created on first use (loading KaTeX into V8 takes ~30 ms)."""
    global _renderer
    if _renderer is None:
        _renderer = KatexRenderer()
        atexit.register(_renderer.close)
    return _renderer


def typeset_page(page: str, katex: KatexRenderer,
                 on_error: Callable[[KatexError], None] | None = None) -> str:
    """`page` with every arithmatex span/div and every other `\\(…\\)` in its text typeset.

    A formula KaTeX rejects raises KatexError, or, given `on_error`, is reported to it and left raw.
    """
    def typeset(tex: str, display: bool, raw: str) -> str:
        try:
            return katex.render(tex, display)
        except KatexError as error:
            if on_error is None:
                raise
            on_error(error)
            return raw

    def replace(match: re.Match) -> str:
        if match.group("text") is not None:
            return typeset(html.unescape(match.group("text")), False, match.group(0))
        if match.group("tag") is None:
            return match.group(0)
        tag, body = match.group("tag"), html.unescape(match.group("body"))
        display = tag == "div"
        # display math is `\[…\]` or a bare environment (`\begin{align}…`), which KaTeX reads whole
        delimited = (DISPLAY_DELIMITERS if display else INLINE_DELIMITERS).match(body)
        tex = (delimited.group(1) if delimited else body).strip()
        return f'<{tag} class="arithmatex">{typeset(tex, display, match.group("body"))}</{tag}>'

    return PAGE_MATH.sub(replace, page)
