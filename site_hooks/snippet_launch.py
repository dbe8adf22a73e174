"""What a snippet's run gets and gives: the part of the runner that decides a result's bytes (its
code is part of every result's identity, `snippet_inputs`; starting, waiting and stopping the
process is `snippet_processes`, which is not).

Two ways to run a snippet, giving the same bytes (`snippet_worker.prepare/finish`):
- forked (the build): a worker forked from a fork server that has `PRELOAD` imported, which saves
  each snippet the ~2 s a fresh interpreter spends importing torch and matplotlib;
- standalone (CI's one cold run): `python snippets/<section>/<stem>.py` in a fresh interpreter from
  a scratch working directory, exactly as a reader runs it, its outputs captured by
  `capture/sitecustomize.py` (`standalone_command`).
Either reports in the run's result file (`read_report`).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# "__main__": the fork server imports the parent's main module once, so that a worker does not
# re-import it at every start (multiprocessing's own default, which a custom preload list drops).
PRELOAD = ["__main__", "matplotlib", "matplotlib.pyplot", "torch", "site_hooks.snippet_worker",
           "site_hooks.snippet_processes"]
CAPTURE_DIR = Path(__file__).resolve().parent / "capture"
RESULT_FILE = ".result.json"  # what a run reports, in its scratch folder
# Torch threads per run: a fixed number, because sums split over more threads round differently.
THREADS = int(os.environ.get("GCNN_NOTES_THREADS", "1"))
WORKER_ENV = {"MPLBACKEND": "Agg"}  # set before the fork server starts: its workers inherit it


def standalone_command(job: dict, root: Path) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of a standalone run of `job`."""
    script = root / job["origin"]
    capture = {**job, "origin": str(script)}
    path = os.pathsep.join(p for p in (str(CAPTURE_DIR), str(root), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, **WORKER_ENV, "GCNN_NOTES_CAPTURE": json.dumps(capture), "PYTHONPATH": path,
           "PYTHONIOENCODING": "utf-8"}
    return [sys.executable, str(script)], env


def read_report(job: dict, root: Path, stdout: str | None = None, stderr: str | None = None) -> dict | None:
    """What the run reported in its result file (None: it wrote none), with a standalone run's
    output from its pipes and the error's location relative to `root`."""
    result_file = Path(job["result"])
    if not result_file.exists():
        return None
    data = json.loads(result_file.read_text())
    result_file.unlink()
    if stdout is not None:  # a standalone run: its output went to the pipes
        data["stdout"], data["stderr"] = stdout, stderr
    if data["error"] is not None:
        data["error"]["location"] = data["error"]["location"].replace(f"{root}/", "", 1)
    return data
