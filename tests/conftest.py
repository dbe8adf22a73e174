"""Shared fixtures: the repository root, a render of Franklin pages through the site's Markdown
configuration, and a throwaway copy of the project for builds that must not touch the real one."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import markdown
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_hooks import franklin  # noqa: E402
from site_hooks.franklin import standalone  # noqa: E402
from site_hooks.snippet_outputs import discover_snippets  # noqa: E402
from site_hooks.snippet_runner import SnippetRunner  # noqa: E402
from site_hooks.snippet_store import Result  # noqa: E402

PROJECT_PARTS = ("docs", "snippets", "gcnn", "site_hooks", "mkdocs.yml", "requirements.lock")


class FakeOutputs:
    """A stand-in for the snippet runner's outputs, for unit tests of the Franklin layer."""

    def __init__(self, figures=None, stdout=None, sources=None, failed=(), seconds=None):
        self._figures = figures or {}
        self._seconds = seconds or {}
        self._stdout = stdout or {}
        self._sources = sources or {}
        self._failed = set(failed)

    def _check(self, ref):
        if ref in self._failed:
            raise franklin.SnippetFailed(f"snippets/{ref}.py:3", "Traceback ...\nZeroDivisionError: division by zero")
        if ref not in self._figures and ref not in self._stdout and ref not in self._sources:
            raise franklin.MissingOutput(f"no snippet or figure named {ref!r}")

    def figures(self, ref, page_uri):
        self._check(ref)
        return self._figures.get(ref, [])

    def stdout(self, ref, page_uri):
        self._check(ref)
        return self._stdout.get(ref, "")

    def source(self, ref, page_uri):
        self._check(ref)
        return f"snippets/{ref}.py", self._sources.get(ref, "print('hi')\n")

    def seconds(self, ref, page_uri):
        self._check(ref)
        return self._seconds.get(ref, 0.0)


def site_markdown() -> markdown.Markdown:
    """A Markdown converter with exactly the extensions and options of mkdocs.yml."""
    return standalone.site_markdown(ROOT)


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """Tests use tiny tensors, two xdist workers share two cores: intra-op threads only spin."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture
def render():
    """Franklin text → (HTML, Converted), the way the site renders a page (raw HTML restored)."""
    def _render(text: str, outputs=None, macros=None, page_uri: str = "page.md"):
        return standalone.render_page(text, "docs/page.md", page_uri, ROOT, outputs or FakeOutputs(), site_macros=macros)
    return _render


def copy_project(destination: Path) -> Path:
    """A copy of the site sources (KaTeX linked, not copied) that a test may change freely."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part,
                            ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
        else:
            shutil.copy2(source, destination / part)
    (destination / "site_hooks" / "node_modules").symlink_to(ROOT / "site_hooks" / "node_modules")
    return destination


def mkdocs_build(project: Path, cache: Path, site: Path | None = None, strict: bool = True):
    """Run `mkdocs build` on a project; returns the completed process (output in .stdout)."""
    env = {**os.environ, "GCNN_NOTES_CACHE": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"),
               "--site-dir", str(site or project / "site")]
    if strict:
        command.append("--strict")
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=1200)


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


MINI_SNIPPET = '''"""Four random numbers drawn as a line (the page gives no caption: this docstring is it)."""
import gcnn
import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
print("{name}:", gcnn.VALUE * {factor})
plt.plot(torch.randn(4).tolist())
plt.show()
'''


@pytest.fixture
def mini_project(tmp_path) -> Path:
    """A one-page site with the real hooks and configuration, a two-snippet `snippets/` and a
    tiny `gcnn/`: cheap enough to build cold many times."""
    return write_mini_project(tmp_path / "mini")


def write_mini_project(root: Path) -> Path:
    """The `mini_project` at `root`."""
    shutil.copytree(ROOT / "site_hooks", root / "site_hooks", ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
    (root / "site_hooks" / "node_modules").symlink_to(ROOT / "site_hooks" / "node_modules")
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets")
    shutil.copy2(ROOT / "requirements.lock", root / "requirements.lock")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config["nav"] = ["index.md"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    (root / "docs" / "index.md").write_text('+++\ntitle = "Mini $G$"\n+++\n\n# Mini\n\n'
                                            "\\snippet{a/one}\n\n\\fig{a/two}\n")
    (root / "gcnn").mkdir()
    (root / "gcnn" / "__init__.py").write_text('__version__ = "0.0.1"\nVALUE = 3\n')
    (root / "snippets" / "a").mkdir(parents=True)
    for name, factor in (("one", 1), ("two", 2)):
        (root / "snippets" / "a" / f"{name}.py").write_text(MINI_SNIPPET.format(name=name, factor=factor))
    return root


def shared_once(tmp_path_factory, name: str) -> tuple[Path, bool]:
    """A folder shared by all xdist workers, and whether it still has to be made (its lock held)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    shared.mkdir(exist_ok=True)
    return shared, not (shared / "done").exists()


@pytest.fixture(scope="session")
def cold_run(tmp_path_factory) -> dict[str, Result]:
    """Every snippet of the site executed once, standalone (`python snippets/<section>/<stem>.py`
    in a fresh interpreter), into an empty store: the one cold execution of a test session. It
    feeds the strict build, the standalone checks and the comparison with `frozen/`.

    With GCNN_NOTES_CI_REPORT set, its wall time is appended there (`.ci/run` prints it)."""
    shared, _ = shared_once(tmp_path_factory, "cold-run")
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runner = SnippetRunner(ROOT, shared / "store", jobs=2, standalone=True)
        snippets = discover_snippets(ROOT, ROOT / "docs")
        if not (shared / "done").exists():
            start = time.perf_counter()
            results = runner.run(snippets)
            seconds = time.perf_counter() - start
            failures = {name: r.error for name, r in results.items() if r.error}
            (shared / "failures.json").write_text(json.dumps(failures))
            if os.environ.get("GCNN_NOTES_CI_REPORT"):
                with open(os.environ["GCNN_NOTES_CI_REPORT"], "a") as report:
                    report.write(f"cold_run_seconds {seconds:.1f}\n")
            (shared / "done").write_text(f"{seconds:.1f}\n")
        failures = json.loads((shared / "failures.json").read_text())
    results = {}
    for snippet in snippets:
        stored, _ = runner.store.load(snippet)
        results[snippet.name] = stored or Result(snippet, shared, error=failures[snippet.name])
    return results


@pytest.fixture(scope="session")
def cold_build(cold_run, tmp_path_factory) -> tuple[Path, Path]:
    """(site, store) of a strict build of the real site from the cold run's results: it runs nothing."""
    shared, _ = shared_once(tmp_path_factory, "cold-build")
    site, store, done = shared / "site", shared / "store", shared / "done"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            failed = [name for name, result in cold_run.items() if result.error]
            assert not failed, f"snippets failed in the cold run: {failed}"
            shutil.copytree(next(iter(cold_run.values())).directory.parent.parent, store,
                            ignore=shutil.ignore_patterns(".scratch"))
            result = mkdocs_build(ROOT, store, site)
            assert result.returncode == 0, result.stdout + result.stderr
            done.write_text(result.stderr)
    return site, store


@pytest.fixture(scope="session")
def built_site(cold_build) -> Path:
    return cold_build[0]


@pytest.fixture
def warm_cache(cold_build, tmp_path) -> Path:
    """A private copy of the cold run's snippet store: unchanged snippets are hits."""
    return Path(shutil.copytree(cold_build[1], tmp_path / "cache"))
