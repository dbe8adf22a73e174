"""Executed Jupyter notebooks from pages and tutorials, with the stored outputs of the snippets.

A page's notebook is composed as jupytext Markdown (`franklin.notebook.to_jupytext`), read with
jupytext, and each code cell gets the outputs that the site build already has for its snippet:
printed text as a `stream`, figures as `display_data` (SVG as `image/svg+xml`, PNG and GIF
base64). Nothing runs a second time: a notebook changes exactly when its page or a snippet
result changes. Notebooks are written outside `docs/` (in the build's area of the snippet store) and published
as generated files: `notebooks/<page>.ipynb` for content pages, `tutorials/<name>.ipynb` for the
tutorials in `snippets/tutorials/*.md`, which mkdocs-jupyter renders as pages.
"""
from __future__ import annotations

import base64
import posixpath
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

import jupytext
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

from site_hooks.atomic import write_text_atomic
from site_hooks.franklin import SiteConfig, plain_title, scan_page
from site_hooks.franklin.bibliography import Bibliography
from site_hooks.franklin.notebook import NotebookSource, shows_snippets, to_jupytext
from site_hooks.snippet_outputs import SnippetOutputs
from site_hooks.snippet_store import Result

PAGE_DIR = "notebooks"
TUTORIAL_DIR = "tutorials"
TUTORIAL_SOURCES = Path("snippets") / "tutorials"
IMAGE_TYPES = {"png": "image/png", "gif": "image/gif"}
GENERIC_ALT = "No description has been provided for this image"  # what nbconvert gives an image without one
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
STYLE_CELL = ("import matplotlib.pyplot as plt\n\nfrom gcnn.viz import STYLE\n\n"
              "plt.style.use(STYLE)  # the figure style of the site's build")
SNIPPET_REF = re.compile(r"\\(?:snippet|fig|figalt|output|input)\{|^```python:", re.M)


@dataclass(frozen=True)
class Notebook:
    uri: str  # where the site publishes it: notebooks/<page>.ipynb or tutorials/<name>.ipynb
    text: str  # the .ipynb JSON


RUN_HINT = "To run it, use an environment with the repository's `gcnn` package installed (`pip install -e .` in a checkout)."


def wants_notebook(text: str, source: str, site: SiteConfig) -> bool:
    """Whether a page shows any snippet (and so deserves a notebook), unless its front matter
    says `notebook = false` (the landing page)."""
    if SNIPPET_REF.search(text) is None:  # cheap: most pages of a Franklin site show no snippet
        return False
    page = scan_page(text, source, source, site)
    return page.variables.get("notebook", True) is not False and shows_snippets(page.tokens)


def cell_outputs(result: Result, alt: str = "") -> list:
    """The outputs a snippet result shows, as notebook outputs: printed text, then each figure (with
    `alt`, the page's alt text for it, as its plain-text form and in its metadata)."""
    outputs = []
    if result.error:
        return [new_output("stream", name="stderr", text=result.failure_text)]
    if result.stdout:
        outputs.append(new_output("stream", name="stdout", text=result.stdout))
    for name, path in zip(result.files, result.paths):
        extension = name.rsplit(".", 1)[-1]
        data = {"text/plain": alt or f"<figure {name}>"}
        if extension == "svg":
            data["image/svg+xml"] = path.read_text()
        elif extension in IMAGE_TYPES:
            data[IMAGE_TYPES[extension]] = base64.b64encode(path.read_bytes()).decode("ascii")
        else:
            raise ValueError(f"{result.snippet.origin} wrote {name}: expected an .svg, .png or .gif figure")
        outputs.append(new_output("display_data", data=data, metadata={"alt": alt} if alt else {}))
    return outputs


def figure_alts(notebook_path: Path) -> list[str]:
    """The alt texts of a notebook's figures, in order ("" where a figure has none)."""
    notebook = nbformat.read(notebook_path, as_version=4)
    return [output.get("metadata", {}).get("alt", "") for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.get("outputs", []) if output.output_type == "display_data"
            and any(kind.startswith("image/") for kind in output.get("data", {}))]


def build_notebook(source: NotebookSource, outputs: SnippetOutputs, intro: str,
                   styled: bool = False) -> nbformat.NotebookNode:
    """The notebook of a converted page: its `# Title`, `intro`, (if `styled`) a cell that sets the site's
    matplotlib style, then the rest of the page with the cached outputs on its code cells."""
    notebook = jupytext.reads(source.markdown, fmt="md")
    head = []  # the page's `# Title` stays on top, in a cell of its own
    first = notebook.cells[0] if notebook.cells else None
    if first is not None and first.cell_type == "markdown" and first.source.startswith("# "):
        title, _, rest = first.source.partition("\n")
        head = [new_markdown_cell(title)]
        first.source = rest.strip()
        if not first.source:
            notebook.cells.pop(0)
    setup = [new_code_cell(STYLE_CELL, metadata={"tags": ["setup"]})] if styled else []
    notebook.cells[:0] = [*head, new_markdown_cell(intro), *setup]
    count = 0
    for cell in notebook.cells:
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            if "snippet" in cell.metadata:
                name = cell.metadata["snippet"]
                cell.outputs = cell_outputs(outputs.results[name], source.alts.get(name, ""))
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"
    notebook.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    nbformat.validate(notebook)
    return notebook


def page_intro(title: str, source: str, site_url: str | None, page_url: str) -> str:
    where = f"[{title}]({site_url.rstrip('/')}/{page_url})" if site_url else f"*{title}*"
    return (f"This notebook is the page {where} of *gcnn-notes* (source: `{source}`). Its code cells are the "
            f"page's snippets and the outputs are those of the site build. {RUN_HINT}")


def page_notebook(text: str, source: str, page_uri: str, outputs: SnippetOutputs, site: SiteConfig,
                  bibliography: Bibliography | None, site_url: str | None, page_url: str,
                  styled: bool = False) -> Notebook:
    """The notebook of one content page `docs/<page_uri>`."""
    converted = to_jupytext(text, source, page_uri, outputs, site, bibliography)
    title = plain_title(str(converted.meta.get("title", page_uri.removesuffix(".md"))))
    notebook = build_notebook(converted, outputs, page_intro(title, source, site_url, page_url), styled)
    return Notebook(posixpath.join(PAGE_DIR, page_uri.removesuffix(".md") + ".ipynb"), nbformat.writes(notebook) + "\n")


def tutorial_notebook(path: Path, root: Path, outputs: SnippetOutputs, site: SiteConfig,
                      bibliography: Bibliography | None, styled: bool = False) -> Notebook:
    """The notebook of one tutorial `snippets/tutorials/<name>.md`."""
    source = path.relative_to(root).as_posix()
    converted = to_jupytext(path.read_text(), source, posixpath.join(TUTORIAL_DIR, path.name), outputs, site,
                            bibliography)
    intro = (f"A tutorial of *gcnn-notes* (source: `{source}`). The code cells are snippets of the notes and "
             f"the outputs are those of the site build, computed once and shared with the pages. {RUN_HINT}")
    notebook = build_notebook(converted, outputs, intro, styled)
    return Notebook(posixpath.join(TUTORIAL_DIR, path.stem + ".ipynb"), nbformat.writes(notebook) + "\n")


def write_if_changed(path: Path, text: str) -> None:
    """Write atomically, and not at all when the file already holds `text` (keeps mtimes stable)."""
    if path.exists() and path.read_text() == text:
        return
    write_text_atomic(path, text)


def download_button(markdown: str, notebook_link: str) -> str:
    """A download button right after the page's first `# ` heading (or at the top)."""
    name = posixpath.basename(notebook_link)
    button = (f'[Download this page as a notebook]({notebook_link})'
              f'{{ .md-button .notebook-download download="{name}" }}')
    match = re.search(r"^# .*$", markdown, re.M)
    at = match.end() if match else 0
    return f"{markdown[:at]}\n\n{button}\n\n{markdown[at:]}"


def notebook_page_html(html: str, notebook_name: str, alts: list[str] = ()) -> str:
    """A notebook page rendered by mkdocs-jupyter: its empty MathJax `<script src="">` removed (KaTeX
    typesets the math), its figures' alt texts in place of nbconvert's generic one (`alts`, in the
    order of the figures), and a download button for the .ipynb (which lies next to the page)."""
    html = re.sub(r'<script src="">\s*</script>', "", html)
    given = iter(alts)
    html = re.sub(f'alt="{GENERIC_ALT}"',
                  lambda m: f'alt="{escape(alt, quote=True)}"' if (alt := next(given, "")) else m.group(0), html)
    button = (f'<p><a href="{notebook_name}" class="md-button notebook-download" download="{notebook_name}">'
              f'Download this tutorial as a notebook</a></p>')
    match = re.search(r"</h1>", html)
    at = match.end() if match else 0
    return html[:at] + button + html[at:]


def publish(files, config, outputs: SnippetOutputs, site: SiteConfig, bibliography: Bibliography | None, root: Path,
            out_dir: Path) -> dict[str, str]:
    """Build every page and tutorial notebook, write them under `out_dir` and add them to `files`.

    Returns {page src_uri: notebook uri} for the content pages that got a notebook.
    """
    from mkdocs.structure.files import File

    notebooks, pages = [], {}
    styled = (root / "gcnn" / "viz" / "__init__.py").exists()  # the site's figure style, if the package has one
    for file in files.documentation_pages():
        if not file.src_uri.endswith(".md") or file.abs_src_path is None:
            continue
        text = Path(file.abs_src_path).read_text()
        source = f"{Path(config.docs_dir).name}/{file.src_uri}"
        if wants_notebook(text, source, site):
            notebook = page_notebook(text, source, file.src_uri, outputs,
                                     site, bibliography, config.site_url, file.url, styled)
            notebooks.append(notebook)
            pages[file.src_uri] = notebook.uri
    for path in sorted((root / TUTORIAL_SOURCES).glob("*.md")):
        notebooks.append(tutorial_notebook(path, root, outputs, site, bibliography, styled))
    for notebook in notebooks:
        target = out_dir / notebook.uri
        write_if_changed(target, notebook.text)
        # src_dir (not File.generated): mkdocs-jupyter wraps the file and derives abs_src_path from it
        files.append(File(notebook.uri, str(out_dir), config.site_dir, config.use_directory_urls))
    return pages
