"""Runs the snippets whose stored result is not current, at most `jobs` at a time.

`plan` sorts snippets into current results (read from the `SnippetStore`) and runs to do, each
with the inputs that changed; `execute` runs those, stores each success as it completes and
reports progress with an estimate from the run times stored last time; `run` does both.

Each run is a process of its own (`snippet_launch`, `snippet_processes`): forked from a fork server, or with
`standalone=True` (CI's one cold run) `python snippets/<section>/<stem>.py` in a fresh interpreter
(blocks evaluated on pages have no file: they run forked). A run past its time limit is stopped
and fails its snippet; an interrupted `execute` (Ctrl-C, an error) stops every run under way and
stores nothing of them: a result is stored only whole (`SnippetStore.save`).
"""
from __future__ import annotations

import math
import os
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from site_hooks.snippet_inputs import FileHashes, runner_identity
from site_hooks.snippet_launch import RESULT_FILE, THREADS
from site_hooks.snippet_processes import Runs, run_forked, run_standalone
from site_hooks.snippet_progress import Progress
from site_hooks.snippet_store import Result, Snippet, SnippetStore

# Seconds a snippet may run before it is stopped and fails the build (mkdocs.yml: extra.snippets):
# generous, so that only a snippet that hangs meets it: the longest run of the site (first-class/upright)
# takes 26 min on one quiet thread and 30 min beside other work.
TIME_LIMIT = 7200.0


class TimeLimitError(ValueError):
    """A time limit that is not a positive number of seconds, or is set for no snippet."""


@dataclass
class Run:
    """A snippet to run, why, and its last stored result (shown by `serve` while it runs)."""

    snippet: Snippet
    reasons: list[str]
    previous: Result | None = None

    @property
    def estimate(self) -> float | None:
        return self.previous.seconds if self.previous else None


@dataclass
class Plan:
    current: dict[str, Result] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)


@dataclass
class RunStats:
    hits: list[str] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)


class SnippetRunner:
    def __init__(self, root: Path, store_dir: Path, jobs: int = 2, standalone: bool = False,
                 report: Callable[[str], None] = lambda message: None, time_limit: float = TIME_LIMIT,
                 time_limits: dict[str, float] | None = None):
        """`time_limit`: seconds any run may take; `time_limits`: other limits for some snippets, by name."""
        self.root = Path(root).resolve()
        self.time_limit = time_limit
        self.time_limits = dict(time_limits or {})
        for name, limit in [("time_limit", time_limit)] + sorted(self.time_limits.items()):
            if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not 0 < limit < math.inf:
                raise TimeLimitError(f"a snippet time limit must be a positive number of seconds, got {limit!r} "
                                 f"for {name}")
        self.store = SnippetStore(store_dir)
        self.jobs = jobs
        self.standalone = standalone
        self.report = report
        self.identity = runner_identity(self.root, THREADS)
        self.last = RunStats()
        self._under_way: list[Runs] = []
        self.stopped = False

    def run(self, snippets: list[Snippet]) -> dict[str, Result]:
        """Results by snippet name, in the order given: current ones read, the others run."""
        plan = self.plan(snippets)
        results = {**plan.current, **self.execute(plan.runs)}
        return {s.name: results[s.name] for s in snippets}

    def plan(self, snippets: list[Snippet]) -> Plan:
        names = [s.name for s in snippets]
        if len(set(names)) != len(names):
            duplicated = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"snippet names must be unique, got duplicates: {duplicated}")
        unknown = sorted(set(self.time_limits) - set(names))
        if unknown:
            raise TimeLimitError(f"time limits are set for {unknown}, which are not snippets of this site "
                             f"(the snippets: {sorted(names)})")
        hashes = FileHashes(self.root)
        plan = Plan()
        for snippet in snippets:
            stored, record = self.store.load(snippet)
            reasons = self.store.stale_inputs(record, snippet, self.identity, hashes)
            if reasons:
                plan.runs.append(Run(snippet, reasons, stored))
            else:
                plan.current[snippet.name] = stored
        self.last = RunStats(hits=list(plan.current))
        return plan

    def execute(self, runs: list[Run]) -> dict[str, Result]:
        """Run, store each success, report progress; results (failures included) by name."""
        results: dict[str, Result] = {}
        if not runs:
            return results
        runs = sorted(runs, key=lambda run: -(run.estimate or 0.0))  # longest first: the shortest total time
        progress = Progress(runs, self.jobs, self.report)
        with ThreadPoolExecutor(min(self.jobs, len(runs))) as threads:
            futures: dict[Future, tuple[Run, Path]] = {}
            under_way = Runs()
            self._under_way.append(under_way)
            try:
                if self.stopped:
                    under_way.stop_all()
                for run in runs:
                    scratch = self.store.scratch()
                    job = self._job(run.snippet, scratch)
                    way = run_standalone if self.standalone and self._is_file(run.snippet) else run_forked
                    futures[threads.submit(progress.timed, way, job, self.root, under_way)] = (run, scratch)
                for future in as_completed(futures):
                    run, scratch = futures.pop(future)
                    data = future.result()
                    if data["error"] is None:
                        results[run.snippet.name] = self.store.save(run.snippet, scratch, data, self.identity)
                    else:
                        self.store.discard(scratch)
                        results[run.snippet.name] = Result(run.snippet, scratch, data["stdout"], data["stderr"], [],
                                                           data["error"], data["seconds"], reads=data["reads"])
                    self.last.ran.append(run.snippet.name)
                    progress.done(run, data)
            except BaseException:  # Ctrl-C (or SIGTERM, made one by the build's hooks), a store that cannot be written…
                for future in futures:
                    future.cancel()
                under_way.stop_all()  # the runs under way end now; the pool's threads then return at once
                for _, scratch in futures.values():
                    self.store.discard(scratch)
                raise
            finally:
                self._under_way.remove(under_way)
        return results

    def stop(self) -> None:
        """Stop the runs of every `execute` under way, and of any to come (from another thread)."""
        self.stopped = True
        for runs in list(self._under_way):
            runs.stop_all()

    def _job(self, snippet: Snippet, scratch: Path) -> dict:
        return {"name": snippet.name, "code": snippet.code, "origin": snippet.origin,
                "first_line": snippet.first_line, "stem": snippet.stem, "out_dir": str(scratch),
                "result": str(scratch / RESULT_FILE), "root": str(self.root), "threads": THREADS,
                "time_limit": self.time_limits.get(snippet.name, self.time_limit),
                "run_log": os.environ.get("GCNN_NOTES_RUN_LOG")}  # a fork server keeps the env it started with

    def _is_file(self, snippet: Snippet) -> bool:
        return snippet.first_line == 1 and snippet.origin.endswith(".py") and (self.root / snippet.origin).is_file()
