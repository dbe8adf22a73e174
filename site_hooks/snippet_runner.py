"""Runs snippets in warm forked workers, at most `jobs` at a time, behind a content cache.

A cache entry lives in `<cache>/<name>/<key>/` (outside `docs/`): the files a snippet wrote
and `result.json`. The key is `snippet_key(fingerprint(root), name, code)`, so an entry is
never served once the snippet, `gcnn/`, the lock file or the runner changes. Failures are
not cached. Workers fork from a fork server that has torch and matplotlib imported, which
saves each snippet the ~2 s a fresh interpreter spends importing them.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from site_hooks import snippet_worker
from site_hooks.fingerprint import fingerprint, snippet_key

# "__main__": the fork server imports the parent's main module once, so that a worker does not
# re-import it at every start (multiprocessing's own default, which a custom preload list drops).
PRELOAD = ["__main__", "matplotlib", "matplotlib.pyplot", "torch", "site_hooks.snippet_worker"]


@dataclass(frozen=True)
class Snippet:
    """Code to run. `name` ("section/stem") names its outputs; `origin` is where the code lives."""

    name: str
    code: str
    origin: str
    first_line: int = 1

    @property
    def stem(self) -> str:
        return self.name.rsplit("/", 1)[-1]


@dataclass
class Result:
    snippet: Snippet
    directory: Path
    stdout: str = ""
    stderr: str = ""
    files: list[str] = field(default_factory=list)
    error: dict | None = None
    seconds: float = 0.0
    cached: bool = False

    @property
    def paths(self) -> list[Path]:
        return [self.directory / name for name in self.files]


@dataclass
class RunStats:
    hits: list[str] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)


class SnippetRunner:
    def __init__(self, root: Path, cache_dir: Path, jobs: int = 2):
        self.root = Path(root).resolve()
        self.cache_dir = Path(cache_dir)
        self.jobs = jobs
        self.last = RunStats()

    def run(self, snippets: list[Snippet]) -> dict[str, Result]:
        """Results by snippet name; cached ones are read, the others run in parallel."""
        names = [s.name for s in snippets]
        if len(set(names)) != len(names):
            duplicated = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"snippet names must be unique, got duplicates: {duplicated}")
        base = fingerprint(self.root)
        self.last = RunStats()
        results: dict[str, Result] = {}
        todo: list[tuple[Snippet, Path]] = []
        for snippet in snippets:
            entry = self.cache_dir / snippet.name / snippet_key(base, snippet.name, snippet.code)
            if (entry / "result.json").exists():
                results[snippet.name] = self._load(snippet, entry)
                self.last.hits.append(snippet.name)
            else:
                todo.append((snippet, entry))
        for snippet, entry, outcome in self._execute(todo):
            results[snippet.name] = self._store(snippet, entry, outcome)
            self.last.ran.append(snippet.name)
        return {s.name: results[s.name] for s in snippets}

    def _execute(self, todo: list[tuple[Snippet, Path]]):
        if not todo:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        workers = min(self.jobs, len(todo))
        threads = max(1, (os.cpu_count() or 1) // workers)
        os.environ["MPLBACKEND"] = "Agg"
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        with ProcessPoolExecutor(workers, mp_context=context, max_tasks_per_child=1) as pool:
            futures = []
            for snippet, entry in todo:
                scratch = Path(tempfile.mkdtemp(prefix="run-", dir=self.cache_dir))
                job = {"code": snippet.code, "origin": snippet.origin, "first_line": snippet.first_line,
                       "stem": snippet.stem, "out_dir": str(scratch), "root": str(self.root), "threads": threads}
                futures.append((snippet, entry, scratch, pool.submit(snippet_worker.execute, job)))
            for snippet, entry, scratch, future in futures:
                yield snippet, entry, (scratch, future.result())

    def _store(self, snippet: Snippet, entry: Path, outcome: tuple[Path, dict]) -> Result:
        scratch, data = outcome
        if data["error"] is not None:
            shutil.rmtree(scratch, ignore_errors=True)
            return Result(snippet, entry, data["stdout"], data["stderr"], [], data["error"], data["seconds"])
        (scratch / "result.json").write_text(json.dumps(data, indent=1))
        entry.parent.mkdir(parents=True, exist_ok=True)
        for stale in entry.parent.iterdir():  # one entry per snippet: other keys are stale
            if stale.name != entry.name:
                shutil.rmtree(stale, ignore_errors=True)
        try:
            scratch.rename(entry)
        except OSError:  # a concurrent build stored the same entry first
            shutil.rmtree(scratch, ignore_errors=True)
        return self._load(snippet, entry, cached=False)

    @staticmethod
    def _load(snippet: Snippet, entry: Path, cached: bool = True) -> Result:
        data = json.loads((entry / "result.json").read_text())
        return Result(snippet, entry, data["stdout"], data["stderr"], data["files"], None,
                      data["seconds"], cached)
