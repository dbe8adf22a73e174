"""Builds that run only the snippets whose inputs changed, measured side by side in one run.

    python benchmarks/freeze_speed.py [--skip-cold] [--skip-serve] [--setup]

Everything happens in a fresh `git clone` of this repository (its HEAD, with the committed
`frozen/`), which shares this checkout's .venv and KaTeX unless --setup makes its own:
1. cold build: an empty result store (GCNN_NOTES_CACHE), so every snippet runs;
2. the same build with the clone's committed frozen/ in place: nothing may run;
3. a leaf module of gcnn (it imports no other gcnn module) that exactly two snippets read, per
   their records, gets a comment appended: the rebuild must re-run those two (names printed);
4. the rebuild after that, nothing changed;
5. another fresh clone: `make serve` until the first page is served (--setup: its own venv and
   KaTeX installed first, as a new user's first `make serve` does).
Each line shows seconds, snippets run, the ratio to the cold build and the goal.
"""
from __future__ import annotations

import argparse
import ast
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


def build(project: Path, store: Path | None = None) -> tuple[float, list[str], int]:
    """Seconds, the snippets that ran, and how many were read from the store."""
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
    counts = re.search(r"snippets: (\d+) cached, (\d+) ran", result.stderr)
    ran = re.findall(r"snippets: \d+/\d+ (\S+) ", result.stderr)
    return seconds, sorted(ran), int(counts.group(1))


def leaf_read_by_two(project: Path) -> tuple[str, list[str]]:
    """The gcnn leaf module read by exactly two snippets whose runs are shortest together."""
    readers: dict[str, list[str]] = defaultdict(list)
    seconds: dict[str, float] = {}
    for path in (project / "frozen").rglob("record.json"):
        record = json.loads(path.read_text())
        seconds[record["name"]] = record["seconds"]
        for read in record["reads"]:
            readers[read].append(record["name"])
    candidates = [(sum(seconds[n] for n in names), module, sorted(names)) for module, names in readers.items()
                  if module.startswith("gcnn/") and module.endswith(".py") and len(names) == 2
                  and not module.endswith("__init__.py") and is_leaf(project / module)]
    if not candidates:
        sys.exit("no gcnn leaf module is read by exactly two snippets")
    _, module, names = min(candidates)
    return module, names


def is_leaf(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    return not any(m == "gcnn" or m.startswith("gcnn.") for m in modules)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_page_served(project: Path, timeout: float = 900.0) -> float:
    """Seconds from `make serve` to the first page answered with 200."""
    address = f"127.0.0.1:{free_port()}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GCNN_NOTES_CACHE", None)
    start = time.perf_counter()
    server = subprocess.Popen(["make", "serve", f"ADDR={address}"], cwd=project, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout:
            try:
                with urllib.request.urlopen(f"http://{address}/", timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.2)
        sys.exit(f"no page served after {timeout:.0f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def row(label: str, seconds: float, ran: list[str], cold: float | None, goal: str) -> None:
    ratio = f"{seconds / cold:6.3f} x cold" if cold else " " * 13
    print(f"  {label:<34} {seconds:7.1f} s  {ratio}  ran {len(ran):2d}   goal {goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-cold", action="store_true", help="no cold build (ratios to cold are not shown)")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--setup", action="store_true", help="the clones install their own venv and KaTeX")
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
            cold, ran, _ = build(project, Path(scratch) / "empty-store")
            row("cold build (no stored results)", cold, ran, cold, "-")
        seconds, ran, cached = build(project)
        row("build with the committed frozen/", seconds, ran, cold, f"<= {FROZEN_GOAL_S:g} s, ran 0")
        module, readers = leaf_read_by_two(project)
        with open(project / module, "a") as handle:
            handle.write("# touched by benchmarks/freeze_speed.py\n")
        seconds, ran, _ = build(project)
        row(f"after touching {module}", seconds, ran, cold, f"<= {LEAF_GOAL_RATIO:g} x cold, ran {len(readers)}")
        print(f"      read it (records): {', '.join(readers)}; re-ran: {', '.join(ran) or 'none'}"
              f" -> {'exactly those' if ran == readers else 'NOT exactly those'}")
        seconds, ran, _ = build(project)
        row("rebuild, nothing changed", seconds, ran, cold, f"<= {WARM_GOAL_S:g} s, ran 0")
        if not args.skip_serve:
            fresh = clone(Path(scratch) / "serve-clone", args.setup)
            served = first_page_served(fresh)
            setup = " (its setup included)" if args.setup else " (venv and KaTeX shared)"
            print(f"  fresh clone -> make serve -> first page served: {served:.1f} s{setup}")


if __name__ == "__main__":
    main()
