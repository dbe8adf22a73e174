"""A Franklin site's configuration: its `config.md` (global variables and macros) and its folders.

A Franklin site keeps `config.md` at the root of its folder; this project keeps its own site-wide
macros in `docs/_config.md`. Either is read the way a page is (same scanner, same errors), and its
`@def`/`+++` variables and `\\newcommand`s apply to every page. `utils.jl` (Julia functions) is read
only to name those functions in errors; `_layout/` is where `{{insert …}}` looks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from site_hooks.franklin.julia import utils_functions
from site_hooks.franklin.macros import Macro
from site_hooks.franklin.scan import Scanner, neutralise_markdown_traps
from site_hooks.franklin.source import Source

CONFIG_PAGES = ("config.md", "_config.md")  # Franklin's, then this project's
# Folders and files of a Franklin site that are not part of the built site: layout, generated
# output, Julia code; and folders whose files are published but whose .md files are not pages.
NOT_SITE = ("_layout/", "_libs/", "__site/", "_rss/", "_literate/", "node_modules/", "config.md", "_config.md",
            "utils.jl", "README.md", "LICENSE.md", "Project.toml", "Manifest.toml")
ASSET_FOLDERS = ("_assets/", "_css/")


def is_page(uri: str) -> bool:
    """Whether a file of a Franklin site folder (path relative to it) is a page to render."""
    return uri.endswith(".md") and not uri.startswith(NOT_SITE + ASSET_FOLDERS) and uri not in NOT_SITE


def is_published(uri: str) -> bool:
    """Whether a file of a Franklin site folder belongs in the built site (as a page or a file)."""
    return not (uri.startswith(NOT_SITE) or uri in NOT_SITE)


@dataclass
class SiteConfig:
    macros: dict[str, Macro] = field(default_factory=dict)
    variables: dict = field(default_factory=dict)
    utils: frozenset[str] = frozenset()
    layout_dir: Path | None = None
    source: str | None = None  # the config page, as errors name it


def parse_config_page(text: str, source: str) -> tuple[dict[str, Macro], dict]:
    """The macros and variables a config page defines."""
    scanner = Scanner(source, lazy_julia=True)
    scanner.scan(neutralise_markdown_traps(Source.of(text.replace("\r\n", "\n"))))
    return scanner.macros, scanner.meta


def load_site_config(docs_dir: Path, display_root: Path | None = None) -> SiteConfig:
    """Read the config page, utils.jl and _layout/ of the site in `docs_dir` (each optional)."""
    config = SiteConfig(utils=utils_functions(docs_dir / "utils.jl"))
    layout = docs_dir / "_layout"
    config.layout_dir = layout if layout.is_dir() else None
    for name in CONFIG_PAGES:
        page = docs_dir / name
        if page.is_file():
            shown = page.relative_to(display_root) if display_root and page.is_relative_to(display_root) else page
            config.source = shown.as_posix()
            config.macros, config.variables = parse_config_page(page.read_text(), config.source)
            break
    return config
