"""Where snippet results live between builds: one folder per snippet, kept only while current.

`<store>/<name>/record.json` holds what the run printed, the names of its figures (stored beside
it), its run time and its inputs: the identities of its code and of the runner (with the lock),
and `reads`, every project file it read with its SHA-256 (`snippet_inputs`). A result is
*current* while all of these still hold; the build shows nothing else. The store is `frozen/`
in the repository (committed, so a fresh clone builds without running anything) unless
GCNN_NOTES_CACHE names another folder. Failed runs are never stored.

Several builds may share a store at once (two builds of a checkout, `serve` beside a build):
- each process works in an *area* of its own, `<store>/.scratch/build-*/`, locked while the process
  lives: its runs in progress, the executed notebooks, `serve`'s files. A new area first removes the
  areas no live process holds (what an interrupted or killed build left);
- a run becomes an entry by one rename, under the store's lock: an entry is whole or absent;
- a build publishes from a *view*, hard links to the entries' files taken under that lock, so
  another build replacing an entry meanwhile changes nothing it reads.

A store that cannot be written (read-only, or nearly full) is still read; the area then lies in
the system's temporary folder and new results are kept there, for this process only (`read_only`
says why).
"""
from __future__ import annotations

import atexit
import contextlib
import dataclasses
import fcntl
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from site_hooks.snippet_inputs import FileHashes, code_identity

RECORD = "record.json"
SCRATCH = ".scratch"  # the areas of the processes using the store (runs in progress, …)
LOCK = "lock"
SHARED = "shared"  # in .scratch: what builds pass on to later builds (mkdocs-jupyter's conversions)
MIN_FREE_BYTES = 32 * 2**20  # a store with less room than this is read, but not written
_areas: dict[Path, tuple[Path, object, str | None]] = {}  # store → (area, its held lock, why read-only)


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

    @property
    def failure_text(self) -> str:
        """How the run failed, for a reader: a Python error's traceback (which ends with the
        message), or the message of a run stopped or dead, with what it wrote to stderr."""
        message, traceback = self.error["message"], self.error["traceback"]
        return traceback if message in traceback else "\n\n".join(part for part in (message, traceback) if part)


class SnippetStore:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def entry(self, name: str) -> Path:
        return self.directory / name

    def load(self, snippet: Snippet) -> tuple[Result | None, dict | None]:
        """The stored result of `snippet` (current or not) and its record, or (None, None); for a
        store that is not written, a result this process kept of it comes first."""
        kept = self._kept(snippet.name)
        if kept is not None and (kept / RECORD).exists():
            return read_entry(snippet, kept)
        return read_entry(snippet, self.entry(snippet.name))

    def _kept(self, name: str) -> Path | None:
        """Where this process keeps its new result of `name` when the store is not written."""
        area, _, reason = _areas.get(self.directory.resolve(), (None, None, None))
        return area / "kept" / name if reason else None

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

    @property
    def read_only(self) -> str | None:
        """Why this store is not written (None: it is)."""
        self.area()
        return _areas[self.directory.resolve()][2]

    def area(self) -> Path:
        """This process's folder of work in progress (made once per process and store)."""
        key = self.directory.resolve()
        if key not in _areas:
            try:
                _areas[key] = self._own_area()
            except OSError as exc:
                reason = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
                _areas[key] = (*new_area(Path(tempfile.gettempdir()), "gcnn-notes-build-", False), reason)
        return _areas[key][0]

    def _own_area(self) -> tuple[Path, object, None]:
        (self.directory / SCRATCH).mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(self.directory).free
        if free < MIN_FREE_BYTES:
            raise OSError(f"only {free / 2**20:.1f} MB free, less than the {MIN_FREE_BYTES // 2**20} MB a build needs")
        with self._locked():
            for path in (self.directory / SCRATCH).iterdir():  # what builds before areas left
                if path.name.startswith("build-") or path.name in (LOCK, SHARED):
                    continue
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
            return (*new_area(self.directory / SCRATCH, "build-", True), None)

    def scratch(self) -> Path:
        """A fresh folder for one run, in this process's area."""
        (self.area() / "runs").mkdir(exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="run-", dir=self.area() / "runs"))

    def save(self, snippet: Snippet, scratch: Path, data: dict, runner: str) -> Result:
        """Move a successful run's folder into place as the snippet's entry (read-only: into the area)."""
        record = {"name": snippet.name, "origin": snippet.origin, "code": snippet.identity, "runner": runner,
                  "reads": data["reads"], "stdout": data["stdout"], "stderr": data["stderr"], "files": data["files"],
                  "seconds": round(data["seconds"], 1)}
        (scratch / RECORD).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        entry = self.area() / "kept" / snippet.name if self.read_only else self.entry(snippet.name)
        entry.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():  # one writer at a time (a build and `serve` may share the store)
            old = Path(tempfile.mkdtemp(prefix="old-", dir=self.area()))
            if entry.exists():
                entry.rename(old / "entry")
            scratch.rename(entry)
            shutil.rmtree(old, ignore_errors=True)
            result, _ = read_entry(snippet, entry)  # before another process may replace it
        result.cached = False
        result.seconds = data["seconds"]  # this run's own time, exact (the record keeps tenths)
        return result

    def view(self, results: dict[str, Result]) -> dict[str, Result]:
        """The results with their stored files hard-linked into a fresh folder of the area (a
        copy where links cannot be made), as they are now; earlier views of this process go."""
        area = self.area()
        for old in area.glob("view-*"):
            shutil.rmtree(old, ignore_errors=True)
        view = Path(tempfile.mkdtemp(prefix="view-", dir=area))
        viewed = {}
        with self._locked():
            for name, result in results.items():
                if result.error:
                    viewed[name] = result
                    continue
                current, _ = read_entry(result.snippet, result.directory)  # another run may have replaced it
                if current is None:
                    raise FileNotFoundError(f"the stored result of {name} went away during the build: "
                                            f"{result.directory}")
                (view / name).mkdir(parents=True)
                for file, path in zip(current.files, current.paths):
                    link_or_copy(path, view / name / file)
                viewed[name] = dataclasses.replace(current, directory=view / name, updating=result.updating,
                                                   cached=result.cached)
        return viewed

    def take_shared(self, name: str) -> Path:
        """This process's copy of the folder `name` that builds pass on (hard links taken under the
        lock, so no file is ever seen half-written): `<area>/<name>`."""
        mine = self.area() / name
        mine.mkdir(exist_ok=True)
        if not self.read_only:
            with self._locked():
                for path in (self.directory / SCRATCH / SHARED / name).glob("*"):
                    if not (mine / path.name).exists():
                        link_or_copy(path, mine / path.name)
        return mine

    def pass_on(self, name: str) -> None:
        """The shared folder `name` becomes what this process's copy holds now."""
        mine, shared = self.area() / name, self.directory / SCRATCH / SHARED / name
        if self.read_only or not mine.is_dir():
            return
        with self._locked():
            shared.mkdir(parents=True, exist_ok=True)
            for path in shared.iterdir():
                if not (mine / path.name).exists():
                    path.unlink()
            for path in mine.iterdir():
                if not (shared / path.name).exists():
                    link_or_copy(path, shared / path.name)

    @contextlib.contextmanager
    def _locked(self):
        """The store's lock: exclusive to write; shared to read a store this process cannot write
        (none if it has no lock file to open)."""
        key = self.directory.resolve()
        if key in _areas and _areas[key][2] is not None:
            try:
                lock = open(self.directory / SCRATCH / LOCK)
            except OSError:
                yield
                return
            with lock:
                fcntl.flock(lock, fcntl.LOCK_SH)
                yield
            return
        (self.directory / SCRATCH).mkdir(parents=True, exist_ok=True)
        with open(self.directory / SCRATCH / LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def discard(self, scratch: Path) -> None:
        shutil.rmtree(scratch, ignore_errors=True)

    def prune(self, snippets: list[Snippet], root: Path) -> list[str]:
        """Remove the entries of snippets that are gone: their file is gone, or their page no
        longer has them. Entries from pages this build does not read are kept. Their names."""
        if self.read_only:
            return []
        origins = {s.origin for s in snippets}
        names = {s.name for s in snippets}
        removed = []
        with self._locked():
            for path in sorted(entry_records(self.directory)):
                name = path.parent.relative_to(self.directory).as_posix()
                if name in names:
                    continue
                try:
                    origin = json.loads(path.read_text()).get("origin", "")
                except (OSError, json.JSONDecodeError, AttributeError):
                    origin = ""  # unreadable: nothing can use it
                if origin in origins or not (root / origin).is_file():
                    shutil.rmtree(path.parent, ignore_errors=True)
                    removed.append(name)
        return removed


def entry_records(directory: Path) -> list[Path]:
    """The record of every entry (the areas in .scratch, which other processes change, unvisited)."""
    records = []
    for folder, subfolders, files in os.walk(directory):
        if Path(folder) == directory and SCRATCH in subfolders:
            subfolders.remove(SCRATCH)
        if RECORD in files:
            records.append(Path(folder) / RECORD)
    return records


def new_area(folder: Path, prefix: str, made_under_lock: bool) -> tuple[Path, object]:
    """A fresh folder `folder/<prefix>…` with its lock held for this process's life, after removing
    the ones no live process holds. A folder without its lock file is one whose process died while
    making it if areas are made under a lock (`made_under_lock`), else maybe one being made: kept."""
    for path in folder.glob(prefix + "*"):
        try:
            with open(path / LOCK, "a" if made_under_lock else "r+") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(path, ignore_errors=True)
        except (BlockingIOError, FileNotFoundError, NotADirectoryError):
            continue  # a live process's, or not an area
    area = Path(tempfile.mkdtemp(prefix=prefix, dir=folder))
    lock = open(area / LOCK, "w")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return area, lock


def read_entry(snippet: Snippet, folder: Path) -> tuple[Result | None, dict | None]:
    """The result stored in `folder` and its record, or (None, None)."""
    path = folder / RECORD
    try:
        record = json.loads(path.read_text())
        result = Result(snippet, folder, record["stdout"], record["stderr"], record["files"], None,
                        record["seconds"], True, record["reads"])
    except (FileNotFoundError, json.JSONDecodeError, KeyError, TypeError):  # none, or unreadable: stale
        return None, None
    return result, record


def link_or_copy(source: Path, target: Path) -> None:
    """`target` as a hard link to `source`, or a copy (renamed into place whole) where links cannot be made."""
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        part = target.with_name(target.name + ".part")
        shutil.copy2(source, part)
        part.replace(target)


@atexit.register
def _remove_areas() -> None:
    """This process's areas go with it (a killed process's are removed by the next build), each
    under its store's lock, so that a result being moved into the store is not cut short."""
    for store, (area, lock, _) in list(_areas.items()):
        with SnippetStore(store)._locked():
            shutil.rmtree(area, ignore_errors=True)
        lock.close()
