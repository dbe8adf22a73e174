"""A Franklin page rendered outside MkDocs, exactly as the site renders it: for the tests and the
benchmarks that measure the Franklin layer (`benchmarks/franklin_*.py`).

`site_markdown(root)` is Python-Markdown with the extensions and options of `root/mkdocs.yml`;
`render_page` converts one page and renders it (raw HTML and tables of contents put back).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import markdown
import yaml

from site_hooks.franklin import Converted, MissingOutput, Outputs, convert


class NoOutputs:
    """The outputs of a site without snippets: every reference to one is missing."""

    def figures(self, ref: str, page_uri: str) -> list[str]:
        raise MissingOutput(f"no snippet or figure named {ref!r} (no snippets here)")

    stdout = source = figures  # type: ignore[assignment]


@lru_cache(maxsize=None)
def _configuration(root: Path) -> tuple[tuple[str, ...], dict]:
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict):
            (name, opts), = entry.items()
            names.append(name)
            options[name] = opts or {}
        else:
            names.append(entry)
    if "pymdownx.snippets" in options:
        options["pymdownx.snippets"]["base_path"] = [str(root)]
    return tuple(names), options


def site_markdown(root: Path) -> markdown.Markdown:
    """A Markdown converter with exactly the extensions and options of `root/mkdocs.yml`."""
    names, options = _configuration(root)
    return markdown.Markdown(extensions=list(names), extension_configs=options)


def render_page(text: str, source: str, page_uri: str, root: Path, outputs: Outputs | None = None,
                **options) -> tuple[str, Converted]:
    """(HTML, Converted) of one page; `options` go to `franklin.convert` (site, assets, macros…)."""
    converted = convert(text, source, page_uri, outputs or NoOutputs(), **options)
    html = site_markdown(root).convert(converted.markdown)
    return converted.restore_raw_html(html), converted
