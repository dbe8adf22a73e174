"""MkDocs hooks (mkdocs.yml `hooks:`): Franklin pages, snippet outputs, offline math, stamp.

Event by event:
- on_startup / on_shutdown: SIGTERM ends the process as Ctrl-C does (runs stopped, nothing half-written);
  `serve`'s background runs are stopped when it ends;
- on_config: footer stamp (gcnn version + git commit), the site's Franklin config (config.md of a
  Franklin site folder, or docs/_config.md), docs/references.bib;
- on_files: every snippet's current result, from the store (`frozen/`) or run now (under `serve`,
  stale ones re-run in the background: `serve_runs`), figures published, the pages' and tutorials' executed
  notebooks (`notebooks.py`) and the vendored KaTeX as generated files — nothing is written into docs/:
  what the build writes for itself lies in its own area of the snippet store (`SnippetStore.area`);
- on_page_markdown: Franklin → Python-Markdown, first mentions of gcnn names linked to the API
  reference (api_links); on_page_content: raw HTML and tables of contents in, site-absolute links
  made relative;
- on_post_page / on_post_build: math in titles and the search index as plain text; every page's
  math typeset by KaTeX at build time (`katex_ssr`; GCNN_NOTES_KATEX_SSR=0 leaves it to the browser);
  `{{redirect}}` pages written.
"""
from __future__ import annotations

import ast
import html
import json
import logging
import os
import posixpath
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from pathspec.gitignore import GitIgnoreSpec
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from site_hooks import franklin, katex_ssr, notebooks, serve_runs  # noqa: E402
from site_hooks.docstring_math import upright_operator_names  # noqa: E402
from site_hooks.atomic import write_text_atomic  # noqa: E402
from site_hooks.api_links import link_first_mentions, load_names  # noqa: E402
from site_hooks.errors import PageError  # noqa: E402
from site_hooks.franklin.assets import relative_links  # noqa: E402
from site_hooks.mathtext import tex_to_text  # noqa: E402
from site_hooks.snippet_outputs import SnippetOutputs, discover_snippets, figure_uri  # noqa: E402
from site_hooks.serve_runs import serve_results, trigger_file  # noqa: E402
from site_hooks.snippet_runner import TIME_LIMIT, SnippetRunner, TimeLimitError  # noqa: E402
from site_hooks.snippet_store import SnippetStore  # noqa: E402

log = logging.getLogger("mkdocs.hooks.gcnn")
KATEX_DIST = ROOT / "site_hooks" / "node_modules" / "katex" / "dist"
KATEX_FILES = ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js")
BIBLIOGRAPHY = "references.bib"  # published with the site as a download
# The snippet results: committed in frozen/ (GCNN_NOTES_CACHE: another folder, e.g. empty for a cold build).
STORE_DIR = Path(os.environ.get("GCNN_NOTES_CACHE", ROOT / "frozen"))
KATEX_SSR = os.environ.get("GCNN_NOTES_KATEX_SSR", "1") != "0"  # 0: math typeset in the browser only
JUPYTER = "mkdocs-jupyter"  # its conversions, passed on from build to build in the store

state: dict = {"command": "build", "converted": {}}


def on_startup(command: str, dirty: bool) -> None:
    state["command"] = command
    if threading.current_thread() is threading.main_thread():  # SIGTERM ends a build as Ctrl-C does
        signal.signal(signal.SIGTERM, interrupt)


def interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def on_shutdown() -> None:
    """`serve` (or a build) ends: snippets still running in the background are stopped."""
    serve_runs.shutdown()


def on_config(config):
    config.copyright = build_stamp()
    state["katex_seconds"] = 0.0
    try:
        state["site"] = franklin.load_site_config(Path(config.docs_dir), ROOT)
    except PageError as exc:
        raise PluginError(str(exc)) from None
    state["assets"] = franklin.Assets(Path(config.docs_dir))
    if state["site"].source and Path(state["site"].source).name == "config.md":  # a Franklin site folder
        config.exclude_docs = exclude_franklin_internals(config.exclude_docs)
    state["redirects"] = {}
    try:
        state["bibliography"] = load_bibliography(Path(config.docs_dir))
    except PageError as exc:
        raise PluginError(str(exc)) from None
    try:
        state["api_names"] = load_names(Path(config.docs_dir) / "api", ROOT)
    except PageError as exc:
        raise PluginError(str(exc)) from None
    try:
        state["time_limits"] = snippet_time_limits(config.extra)
        if "mkdocs-jupyter" in config.plugins:  # its conversion cache: this process's copy of the one builds share
            config.plugins["mkdocs-jupyter"].config["cache_dir"] = str(SnippetStore(STORE_DIR).take_shared(JUPYTER))
    except (PageError, OSError) as exc:
        raise PluginError(str(exc)) from None
    return config


def snippet_time_limits(extra) -> dict:
    """`extra: snippets: {time_limit: seconds, time_limits: {name: seconds}}` of mkdocs.yml, checked."""
    settings = extra.get("snippets") or {}
    if not isinstance(settings, dict) or set(settings) - {"time_limit", "time_limits"}:
        raise PageError(f"mkdocs.yml: extra.snippets takes time_limit (seconds) and time_limits (seconds by "
                        f"snippet name), got {settings!r}")
    limits = {"time_limit": settings.get("time_limit", TIME_LIMIT), "time_limits": settings.get("time_limits") or {}}
    if not isinstance(limits["time_limits"], dict):
        raise PageError(f"mkdocs.yml: extra.snippets.time_limits maps snippet names (section/stem) to seconds, "
                        f"got {limits['time_limits']!r}")
    return limits


def load_bibliography(docs_dir: Path) -> franklin.Bibliography:
    """The site's references.bib (published as a download); a site folder without one (a Franklin
    site) still has this project's, which its tutorials cite from, but not as a download."""
    own = docs_dir / BIBLIOGRAPHY
    path, uri = (own, BIBLIOGRAPHY) if own.exists() else (ROOT / "docs" / BIBLIOGRAPHY, None)
    shown = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()
    return franklin.load_bibliography(path, shown, uri=uri)


def exclude_franklin_internals(spec):
    """`exclude_docs` plus what a Franklin site folder holds besides pages (README.md beside index.md…)."""
    extra = GitIgnoreSpec.from_lines(f"/{name}" for name in franklin.NOT_SITE)
    return extra if spec is None else GitIgnoreSpec(list(spec.patterns) + list(extra.patterns))


def build_stamp() -> str:
    tree = ast.parse((ROOT / "gcnn" / "__init__.py").read_text())
    version = next((node.value.value for node in tree.body if isinstance(node, ast.Assign)
                    and getattr(node.targets[0], "id", None) == "__version__"), "unknown")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += "+uncommitted changes" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown (not a git checkout)"
    return f"Built with gcnn {version} at commit {commit}"


@event_priority(50)  # before mkdocs-jupyter's on_files, which must see the generated tutorials
def on_files(files, config):
    files = without_franklin_internals(files)
    snippets = discover_snippets(ROOT, Path(config.docs_dir))
    try:
        runner = SnippetRunner(ROOT, STORE_DIR, jobs=int(os.environ.get("GCNN_NOTES_JOBS", "2")), report=log.info,
                               **state["time_limits"])
        plan = runner.plan(snippets)
    except TimeLimitError as exc:
        raise PluginError(f"mkdocs.yml: extra.snippets: {exc}") from None
    except PageError as exc:
        raise PluginError(str(exc)) from None
    try:
        results = snippet_results(runner, plan, snippets)
    except OSError as exc:
        raise PluginError(f"writing the snippets' results failed (their cache: {STORE_DIR}): {exc}") from None
    failures = [r for r in results.values() if r.error]
    for result in failures:
        message = f"snippet failed: {result.error['location']}: {result.error['message']}\n{result.error['traceback']}"
        if state["command"] == "serve":
            log.error(message)
        else:
            raise PluginError(message)
    for result in results.values():
        if result.stderr.strip():
            log.warning("%s wrote to stderr:\n%s", result.snippet.origin, result.stderr.rstrip())
        for name, path in zip(result.files, result.paths):
            files.append(File.generated(config, figure_uri(result, name), abs_src_path=str(path)))
    state["outputs"] = SnippetOutputs(results)
    try:
        state["notebooks"] = notebooks.publish(files, config, state["outputs"], state["site"],
                                               state["bibliography"], ROOT, runner.store.area() / "notebooks")
    except PageError as exc:
        raise PluginError(str(exc)) from None
    except OSError as exc:
        raise PluginError(f"cannot write the executed notebooks: {exc}") from None
    add_katex(files, config)
    return files


def snippet_results(runner: SnippetRunner, plan, snippets) -> dict:
    """Every snippet's result to publish: current ones from the store, the others run now (`serve`:
    in the background where there is an earlier result to show), as a view of this build's own."""
    if runner.store.read_only:
        log_cache = log.warning if plan.runs else log.info
        log_cache("snippets: the cache %s cannot be written (%s): building without it — %d snippet(s) run and "
                  "their results are not kept", STORE_DIR, runner.store.read_only, len(plan.runs))
    if state["command"] == "serve":
        results = serve_results(runner, plan, runner.store.area())
    else:
        results = {**plan.current, **runner.execute(plan.runs)}
    for name in runner.store.prune(snippets, ROOT):
        log.info("snippets: removed the stored result of %s (the snippet is gone)", name)
    log.info("snippets: %d cached, %d ran", len(runner.last.hits), len(runner.last.ran))
    return runner.store.view(results)


def without_franklin_internals(files):
    """A Franklin site folder holds more than pages: its config, layout, Julia code, built output."""
    for file in list(files):
        if file.generated_by is None and (not franklin.is_published(file.src_uri)
                                          or (file.is_documentation_page() and not franklin.is_page(file.src_uri))):
            files.remove(file)
    return files


def add_katex(files, config) -> None:
    if not (KATEX_DIST / "katex.min.js").exists():
        raise PluginError("KaTeX is not vendored: run `npm ci --prefix site_hooks` (or ./tasks setup) first")
    paths = [KATEX_DIST / name for name in KATEX_FILES] + sorted((KATEX_DIST / "fonts").glob("*.woff2"))
    for path in paths:
        uri = "assets/katex/" + path.relative_to(KATEX_DIST).as_posix()
        files.append(File.generated(config, uri, abs_src_path=str(path)))


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):  # a tutorial: mkdocs-jupyter renders it
        return markdown
    source = page_source(page.file)
    try:
        converted = franklin.convert(markdown, source, page.file.src_uri, state["outputs"], include_base=ROOT,
                                     bibliography=state["bibliography"], site=state["site"],
                                     assets=state["assets"], warn=log.warning)
    except PageError as exc:
        raise PluginError(str(exc)) from None
    page.meta.update(converted.meta)
    if converted.redirects:
        state["redirects"][page.file.url] = converted.redirects
    if "excerpt" in converted.meta and "description" not in page.meta:
        page.meta["description"] = re.sub(r"[*_`]", "", tex_to_text(str(converted.meta["excerpt"])))
    state["converted"][page.file.src_uri] = converted
    markdown = updating_note(page.file.src_uri) + link_first_mentions(converted.markdown, state["api_names"])
    if page.file.src_uri in state["notebooks"]:
        link = posixpath.relpath(state["notebooks"][page.file.src_uri], posixpath.dirname(page.file.src_uri) or ".")
        return notebooks.download_button(markdown, link)
    return markdown


def updating_note(page_uri: str) -> str:
    """`serve`: a note on a page shown with outputs whose snippets are re-running."""
    names = state["outputs"].updating_on(page_uri)
    if not names:
        return ""
    listed = ", ".join(f"`{name}`" for name in names)
    return (f'!!! note "Updating"\n    The outputs of {listed} are from an earlier run: the snippet is running '
            f"again with changed inputs. This page reloads when the new outputs are ready.\n\n")


def page_source(file) -> str:
    """How errors name a page: its path from the project root (`docs/x.md`, `my-site/posts/y.md`)."""
    path = Path(file.abs_src_path)
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def on_page_content(html_text, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        return notebooks.notebook_page_html(html_text, posixpath.basename(page.file.src_uri),
                                            notebooks.figure_alts(Path(page.file.abs_src_path)))
    converted = state["converted"].pop(page.file.src_uri, None)
    if converted is None:
        return html_text
    if page.file.src_uri.startswith("api/"):  # docstrings: their math is written for help() too
        html_text = upright_operator_names(html_text)
    return relative_links(converted.restore_raw_html(html_text), page.url, Path(config.docs_dir))


def on_post_page(output, page, config):
    """The tab title, meta tags and aria-labels cannot typeset math: give them plain text; typeset the rest."""
    def plain(match: re.Match) -> str:
        return match.group(1) + html.escape(tex_to_text(html.unescape(match.group(2))), quote=True) + match.group(3)
    output = re.sub(r"(<title>)(.*?)(</title>)", plain, output, count=1, flags=re.S)
    output = re.sub(r'(<meta\s+(?:name|property)="[^"]*"\s+content=")([^"]*)(")', plain, output)
    output = re.sub(r'(aria-label=")([^"]*?\\\([^"]*)(")', plain, output)  # screen readers: \(G\)-CNN as G-CNN
    return typeset_math(output, page_source(page.file)) if KATEX_SSR else output


def on_post_template(output, template_name, config):
    """404.html lists the navigation too."""
    return typeset_math(output, template_name) if KATEX_SSR and template_name.endswith(".html") else output


def typeset_math(output: str, source: str) -> str:
    """KaTeX HTML for the page's math; a formula KaTeX rejects fails the build (serve: stays raw)."""
    def report(error: katex_ssr.KatexError) -> None:
        log.error("%s: %s", source, error)
    start = time.perf_counter()
    try:
        return katex_ssr.typeset_page(output, katex_ssr.renderer(),
                                      on_error=report if state["command"] == "serve" else None)
    except katex_ssr.KatexError as error:
        raise PluginError(f"{source}: {error}") from None
    finally:
        state["katex_seconds"] += time.perf_counter() - start


@event_priority(-50)  # after the search index is written and mkdocs-jupyter has evicted what went unused
def on_post_build(config):
    """Search shows titles and text as plain text, so math in it is read out as text; the notebook
    conversions this build used are passed on to later builds."""
    write_redirects(Path(config.site_dir), config.use_directory_urls)
    if "mkdocs-jupyter" in config.plugins:
        try:
            SnippetStore(STORE_DIR).pass_on(JUPYTER)
        except OSError as exc:
            log.warning("the notebook conversions could not be kept for later builds: %s", exc)
    if KATEX_SSR:
        log.info("math typeset by KaTeX in %.2f s", state["katex_seconds"])
    index_path = Path(config.site_dir) / "search" / "search_index.json"
    if not index_path.exists():
        return
    index = json.loads(index_path.read_text())
    for doc in index.get("docs", []):
        for key in ("title", "text"):
            if key in doc:
                doc[key] = tex_to_text(doc[key])
    write_text_atomic(index_path, json.dumps(index, separators=(",", ":")))


def write_redirects(site_dir: Path, directory_urls: bool) -> None:
    """`{{redirect /old/}}` on a page: the old address sends the reader to the page."""
    for target_url, sources in state["redirects"].items():
        for old in sources:
            old = old.strip("/")
            path = site_dir / old if old.endswith(".html") else site_dir / old / "index.html"
            target = posixpath.relpath(target_url or ".", posixpath.dirname(path.relative_to(site_dir).as_posix()) or ".")
            write_text_atomic(path, f'<!doctype html><meta charset="utf-8"><title>Redirect</title>'
                                    f'<meta http-equiv="refresh" content="0; url={html.escape(target)}">'
                                    f'<link rel="canonical" href="{html.escape(target)}">'
                                    f'<a href="{html.escape(target)}">This page has moved.</a>\n')


def on_serve(server, config, builder):
    for folder in ("snippets", "gcnn"):
        server.watch(str(ROOT / folder))
    ready = trigger_file(SnippetStore(STORE_DIR).area())  # touched when snippets re-run in the background are done
    ready.parent.mkdir(parents=True, exist_ok=True)
    server.watch(str(ready.parent))
    return server
