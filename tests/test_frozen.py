"""The committed results in `frozen/` are current and reproducible: the session's cold run of
every snippet (`cold_run`) gives the same figures, byte for byte, and the same printed text.

A failure here after a change to `gcnn/` or a snippet means frozen/ was not rebuilt: run
`make build` (it re-runs exactly the snippets whose inputs changed) and commit `frozen/`."""
from __future__ import annotations

import pytest

from conftest import ROOT
from site_hooks.snippet_inputs import FileHashes, runner_identity
from site_hooks.snippet_outputs import discover_snippets
from site_hooks.snippet_launch import THREADS
from site_hooks.snippet_store import SCRATCH, SnippetStore

FROZEN = SnippetStore(ROOT / "frozen")
SNIPPETS = discover_snippets(ROOT, ROOT / "docs")
BUDGET_BYTES = 15 * 2**20


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.name)
def test_the_frozen_result_is_current(snippet):
    _, record = FROZEN.load(snippet)
    assert FROZEN.stale_inputs(record, snippet, runner_identity(ROOT, THREADS), FileHashes(ROOT)) == []


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.name)
def test_a_cold_run_reproduces_the_frozen_result(snippet, cold_run):
    frozen, _ = FROZEN.load(snippet)
    cold = cold_run[snippet.name]
    assert cold.error is None, cold.error
    assert cold.stdout == frozen.stdout
    assert cold.files == frozen.files
    differing = [name for name, a, b in zip(cold.files, cold.paths, frozen.paths) if a.read_bytes() != b.read_bytes()]
    assert differing == []
    assert cold.reads == frozen.reads


def test_frozen_holds_exactly_the_snippets_and_stays_small():
    stored = {p.parent.relative_to(FROZEN.directory).as_posix() for p in FROZEN.directory.rglob("record.json")}
    assert {name for name in stored if not name.startswith(SCRATCH)} == {s.name for s in SNIPPETS}
    size = sum(p.stat().st_size for p in FROZEN.directory.rglob("*") if p.is_file() and SCRATCH not in p.parts)
    assert size <= BUDGET_BYTES, f"frozen/ holds {size / 2**20:.1f} MB, over the {BUDGET_BYTES / 2**20:.0f} MB budget"
