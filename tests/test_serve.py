"""`mkdocs serve`: a failing snippet shows as an admonition, the server survives, nothing loops."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import mkdocs_build
from test_browser import browser  # noqa: F401 - fixture

pytestmark = pytest.mark.build


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 180.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def settled_build_count(log, quiet: float = 3.0, timeout: float = 90.0) -> int:
    """The number of builds once none has started for `quiet` seconds; fails if that never happens."""
    deadline = time.monotonic() + timeout
    count, changed = log.read_text().count("Building documentation"), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = log.read_text().count("Building documentation")
        if now != count:
            count, changed = now, time.monotonic()
        elif time.monotonic() - changed >= quiet:
            return count
    raise AssertionError(f"mkdocs serve keeps rebuilding ({count} builds and counting)")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def test_serve_shows_snippet_errors_and_recovers_without_looping(project, warm_cache, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "GCNN_NOTES_CACHE": str(warm_cache), "NO_MKDOCS_2_WARNING": "1"}
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve",
                                   "-a", f"127.0.0.1:{port}"], cwd=project, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/steerable/"
    page = project / "docs" / "steerable.md"
    original = page.read_text()
    try:
        wait_for(lambda: "snippet-figure" in fetch(url), what="the first build")
        broken = project / "snippets" / "steerable" / "zz_broken.py"
        broken.write_text('import gcnn\n\nraise RuntimeError("boom")\n')
        page.write_text(original + "\n\\fig{steerable/zz_broken}\n")
        html = wait_for(lambda: (h := fetch(url)) and "Snippet failed" in h and h, what="the error admonition")
        assert "snippets/steerable/zz_broken.py:3" in html and "RuntimeError" in html

        broken.unlink()
        page.write_text(original)
        wait_for(lambda: (h := fetch(url)) and "snippet-figure" in h and "Snippet failed" not in h,
                 what="the page to recover")
        assert server.poll() is None, "the server keeps running"
        # the two edits above may each trigger a rebuild; once those are done, nothing else may follow
        builds = settled_build_count(log)
        time.sleep(4)  # a build that triggers itself (outputs written into watched folders) would show here
        assert log.read_text().count("Building documentation") == builds
        assert re.search(r"snippets: \d+ cached, 0 ran", log.read_text().rsplit("Building documentation", 1)[-1])
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_leaves_math_katex_rejects_raw_and_logs_it(mini_project, tmp_path):
    (mini_project / "docs" / "index.md").write_text("# Mini\n\nGood $x^2$, bad $x + \\undefinedmacro{y}$.\n")
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "GCNN_NOTES_CACHE": str(tmp_path / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                  cwd=mini_project, env=env, stdout=out, stderr=out)
    try:
        html = wait_for(lambda: fetch(f"http://127.0.0.1:{port}/"), what="the first build")
        assert 'class="katex"' in html  # the good formula is typeset
        assert '<span class="arithmatex">\\(x + \\undefinedmacro{y}\\)</span>' in html  # the bad one stays raw
        assert "docs/index.md: KaTeX cannot typeset 'x + \\\\undefinedmacro{y}'" in log.read_text()
        assert server.poll() is None, "the server keeps running"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_shows_the_last_outputs_as_updating_while_snippets_rerun(mini_project, tmp_path):
    cache = tmp_path / "cache"
    assert mkdocs_build(mini_project, cache).returncode == 0  # stored results for both snippets
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "GCNN_NOTES_CACHE": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                  cwd=mini_project, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/"
    try:
        first = wait_for(lambda: fetch(url), what="the first build")
        assert "one: 3" in first and "Updating" not in first
        # Both snippets import gcnn: a change there re-runs them, slowly, in the background.
        (mini_project / "gcnn" / "__init__.py").write_text(
            '__version__ = "0.0.1"\nVALUE = 5\n\nimport time\n\ntime.sleep(6)\n')
        updating = wait_for(lambda: (h := fetch(url)) and "Updating" in h and h, what="the updating note")
        assert "one: 3" in updating, "the last good output is shown meanwhile"
        assert "a/one" in updating and "a/two" in updating
        done = wait_for(lambda: (h := fetch(url)) and "one: 5" in h and h, timeout=120, what="the new outputs")
        assert "Updating" not in done
        assert re.search(r"snippets: 2/2 a/\w+ [\d.]+ s; all done", log.read_text())
        builds = settled_build_count(log)
        time.sleep(4)  # the reload after the background run must not start another run or build
        assert log.read_text().count("Building documentation") == builds

        # A background run that fails shows the failure after the reload, and is not retried in a loop.
        (mini_project / "gcnn" / "__init__.py").write_text('__version__ = "0.0.1"\nraise RuntimeError("broken gcnn")\n')
        failed = wait_for(lambda: (h := fetch(url)) and "Snippet failed" in h and h, timeout=120, what="the failure")
        assert "broken gcnn" in failed and "Updating" not in failed
        builds = settled_build_count(log)
        time.sleep(4)
        assert log.read_text().count("Building documentation") == builds
        assert log.read_text().count("RuntimeError: broken gcnn") >= 2  # logged, once per snippet
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_an_open_page_reloads_itself_when_the_rerun_is_done(mini_project, tmp_path, browser):
    """In Chromium, without any reload by the test: the open page turns to "Updating" with the
    last output, then to the new output (mkdocs' live reload after each rebuild)."""
    cache = tmp_path / "cache"
    assert mkdocs_build(mini_project, cache).returncode == 0
    port = free_port()
    env = {**os.environ, "GCNN_NOTES_CACHE": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    with open(tmp_path / "serve.log", "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                  cwd=mini_project, env=env, stdout=out, stderr=out)
    page = browser.new_page()
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(lambda: fetch(url), what="the first build")
        page.goto(url)
        assert "one: 3" in page.content()
        (mini_project / "gcnn" / "__init__.py").write_text(
            '__version__ = "0.0.1"\nVALUE = 5\n\nimport time\n\ntime.sleep(6)\n')
        page.wait_for_function("document.body.innerText.includes('Updating')", timeout=60_000)
        assert "one: 3" in page.inner_text("body")
        page.wait_for_function("document.body.innerText.includes('one: 5')", timeout=120_000)
        assert "Updating" not in page.inner_text("body")
    finally:
        page.close()
        server.terminate()
        server.wait(timeout=20)
