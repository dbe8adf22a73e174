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


class SnippetFailed(Exception):
    """Raised by an `Outputs` when the referenced snippet raised; shown as an admonition."""

    def __init__(self, location: str, details: str):
        super().__init__(location)
        self.location = location
        self.details = details


class MissingOutput(Exception):
    """Raised by an `Outputs` when a reference names nothing that exists."""
