"""Faults injected into real `mkdocs build`s of a tiny project: hanging and dying snippets,
interrupted builds, builds at the same time, a cache that cannot be written.

Every build of a test carries a mark in its environment, which its fork server, workers and
standalone runs inherit; after the test no process holding the mark may be left (`ps` by /proc)."""
from __future__ import annotations

import contextlib
import filecmp
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import yaml

from conftest import write_mini_project
from test_serve import fetch, free_port, wait_for

MARK = "GCNN_NOTES_TEST_MARK"
# Starts a child process that sleeps, then waits while a file exists (outside the project, so not
# one of its inputs); says when it started.
SLOW = """import gcnn
import subprocess
import sys
import time
from pathlib import Path

child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
Path({started!r}).write_text("running")
while Path({hold!r}).exists():
    time.sleep(0.1)
child.kill()
print("slow:", gcnn.VALUE)
"""


@pytest.fixture
def marked(tmp_path):
    """The environment for this test's builds; afterwards, none of their processes may be left."""
    mark = uuid.uuid4().hex
    env = {**os.environ, MARK: mark, "NO_MKDOCS_2_WARNING": "1"}
    yield env
    deadline = time.monotonic() + 10  # a fork server whose build is gone exits within moments
    while (left := processes_marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for process in left:  # the test fails, but leaves nothing running behind it
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(process.split()[0]), signal.SIGKILL)
    assert left == [], f"processes of this test's builds are still running: {left}"


def processes_marked(mark: str) -> list[str]:
    """`pid command` of each process whose environment holds the mark."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"{MARK}={mark}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append(f"{proc.name} {command[:120]}")
        except OSError:  # gone meanwhile, or a zombie
            continue
    return found


def hear_ctrl_c() -> None:
    """In the child, before it runs: SIGINT back to its default. A shell starts background jobs with
    SIGINT ignored (so may CI), and a Python started so never raises KeyboardInterrupt at all."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def serve(project: Path, cache: Path, port: int, env: dict, log: Path) -> subprocess.Popen:
    """`mkdocs serve` of the project on `port`, its output in `log`."""
    with open(log, "w") as out:
        return subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                                env={**env, "GCNN_NOTES_CACHE": str(cache)}, stdout=out, stderr=out,
                                preexec_fn=hear_ctrl_c)


def build(project: Path, cache: Path, site: Path, env: dict, strict: bool = True, wait: bool = True):
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "--site-dir", str(site)]
    process = subprocess.Popen(command + (["--strict"] if strict else []), cwd=project,
                               env={**env, "GCNN_NOTES_CACHE": str(cache)}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True, preexec_fn=hear_ctrl_c)
    if wait:
        process.log = process.communicate(timeout=300)[0]
    return process


def same_tree(a: Path, b: Path) -> list[str]:
    """Files that differ between two folders, or are in one only (empty: byte for byte the same)."""
    names = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    names |= {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    return sorted(n for n in names if not ((a / n).is_file() and (b / n).is_file()
                                           and filecmp.cmp(a / n, b / n, shallow=False)))


def cache_tree(cache: Path) -> list[str]:
    """What a store holds besides the areas of live processes: entries and their files."""
    return sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if ".scratch" not in p.parts)


def add_snippet(project: Path, name: str, code: str) -> None:
    (project / "snippets" / "a" / f"{name}.py").write_text(code)
    page = project / "docs" / "index.md"
    page.write_text(page.read_text() + f"\n\\snippet{{a/{name}}}\n")


def remove_snippet(project: Path, name: str) -> None:
    (project / "snippets" / "a" / f"{name}.py").unlink()
    page = project / "docs" / "index.md"
    page.write_text(page.read_text().replace(f"\n\\snippet{{a/{name}}}\n", ""))


def set_time_limits(project: Path, **limits: float) -> None:
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config.setdefault("extra", {})["snippets"] = {"time_limit": 600, "time_limits": {
        f"a/{name}": seconds for name, seconds in limits.items()}}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))


@pytest.fixture
def lone(tmp_path, marked):
    """The mini project and the site a lone cold build makes of it."""
    project = write_mini_project(tmp_path / "mini")
    result = build(project, tmp_path / "lone-cache", tmp_path / "lone-site", marked)
    assert result.returncode == 0, result.log
    return project, tmp_path / "lone-site"


def test_a_hanging_snippet_is_stopped_at_its_limit_and_fails_the_build_by_name(tmp_path, marked):
    project = write_mini_project(tmp_path / "mini")
    add_snippet(project, "hang", "import gcnn\n\nwhile True:\n    pass\n")
    set_time_limits(project, hang=2)
    start = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="t", dir="/tmp"))  # short: the fork server's socket lies there
    result = build(project, tmp_path / "cache", tmp_path / "site", {**marked, "TMPDIR": str(tmp)})
    assert result.returncode != 0
    assert "snippets/a/hang.py:1: stopped after its time limit of 2 s" in result.log, result.log
    assert time.monotonic() - start < 120  # the hanging snippet alone would take forever
    assert (tmp_path / "cache" / "a" / "one" / "record.json").exists()  # the others ran and were kept
    assert not (tmp_path / "cache" / "a" / "hang").exists()
    assert list(tmp.iterdir()) == []  # its working folder lay in the build's area, now gone
    tmp.rmdir()


def test_serve_shows_a_hanging_snippet_stopped_and_keeps_serving(tmp_path, marked):
    project = write_mini_project(tmp_path / "mini")
    add_snippet(project, "hang", "import gcnn\n\nwhile True:\n    pass\n")
    set_time_limits(project, hang=2)
    port = free_port()
    server = serve(project, tmp_path / "cache", port, marked, tmp_path / "serve.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        page = wait_for(lambda: (h := fetch(url)) and "Snippet failed" in h and h, what="the error on the page")
        assert "snippets/a/hang.py:1" in page and "stopped after its time limit of 2 s" in page
        (project / "snippets" / "a" / "hang.py").write_text("import gcnn\n\nprint('hang: no more')\n")
        wait_for(lambda: "hang: no more" in fetch(url), what="the page with the fixed snippet")
        assert server.poll() is None, "the server keeps running"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_bad_time_limit_in_mkdocs_yml_is_a_clear_error(tmp_path, marked):
    project = write_mini_project(tmp_path / "mini")
    set_time_limits(project, on=5)
    result = build(project, tmp_path / "cache", tmp_path / "site", marked)
    assert result.returncode != 0 and "Traceback" not in result.log
    assert "mkdocs.yml: extra.snippets: time limits are set for ['a/on'], which are not snippets" in result.log


@pytest.mark.parametrize("code, death", [
    ("import ctypes\n\nctypes.string_at(0)\n", "killed by SIGSEGV (a segmentation fault)"),
    ("import os\n\nos._exit(3)\n", "exit status 3"),
], ids=["segfault", "os._exit"])
def test_a_dying_worker_fails_the_build_naming_the_snippet_and_how_it_died(tmp_path, marked, code, death):
    project = write_mini_project(tmp_path / "mini")
    add_snippet(project, "dies", code)
    result = build(project, tmp_path / "cache", tmp_path / "site", marked)
    assert result.returncode != 0
    assert f"snippets/a/dies.py:1: the process running it died ({death}) before reporting" in result.log, result.log
    assert (tmp_path / "cache" / "a" / "two" / "record.json").exists()


@pytest.mark.parametrize("how", ["SIGINT to the build", "Ctrl-C (SIGINT to its process group)", "SIGTERM", "SIGKILL"])
def test_an_interrupted_build_leaves_no_partial_entry_and_the_next_build_is_correct(tmp_path, marked, lone, how):
    project, lone_site = lone
    started, hold = tmp_path / "started", tmp_path / "hold"
    hold.touch()
    add_snippet(project, "slow", SLOW.format(started=str(started), hold=str(hold)))
    cache = tmp_path / "cache"
    interrupted = build(project, cache, tmp_path / "site", marked, wait=False)
    wait_for(started.exists, timeout=120, what="the slow snippet to start")
    number = signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL if how == "SIGKILL" else signal.SIGINT
    if how.startswith("Ctrl-C"):
        os.killpg(interrupted.pid, number)
    else:
        interrupted.send_signal(number)
    log = interrupted.communicate(timeout=60)[0]  # the snippet never ends: the build does not wait for it
    assert interrupted.returncode != 0, log
    assert not (cache / "a" / "slow").exists()
    assert entries_are_whole(cache)
    hold.unlink()
    remove_snippet(project, "slow")
    again = build(project, cache, tmp_path / "site-again", marked)
    assert again.returncode == 0, again.log
    assert same_tree(tmp_path / "site-again", lone_site) == []
    assert sorted(p.name for p in (cache / ".scratch").iterdir()) == ["lock", "shared"]  # the dead build's area is gone


def entries_are_whole(cache: Path) -> bool:
    """Outside the areas, the store holds entries only, each whole: a record, exactly the files it
    lists, and no empty folder."""
    for folder, subfolders, files in os.walk(cache):
        folder = Path(folder)
        if folder == cache:
            subfolders[:] = [name for name in subfolders if name != ".scratch"]
            continue
        if "record.json" in files:
            listed = json.loads((folder / "record.json").read_text())["files"]
            if sorted(files) != sorted(listed + ["record.json"]):
                return False
        elif files or not subfolders:
            return False
    return True


def test_builds_interrupted_at_many_moments_stop_at_once_and_the_next_build_is_correct(tmp_path, marked, lone):
    """SIGINT or SIGKILL at moments spread over a cold build (loading, starting the fork server,
    running and saving, rendering): the build ends within seconds, though one snippet never ends."""
    project, lone_site = lone
    cache, hold = tmp_path / "cache", tmp_path / "hold"
    hold.touch()
    add_snippet(project, "slow", SLOW.format(started=str(tmp_path / "started"), hold=str(hold)))
    for i, delay in enumerate([0.5, 1.0, 1.5, 2.0, 3.0, 4.5, 6.0]):
        if i % 3 == 0:  # cold again
            shutil.rmtree(cache, ignore_errors=True)
        process = build(project, cache, tmp_path / "site", marked, wait=False)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL if i % 2 else signal.SIGINT)
        process.communicate(timeout=60)  # the slow snippet never ends: the build does not wait for it
        assert entries_are_whole(cache)
    remove_snippet(project, "slow")
    again = build(project, cache, tmp_path / "site-again", marked)
    assert again.returncode == 0, again.log
    assert same_tree(tmp_path / "site-again", lone_site) == []
    assert sorted(p.name for p in (cache / ".scratch").iterdir()) == ["lock", "shared"]


@pytest.mark.parametrize("caches", ["one cache", "a cache each"])
def test_two_builds_at_once_each_match_a_lone_build_byte_for_byte(tmp_path, marked, lone, caches):
    project, lone_site = lone
    first_cache = tmp_path / "cache-1"
    second_cache = first_cache if caches == "one cache" else tmp_path / "cache-2"
    builds = [build(project, cache, tmp_path / f"site-{i}", marked, wait=False)
              for i, cache in enumerate((first_cache, second_cache))]
    for process in builds:
        process.log = process.communicate(timeout=300)[0]
        assert process.returncode == 0, process.log
    for i in range(2):
        assert same_tree(tmp_path / f"site-{i}", lone_site) == []
    for cache in {first_cache, second_cache}:  # entries only, beside nothing: notebooks are no longer written there
        assert sorted(p.name for p in (cache / ".scratch").iterdir()) == ["lock", "shared"]
        assert cache_tree(cache) == cache_tree(tmp_path / "lone-cache")
    assert sorted(p.name for p in tmp_path.iterdir() if "site" not in p.name) == sorted(
        ["mini", "lone-cache", "cache-1"] + ([] if caches == "one cache" else ["cache-2"]))


def test_serve_and_a_build_at_once_on_one_cache(tmp_path, marked, lone):
    """Both start cold on one empty cache, so both run the snippets at the same time; then Ctrl-C ends serve."""
    project, lone_site = lone
    cache = tmp_path / "cache"
    port = free_port()
    server = serve(project, cache, port, marked, tmp_path / "serve.log")
    try:
        built = build(project, cache, tmp_path / "site", marked)
        page = wait_for(lambda: fetch(f"http://127.0.0.1:{port}/"), timeout=180, what="serve's first build")
        assert built.returncode == 0, built.log
        assert same_tree(tmp_path / "site", lone_site) == []
        assert page.count("snippet-figure") == (lone_site / "index.html").read_text().count("snippet-figure") > 0
        assert "one: 3" in page
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    log = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in log and "ERROR" not in log, log
    assert sorted(p.name for p in (cache / ".scratch").iterdir()) == ["lock", "shared"]


def test_ctrl_c_stops_serve_at_once_while_a_snippet_reruns_in_the_background(tmp_path, marked, lone):
    project, _ = lone
    cache, started, hold = tmp_path / "lone-cache", tmp_path / "started", tmp_path / "hold"
    hold.touch()
    slow = SLOW.format(started=str(started), hold=str(hold))
    (project / "snippets" / "a" / "one.py").write_text(slow)  # it has a stored result: re-runs in the background
    port = free_port()
    server = serve(project, cache, port, marked, tmp_path / "serve.log")
    try:
        wait_for(lambda: "Updating" in fetch(f"http://127.0.0.1:{port}/"), what="the page served while updating")
        wait_for(started.exists, what="the background run")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)  # the snippet never ends: serve does not wait for it
    assert entries_are_whole(cache) and "Traceback" not in (tmp_path / "serve.log").read_text()
    assert sorted(p.name for p in (cache / ".scratch").iterdir()) == ["lock", "shared"]


def make_read_only(path: Path) -> None:
    done = subprocess.run(["chattr", "-R", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot make a folder read-only here: {done.stderr.strip()}")


def test_a_read_only_cache_is_read_and_a_stale_result_runs_without_being_kept(tmp_path, marked, lone):
    project, lone_site = lone
    cache = tmp_path / "lone-cache"
    before = cache_tree(cache)
    make_read_only(cache)
    try:
        current = build(project, cache, tmp_path / "site", marked)
        assert current.returncode == 0, current.log
        assert same_tree(tmp_path / "site", lone_site) == []
        (project / "gcnn" / "__init__.py").write_text('__version__ = "0.0.1"\nVALUE = 5\n')
        strict = build(project, cache, tmp_path / "site-strict", marked)
        assert strict.returncode != 0 and "Traceback" not in strict.log
        assert f"the cache {cache} cannot be written (Operation not permitted" in strict.log, strict.log
        stale = build(project, cache, tmp_path / "site-stale", marked, strict=False)
        assert stale.returncode == 0, stale.log
        assert "2 snippet(s) run and their results are not kept" in stale.log
        assert "one: 5" in (tmp_path / "site-stale" / "index.html").read_text()
        assert cache_tree(cache) == before and list((cache / ".scratch").glob("build-*")) == []
    finally:
        subprocess.run(["chattr", "-R", "-i", str(cache)], check=True)


def test_a_nearly_full_cache_is_not_written_and_the_build_says_so(tmp_path, marked, lone):
    project, lone_site = lone
    cache = tmp_path / "small-cache"
    cache.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(cache)], capture_output=True,
                             text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        result = build(project, cache, tmp_path / "site", marked, strict=False)
        assert result.returncode == 0, result.log
        assert f"the cache {cache} cannot be written (only 1.0 MB free" in result.log, result.log
        assert same_tree(tmp_path / "site", lone_site) == []
    finally:
        subprocess.run(["umount", str(cache)], check=True)
