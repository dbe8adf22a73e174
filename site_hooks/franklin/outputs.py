"""What a page may ask of the snippet runner, and how the answer can fail."""
from __future__ import annotations

from typing import Protocol


class Outputs(Protocol):
    """What a page can ask of the snippet runner (see `site_hooks.outputs`)."""

    def figures(self, ref: str, page_uri: str) -> list[str]:
        """Site-relative URIs of the figures `ref` names."""

    def stdout(self, ref: str, page_uri: str) -> str:
        """What the snippet printed."""

    def source(self, ref: str, page_uri: str) -> tuple[str, str]:
        """(display path, code) of the snippet."""

    def seconds(self, ref: str, page_uri: str) -> float:
        """How long the run that produced the snippet's results took (wall clock, one thread)."""


class SnippetFailed(Exception):
    """Raised by an `Outputs` when the referenced snippet raised; shown as an admonition."""

    def __init__(self, location: str, details: str):
        super().__init__(location)
        self.location = location
        self.details = details


class MissingOutput(Exception):
    """Raised by an `Outputs` when a reference names nothing that exists."""


def duration(seconds: float) -> str:
    """A run time as a reader says it: ``"42 s"``, ``"3 min 05 s"``, ``"1 h 02 min"``."""
    total = round(seconds)
    if total < 60:
        return f"{max(total, 1)} s" if seconds >= 0.5 else "under a second"
    if total < 3600:
        return f"{total // 60} min {total % 60:02d} s"
    return f"{total // 3600} h {total % 3600 // 60:02d} min"
