"""Starting, waiting for and stopping the process that runs one snippet: a time limit, a death
named, no orphans. (What the run gets and reports is `snippet_launch`.)

A run leads a process group of its own: stopping it stops what the snippet started too, and a
Ctrl-C in the terminal reaches the build, which stops its runs, not the runs behind its back. It
dies with its parent: a build killed outright takes its fork server with it (the server exits when
its client is gone), and a worker whose fork server is gone kills its group. While it runs it is
registered in its `Runs`, so that an interrupted build stops it at once (`Runs.stop_all`) instead
of waiting for it. After `job["time_limit"]` seconds it is stopped, failing its snippet with the
limit named. Its working folder and temporary files lie in the build's area of the store.
"""
from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from site_hooks import snippet_worker
from site_hooks.snippet_launch import PRELOAD, WORKER_ENV, read_report, standalone_command

PR_SET_PDEATHSIG = 1
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux: a killed build may leave its runs behind
    _prctl = None


class Stopped(Exception):
    """The runs were stopped (an interrupted build): no new one starts."""


def die_with_parent(death_signal: int = signal.SIGKILL) -> None:
    """Get `death_signal` when the parent dies (Linux; elsewhere nothing)."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, death_signal)


def stop(group: int, leader_alive: bool = True) -> None:
    """SIGKILL a run's process group (the run and everything it started); gone already: nothing.

    `leader_alive`: the run itself may not have made its group yet, so it is killed by its pid
    if the group is not there (never after it has ended: its pid may belong to another process)."""
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        if leader_alive:
            try:
                os.kill(group, signal.SIGKILL)
            except ProcessLookupError:
                pass


class Runs:
    """The process groups of the runs one `execute` has under way; once stopped, none starts."""

    def __init__(self):
        self._groups: set[int] = set()
        self._lock = threading.Lock()
        self.stopped = False

    @contextlib.contextmanager
    def running(self, group: int):
        """While the run lives, it is registered; on leaving, whatever is left of its group is stopped."""
        with self._lock:
            self._groups.add(group)
            stopped = self.stopped
        try:
            if stopped:  # stopped while this run was starting
                stop(group)
            yield
        finally:
            stop(group, leader_alive=False)  # the snippet's own children, if it left any
            with self._lock:
                self._groups.discard(group)

    def check(self) -> None:
        if self.stopped:
            raise Stopped

    def stop_all(self) -> None:
        """Stop every run under way and every run about to start (an interrupted build)."""
        with self._lock:
            self.stopped = True
            groups = list(self._groups)
        for group in groups:
            stop(group)


def forked_main(job: dict) -> None:
    """A forked worker: its own process group, which it kills when the fork server dies; then the snippet."""
    parent = os.getppid()
    os.setpgid(0, 0)
    # The fork server lives while any process holds the write end of its "alive" pipe, workers
    # included; closed here, it lives as long as the build.
    from multiprocessing import forkserver
    alive = getattr(forkserver._forkserver, "_forkserver_alive_fd", None)
    if alive is not None:
        os.close(alive)
        forkserver._forkserver._forkserver_alive_fd = None
    signal.signal(signal.SIGTERM, lambda *_: os.killpg(0, signal.SIGKILL))
    die_with_parent(signal.SIGTERM)
    if os.getppid() != parent:  # the fork server died before the line above
        os.killpg(0, signal.SIGKILL)
    tempfile.tempdir = str(Path(job["out_dir"]).parent)  # its working folder, its temporary files: the area
    snippet_worker.execute_to_file(job)


def run_forked(job: dict, root: Path, runs: Runs) -> dict:
    """The job in a worker forked from the fork server, waited for up to its time limit."""
    start = time.perf_counter()
    runs.check()
    try:
        os.environ.update(WORKER_ENV)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        process = context.Process(target=forked_main, args=(job,), name=f"snippet {job['name']}")
        process.start()
    except (OSError, EOFError) as exc:  # no memory or processes left, the fork server gone…
        return failure(job, start, f"its process could not be started: {type(exc).__name__}: {exc}")
    with runs.running(process.pid):
        process.join(job["time_limit"])
        if process.is_alive():  # past the limit
            stop(process.pid)
            process.join()
            return timed_out(job, start)
    # A complete report is the outcome (`execute` catches everything the snippet does); the exit
    # status only matters without one. (The fork server sometimes loses a quick child's status: 255.)
    return read_report(job, root) or died(job, process.exitcode, start)


def run_standalone(job: dict, root: Path, runs: Runs) -> dict:
    """`python <origin>` in a fresh interpreter and a scratch working directory, waited for up to its time limit."""
    start = time.perf_counter()
    runs.check()
    command, env = standalone_command(job, root)
    with tempfile.TemporaryDirectory(prefix="cwd-", dir=Path(job["out_dir"]).parent) as cwd:
        try:
            process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, start_new_session=True, preexec_fn=die_with_parent)
        except OSError as exc:
            return failure(job, start, f"its process could not be started: {type(exc).__name__}: {exc}")
        with runs.running(process.pid):
            try:
                stdout, stderr = process.communicate(timeout=job["time_limit"])
            except subprocess.TimeoutExpired:
                stop(process.pid)
                process.communicate()
                return timed_out(job, start)
    data = read_report(job, root, stdout, stderr) or died(job, process.returncode, start, stderr)
    if data["error"] is None and process.returncode != 0:
        data["error"] = {"location": f"{job['origin']}:1", "message": f"exited with status {process.returncode}",
                         "traceback": stderr[-4000:]}
    return data


def failure(job: dict, start: float, message: str, traceback: str = "") -> dict:
    return {"stdout": "", "stderr": "", "files": [], "reads": {}, "seconds": time.perf_counter() - start,
            "error": {"location": f"{job['origin']}:{job['first_line']}", "traceback": traceback, "message": message}}


def timed_out(job: dict, start: float) -> dict:
    """The failure of a snippet stopped at its time limit."""
    Path(job["result"]).unlink(missing_ok=True)
    return failure(job, start, f"stopped after its time limit of {job['time_limit']:g} s (mkdocs.yml: extra.snippets)")


def died(job: dict, exit_code: int | None, start: float, stderr: str | None = None) -> dict:
    """The failure of a snippet whose process ended without reporting."""
    return failure(job, start, f"the process running it died ({how_it_died(exit_code)}) before reporting",
                   (stderr or "")[-4000:])


def how_it_died(exit_code: int | None) -> str:
    """``exit status 3``, or ``killed by SIGKILL (killed from outside, or out of memory)`` for a signal."""
    if exit_code is None or exit_code >= 0:
        return f"exit status {exit_code}"
    try:
        name = signal.Signals(-exit_code).name
    except ValueError:
        name = f"signal {-exit_code}"
    hint = {"SIGKILL": " (killed from outside, or out of memory)", "SIGSEGV": " (a segmentation fault)"}.get(name, "")
    return f"killed by {name}{hint}"
