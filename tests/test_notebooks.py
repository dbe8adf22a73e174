"""Downloadable notebooks: the Franklin → jupytext converter, and the notebooks of a real build
(valid, with the cached snippet outputs attached, one of them executed top to bottom)."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from conftest import FakeOutputs
from site_hooks import notebooks
from site_hooks.errors import PageError
from site_hooks.franklin.notebook import to_jupytext

CONTENT_PAGES = ("first-class", "representation-theory", "steerable", "equivariant-gnn")
TUTORIALS = ("cnn-vs-gcnn", "egnn-nbody")


class Outputs(FakeOutputs):
    """FakeOutputs that also resolve a reference to a snippet name, as `SnippetOutputs.name` does."""

    def name(self, ref, page_uri):
        self._check(ref)
        return ref


def convert(text, outputs=None):
    return to_jupytext(text, "docs/page.md", "page.md", outputs or Outputs(sources={"a/one": "print(1)\n"}))


def test_math_becomes_dollar_math_with_tags_for_labels():
    text = ("Inline $x$ and \\(y\\).\n\n$$ a = b \\label{eq:a} $$\n\n\\begin{align} c &= d \\label{eq:c} \\end{align}\n\n"
            "See \\eqref{eq:c} and \\eqref{eq:a}.\\label{x}\n")
    markdown = convert(text).markdown
    assert "Inline $x$ and $y$." in markdown
    assert "$$\na = b\n\\tag{1}\n$$" in markdown
    assert "$$\n\\begin{aligned}c &= d\\end{aligned}\n\\tag{2}\n$$" in markdown  # one number per block
    assert "See (2) and (1)." in markdown and "\\label" not in markdown


def test_textoutput_citations_toc_and_divs():
    outputs = Outputs(stdout={"a/run": "loss: 0.25\naccuracy = 97%\n"}, seconds={"a/run": 95.0})
    text = ("\\toc\n\n@@note\nLoss \\textoutput{a/run#loss}, \\textoutput{a/run#accuracy} in \\runtime{a/run} "
            "\\citep{k1} \\citet{k1}.\n@@\n\n- \\biblabel{k1}{Doe (2020)} J. Doe.\n")
    markdown = convert(text, outputs).markdown
    assert "Loss 0.25, 97% in 1 min 35 s (Doe (2020)) Doe (2020)." in markdown
    assert re.search(r"^- +J. Doe.$", markdown, re.M)
    assert not re.search(r"@@|\\toc|\[TOC\]|\\biblabel", markdown)


def test_a_solution_stays_collapsed_in_the_notebook():
    markdown = convert("**Exercise 1.** Show it.\n\n@@solution\nSince $x = 1$.\n@@\n\nAfter.\n").markdown
    assert re.search(r"<details><summary>Solution</summary>\s*Since \$x = 1\$.\s*</details>\s*After.", markdown)
    assert "@@" not in markdown


def test_snippets_become_code_cells_once_and_other_code_stays_markdown():
    outputs = Outputs(sources={"a/one": "print(1)\n", "a/two": "print(2)\n"})
    text = ("# T\n\n\\snippet{a/one}\n\n```python\nshown_only = 1\n```\n\n\\fig{a/two}\n\n\\output{a/one}\n\n"
            "\\input{python}{a/two}\n")
    converted = convert(text, outputs)
    assert converted.snippets == ["a/one", "a/two"]
    cells = jupytext.reads(converted.markdown, fmt="md").cells
    code = [c for c in cells if c.cell_type == "code"]
    assert [(c.source, c.metadata["snippet"]) for c in code] == [("print(1)", "a/one"), ("print(2)", "a/two")]
    assert any("shown_only = 1" in c.source for c in cells if c.cell_type == "markdown")


def test_figures_carry_their_numbered_captions_and_figref_its_number():
    outputs = Outputs(sources={"a/one": "print(1)\n", "a/two": '"""Two lines, from the docstring."""\nprint(2)\n'},
                      figures={"a/one": ["figures/a/one-1.svg"], "a/two": ["figures/a/two-1.svg"]})
    text = ("As \\figref{a/two} shows.\n\n\\snippet{a/one}\n\\caption{A circle}{A circle of radius $r$, "
            "see \\figref{a/two}.}\n\n\\fig{a/two}\n")
    cells = jupytext.reads(convert(text, outputs).markdown, fmt="md").cells
    assert [c.cell_type for c in cells] == ["markdown", "code", "markdown", "code", "markdown"]
    assert cells[0].source == "As Figure 2 shows."
    assert cells[2].source == "*Figure 1.* A circle of radius $r$, see Figure 2."
    assert cells[4].source == "*Figure 2.* Two lines, from the docstring."


def test_the_alt_texts_of_captions_reach_the_notebook_and_its_page():
    outputs = Outputs(sources={"a/one": "print(1)\n", "a/two": "print(2)\n"},
                      figures={"a/one": ["figures/a/one-1.svg"], "a/two": ["figures/a/two-1.svg"]})
    text = "\\snippet{a/one}\n\\caption{A circle of radius $r$}{A circle.}\n\n\\snippet{a/two}\n\\caption{Bars}{Bars.}\n"
    assert convert(text, outputs).alts == {"a/one": "A circle of radius r", "a/two": "Bars"}
    html = '<img alt="No description has been provided for this image" src="a"/><img alt="No description has been ' \
           'provided for this image" src="b"/><img alt="No description has been provided for this image" src="c"/>'
    page = notebooks.notebook_page_html(html, "t.ipynb", ["A <circle> & r", "", "Bars"])
    assert re.findall(r'alt="([^"]*)"', page) == ["A &lt;circle&gt; &amp; r", notebooks.GENERIC_ALT, "Bars"]


def test_unknown_snippet_names_page_and_line():
    with pytest.raises(PageError) as error:
        convert("# T\n\nText.\n\\snippet{a/missing}\n")
    assert str(error.value).startswith("docs/page.md:4: ") and "a/missing" in str(error.value)


def test_unknown_command_names_page_and_line():
    with pytest.raises(PageError, match=r"docs/page.md:2: unknown command \\frobnicate"):
        convert("# T\n\\frobnicate{x}\n")


# --- the notebooks of a real build ---------------------------------------------------------------------


def notebooks_of(site: Path) -> dict[str, Path]:
    found = {f"notebooks/{name}": site / "notebooks" / f"{name}.ipynb" for name in CONTENT_PAGES}
    found.update({f"tutorials/{name}": site / "tutorials" / name / f"{name}.ipynb" for name in TUTORIALS})
    return found


def cached(cache: Path, name: str) -> tuple[dict, Path]:
    record = cache / name / "record.json"
    assert record.exists(), f"expected a stored result for {name} at {record}"
    return json.loads(record.read_text()), record.parent


def expected_outputs(cache: Path, name: str) -> list[tuple[str, object]]:
    result, directory = cached(cache, name)
    shown = [("stdout", result["stdout"])] if result["stdout"] else []
    for file in result["files"]:
        data = (directory / file).read_bytes()
        shown.append((file.rsplit(".", 1)[-1], data))
    return shown


def actual_outputs(cell) -> list[tuple[str, object]]:
    shown = []
    for output in cell.outputs:
        if output.output_type == "stream":
            shown.append((output.name, output.text))
        else:
            data = output.data
            if "image/svg+xml" in data:
                shown.append(("svg", data["image/svg+xml"].encode()))
            else:
                mime = next(m for m in ("image/png", "image/gif") if m in data)
                shown.append((mime.split("/")[1], base64.b64decode(data[mime])))
    return shown


def test_every_notebook_is_valid_and_carries_the_cached_outputs(cold_build):
    site, cache = cold_build
    for uri, path in notebooks_of(site).items():
        assert path.is_file(), f"{uri}: no notebook at {path}"
        notebook = nbformat.reads(path.read_text(), as_version=4)
        nbformat.validate(notebook)
        snippet_cells = [c for c in notebook.cells if c.cell_type == "code" and "snippet" in c.metadata]
        assert snippet_cells, f"{uri}: no snippet cells"
        counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
        assert counts == list(range(1, len(counts) + 1)), f"{uri}: execution counts {counts}"
        for cell in snippet_cells:
            assert cell.outputs, f"{uri}: cell of {cell.metadata['snippet']} has no outputs"
            assert actual_outputs(cell) == expected_outputs(cache, cell.metadata["snippet"]), \
                f"{uri}: outputs of {cell.metadata['snippet']} differ from the snippet cache"


def test_pages_link_their_notebook_and_tutorials_are_pages(cold_build):
    site, _ = cold_build
    for name in CONTENT_PAGES:
        html = (site / name / "index.html").read_text()
        assert f'href="../notebooks/{name}.ipynb"' in html and "notebook-download" in html, name
    for name in TUTORIALS:
        html = (site / "tutorials" / name / "index.html").read_text()
        assert "jupyter-wrapper" in html and f'href="{name}.ipynb"' in html, name
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//[^"]*"', html)
        assert not external, f"tutorials/{name}: loads {external}"


def test_a_page_notebook_executes_to_the_cached_stdout(cold_build, tmp_path):
    from nbclient import NotebookClient

    site, cache = cold_build
    notebook = nbformat.reads((site / "notebooks" / "representation-theory.ipynb").read_text(), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
                   extra_arguments=["--HistoryManager.enabled=False"]).execute(env={"MPLBACKEND": "Agg"})
    for cell in notebook.cells:
        if cell.cell_type == "code" and "snippet" in cell.metadata:
            printed = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, errors
            assert printed == cached(cache, cell.metadata["snippet"])[0]["stdout"], cell.metadata["snippet"]
