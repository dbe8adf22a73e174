"""Runs the snippets whose stored result is not current, at most `jobs` at a time.

`plan` sorts snippets into current results (read from the `SnippetStore`) and runs to do, each
with the inputs that changed; `execute` runs those, stores each success as it completes and
reports progress with an estimate from the run times stored last time; `run` does both.

Two ways to run a snippet, giving the same bytes (`snippet_worker.prepare/finish`):
- forked (the build): a worker forked from a fork server that has torch and matplotlib imported,
  which saves each snippet the ~2 s a fresh interpreter spends importing them;
- standalone (`standalone=True`, CI's one cold run): `python snippets/<section>/<stem>.py` in a
  fresh interpreter from a scratch working directory, exactly as a reader runs it, its outputs
  captured by `capture/sitecustomize.py`. Blocks evaluated on pages have no file: they run forked.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from site_hooks import snippet_worker
from site_hooks.snippet_inputs import FileHashes, runner_identity
from site_hooks.snippet_progress import Progress
from site_hooks.snippet_store import Result, Snippet, SnippetStore

# "__main__": the fork server imports the parent's main module once, so that a worker does not
# re-import it at every start (multiprocessing's own default, which a custom preload list drops).
PRELOAD = ["__main__", "matplotlib", "matplotlib.pyplot", "torch", "site_hooks.snippet_worker"]
CAPTURE_DIR = Path(__file__).resolve().parent / "capture"
RESULT_FILE = ".result.json"  # what a run reports, in its scratch folder
# Torch threads per run: a fixed number, because sums split over more threads round differently.
THREADS = int(os.environ.get("GCNN_NOTES_THREADS", "1"))
# Seconds a snippet may run before it is stopped and fails the build (GCNN_NOTES_TIME_LIMIT overrides):
# generous, so that only a snippet that hangs meets it (the longest training of the site takes ~3 min).
TIME_LIMIT = 1800.0


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
                 report: Callable[[str], None] = lambda message: None, time_limit: float | None = None):
        self.root = Path(root).resolve()
        self.time_limit = time_limit if time_limit is not None else float(
            os.environ.get("GCNN_NOTES_TIME_LIMIT", TIME_LIMIT))
        if not self.time_limit > 0:
            raise ValueError(f"the snippet time limit must be a positive number of seconds, got {self.time_limit!r}")
        self.store = SnippetStore(store_dir)
        self.jobs = jobs
        self.standalone = standalone
        self.report = report
        self.identity = runner_identity(self.root, THREADS)
        self.last = RunStats()

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
            for run in runs:
                scratch = self.store.scratch()
                job = self._job(run.snippet, scratch)
                way = run_standalone if self.standalone and self._is_file(run.snippet) else run_forked
                futures[threads.submit(progress.timed, way, job, self.root)] = (run, scratch)
            for future in as_completed(futures):
                run, scratch = futures[future]
                data = future.result()
                if data["error"] is None:
                    results[run.snippet.name] = self.store.save(run.snippet, scratch, data, self.identity)
                else:
                    self.store.discard(scratch)
                    results[run.snippet.name] = Result(run.snippet, scratch, data["stdout"], data["stderr"], [],
                                                       data["error"], data["seconds"], reads=data["reads"])
                self.last.ran.append(run.snippet.name)
                progress.done(run, data)
        return results

    def _job(self, snippet: Snippet, scratch: Path) -> dict:
        return {"name": snippet.name, "code": snippet.code, "origin": snippet.origin,
                "first_line": snippet.first_line, "stem": snippet.stem, "out_dir": str(scratch),
                "result": str(scratch / RESULT_FILE), "root": str(self.root), "threads": THREADS,
                "time_limit": self.time_limit,
                "run_log": os.environ.get("GCNN_NOTES_RUN_LOG")}  # a fork server keeps the env it started with

    def _is_file(self, snippet: Snippet) -> bool:
        return snippet.first_line == 1 and snippet.origin.endswith(".py") and (self.root / snippet.origin).is_file()


def run_forked(job: dict, root: Path) -> dict:
    """The job in a process of its own, forked from the fork server (one crash fails one snippet)."""
    os.environ["MPLBACKEND"] = "Agg"
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    start = time.perf_counter()
    process = context.Process(target=snippet_worker.execute_to_file, args=(job,), name=f"snippet {job['name']}")
    process.start()
    process.join(job["time_limit"])
    if process.is_alive():  # past the limit: stop it, and say so
        process.kill()
        process.join()
        return timed_out(job, start)
    # A complete report is the outcome (`execute` catches everything the snippet does); the exit
    # status only matters without one. (The fork server sometimes loses a quick child's status: 255.)
    return collected(job, root, 0 if Path(job["result"]).exists() else process.exitcode, start)


def run_standalone(job: dict, root: Path) -> dict:
    """`python <origin>` in a fresh interpreter and a scratch working directory, captured."""
    script = root / job["origin"]
    capture = {**job, "origin": str(script)}
    path = os.pathsep.join(p for p in (str(CAPTURE_DIR), str(root), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "GCNN_NOTES_CAPTURE": json.dumps(capture), "PYTHONPATH": path,
           "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8"}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cwd-") as cwd:
        try:
            process = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, capture_output=True, text=True,
                                     timeout=job["time_limit"])  # on expiry the child is killed and reaped
        except subprocess.TimeoutExpired:
            return timed_out(job, start)
    return collected(job, root, process.returncode, start, process.stdout, process.stderr)


def timed_out(job: dict, start: float) -> dict:
    """The failure of a snippet stopped at its time limit."""
    Path(job["result"]).unlink(missing_ok=True)
    return {"stdout": "", "stderr": "", "files": [], "reads": {}, "seconds": time.perf_counter() - start,
            "error": {"location": f"{job['origin']}:{job['first_line']}", "traceback": "",
                      "message": f"stopped after the time limit of {job['time_limit']:g} s (set GCNN_NOTES_TIME_LIMIT "
                                 f"to change it)"}}


def how_it_died(exit_code: int | None) -> str:
    """``exit status 3``, or ``killed by signal SIGKILL (out of memory?)`` for a negative status."""
    if exit_code is None or exit_code >= 0:
        return f"exit status {exit_code}"
    try:
        name = signal.Signals(-exit_code).name
    except ValueError:
        name = f"signal {-exit_code}"
    hint = {"SIGKILL": " (killed from outside, or out of memory)", "SIGSEGV": " (a segmentation fault)"}.get(name, "")
    return f"killed by {name}{hint}"


def collected(job: dict, root: Path, exit_code: int | None, start: float,
              stdout: str | None = None, stderr: str | None = None) -> dict:
    """What a run left in its result file; a process that died before writing it fails its snippet."""
    result_file = Path(job["result"])
    if result_file.exists():
        data = json.loads(result_file.read_text())
        result_file.unlink()
    else:
        data = {"stdout": "", "stderr": "", "files": [], "reads": {}, "seconds": time.perf_counter() - start,
                "error": {"location": f"{job['origin']}:{job['first_line']}", "traceback": (stderr or "")[-4000:],
                          "message": f"the process running it died ({how_it_died(exit_code)}) before reporting"}}
    if stdout is not None:  # a standalone run: its output went to the pipes
        data["stdout"], data["stderr"] = stdout, stderr
    if data["error"] is not None:
        data["error"]["location"] = data["error"]["location"].replace(f"{root}/", "", 1)
    elif exit_code != 0:
        data["error"] = {"location": f"{job['origin']}:1", "message": f"exited with status {exit_code}",
                         "traceback": (stderr or "")[-4000:]}
    return data
