"""The snippet runner and its cache, on a small throwaway project (its own gcnn/ and snippets/)."""
from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import os
import py_compile
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from site_hooks.snippet_outputs import discover_snippets
from site_hooks.snippet_progress import Progress
from site_hooks.snippet_runner import Run, Snippet, SnippetRunner
from site_hooks.snippet_store import Result, SnippetStore

PLOT = """import gcnn
import matplotlib.pyplot as plt
import torch

values = torch.randn(5)
print("first value", round(float(values[0]), 6), "scale", gcnn.SCALE)
plt.plot((values * gcnn.SCALE).tolist())
plt.show()
"""
TEXT = "import gcnn\nprint('scale is', gcnn.SCALE)\n"
RAISES = "import gcnn\n\nvalue = 1\nprint('before')\nvalue = value / 0\n"


INDIRECT = "from gcnn.middle import value\nprint('value', value)\n"
DATA = ("from pathlib import Path\n"
        "print((Path(__file__).resolve().parents[2] / 'data' / 'table.txt').read_text().strip())\n")


@pytest.fixture
def tiny(tmp_path):
    root = tmp_path / "tiny"
    files = {"gcnn/__init__.py": "SCALE = 2\n", "gcnn/leaf.py": "VALUE = 7\n",
             "gcnn/middle.py": "from gcnn.leaf import VALUE\n\nvalue = VALUE * 10\n",
             "gcnn/unused.py": "NOBODY = 1\n", "data/table.txt": "row 1\n", "requirements.lock": "torch==2.13.0\n",
             "snippets/a/plot.py": PLOT, "snippets/a/text.py": TEXT, "snippets/b/indirect.py": INDIRECT,
             "snippets/b/data.py": DATA}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "docs").mkdir()
    return root


def run(root: Path, cache: Path, jobs: int = 2, standalone: bool = False):
    runner = SnippetRunner(root, cache, jobs=jobs, standalone=standalone)
    results = runner.run(discover_snippets(root, root / "docs"))
    return runner, results


ALL = ["a/plot", "a/text", "b/data", "b/indirect"]


def runs_left(cache: Path) -> list[Path]:
    """Run folders still in the store's scratch areas (a finished run leaves none)."""
    return sorted(cache.glob(".scratch/*/runs/run-*")) + sorted(cache.glob(".scratch/run-*"))


def runner_area(cache: Path) -> Path:
    return SnippetStore(cache).area()


def test_first_run_misses_then_hits(tiny, tmp_path):
    cache = tmp_path / "cache"
    runner, results = run(tiny, cache)
    assert sorted(runner.last.ran) == ALL and runner.last.hits == []
    assert results["a/text"].stdout == "scale is 2\n"
    assert results["a/plot"].files == ["plot-1.svg"] and results["a/plot"].paths[0].read_bytes().startswith(b"<?xml")
    runner, again = run(tiny, cache)
    assert runner.last.ran == [] and sorted(runner.last.hits) == ALL
    assert again["a/plot"].stdout == results["a/plot"].stdout and again["a/plot"].cached


def test_the_record_holds_what_each_snippet_read(tiny, tmp_path):
    _, results = run(tiny, tmp_path / "cache")
    style_lookup = {"gcnn/__init__.py"}  # every run looks for gcnn.viz's figure style
    assert set(results["a/text"].reads) == style_lookup
    assert set(results["b/indirect"].reads) == style_lookup | {"gcnn/middle.py", "gcnn/leaf.py"}
    assert set(results["b/data"].reads) == style_lookup | {"data/table.txt"}
    digest = hashlib.sha256(b"VALUE = 7\n").hexdigest()
    assert results["b/indirect"].reads["gcnn/leaf.py"] == digest


@pytest.mark.parametrize("change, reruns", [
    ("snippets/a/text.py", ["a/text"]),
    ("gcnn/middle.py", ["b/indirect"]),  # imported directly
    ("gcnn/leaf.py", ["b/indirect"]),  # imported through gcnn/middle.py
    ("data/table.txt", ["b/data"]),  # opened
    ("gcnn/__init__.py", ALL),
    ("requirements.lock", ALL),
    ("gcnn/unused.py", []),  # nobody imports it
    ("gcnn/new_module.py", []),  # a new file nobody uses
    ("data/other.txt", []),
])
def test_exactly_the_snippets_that_read_a_changed_file_rerun(tiny, tmp_path, change, reruns):
    cache = tmp_path / "cache"
    run(tiny, cache)
    path = tiny / change
    path.write_text((path.read_text() if path.exists() else "") + "# changed\n")
    runner, _ = run(tiny, cache)
    assert sorted(runner.last.ran) == reruns
    assert sorted(runner.last.hits) == sorted(set(ALL) - set(reruns))


def test_a_changed_input_shows_the_new_output_never_the_stored_one(tiny, tmp_path):
    cache = tmp_path / "cache"
    run(tiny, cache)
    (tiny / "gcnn" / "leaf.py").write_text("VALUE = 8\n")
    _, results = run(tiny, cache)
    assert results["b/indirect"].stdout == "value 80\n"
    (tiny / "gcnn" / "leaf.py").write_text("raise RuntimeError('broken leaf')\n")
    runner, results = run(tiny, cache)
    assert runner.last.ran == ["b/indirect"]
    assert results["b/indirect"].error["message"] == "RuntimeError: broken leaf"
    assert results["b/indirect"].stdout == "" and results["b/indirect"].files == []
    # the failure is not stored: the run after it tries again, and a removed input counts as changed
    (tiny / "gcnn" / "leaf.py").unlink()
    runner, results = run(tiny, cache)
    assert runner.last.ran == ["b/indirect"] and "ModuleNotFoundError" in results["b/indirect"].error["message"]


def test_a_module_loaded_from_its_bytecode_cache_counts_its_source(tiny, tmp_path):
    leaf = tiny / "gcnn" / "leaf.py"
    py_compile.compile(str(leaf), cfile=importlib.util.cache_from_source(str(leaf)), doraise=True)
    runner, results = run(tiny, tmp_path / "cache")
    assert results["b/indirect"].reads["gcnn/leaf.py"] == hashlib.sha256(leaf.read_bytes()).hexdigest()
    assert not any("__pycache__" in path for r in results.values() for path in r.reads)


def test_a_file_saved_while_the_snippet_runs_reruns_it_next_time(tiny, tmp_path):
    (tiny / "snippets" / "b" / "indirect.py").write_text(
        INDIRECT + "from pathlib import Path\n"
        "(Path(__file__).resolve().parents[2] / 'gcnn' / 'leaf.py').write_text('VALUE = 8\\n')  # an editor saves\n")
    cache = tmp_path / "cache"
    _, first = run(tiny, cache)
    assert first["b/indirect"].stdout == "value 70\n"
    runner, again = run(tiny, cache)
    assert "b/indirect" in runner.last.ran and again["b/indirect"].stdout == "value 80\n"


def test_a_missing_file_the_snippet_looked_for_reruns_it_once_it_exists(tiny, tmp_path):
    (tiny / "snippets" / "b" / "data.py").write_text(
        "from pathlib import Path\n"
        "optional = Path(__file__).resolve().parents[2] / 'data' / 'optional.txt'\n"
        "try:\n    print(optional.read_text().strip())\nexcept FileNotFoundError:\n    print('no optional data')\n")
    cache = tmp_path / "cache"
    _, results = run(tiny, cache)
    assert results["b/data"].stdout == "no optional data\n" and results["b/data"].reads["data/optional.txt"] is None
    assert run(tiny, cache)[0].last.ran == []
    (tiny / "data" / "optional.txt").write_text("now there\n")
    runner, results = run(tiny, cache)
    assert runner.last.ran == ["b/data"] and results["b/data"].stdout == "now there\n"


def test_a_crashing_worker_fails_only_its_snippet_by_name(tiny, tmp_path):
    (tiny / "snippets" / "a" / "crash.py").write_text("import os\nos._exit(3)\n")
    _, results = run(tiny, tmp_path / "cache", jobs=1)
    error = results["a/crash"].error
    assert error["location"] == "snippets/a/crash.py:1" and "died" in error["message"], error
    assert all(results[name].error is None for name in ALL)
    assert runs_left(tmp_path / "cache") == []


def test_a_broken_gcnn_fails_each_snippet_with_the_module_and_line(tiny, tmp_path):
    (tiny / "gcnn" / "__init__.py").write_text("SCALE = (\n")
    _, results = run(tiny, tmp_path / "cache")
    for name in ALL:
        assert "SyntaxError" in results[name].error["message"], results[name].error
        assert "gcnn/__init__.py" in results[name].error["traceback"]


def test_a_standalone_run_gives_the_same_bytes_as_a_forked_one(tiny, tmp_path):
    log = tmp_path / "executions.log"
    os.environ["GCNN_NOTES_RUN_LOG"] = str(log)
    try:
        _, forked = run(tiny, tmp_path / "forked")
        _, standalone = run(tiny, tmp_path / "standalone", standalone=True)
    finally:
        del os.environ["GCNN_NOTES_RUN_LOG"]
    assert standalone["a/plot"].files == ["plot-1.svg"]
    for name in ALL:
        assert standalone[name].error is None and forked[name].error is None
        assert standalone[name].stdout == forked[name].stdout and standalone[name].stdout
        assert standalone[name].stderr == forked[name].stderr
        assert standalone[name].reads == forked[name].reads
        assert [p.read_bytes() for p in standalone[name].paths] == [p.read_bytes() for p in forked[name].paths]
    executions = log.read_text().splitlines()
    assert sorted(executions) == sorted(f"{tiny} {name}" for name in ALL * 2)


def test_a_standalone_failure_names_the_file_and_line(tiny, tmp_path):
    (tiny / "snippets" / "a" / "broken.py").write_text(RAISES)
    _, results = run(tiny, tmp_path / "cache", standalone=True)
    error = results["a/broken"].error
    assert error["location"] == "snippets/a/broken.py:5", error
    assert error["message"] == "ZeroDivisionError: division by zero"
    assert results["a/broken"].stdout == "before\n"


def test_snippets_are_seeded_and_figures_are_byte_identical(tiny, tmp_path):
    _, first = run(tiny, tmp_path / "one")
    _, second = run(tiny, tmp_path / "two")
    assert first["a/plot"].stdout == second["a/plot"].stdout
    assert first["a/plot"].paths[0].read_bytes() == second["a/plot"].paths[0].read_bytes()


def test_a_raising_snippet_reports_file_line_and_traceback(tiny, tmp_path):
    (tiny / "snippets" / "a" / "broken.py").write_text(RAISES)
    runner, results = run(tiny, tmp_path / "cache")
    error = results["a/broken"].error
    assert error["location"] == "snippets/a/broken.py:5"
    assert error["message"] == "ZeroDivisionError: division by zero"
    assert 'File "snippets/a/broken.py", line 5' in error["traceback"]
    assert "snippet_worker" not in error["traceback"]
    assert results["a/text"].error is None
    # failures are not cached: the next run tries again
    runner, _ = run(tiny, tmp_path / "cache")
    assert runner.last.ran == ["a/broken"]


def test_a_syntax_error_names_its_line(tiny, tmp_path):
    (tiny / "snippets" / "a" / "syntax.py").write_text("x = 1\ny = (\n")
    _, results = run(tiny, tmp_path / "cache")
    assert results["a/syntax"].error["location"].startswith("snippets/a/syntax.py:")
    assert "SyntaxError" in results["a/syntax"].error["message"]


def test_eval_blocks_on_pages_run_with_page_line_numbers(tiny, tmp_path):
    (tiny / "docs" / "page.md").write_text("# Page\n\n```python:demo\nprint(6 * 7)\n```\n\n"
                                           "```python:bad\nx = 1\nraise ValueError('boom')\n```\n")
    _, results = run(tiny, tmp_path / "cache")
    assert results["pages/page/demo"].stdout == "42\n"
    assert results["pages/page/bad"].error["location"] == "docs/page.md:9"


def test_animations_become_gifs(tiny, tmp_path):
    (tiny / "snippets" / "a" / "anim.py").write_text(
        "import matplotlib.pyplot as plt\nfrom matplotlib.animation import FuncAnimation\n"
        "fig, ax = plt.subplots()\nline, = ax.plot([0, 1], [0, 1])\n"
        "def step(i):\n    line.set_ydata([0, i])\n    return line,\n"
        "animation = FuncAnimation(fig, step, frames=3, interval=100)\nplt.show()\n")
    _, results = run(tiny, tmp_path / "cache")
    assert results["a/anim"].files == ["anim-1.gif"]
    assert results["a/anim"].paths[0].read_bytes()[:6] == b"GIF89a"


def test_big_images_become_png(tiny, tmp_path):
    (tiny / "snippets" / "a" / "image.py").write_text(
        "import matplotlib.pyplot as plt\nimport torch\nplt.imshow(torch.rand(300, 300))\nplt.show()\n")
    _, results = run(tiny, tmp_path / "cache")
    assert results["a/image"].files == ["image-1.png"]


def test_duplicate_names_are_rejected(tiny, tmp_path):
    snippet = Snippet("a/x", "print(1)\n", "snippets/a/x.py")
    with pytest.raises(ValueError, match="duplicates: \\['a/x'\\]"):
        SnippetRunner(tiny, tmp_path / "cache").run([snippet, snippet])


def test_store_entries_hold_the_result_and_its_inputs(tiny, tmp_path):
    cache = tmp_path / "cache"
    _, results = run(tiny, cache)
    entry = cache / "a" / "plot"
    assert sorted(p.name for p in entry.iterdir()) == ["plot-1.svg", "record.json"]
    record = json.loads((entry / "record.json").read_text())
    assert record["files"] == ["plot-1.svg"] and record["origin"] == "snippets/a/plot.py"
    assert record["reads"] == results["a/plot"].reads and "error" not in record
    assert runs_left(cache) == []
    assert sorted(p.name for p in (cache / ".scratch").iterdir()) == sorted(["lock", runner_area(cache).name])


def test_entries_of_removed_snippets_are_pruned(tiny, tmp_path):
    cache = tmp_path / "cache"
    runner, _ = run(tiny, cache)
    (tiny / "snippets" / "a" / "text.py").unlink()
    snippets = discover_snippets(tiny, tiny / "docs")
    assert runner.store.prune(snippets, tiny) == ["a/text"]
    assert not (cache / "a" / "text").exists() and (cache / "a" / "plot" / "record.json").exists()


def test_the_estimate_lays_the_runs_left_out_on_the_workers():
    def run_of(name, seconds):
        snippet = Snippet(name, "", f"snippets/{name}.py")
        return Run(snippet, ["its code"], Result(snippet, Path("."), seconds=seconds))
    messages = []
    progress = Progress([run_of("a/long", 100.0), run_of("a/mid", 60.0), run_of("a/short", 50.0)], 2, messages.append)
    assert progress.eta() == pytest.approx(110.0)  # worker 1: long (100); worker 2: mid + short (110)
    assert "running 3 (about 1 min 50 s)" in messages[0]
    progress.started.update({"a/long": progress.start, "a/mid": progress.start})
    assert progress.eta(now=progress.start + 30) == pytest.approx(80.0)  # mid has 30 s left, then short: 80
    progress.done(run_of("a/mid", 60.0), {"error": None, "seconds": 58.0})
    progress.started["a/short"] = progress.start + 58
    assert progress.eta(now=progress.start + 60) == pytest.approx(48.0)  # short: 50 - 2; long: 40
    assert messages[-1].startswith("snippets: 1/3 a/mid 58.0 s; about")


@pytest.mark.parametrize("standalone", [False, True], ids=["forked", "standalone"])
def test_a_hanging_snippet_is_stopped_at_the_time_limit_and_the_others_run(tiny, tmp_path, standalone):
    pid_file = tmp_path / "hang.pid"
    (tiny / "snippets" / "a" / "hang.py").write_text(
        f"import os\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\nwhile True:\n    pass\n")
    limit = 8 if standalone else 3  # a fresh interpreter needs a few seconds to import torch before it hangs
    runner = SnippetRunner(tiny, tmp_path / "cache", jobs=2, standalone=standalone, time_limits={"a/hang": limit})
    results = runner.run(discover_snippets(tiny, tiny / "docs"))
    error = results["a/hang"].error
    assert error["location"] == "snippets/a/hang.py:1" and f"time limit of {limit} s" in error["message"], error
    assert limit <= results["a/hang"].seconds < limit + 30
    assert all(results[name].error is None for name in ALL)
    assert runs_left(tmp_path / "cache") == []
    pid = int(pid_file.read_text())
    assert not Path(f"/proc/{pid}").exists(), "the stopped snippet's process is still there"


def test_a_worker_killed_by_a_signal_is_named_with_the_signal(tiny, tmp_path):
    (tiny / "snippets" / "a" / "killed.py").write_text("import os\nimport signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    _, results = run(tiny, tmp_path / "cache", jobs=1)
    error = results["a/killed"].error
    assert error["location"] == "snippets/a/killed.py:1" and "killed by SIGKILL" in error["message"], error
    assert all(results[name].error is None for name in ALL)


def test_a_time_limit_must_be_positive(tiny, tmp_path):
    with pytest.raises(ValueError, match="time limit must be a positive number of seconds, got -1 for time_limit"):
        SnippetRunner(tiny, tmp_path / "cache", time_limit=-1)
    with pytest.raises(ValueError, match="got 'soon' for a/plot"):
        SnippetRunner(tiny, tmp_path / "cache", time_limits={"a/plot": "soon"})


def test_a_time_limit_of_one_snippet_applies_to_it_alone(tiny, tmp_path):
    (tiny / "snippets" / "a" / "slow.py").write_text("import time\ntime.sleep(4)\nprint('done')\n")
    (tiny / "snippets" / "a" / "slower.py").write_text("import time\ntime.sleep(4)\nprint('done')\n")
    runner = SnippetRunner(tiny, tmp_path / "cache", jobs=2, time_limit=30, time_limits={"a/slow": 1.5})
    results = runner.run(discover_snippets(tiny, tiny / "docs"))
    assert "time limit of 1.5 s" in results["a/slow"].error["message"]
    assert results["a/slower"].error is None and results["a/slower"].stdout == "done\n"


def test_a_time_limit_for_a_snippet_that_does_not_exist_is_an_error(tiny, tmp_path):
    runner = SnippetRunner(tiny, tmp_path / "cache", time_limits={"a/plott": 5})
    with pytest.raises(ValueError, match=r"time limits are set for \['a/plott'\], which are not snippets"):
        runner.plan(discover_snippets(tiny, tiny / "docs"))


def test_a_new_area_removes_what_dead_processes_left_and_keeps_live_ones(tiny, tmp_path):
    cache = tmp_path / "cache"
    scratch = cache / ".scratch"
    for name in ("build-dead", "build-live", "build-nolock"):
        (scratch / name / "runs" / "run-x").mkdir(parents=True)
    (scratch / "build-dead" / "lock").touch()
    (scratch / "run-legacy").mkdir()
    with open(scratch / "build-live" / "lock", "w") as live:
        fcntl.flock(live, fcntl.LOCK_EX)  # held by "another build" (a separate open file description)
        area = runner_area(cache)
        kept = sorted(p.name for p in scratch.iterdir())
    assert kept == sorted(["lock", "build-live", area.name])


def test_a_view_keeps_what_the_build_read_when_another_run_replaces_the_entry(tiny, tmp_path):
    cache = tmp_path / "cache"
    runner, results = run(tiny, cache)
    view = runner.store.view(results)
    shown = view["a/plot"].paths[0]
    before = shown.read_bytes()
    assert shown.parent != cache / "a" / "plot" and before == results["a/plot"].paths[0].read_bytes()
    (tiny / "snippets" / "a" / "plot.py").write_text(
        (tiny / "snippets" / "a" / "plot.py").read_text().replace("plt.plot(", "plt.plot([0, 1], [1, 0])\nplt.plot("))
    _, again = run(tiny, cache)
    assert again["a/plot"].paths[0].read_bytes() != before and shown.read_bytes() == before


def test_a_store_that_cannot_be_written_keeps_new_results_for_this_process(tiny, tmp_path):
    run(tiny, tmp_path / "written")
    cache = Path(shutil.copytree(tmp_path / "written", tmp_path / "cache", ignore=shutil.ignore_patterns(".scratch")))
    (tiny / "gcnn" / "leaf.py").write_text("VALUE = 9\n")
    if subprocess.run(["chattr", "-R", "+i", str(cache)], capture_output=True).returncode != 0:
        pytest.skip("cannot make a folder read-only here")
    try:
        runner, results = run(tiny, cache)
        assert "Operation not permitted" in runner.store.read_only
        assert runner.last.ran == ["b/indirect"] and results["b/indirect"].stdout == "value 90\n"
        again, results = run(tiny, cache)  # the kept result is current: nothing runs again
        assert again.last.ran == [] and results["b/indirect"].stdout == "value 90\n"
        assert json.loads((cache / "b" / "indirect" / "record.json").read_text())["stdout"] == "value 70\n"
    finally:
        subprocess.run(["chattr", "-R", "-i", str(cache)], check=True)


def test_builds_pass_on_a_shared_folder_whole_through_the_store(tmp_path):
    store = SnippetStore(tmp_path / "cache")
    mine = store.take_shared("conversions")
    assert mine.parent == store.area() and list(mine.iterdir()) == []
    (mine / "a.json").write_text("{}")
    (mine / "b.json").write_text("[]")
    store.pass_on("conversions")
    shared = tmp_path / "cache" / ".scratch" / "shared" / "conversions"
    assert sorted(p.name for p in shared.iterdir()) == ["a.json", "b.json"]
    assert (shared / "a.json").stat().st_ino == (mine / "a.json").stat().st_ino  # a link: never half-written
    (mine / "b.json").unlink()  # evicted by this build
    store.pass_on("conversions")
    assert sorted(p.name for p in shared.iterdir()) == ["a.json"]
    later = subprocess.run([sys.executable, "-c", "import sys; from site_hooks.snippet_store import SnippetStore; "
                            "print(sorted(p.name for p in SnippetStore(sys.argv[1]).take_shared('conversions')"
                            ".iterdir()))", str(tmp_path / "cache")], capture_output=True, text=True, check=True,
                           cwd=ROOT)
    assert later.stdout.strip() == "['a.json']"
