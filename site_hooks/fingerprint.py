"""What a snippet's output depends on besides its own text: the cache key's other half.

`fingerprint(root)` hashes every file of the `gcnn/` package (not `__pycache__`), the
dependency lock file and the runner's own version. Change any of them and every snippet
re-runs; change one snippet and only it re-runs.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

# Bump when the runner changes what it writes (formats, naming, seeding).
RUNNER_VERSION = "2"
LOCK_FILE = "requirements.lock"
PACKAGE = "gcnn"


def package_files(root: Path) -> list[Path]:
    package = root / PACKAGE
    return sorted(p for p in package.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"))


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256(f"runner {RUNNER_VERSION}\n".encode())
    lock = root / LOCK_FILE
    digest.update(b"lock\n" + (lock.read_bytes() if lock.exists() else b"<no lock file>"))
    for path in package_files(root):
        digest.update(f"\n{path.relative_to(root).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def snippet_key(base: str, name: str, code: str) -> str:
    return hashlib.sha256(f"{base}\n{name}\n{code}".encode()).hexdigest()[:32]
