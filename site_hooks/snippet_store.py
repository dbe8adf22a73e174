"""Where snippet results live between builds: one folder per snippet, kept only while current.

`<store>/<name>/record.json` holds what the run printed, the names of its figures (stored beside
it), its run time and its inputs: the identities of its code and of the runner (with the lock),
and `reads`, every project file it read with its SHA-256 (`snippet_inputs`). A result is
*current* while all of these still hold; the build shows nothing else. The store is `frozen/`
in the repository (committed, so a fresh clone builds without running anything) unless
GCNN_NOTES_CACHE names another folder. Failed runs are never stored.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from site_hooks.snippet_inputs import FileHashes, code_identity

RECORD = "record.json"
SCRATCH = ".scratch"  # runs in progress, moved into place when they succeed


@dataclass(frozen=True)
class Snippet:
    """Code to run. `name` ("section/stem") names its outputs; `origin` is where the code lives."""

    name: str
    code: str
    origin: str
    first_line: int = 1

    @property
    def stem(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    @property
    def identity(self) -> str:
        return code_identity(self.name, self.origin, self.code)


@dataclass
class Result:
    snippet: Snippet
    directory: Path
    stdout: str = ""
    stderr: str = ""
    files: list[str] = field(default_factory=list)
    error: dict | None = None
    seconds: float = 0.0
    cached: bool = False
    reads: dict[str, str] = field(default_factory=dict)
    updating: bool = False  # `serve`: the last good result, shown while a re-run is under way

    @property
    def paths(self) -> list[Path]:
        return [self.directory / name for name in self.files]


class SnippetStore:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def entry(self, name: str) -> Path:
        return self.directory / name

    def load(self, snippet: Snippet) -> tuple[Result | None, dict | None]:
        """The stored result of `snippet` (current or not) and its record, or (None, None)."""
        path = self.entry(snippet.name) / RECORD
        try:
            record = json.loads(path.read_text())
            result = Result(snippet, path.parent, record["stdout"], record["stderr"], record["files"], None,
                            record["seconds"], True, record["reads"])
        except (FileNotFoundError, json.JSONDecodeError, KeyError, TypeError):  # none, or unreadable: stale
            return None, None
        return result, record

    @staticmethod
    def stale_inputs(record: dict | None, snippet: Snippet, runner: str, hashes: FileHashes) -> list[str]:
        """Why a stored record is not current (empty: it is): the inputs that changed."""
        if record is None:
            return ["no stored result"]
        reasons = []
        if record.get("code") != snippet.identity:
            reasons.append("its code")
        if record.get("runner") != runner:
            reasons.append("the runner or the lock file")
        return reasons + hashes.changed(record.get("reads", {}))

    def scratch(self) -> Path:
        (self.directory / SCRATCH).mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="run-", dir=self.directory / SCRATCH))

    def save(self, snippet: Snippet, scratch: Path, data: dict, runner: str) -> Result:
        """Move a successful run's folder into place as the snippet's entry."""
        record = {"name": snippet.name, "origin": snippet.origin, "code": snippet.identity, "runner": runner,
                  "reads": data["reads"], "stdout": data["stdout"], "stderr": data["stderr"], "files": data["files"],
                  "seconds": round(data["seconds"], 1)}
        (scratch / RECORD).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        entry = self.entry(snippet.name)
        entry.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():  # one writer at a time (a build and `serve` may share the store)
            old = Path(tempfile.mkdtemp(prefix="old-", dir=self.directory / SCRATCH))
            if entry.exists():
                entry.rename(old / "entry")
            scratch.rename(entry)
            shutil.rmtree(old, ignore_errors=True)
        result, _ = self.load(snippet)
        result.cached = False
        return result

    @contextlib.contextmanager
    def _locked(self):
        (self.directory / SCRATCH).mkdir(parents=True, exist_ok=True)
        with open(self.directory / SCRATCH / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def copy_entry(self, result: Result, destination: Path) -> Path:
        """A copy of a stored result's folder, taken while no run replaces it."""
        shutil.rmtree(destination, ignore_errors=True)
        with self._locked():
            shutil.copytree(result.directory, destination)
        return destination

    def discard(self, scratch: Path) -> None:
        shutil.rmtree(scratch, ignore_errors=True)

    def prune(self, snippets: list[Snippet], root: Path) -> list[str]:
        """Remove the entries of snippets that are gone: their file is gone, or their page no
        longer has them. Entries from pages this build does not read are kept. Their names."""
        origins = {s.origin for s in snippets}
        names = {s.name for s in snippets}
        removed = []
        with self._locked():
            for path in sorted(self.directory.rglob(RECORD)):
                name = path.parent.relative_to(self.directory).as_posix()
                if name.startswith(SCRATCH) or name in names:
                    continue
                try:
                    origin = json.loads(path.read_text()).get("origin", "")
                except (OSError, json.JSONDecodeError, AttributeError):
                    origin = ""  # unreadable: nothing can use it
                if origin in origins or not (root / origin).is_file():
                    shutil.rmtree(path.parent, ignore_errors=True)
                    removed.append(name)
        return removed
