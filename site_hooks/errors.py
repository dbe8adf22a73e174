"""The one error type of the site tooling: something wrong at `file:line`."""
from __future__ import annotations


class PageError(Exception):
    """A page or snippet problem, reported as `path:line: message` (what a build prints)."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message
