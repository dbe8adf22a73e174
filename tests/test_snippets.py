"""Every snippet runs as it stands: `python snippets/<section>/<name>.py` in a fresh interpreter.

The runs are the test session's one cold execution (`cold_run` in conftest), which also feeds
the strict build and the comparison with the frozen results."""
from __future__ import annotations

import ast

import pytest

from conftest import ROOT

SNIPPETS = sorted((ROOT / "snippets").rglob("*.py"))
ALLOWED_IMPORTS = {"gcnn", "torch", "matplotlib"}


def test_there_are_snippets():
    assert SNIPPETS


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.relative_to(ROOT / "snippets").as_posix())
def test_snippet_runs_standalone(path, cold_run):
    result = cold_run[path.relative_to(ROOT / "snippets").with_suffix("").as_posix()]
    assert result.error is None, result.error
    assert result.stdout.strip(), "a snippet prints what it shows"


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.relative_to(ROOT / "snippets").as_posix())
def test_snippet_follows_the_rules(path):
    source = path.read_text()
    tree = ast.parse(source)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert "gcnn" in imported and imported <= ALLOWED_IMPORTS | {"__future__", "math"}, imported
    assert 10 <= len(source.splitlines()) <= 60
    assert "manual_seed" in source, "snippets seed their random numbers"
    if "matplotlib" in imported:
        assert source.rstrip().endswith("plt.show()")
