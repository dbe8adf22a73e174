"""How far a snippet run has got: what runs and why, each one done, and an estimate of the rest.

Only what the build log says; it decides nothing about a run (and so is not part of the runner's
identity: rewording it re-runs nothing).
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from site_hooks.snippet_runner import Run

DEFAULT_ESTIMATE = 10.0  # seconds, for a snippet that never ran here
SHOWN = 6  # snippets named in the first progress line


class Progress:
    """`snippets: 3/7 … about 1 min 20 s left`: the runs left, with the run times stored last time,
    laid out on the workers in the order they start (longest first), the runs under way counted
    from when they started."""

    def __init__(self, runs: list[Run], jobs: int, report: Callable[[str], None]):
        known = [r.estimate for r in runs if r.estimate is not None]
        fallback = sum(known) / len(known) if known else DEFAULT_ESTIMATE
        self.left = {r.snippet.name: (r.estimate if r.estimate is not None else fallback) for r in runs}
        self.started: dict[str, float] = {}
        self.total, self.done_count, self.jobs, self.report = len(runs), 0, max(1, min(jobs, len(runs))), report
        self.start = time.perf_counter()
        shown = [f"{r.snippet.name} ({', '.join(r.reasons[:2])}{', …' if len(r.reasons) > 2 else ''} changed)"
                 if r.previous else f"{r.snippet.name} (never ran)" for r in runs[:SHOWN]]
        more = f" and {len(runs) - SHOWN} more" if len(runs) > SHOWN else ""
        report(f"snippets: running {self.total} (about {duration(self.eta())}): {'; '.join(shown)}{more}")

    def timed(self, way: Callable[..., dict], job: dict, *args) -> dict:
        """`way(job, *args)`, noting when it started."""
        self.started[job["name"]] = time.perf_counter()
        return way(job, *args)

    def eta(self, now: float | None = None) -> float:
        """When the last worker would finish: runs under way take their estimate less the time
        they have run (at least nothing), the others go in order to the first worker free."""
        now = time.perf_counter() if now is None else now
        running = [max(0.0, self.left[n] - (now - t)) for n, t in list(self.started.items()) if n in self.left]
        free = sorted(running + [0.0] * max(0, self.jobs - len(running)))
        for name, seconds in self.left.items():
            if name not in self.started:
                free[0] += seconds
                free.sort()
        return free[-1] if free else 0.0

    def done(self, run: Run, data: dict) -> None:
        self.done_count += 1
        self.left.pop(run.snippet.name, None)
        outcome = "failed" if data["error"] else f"{data['seconds']:.1f} s"
        if self.left:
            tail = f"; about {duration(self.eta())} left"
        else:
            tail = f"; all done in {duration(time.perf_counter() - self.start)}"
        self.report(f"snippets: {self.done_count}/{self.total} {run.snippet.name} {outcome}{tail}")


def duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"
