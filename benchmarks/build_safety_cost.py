"""What the build's fault safety costs a warm build, measured side by side in one run.

    python benchmarks/build_safety_cost.py [--repeat 3]

A warm build (every result current in frozen/) now (1) publishes from a view of the store, hard
links to every result's files taken under the store's lock, and (2) reads mkdocs-jupyter's
conversions from its own copy of the ones earlier builds passed on (hard links, also under the
lock), instead of a folder every build writes at once. Prints the warm build's median time and,
beside it, the view measured alone (and copied instead of linked), and what converting the
tutorials costs a build that finds no conversion passed on.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_hooks.snippet_outputs import discover_snippets  # noqa: E402
from site_hooks.snippet_runner import SnippetRunner  # noqa: E402
from site_hooks.snippet_store import SnippetStore  # noqa: E402


def warm_build(site: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    return time.perf_counter() - start


def view_seconds(copy: bool) -> float:
    """One view of every current result of frozen/, as the build takes it (or copied instead)."""
    runner = SnippetRunner(ROOT, ROOT / "frozen")
    plan = runner.plan(discover_snippets(ROOT, ROOT / "docs"))
    assert not plan.runs, f"frozen/ is not current: {[run.snippet.name for run in plan.runs]}"
    store = SnippetStore(ROOT / "frozen")
    start = time.perf_counter()
    if copy:
        with tempfile.TemporaryDirectory(dir=store.area()) as folder:
            for name, result in plan.current.items():
                shutil.copytree(result.directory, Path(folder) / name)
    else:
        store.view(plan.current)
    return time.perf_counter() - start


def tutorial_seconds(site: Path) -> float:
    """mkdocs-jupyter's conversion of every tutorial notebook: what passing conversions on saves."""
    from mkdocs_jupyter import convert
    start = time.perf_counter()
    notebooks = sorted((site / "tutorials").rglob("*.ipynb"))
    assert notebooks, f"no tutorial notebooks in {site}"
    for notebook in notebooks:
        convert.nb2html(str(notebook))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        builds, links, copies, tutorials = [], [], [], []
        for _ in range(args.repeat):  # interleaved: the machine's load falls on all alike
            builds.append(warm_build(site))
            links.append(view_seconds(copy=False))
            copies.append(view_seconds(copy=True))
            tutorials.append(tutorial_seconds(site))
    build, link, copy, tutorial = (statistics.median(v) for v in (builds, links, copies, tutorials))
    print(f"warm build of the site (frozen/ current), median of {args.repeat}: {build:6.2f} s")
    print(f"  view of the store, hard links           {link:6.3f} s  {link / build:6.1%} of the build")
    print(f"  the same view, copied instead           {copy:6.3f} s  {copy / build:6.1%}   (links / copy {link / copy:.2f})")
    print(f"  tutorials converted (none passed on)    {tutorial:6.3f} s  {tutorial / build:6.1%} of the build")


if __name__ == "__main__":
    main()
