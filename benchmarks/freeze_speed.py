"""Builds that run only the snippets whose inputs changed, measured side by side in one run.

    python benchmarks/freeze_speed.py [--skip-cold] [--skip-serve] [--setup]

Everything happens in a fresh `git clone` of this repository (its HEAD, with the committed
`frozen/`), which shares this checkout's .venv and KaTeX unless --setup makes its own:
1. cold build: an empty result store (GCNN_NOTES_CACHE), so every snippet runs;
2. the same build with the clone's committed frozen/ in place: nothing may run;
3. one module of gcnn (a file, not a package) that exactly two snippets read, per their records,
   gets a comment appended — the one whose two readers ran shortest, or --module: the rebuild
   must re-run exactly those two (names printed);
4. the rebuild after that, nothing changed;
5. another fresh clone: `make serve` until the first page is served (--setup: its own venv and
   KaTeX installed first, as a new user's first `make serve` does); then a page is touched and
   the server's rebuild time is read from its log (a warm rebuild with nothing to run).
Each line shows seconds, snippets run, the ratio to the cold build and the goal. After the cold
build, each snippet's own execution time (its record's `seconds`) is listed, longest first, with the
sum: the experiments (snippets that train models) dominate it.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FROZEN_GOAL_S, LEAF_GOAL_RATIO, WARM_GOAL_S = 30.0, 0.15, 3.0


def clone(destination: Path, own_setup: bool) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(destination)], check=True)
    if not own_setup:
        (destination / ".venv").symlink_to(ROOT / ".venv")
        (destination / "site_hooks" / "node_modules").symlink_to(ROOT / "site_hooks" / "node_modules")
    return destination


def build(project: Path, store: Path | None = None) -> tuple[float, list[str], float]:
    """Seconds (the whole `mkdocs build` process), the snippets that ran, mkdocs's own build time."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GCNN_NOTES_CACHE", None)
    if store is not None:
        env["GCNN_NOTES_CACHE"] = str(store)
    start = time.perf_counter()
    result = subprocess.run([str(project / ".venv" / "bin" / "mkdocs"), "build", "--strict", "--site-dir",
                             str(project / "site")], cwd=project, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed in {project}:\n{result.stderr[-3000:]}")
    ran = re.findall(r"snippets: \d+/\d+ (\S+) ", result.stderr)
    return seconds, sorted(ran), float(re.search(r"Documentation built in ([\d.]+) seconds", result.stderr).group(1))


def module_read_by_two(project: Path, chosen: str | None) -> tuple[str, list[str]]:
    """A gcnn module read by exactly two snippets (`chosen`, or the one whose readers ran shortest)."""
    readers: dict[str, list[str]] = defaultdict(list)
    seconds: dict[str, float] = {}
    for path in (project / "frozen").rglob("record.json"):
        record = json.loads(path.read_text())
        seconds[record["name"]] = record["seconds"]
        for read in record["reads"]:
            readers[read].append(record["name"])
    candidates = sorted((sum(seconds[n] for n in names), module, sorted(names)) for module, names in readers.items()
                        if module.startswith("gcnn/") and module.endswith(".py") and len(names) == 2
                        and not module.endswith("__init__.py") and module == (chosen or module))
    if not candidates:
        sys.exit(f"no gcnn module {'named ' + chosen + ' ' if chosen else ''}is read by exactly two snippets")
    _, module, names = candidates[0]
    return module, names


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_times(project: Path, log: Path, timeout: float = 900.0) -> tuple[float, float]:
    """Seconds from `make serve` to the first page answered with 200; then the server's own time
    for the rebuild after a page is touched (its content unchanged)."""
    address = f"127.0.0.1:{free_port()}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GCNN_NOTES_CACHE", None)
    start = time.perf_counter()
    with open(log, "w") as out:
        server = subprocess.Popen(["make", "serve", f"ADDR={address}"], cwd=project, env=env,
                                  start_new_session=True, stdout=out, stderr=out)
    try:
        first = wait_until(lambda: page_answers(f"http://{address}/"), start, timeout, "no page served")
        builds = log.read_text().count("Documentation built in")
        os.utime(project / "docs" / "index.md")
        wait_until(lambda: log.read_text().count("Documentation built in") > builds, time.perf_counter(),
                   timeout, "no rebuild after touching docs/index.md")
        rebuild = float(re.findall(r"Documentation built in ([\d.]+) seconds", log.read_text())[-1])
        return first, rebuild
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def page_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until(condition, start: float, timeout: float, failure: str) -> float:
    while time.perf_counter() - start < timeout:
        if condition():
            return time.perf_counter() - start
        time.sleep(0.2)
    sys.exit(f"{failure} after {timeout:.0f} s")


def row(label: str, measured: tuple[float, list[str], float], cold: float | None, goal: str) -> None:
    seconds, ran, inside = measured
    ratio = f"{seconds / cold:6.3f} x cold" if cold else " " * 13
    print(f"  {label:<42} {seconds:7.1f} s (mkdocs: {inside:6.2f} s)  {ratio}  ran {len(ran):2d}   goal {goal}")


def snippet_times(store: Path) -> None:
    """Each snippet's execution time in a store's records, longest first, and their sum."""
    records = [json.loads(p.read_text()) for p in store.rglob("record.json") if ".scratch" not in p.parts]
    times = {record["name"]: record["seconds"] for record in records}
    print(f"      execution time per snippet (one thread each, 2 at a time), sum {sum(times.values()):.0f} s:")
    for name, seconds in sorted(times.items(), key=lambda item: -item[1]):
        print(f"        {name:<42} {seconds:7.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-cold", action="store_true", help="no cold build (ratios to cold are not shown)")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--setup", action="store_true", help="the clones install their own venv and KaTeX")
    parser.add_argument("--module", help="the module to touch (default: read by two snippets, the quickest pair)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="freeze-speed-") as scratch:
        project = clone(Path(scratch) / "clone", args.setup)
        if args.setup:
            start = time.perf_counter()
            subprocess.run([str(project / ".ci" / "setup")], check=True)
            print(f"setup of a fresh clone (venv from the lock, gcnn, KaTeX): {time.perf_counter() - start:.1f} s")
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project, capture_output=True,
                                text=True).stdout.strip()
        print(f"site build in a fresh clone of {commit} ({os.cpu_count()} CPUs, 2 snippet workers)")
        cold = None
        if not args.skip_cold:
            measured = build(project, Path(scratch) / "empty-store")
            cold = measured[0]
            row("cold build (no stored results)", measured, cold, "-")
            snippet_times(Path(scratch) / "empty-store")
        measured = build(project)
        row("build with the committed frozen/", measured, cold, f"<= {FROZEN_GOAL_S:g} s, ran 0")
        module, readers = module_read_by_two(project, args.module)
        with open(project / module, "a") as handle:
            handle.write("# touched by benchmarks/freeze_speed.py\n")
        measured = build(project)
        row(f"after touching {module}", measured, cold, f"<= {LEAF_GOAL_RATIO:g} x cold, ran {len(readers)}")
        ran = measured[1]
        print(f"      read it (records): {', '.join(readers)}; re-ran: {', '.join(ran) or 'none'}"
              f" -> {'exactly those' if ran == readers else 'NOT exactly those'}")
        row("rebuild, nothing changed (mkdocs build)", build(project), cold, f"<= {WARM_GOAL_S:g} s, ran 0")
        if not args.skip_serve:
            fresh = clone(Path(scratch) / "serve-clone", args.setup)
            served, rebuild = serve_times(fresh, Path(scratch) / "serve.log")
            setup = " (its setup included)" if args.setup else " (venv and KaTeX shared)"
            print(f"  fresh clone -> make serve -> first page served: {served:.1f} s{setup}")
            print(f"  make serve: rebuild after a page is touched, nothing to run: {rebuild:.2f} s"
                  f"   goal <= {WARM_GOAL_S:g} s")


if __name__ == "__main__":
    main()
