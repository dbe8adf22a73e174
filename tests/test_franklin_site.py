"""A Franklin site folder, laid out as Franklin keeps it, builds as it is with our hooks."""
from __future__ import annotations

import re
import shutil

import yaml

from conftest import ROOT, mkdocs_build

CONFIG = """+++
author = "Ada Lovelace"
+++
@def mintoclevel = 2
\\newcommand{\\R}{\\mathbb{R}}
\\newcommand{\\block}[2]{@@colbox-blue @@title !#1 @@ @@content !#2 @@ @@}
"""
INDEX = """+++
title = "Home"
+++

# Welcome

\\toc

## First part

By {{fill author}}: a vector $v \\in \\R^3$.
- a list right after a line
- second

\\block{Lemma}{Every $x \\in \\R$ is real.}

\\fig{/assets/pic.svg}

@@note One-line note. @@

[to the post](/posts/first/) and [a heading](#first_part)
"""
POST = """@def title = "First post"
@def tags = ["notes", "groups"]

# First post

{{page_tags}}

$$
\\begin{tikzcd}
A \\arrow[r, "f"] \\arrow[d, "g"'] & B \\arrow[d, "h"] \\\\
C \\arrow[r, "k"'] & D
\\end{tikzcd}
$$

\\fig{./figure one.svg}
"""


def franklin_site(root):
    """A project whose docs_dir is a Franklin site folder (config.md, _assets, _layout, utils.jl…)."""
    shutil.copytree(ROOT / "site_hooks", root / "site_hooks", ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
    (root / "site_hooks" / "node_modules").symlink_to(ROOT / "site_hooks" / "node_modules")
    shutil.copy2(ROOT / "requirements.lock", root / "requirements.lock")
    (root / "gcnn").mkdir()
    (root / "gcnn" / "__init__.py").write_text('__version__ = "0.0.1"\n')
    (root / "snippets").mkdir()
    site = root / "site-folder"
    shutil.copytree(ROOT / "docs" / "assets", site / "assets")
    for path, text in {"config.md": CONFIG, "index.md": INDEX, "posts/first.md": POST, "utils.jl": "hfun_x() = 1\n",
                       "_layout/head.html": "<html>{{insert x}}", "_css/franklin.css": ".x { color: red; }",
                       "__site/index.html": "<p>old build</p>", "README.md": "# not a page\n",
                       "_assets/pic.svg": "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>",
                       "_assets/posts/first/figure one.svg":
                           "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>"}.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config.pop("nav")
    config["docs_dir"] = "site-folder"
    config["plugins"] = ["search"]  # no notebooks, no API reference in a Franklin site
    config["extra_css"] = [*config["extra_css"], "_css/franklin.css"]
    config["exclude_docs"] = ""
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root


def test_a_franklin_site_folder_builds_as_it_is(tmp_path):
    project = franklin_site(tmp_path / "project")
    result = mkdocs_build(project, tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    index = (site / "index.html").read_text()
    assert "By Ada Lovelace:" in index and "\\mathbb{R}" in index or 'class="katex"' in index
    assert re.search(r'<div class="franklin-toc">.*href="#first_part"', index, re.S)
    assert 'href="#welcome"' not in index.split("franklin-toc", 1)[1].split("</div>", 1)[0]  # mintoclevel = 2
    assert re.search(r"<ul>\s*<li>a list right after a line</li>", index)
    assert '<div class="colbox-blue">' in index and '<div class="admonition note">' in index
    assert 'src="_assets/pic.svg"' in index and (site / "_assets" / "pic.svg").exists()
    assert "@@" not in index and "{{" not in index and "newcommand" not in index
    assert 'href="posts/first/"' in index  # site-absolute links work under any base path (Franklin's prepath)
    post = (site / "posts" / "first" / "index.html").read_text()
    assert '<div class="tikzcd">' in post and 'class="page-tag">groups<' in post
    assert 'src="../../_assets/posts/first/figure%20one.svg"' in post
    assert (site / "_css" / "franklin.css").exists() and "_css/franklin.css" in index
    for absent in ("config", "utils.jl", "_layout", "__site", "README"):
        assert not list(site.glob(f"{absent}*")), absent


def test_julia_in_a_franklin_site_fails_the_build_naming_page_and_line(tmp_path):
    project = franklin_site(tmp_path / "project")
    (project / "site-folder" / "posts" / "julia.md").write_text("# Code\n\nSome text.\n\n```julia:ex\nx = 1\n```\n")
    result = mkdocs_build(project, tmp_path / "cache")
    assert result.returncode != 0
    assert "site-folder/posts/julia.md:5: ```julia:ex" in result.stdout + result.stderr
