"""A small BibTeX reader: `@type{key, field = {…} | "…" | number | name # …, …}` → entries.

Handled: nested braces, quoted values with braces inside, bare numbers, `@string` abbreviations
(and the month names) with `#` concatenation, `@comment` and `@preamble` (skipped), `%` comments
between fields and entries, `{…}` or `(…)` around an entry. Field names are case-insensitive;
whitespace inside a value is collapsed to single spaces. Errors name `source:line`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from site_hooks.errors import PageError

MONTHS = {name: name.capitalize() for name in
          ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")}
NAME = re.compile(r"[A-Za-z_][\w:.+/'-]*")
KEY = re.compile(r"[^\s,{}()\"#%'=\\]+")


@dataclass
class BibEntry:
    kind: str  # the entry type, lower case: article, inproceedings, book, misc, …
    key: str
    fields: dict[str, str] = field(default_factory=dict)
    line: int = 0

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


class _Reader:
    def __init__(self, text: str, source: str):
        self.text, self.source, self.pos = text, source, 0
        self.strings: dict[str, str] = dict(MONTHS)

    def line(self, offset: int | None = None) -> int:
        return self.text.count("\n", 0, self.pos if offset is None else offset) + 1

    def error(self, message: str, offset: int | None = None) -> PageError:
        return PageError(self.source, self.line(offset), message)

    def skip_space(self) -> None:
        """Whitespace and `%` comments (to the end of the line)."""
        while True:
            match = re.compile(r"\s*(%[^\n]*)?").match(self.text, self.pos)
            self.pos = match.end()
            if not match.group(1):
                return

    def expect(self, char: str, what: str) -> None:
        self.skip_space()
        if not self.text.startswith(char, self.pos):
            found = self.text[self.pos:self.pos + 12].split("\n")[0] or "the end of the file"
            raise self.error(f"expected {char!r} {what}, found {found!r}")
        self.pos += 1

    def name(self, what: str) -> str:
        self.skip_space()
        match = NAME.match(self.text, self.pos)
        if not match:
            raise self.error(f"expected {what}")
        self.pos = match.end()
        return match.group(0)

    def balanced(self, opening: str) -> str:
        """The text up to the brace/parenthesis matching the one just read (which is consumed)."""
        closing = "}" if opening == "{" else ")"
        start, depth = self.pos, 1
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == "\\":
                self.pos += 2
                continue
            if c == opening:
                depth += 1
            elif c == closing:
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return self.text[start:self.pos - 1]
            self.pos += 1
        raise self.error(f"{opening!r} is never closed", start - 1)

    def braced(self) -> str:
        start, depth = self.pos, 0
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == "\\":
                self.pos += 2
                continue
            depth += (c == "{") - (c == "}")
            self.pos += 1
            if depth == 0:
                return self.text[start + 1:self.pos - 1]
        raise self.error("'{' is never closed", start)

    def quoted(self) -> str:
        start, depth = self.pos, 0
        self.pos += 1
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == "\\":
                self.pos += 2
                continue
            if c == '"' and depth == 0:
                self.pos += 1
                return self.text[start + 1:self.pos - 1]
            depth += (c == "{") - (c == "}")
            if depth < 0:
                raise self.error("'}' closes a brace never opened inside a quoted value")
            self.pos += 1
        raise self.error("the quoted value is never closed", start)

    def value(self) -> str:
        """One field value: parts joined by `#`."""
        parts = []
        while True:
            self.skip_space()
            c = self.text[self.pos:self.pos + 1]
            if c == "{":
                parts.append(self.braced())
            elif c == '"':
                parts.append(self.quoted())
            elif c.isdigit():
                parts.append(re.compile(r"\d+").match(self.text, self.pos).group(0))
                self.pos += len(parts[-1])
            else:
                start = self.pos
                name = self.name("a value: {…}, \"…\", a number or an @string name").lower()
                if name not in self.strings:
                    raise self.error(f"unknown @string abbreviation {name!r}", start)
                parts.append(self.strings[name])
            self.skip_space()
            if not self.text.startswith("#", self.pos):
                return " ".join("".join(parts).split())
            self.pos += 1

    def fields(self, closing: str, entry: BibEntry) -> None:
        while True:
            self.skip_space()
            if self.text.startswith(closing, self.pos):
                self.pos += 1
                return
            start = self.pos
            name = self.name(f"a field name or {closing!r} closing entry {entry.key!r}").lower()
            self.expect("=", f"after field {name!r} of entry {entry.key!r}")
            if name in entry.fields:
                raise self.error(f"field {name!r} appears twice in entry {entry.key!r}", start)
            entry.fields[name] = self.value()
            self.skip_space()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith(closing, self.pos):
                raise self.error(f"expected ',' or {closing!r} after field {name!r} of entry {entry.key!r}")

    def entries(self) -> dict[str, BibEntry]:
        found: dict[str, BibEntry] = {}
        while True:
            match = re.compile(r"(?:[^@%]|%[^\n]*)*").match(self.text, self.pos)  # text between entries: a comment
            if match.end() == len(self.text):
                return found
            self.pos = match.end() + 1
            kind = self.name("an entry type after '@'").lower()
            self.skip_space()
            opening = self.text[self.pos:self.pos + 1]
            if opening not in ("{", "("):
                raise self.error(f"expected '{{' or '(' after @{kind}")
            self.pos += 1
            closing = "}" if opening == "{" else ")"
            if kind in ("comment", "preamble"):
                self.balanced(opening)
            elif kind == "string":
                name = self.name("an abbreviation name after @string").lower()
                self.expect("=", f"after @string {name!r}")
                self.strings[name] = self.value()
                self.expect(closing, f"closing @string {name!r}")
            else:
                self.skip_space()
                line = self.line()
                match = KEY.match(self.text, self.pos)
                if not match:
                    raise self.error(f"expected a citation key after @{kind}{opening}")
                self.pos = match.end()
                key = match.group(0)
                if key in found:
                    raise self.error(f"duplicate key {key!r} (first defined on line {found[key].line})",
                                     self.pos - 1)
                entry = BibEntry(kind, key, line=line)
                self.skip_space()
                if self.text.startswith(",", self.pos):
                    self.pos += 1
                    self.fields(closing, entry)
                else:
                    self.expect(closing, f"or ',' after key {key!r}")
                found[key] = entry


def parse_bibtex(text: str, source: str) -> dict[str, BibEntry]:
    """Entries by key, in file order; `source` names the file in errors (`source:line: …`)."""
    return _Reader(text.replace("\r\n", "\n"), source).entries()
