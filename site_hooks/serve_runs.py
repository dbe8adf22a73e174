"""`mkdocs serve`: stale snippets re-run in the background while their pages show the last good outputs.

A rebuild does not wait for snippets that have a stored result: their pages are served with that
result, marked as updating, while one background thread runs them; when it is done it touches a
file the server watches, so the server rebuilds and the browser reloads with the new outputs. A
snippet with nothing to show yet runs before the page is served. A failure is remembered (and
shown) until the snippet or a file it read changes, so a failing snippet is not re-run in a loop.

mkdocs imports the hooks module afresh at every rebuild; this module is imported once per
process, so it holds what must outlive a rebuild.
"""
from __future__ import annotations

import dataclasses
import threading
import time
import traceback
from pathlib import Path

from site_hooks.atomic import write_text_atomic
from site_hooks.snippet_inputs import FileHashes
from site_hooks.snippet_runner import Plan, Run, SnippetRunner
from site_hooks.snippet_store import Result

_lock = threading.Lock()
_background: threading.Thread | None = None
_background_runner: SnippetRunner | None = None
_failures: dict[str, Result] = {}


def serve_results(runner: SnippetRunner, plan: Plan, work_dir: Path) -> dict[str, Result]:
    """Results to build with now (`work_dir`: where the trigger file goes); starts the background run
    of the stale ones."""
    global _background, _background_runner
    results = dict(plan.current)
    hashes = FileHashes(runner.root)
    waiting = []
    for run in plan.runs:
        failure = _failures.get(run.snippet.name)
        if failure and failure.snippet.identity == run.snippet.identity and not hashes.changed(failure.reads):
            results[run.snippet.name] = failure
        else:
            waiting.append(run)
    first = [r for r in waiting if r.previous is None]
    results.update(_remember(runner.execute(first), first))
    later = [r for r in waiting if r.previous is not None]
    for run in later:  # the build publishes from a view of the store: the run replacing the entry is no matter
        results[run.snippet.name] = dataclasses.replace(run.previous, updating=True)
    with _lock:
        if later and (_background is None or not _background.is_alive()):
            _background = threading.Thread(target=_run_then_reload, args=(runner, later, trigger_file(work_dir)),
                                           name="gcnn-snippets", daemon=True)
            _background_runner = runner
            _background.start()
    return results


def shutdown(timeout: float = 30.0) -> None:
    """`serve` ends: the background run stops its snippets now, and is waited for."""
    with _lock:
        background, runner = _background, _background_runner
    if background is not None and background.is_alive():
        runner.stop()
        background.join(timeout)


def trigger_file(work_dir: Path) -> Path:
    """Touched when a background run is done; `on_serve` watches its folder."""
    return work_dir / "serve" / "snippets-ready"


def _remember(results: dict[str, Result], runs: list[Run]) -> dict[str, Result]:
    """Failures are kept until the snippet or what it read changes; a run stopped or dead before
    it could say what it read counts with what its last good run read."""
    previous = {run.snippet.name: run.previous for run in runs if run.previous}
    for name, result in results.items():
        if result.error:
            if not result.reads and name in previous:
                result = dataclasses.replace(result, reads=previous[name].reads)
            _failures[name] = result
        else:
            _failures.pop(name, None)
    return results


def _run_then_reload(runner: SnippetRunner, runs: list[Run], trigger: Path) -> None:
    try:
        _remember(runner.execute(runs), runs)
    except Exception as exc:  # noqa: BLE001 - e.g. the store cannot be written: shown, not retried in a loop
        for run in runs:
            error = {"location": f"{run.snippet.origin}:{run.snippet.first_line}",
                     "message": f"running it in the background failed: {type(exc).__name__}: {exc}",
                     "traceback": "".join(traceback.format_exception(exc))}
            _failures[run.snippet.name] = Result(run.snippet, run.previous.directory, error=error,
                                                 reads=run.previous.reads)
    finally:
        write_text_atomic(trigger, f"{time.time()}\n")
