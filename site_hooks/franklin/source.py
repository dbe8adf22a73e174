"""Text that remembers where it came from: every character carries the line of the author's file.

Macro expansion, `{{…}}` functions and divs move and copy text around; errors must still name the
line the author wrote. A `Source` is a string plus, per character, its line in the page; the
characters of a macro's expansion all carry the line of the macro's use.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    text: str
    lines: array  # lines[i] is the page line of text[i]; one more entry for the end of the text

    @classmethod
    def of(cls, text: str, first_line: int = 1) -> Source:
        """A page (or a part of one starting at `first_line`) as its author wrote it."""
        lines = array("I", bytes(0))
        line = first_line
        for char in text:
            lines.append(line)
            if char == "\n":
                line += 1
        lines.append(line)
        return cls(text, lines)

    @classmethod
    def at(cls, text: str, line: int) -> Source:
        """Text produced at one place (a macro's expansion): all of it belongs to `line`."""
        return cls(text, array("I", [line]) * (len(text) + 1))

    def line(self, offset: int) -> int:
        return self.lines[min(max(offset, 0), len(self.text))]

    def slice(self, start: int, end: int | None = None) -> Source:
        end = len(self.text) if end is None else end
        return Source(self.text[start:end], self.lines[start:end] + array("I", [self.line(end)]))

    def __add__(self, other: Source) -> Source:
        return Source.join([self, other])

    @staticmethod
    def join(pieces: list[Source]) -> Source:
        """The pieces one after another, in time linear in their total length."""
        lines = array("I")
        for piece in pieces:
            lines.extend(piece.lines[:-1])
        lines.append(pieces[-1].lines[-1] if pieces else 1)
        return Source("".join(piece.text for piece in pieces), lines)

    def __len__(self) -> int:
        return len(self.text)
