"""What a snippet's result depends on: its code, the files of the project it read, the lock, the runner.

A run records every project file it read — each module it imported (directly or through other
modules) and each file it opened for reading — with the SHA-256 of its content, like a
Make/Ninja depfile. A result stays valid while `identity(snippet)` and every recorded file
are unchanged. Project files are those under the root except hidden folders (`.venv`,
`.cache`, `.git`), `__pycache__`, install metadata (`gcnn.egg-info`), the runner itself
(`site_hooks/`: its files that decide a result's bytes are part of the identity) and the folders
results are written to.
"""
from __future__ import annotations

import hashlib
import platform
from pathlib import Path

# Bump when the runner changes what it writes (formats, naming, seeding) in a way its files' hashes miss.
RUNNER_VERSION = "3"
LOCK_FILE = "requirements.lock"
# The runner's files that decide a result's bytes: how a run starts, runs, and reports. Deciding which
# snippets run, when, for how long (`snippet_runner`, `snippet_processes`, `snippet_store`) does not.
RUNNER_FILES = ("snippet_worker.py", "snippet_inputs.py", "capture/sitecustomize.py", "snippet_launch.py")
PACKAGE_METADATA = (".egg-info", ".dist-info")  # install metadata: importlib.metadata reads it at will
NOT_INPUTS = {"site_hooks", "frozen", "site", "__pycache__", "node_modules"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def project_file(path: str | Path, root: Path) -> str | None:
    """`path` relative to `root` (posix) when it is a project file a result can depend on, else None."""
    try:
        relative = Path(path).resolve().relative_to(root)
    except (ValueError, OSError):
        return None
    parts = relative.parts
    if not parts or parts[0] in NOT_INPUTS or parts[0].endswith(PACKAGE_METADATA) \
            or any(p.startswith(".") or p == "__pycache__" for p in parts):
        return None
    return relative.as_posix()


def file_hash(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def runner_identity(root: Path, threads: int) -> str:
    """What besides its own inputs decides a run's output, as one hash: the runner's code (as it
    was when this process imported it: that is the code that runs), the torch thread count, the
    Python version and machine type, and the project's lock file."""
    parts = [RUNNER_CODE, f"threads {threads}", f"python {platform.python_version()} {platform.machine()}",
             f"lock {file_hash(root / LOCK_FILE)}"]
    return sha256("\n".join(parts).encode())


RUNNER_CODE = sha256("\n".join([f"runner {RUNNER_VERSION}"] + [
    f"{name} {file_hash(Path(__file__).parent / name)}" for name in RUNNER_FILES]).encode())


def code_identity(name: str, origin: str, code: str) -> str:
    return sha256(f"{name}\n{origin}\n{code}".encode())


class FileHashes:
    """Content hashes of project files, each computed once (one build reads each file once)."""

    def __init__(self, root: Path):
        self.root = root
        self._hashes: dict[str, str | None] = {}

    def __call__(self, relative: str) -> str | None:
        if relative not in self._hashes:
            self._hashes[relative] = file_hash(self.root / relative)
        return self._hashes[relative]

    def changed(self, reads: dict[str, str | None]) -> list[str]:
        """The recorded files whose content is no longer what the run read (gone, or there now
        when the run found none)."""
        return [path for path, digest in reads.items() if self(path) != digest]
