"""Whole-site builds with `mkdocs build --strict`: the real site and throwaway copies of it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.build
SEED = ROOT.parent / "shared" / "seed" / "000_b695ebc15f49bef5.txt"


def ran_and_cached(result) -> tuple[int, int]:
    match = re.search(r"snippets: (\d+) cached, (\d+) ran", result.stderr + result.stdout)
    assert match, result.stderr
    return int(match.group(2)), int(match.group(1))


def test_cache_lifecycle_through_real_builds(mini_project, tmp_path):
    cache = tmp_path / "cache"
    cold = mkdocs_build(mini_project, cache)
    assert cold.returncode == 0, cold.stderr
    assert ran_and_cached(cold) == (2, 0)
    assert "one: 3" in (mini_project / "site" / "index.html").read_text()

    warm = mkdocs_build(mini_project, cache)
    assert warm.returncode == 0 and ran_and_cached(warm) == (0, 2)

    snippet = mini_project / "snippets" / "a" / "two.py"
    snippet.write_text(snippet.read_text() + "print('touched')\n")
    one = mkdocs_build(mini_project, cache)
    assert one.returncode == 0 and ran_and_cached(one) == (1, 1)

    (mini_project / "gcnn" / "__init__.py").write_text('__version__ = "0.0.1"\nVALUE = 5\n')
    every = mkdocs_build(mini_project, cache)
    assert every.returncode == 0 and ran_and_cached(every) == (2, 0)
    assert "one: 5" in (mini_project / "site" / "index.html").read_text()


def test_the_build_fed_by_the_cold_run_runs_nothing(cold_build):
    log = (cold_build[0].parent / "done").read_text()
    snippets = len(list((ROOT / "snippets").rglob("*.py")))
    assert re.search(rf"snippets: {snippets} cached, 0 ran", log), log


def test_a_raising_snippet_fails_the_build_with_file_and_line(project, warm_cache):
    broken = project / "snippets" / "introduction" / "broken.py"
    broken.write_text("import gcnn\n\ngroup = gcnn.groups.CyclicGroup(4)\ngroup.inverse(7)\n")
    result = mkdocs_build(project, warm_cache)
    assert result.returncode != 0
    assert "snippets/introduction/broken.py:4" in result.stderr
    assert "Traceback" in result.stderr and "ValueError" in result.stderr


def test_a_page_referencing_a_missing_snippet_fails_with_page_and_line(project, warm_cache):
    page = project / "docs" / "steerable.md"
    lines = page.read_text().split("\n")
    page.write_text("\n".join(lines + ["", r"\fig{steerable/does_not_exist}", ""]))
    result = mkdocs_build(project, warm_cache)
    assert result.returncode != 0
    assert f"docs/steerable.md:{len(lines) + 2}: no snippet or figure named 'steerable/does_not_exist'" in result.stderr


def test_an_unknown_command_fails_with_page_and_line(project, warm_cache):
    page = project / "docs" / "first-class.md"
    page.write_text(page.read_text().replace("## The lifting convolution", "## The lifting convolution \\oops"))
    result = mkdocs_build(project, warm_cache)
    assert result.returncode != 0
    line = page.read_text().split("\n").index("## The lifting convolution \\oops") + 1
    assert f"docs/first-class.md:{line}: unknown command \\oops outside math" in result.stderr


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed page is not beside this checkout")
def test_the_unmodified_seed_page_builds_and_renders(project, warm_cache):
    (project / "docs" / "seed.md").write_bytes(SEED.read_bytes())
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - Home: index.md\n", "  - Home: index.md\n  - seed.md\n"))
    result = mkdocs_build(project, warm_cache)
    assert result.returncode == 0, result.stderr
    assert ran_and_cached(result)[0] == 0
    html = (project / "site" / "seed" / "index.html").read_text()
    assert "<title>Introduction to G-CNNs - gcnn-notes</title>" in html
    # \toc: Franklin's table of contents with Franklin's heading ids (`$G$-CNN: …` → `g-cnn_…`)
    assert '<div class="franklin-toc">' in html
    assert 'href="#representation_theory_and_harmonic_analysis_on_locally_compact_groups"' in html
    assert 'href="#g-cnn_the_first_class"' in html
    assert "!!!TBA" in html
    article = re.search(r"<article.*?</article>", html, re.S).group(0)
    assert article.count('class="arithmatex"') >= 10
    assert "$" not in re.sub(r"<[^>]+>", "", article)


MATH_PAGE = r"""+++
title = "Mini $G$-CNN"
+++

# Mini

## The group $G$

Inline $a < b$ and \(x^2\), display
$$\sum_{g \in G} f(g)$$
and an aligned pair
\begin{align}
a &= b \label{eq:ab}\\
c &= d
\end{align}
referred to as \eqref{eq:ab}.
"""


def test_math_is_typeset_at_build_time(mini_project):
    (mini_project / "docs" / "index.md").write_text(MATH_PAGE)
    result = mkdocs_build(mini_project, mini_project / "cache")
    assert result.returncode == 0, result.stderr
    assert "math typeset by KaTeX in" in result.stderr
    html = (mini_project / "site" / "index.html").read_text()
    assert html.count('class="katex"') >= 6 and html.count('class="katex-display"') == 2
    assert not re.search(r'class="arithmatex">\s*(\\\(|\\\[|\\begin)', html), "raw math left in the page"
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', html, re.S).group(0)
    assert 'class="katex"' in nav and "\\(G\\)" not in nav, "the title in the navigation is not typeset"
    assert "<title>Mini G-CNN - " in html
    index = json.loads((mini_project / "site" / "search" / "search_index.json").read_text())
    assert "The group G" in [doc["title"] for doc in index["docs"]]  # search gets text, not KaTeX's HTML
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "katex" not in text and "\\(" not in text


def test_math_katex_rejects_fails_the_build_with_page_and_tex(mini_project):
    (mini_project / "docs" / "index.md").write_text("# Mini\n\nSee $x + \\undefinedmacro{y}$.\n")
    result = mkdocs_build(mini_project, mini_project / "cache")
    assert result.returncode != 0
    assert "docs/index.md: KaTeX cannot typeset 'x + \\\\undefinedmacro{y}'" in result.stderr
    assert "Undefined control sequence" in result.stderr


def test_site_metadata_search_index_and_stamp(built_site):
    home = (built_site / "index.html").read_text()
    assert "<title>Group-Equivariant Deep Learning - gcnn-notes</title>" in home
    assert re.search(r"Built with gcnn \d+\.\d+\.\d+ at commit [0-9a-f]{12}", home)
    first = (built_site / "first-class" / "index.html").read_text()
    assert "<title>G-CNN: The First Class - gcnn-notes</title>" in first
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    titles = {doc["title"] for doc in index["docs"]}
    assert "G-CNN: The First Class" in titles
    assert not [t for t in titles if "\\(" in t or "$" in t]
    assert not [doc["location"] for doc in index["docs"] if "import gcnn" in doc["text"]], "code stays out of search"
    # no CDN: no page refers to another host for scripts, styles or fonts
    for page in built_site.rglob("*.html"):
        assert not re.search(r'(src|href)="https?://[^"]*\.(js|css|woff2?)', page.read_text()), page
    assert (built_site / "assets" / "katex" / "katex.min.js").exists()
