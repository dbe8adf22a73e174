"""Captures a standalone snippet run (`python snippets/<section>/<stem>.py`) for the site.

Python imports `sitecustomize` at start-up from the first folder of PYTHONPATH that has one;
`snippet_launch.standalone_command` puts this folder there and the job in GCNN_NOTES_CAPTURE. The
snippet itself then runs exactly as a reader runs it; this only adds what every run of the site
gets (`snippet_worker.prepare`: backend, style, seeds, threads) and, at exit, saves its figures
and the files it read (`snippet_worker.finish`) into the job's result file. Without
GCNN_NOTES_CAPTURE it does nothing.
"""
import atexit
import json
import os
import sys
import time
from pathlib import Path


def capture(job: dict) -> None:
    runner_root = str(Path(__file__).resolve().parents[2])  # the runner's own project: its site_hooks
    sys.path.insert(0, runner_root)
    try:
        from site_hooks import snippet_worker
    finally:
        sys.path.remove(runner_root)

    start = time.perf_counter()
    reads = snippet_worker.ReadRecorder(Path(job["root"]), job["origin"])
    snippet_worker.prepare(job["threads"])
    errors: list[dict] = []
    default_hook = sys.excepthook

    def record_error(kind, exc, traceback):
        errors.append(snippet_worker.describe_error(exc, job))
        default_hook(kind, exc, traceback)

    def save() -> None:
        namespace = vars(sys.modules["__main__"])
        data = snippet_worker.finish(namespace, job, "", "", errors[0] if errors else None, reads, start)
        snippet_worker.write_report(job, data)

    sys.excepthook = record_error
    atexit.register(save)


if "GCNN_NOTES_CAPTURE" in os.environ:
    capture(json.loads(os.environ.pop("GCNN_NOTES_CAPTURE")))  # popped: the snippet's own subprocesses run plain
