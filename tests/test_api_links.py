"""The API reference: names read from the API pages, first mentions linked, directives and
docstrings surviving the Franklin layer and mkdocstrings."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import FakeOutputs, ROOT, mkdocs_build
from site_hooks import franklin
from site_hooks.api_links import ApiNames, link_first_mentions, load_names
from site_hooks.errors import PageError

NAMES = ApiNames(
    qualified={"gcnn": "gcnn", "gcnn.nn": "gcnn.nn", "gcnn.nn.LiftingConv2d": "gcnn.nn.LiftingConv2d",
               "gcnn.nn.lifting.LiftingConv2d": "gcnn.nn.LiftingConv2d", "gcnn.nn.GroupPool": "gcnn.nn.GroupPool",
               "gcnn.representations.so3": "gcnn.representations.so3"},
    bare={"LiftingConv2d": "gcnn.nn.LiftingConv2d", "GroupPool": "gcnn.nn.GroupPool"},
)


def link(text: str) -> str:
    return link_first_mentions(textwrap.dedent(text), NAMES)


def test_only_the_first_mention_of_an_object_links_whatever_its_spelling():
    out = link("`LiftingConv2d` lifts; `gcnn.nn.LiftingConv2d` and `LiftingConv2d` stay plain.\n")
    assert out == ("[`LiftingConv2d`][gcnn.nn.LiftingConv2d] lifts; `gcnn.nn.LiftingConv2d` and "
                   "`LiftingConv2d` stay plain.\n")


def test_qualified_names_modules_canonical_paths_and_calls_link():
    out = link("`gcnn.representations.so3`, `gcnn.nn.lifting.LiftingConv2d`, `GroupPool(mode='max')`, `gcnn`\n")
    assert out == ("[`gcnn.representations.so3`][gcnn.representations.so3], "
                   "[`gcnn.nn.lifting.LiftingConv2d`][gcnn.nn.LiftingConv2d], "
                   "[`GroupPool(mode='max')`][gcnn.nn.GroupPool], [`gcnn`][gcnn]\n")


def test_unknown_and_partial_names_stay_plain():
    text = "`gcnn.nn.Removed`, `Removed`, `LiftingConv2d.kernel_stack()`, `x = LiftingConv2d`, `nn`\n"
    assert link(text) == text


@pytest.mark.parametrize("context", [
    "```python\nLiftingConv2d\n`LiftingConv2d`\n```\n",  # fenced code
    "=== \"Code\"\n\n    ```python\n    `LiftingConv2d`\n    ```\n",  # fenced code inside a tab
    "~~~~\n`LiftingConv2d`\n~~~~\n",
    "math \\(\\text{`LiftingConv2d`}\\) inline\n",
    "\\[\n\\texttt{`LiftingConv2d`}\n\\]\n",
    "\\begin{align}\na &= \\text{`LiftingConv2d`}\n\\end{align}\n",
    "## The `LiftingConv2d` layer\n",
    "<!-- `LiftingConv2d` -->\n",
    "see [the `LiftingConv2d` docs](https://example.org) here\n",
    "[`LiftingConv2d`](#lifting)\n",
    "\\`LiftingConv2d\\` in escaped backticks\n",
])
def test_code_math_headings_comments_and_links_are_never_touched(context):
    assert link(context) == context
    # ... and the mention after them is the first one
    after = link(context + "\nthen `LiftingConv2d`\n")
    assert after == context + "\nthen [`LiftingConv2d`][gcnn.nn.LiftingConv2d]\n"


def test_no_api_pages_means_no_links(tmp_path):
    names = load_names(tmp_path / "api", tmp_path)
    assert link_first_mentions("`LiftingConv2d`", names) == "`LiftingConv2d`"


TOY_INIT = '''"""A toy package."""
from toy.shapes import Square, area
from toy import extra

__all__ = ["Square", "area", "Undocumented"]


def hidden():
    """Not exported."""


class Undocumented:
    pass
'''
TOY_SHAPES = '''"""Shapes."""


class Square:
    """A square."""


def area(side):
    """Its area."""
    return side * side
'''
TOY_EXTRA = '''"""Extras."""


class Square:
    """Another square: makes the bare name ambiguous."""


class Circle:
    """A circle."""
'''


@pytest.fixture
def toy(tmp_path) -> Path:
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "__init__.py").write_text(TOY_INIT)
    (tmp_path / "toy" / "shapes.py").write_text(TOY_SHAPES)
    (tmp_path / "toy" / "extra.py").write_text(TOY_EXTRA)
    (tmp_path / "docs" / "api").mkdir(parents=True)
    return tmp_path


def test_names_come_from_the_directives_and_dunder_all(toy):
    (toy / "docs" / "api" / "toy.md").write_text("# Toy\n\n::: toy\n\n::: toy.extra\n    options:\n      members: false\n")
    names = load_names(toy / "docs" / "api", toy)
    assert names.qualified == {"toy": "toy", "toy.Square": "toy.Square", "toy.shapes.Square": "toy.Square",
                               "toy.area": "toy.area", "toy.shapes.area": "toy.area", "toy.extra": "toy.extra"}
    assert names.bare == {"Square": "toy.Square"}  # functions never link bare; Undocumented is not rendered

    (toy / "docs" / "api" / "extra.md").write_text("::: toy.extra\n")
    names = load_names(toy / "docs" / "api", toy)
    assert names.bare == {"Circle": "toy.extra.Circle"}  # two documented classes named Square: neither links bare
    assert names.qualified["toy.extra.Square"] == "toy.extra.Square"


def test_a_directive_naming_nothing_fails_with_its_page_and_line(toy):
    (toy / "docs" / "api" / "toy.md").write_text("# Toy\n\n::: toy.Removed\n")
    with pytest.raises(PageError, match=r"^docs/api/toy\.md:3: ::: toy\.Removed names nothing"):
        load_names(toy / "docs" / "api", toy)


def test_the_real_api_pages_document_every_public_name_of_gcnn():
    names = load_names(ROOT / "docs" / "api", ROOT)
    assert names.bare["LiftingConv2d"] == "gcnn.nn.LiftingConv2d"
    assert names.bare["EGNNLayer"] == "gcnn.graph.EGNNLayer"
    assert names.qualified["gcnn.representations.so3"] == "gcnn.representations.so3"
    import gcnn
    for package in gcnn.__all__:
        module = getattr(gcnn, package)
        for name in getattr(module, "__all__", []):
            assert f"gcnn.{package}.{name}" in names.qualified, f"gcnn.{package}.{name} has no API entry"


def test_directives_and_their_options_pass_through_franklin():
    page = "# API\n\n::: gcnn.nn\n    options:\n      members:\n        - LiftingConv2d\n\nText with $x$.\n"
    converted = franklin.convert(page, "docs/api/x.md", "api/x.md", FakeOutputs())
    assert "::: gcnn.nn\n    options:\n      members:\n        - LiftingConv2d\n" in converted.markdown


MINI_PACKAGE = r'''r"""A tiny package with TeX in its docstrings: $\alpha \cdot \beta$ and a backslash \ alone."""
__version__ = "0.0.1"
VALUE = 3

__all__ = ["Doubler", "VALUE"]


class Doubler:
    r"""Doubles: $y = 2 x$, also written \(y = x + x\); a price of $5 and C:\temp stay text.

    $$
    \sum_{i} 2 x_i = 2 \sum_i x_i
    $$
    """

    def __call__(self, x: float) -> float:
        """Twice ``x``."""
        return 2 * x
'''


@pytest.mark.build
def test_mini_site_renders_docstrings_with_tex_and_links_first_mentions(mini_project, tmp_path):
    (mini_project / "gcnn" / "__init__.py").write_text(MINI_PACKAGE)
    (mini_project / "docs" / "api").mkdir()
    (mini_project / "docs" / "api" / "index.md").write_text(
        '+++\ntitle = "API"\n+++\n\n# API\n\n::: gcnn\n    options:\n      show_root_heading: true\n')
    index = mini_project / "docs" / "index.md"
    index.write_text(index.read_text() + "\nThe `Doubler` doubles; `Doubler` again, and `gcnn.Doubler`.\n")
    config = yaml.safe_load((mini_project / "mkdocs.yml").read_text())
    config["nav"] = ["index.md", "api/index.md"]
    (mini_project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))

    result = mkdocs_build(mini_project, tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    api = (mini_project / "site" / "api" / "index.html").read_text()
    assert 'id="gcnn.Doubler"' in api
    # typeset at build time: KaTeX keeps the TeX in its MathML annotation
    assert '<span class="arithmatex"><span class="katex">' in api
    assert r'<annotation encoding="application/x-tex">y = 2 x</annotation>' in api
    assert r"\sum_{i} 2 x_i = 2 \sum_i x_i</annotation>" in api
    assert "C:\\temp" in api
    page = (mini_project / "site" / "index.html").read_text()
    links = re.findall(r'<a[^>]*href="([^"]*)"[^>]*><code>(?:gcnn\.)?Doubler</code></a>', page)
    assert links == ["api/#gcnn.Doubler"]


@pytest.mark.build
def test_built_site_links_first_mentions_to_existing_api_anchors(built_site):
    page = (built_site / "first-class" / "index.html").read_text()
    hrefs = re.findall(r'<a[^>]*href="([^"]*)"[^>]*><code>(?:gcnn\.nn\.)?LiftingConv2d</code></a>', page)
    assert hrefs == ["../api/nn/#gcnn.nn.LiftingConv2d"], hrefs
    api = (built_site / "api" / "nn" / "index.html").read_text()
    assert 'id="gcnn.nn.LiftingConv2d"' in api
    for html_page in built_site.rglob("*.html"):  # every autorefs link on the site lands on an existing anchor
        for target, anchor in re.findall(r'href="((?:\.\./)*api/[\w/]*)#([\w.]+)"', html_page.read_text()):
            api_page = (html_page.parent / target / "index.html").resolve()
            assert f'id="{anchor}"' in api_page.read_text(), f"{html_page}: {target}#{anchor}"
