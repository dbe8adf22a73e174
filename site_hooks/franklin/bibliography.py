"""The site bibliography (`docs/references.bib`): author–year labels, full entries, a page's References.

Labels: `Bekkers (2020)`, `Cohen & Welling (2016)`, `Bekkers et al. (2018)` (≥ 3 authors or
`and others`), with `a`, `b`, … after the year when two entries would read alike; a `shorthand`
field replaces the label. Full entries: initials and surnames, *title*, venue, year, DOI / arXiv / URL.
"""
from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from site_hooks.errors import PageError
from site_hooks.franklin.bibtex import BibEntry, parse_bibtex

MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>])")


def bib_id(key: str) -> str:
    """The anchor a citation of `key` links to."""
    return "ref-" + re.sub(r"[^\w\-]+", "-", key)


def plain(value: str) -> str:
    """A field value as text: protective braces dropped, `\\&`, `~` and `--` read as LaTeX would."""
    value = re.sub(r"(?<!\\)[{}]", "", value)
    return value.replace("\\&", "&").replace("~", "\u00a0").replace("--", "–")


def escape(text: str) -> str:
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


@dataclass(frozen=True)
class Name:
    first: str  # given names, as written
    last: str  # surname with any `von` part

    def initials(self) -> str:
        """`Taco S.` → `T. S.`, `Kuan-Chieh` → `K.-C.`."""
        return " ".join("-".join(part[0] + "." for part in word.split("-") if part)
                        for word in self.first.split())

    def full(self) -> str:
        return f"{self.initials()} {self.last}".strip()


def split_at_depth0(value: str, separator: re.Pattern, word: bool = False) -> list[str]:
    """Split at `separator` outside braces (a `word` separator must follow whitespace)."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(value):
        depth += (c == "{") - (c == "}")
        if depth == 0 and i >= start:
            match = separator.match(value, i)
            if match and not (word and (i == 0 or not value[i - 1].isspace())):
                parts.append(value[start:i])
                start = match.end()
    return [p.strip() for p in parts + [value[start:]]]


def parse_name(text: str) -> Name:
    """`Last, First`, `von Last, Jr, First`, `First von Last`, or `{Literal Organisation}`."""
    if text.startswith("{") and text.endswith("}") and text.count("{") == 1:
        return Name("", plain(text))
    parts = split_at_depth0(text, re.compile(r","))
    if len(parts) > 1:
        return Name(plain(parts[-1]), plain(parts[0]))
    words = text.split()
    start = next((i for i, w in enumerate(words[:-1]) if i > 0 and w[0].islower()), len(words) - 1)
    return Name(plain(" ".join(words[:start])), plain(" ".join(words[start:])))


def parse_names(value: str) -> tuple[list[Name], bool]:
    """The names of an author field, and whether it ends with `and others`."""
    names = [n for n in split_at_depth0(value, re.compile(r"and\s", re.I), word=True) if n]
    others = bool(names) and names[-1].lower() == "others"
    return [parse_name(n) for n in names if n.lower() != "others"], others


class Bibliography:
    """The entries of one .bib file, with their labels; `source` names it in errors."""

    def __init__(self, entries: dict[str, BibEntry] | None = None, source: str = "docs/references.bib",
                 uri: str | None = None):
        self.entries = entries or {}
        self.source = source
        self.uri = uri  # the file's path under docs/ when the site publishes it
        self._names = {key: self._who(entry) for key, entry in self.entries.items()}
        self._years = self._disambiguated_years()

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def _who(self, entry: BibEntry) -> tuple[list[Name], bool]:
        if "title" not in entry.fields:
            raise PageError(self.source, entry.line, f"entry {entry.key!r} has no title")
        if "year" not in entry.fields and "shorthand" not in entry.fields:
            raise PageError(self.source, entry.line, f"entry {entry.key!r} has no year (nor a shorthand label)")
        for field in ("author", "editor"):
            if entry.get(field):
                return parse_names(entry.get(field))
        organisation = entry.get("organization") or entry.get("institution")
        return ([Name("", plain(organisation))] if organisation else []), False

    def _authors_short(self, key: str) -> str:
        names, others = self._names[key]
        if not names:
            return plain(self.entries[key].get("title"))
        if len(names) >= 3 or others:
            return f"{names[0].last} et al."
        return " & ".join(n.last for n in names)

    def _disambiguated_years(self) -> dict[str, str]:
        groups: dict[tuple[str, str], list[str]] = {}
        for key, entry in self.entries.items():
            if "shorthand" not in entry.fields:
                groups.setdefault((self._authors_short(key), entry.get("year")), []).append(key)
        years = {}
        for (_, year), keys in groups.items():
            for n, key in enumerate(keys):
                years[key] = year + (chr(ord("a") + n) if len(keys) > 1 else "")
        return years

    def textual(self, key: str) -> str:
        """`Cohen & Welling (2016)`: the label `\\cite`/`\\citet` print."""
        entry = self.entries[key]
        if "shorthand" in entry.fields:
            return plain(entry.get("shorthand"))
        return f"{self._authors_short(key)} ({self._years[key]})"

    def parenthetical(self, key: str) -> str:
        """`Cohen & Welling, 2016`: one item of a `\\citep` list."""
        entry = self.entries[key]
        if "shorthand" in entry.fields:
            return plain(entry.get("shorthand"))
        return f"{self._authors_short(key)}, {self._years[key]}"

    def sort_key(self, key: str) -> tuple[str, str, str]:
        names, _ = self._names[key]
        first = names[0].last if names else plain(self.entries[key].get("title"))
        folded = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode().lower()
        return folded, self._years.get(key, self.entries[key].get("year")), key

    def full(self, key: str) -> str:
        """The entry as Markdown: authors. *Title.* Venue, year. Links."""
        entry = self.entries[key]
        names, others = self._names[key]
        pieces = []
        if names:
            pieces.append(escape(", ".join(n.full() for n in names) + (" et al." if others else "")).rstrip(".") + ".")
        title = plain(entry.get("title"))
        pieces.append(f"*{escape(title)}{'' if title[-1:] in '.?!' else '.'}*")
        venue = [plain(entry.get(name)) for name in ("journal", "booktitle", "howpublished", "series")
                 if entry.get(name)]
        if entry.get("edition"):
            venue.append(f"{plain(entry.get('edition'))} ed.")
        if entry.kind in ("book", "misc", "online", "manual") or not venue:
            venue += [plain(entry.get(name)) for name in ("publisher", "institution", "organization")
                      if entry.get(name) and plain(entry.get(name)) not in {n.last for n in names}]
        if entry.get("year"):
            venue.append(entry.get("year"))
        if venue:
            pieces.append(escape(", ".join(venue)) + ".")
        if entry.get("note"):
            pieces.append(escape(plain(entry.get("note"))).rstrip(".") + ".")
        pieces.extend(self._links(entry))
        return " ".join(pieces)

    @staticmethod
    def _links(entry: BibEntry) -> list[str]:
        links = []
        if entry.get("doi"):
            links.append(f"[doi:{escape(entry.get('doi'))}](https://doi.org/{entry.get('doi')})")
        eprint = entry.get("eprint")
        if eprint and entry.get("archiveprefix", "arXiv").lower() == "arxiv":
            links.append(f"[arXiv:{eprint}](https://arxiv.org/abs/{eprint})")
        url = entry.get("url")
        if url and not (eprint and eprint in url):
            shown = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
            shown = shown if len(shown) <= 40 else shown.split("/")[0] + "/…"
            links.append(f"[{escape(shown)}]({url})")
        return links

    def references(self, keys: Iterable[str], page_uri: str, link_bibtex: bool = True) -> str:
        """A `## References` section listing `keys` (sorted by author and year), each with its anchor;
        with `link_bibtex`, a link to the published .bib (relative to `page_uri`) closes it."""
        items = [f'- <a id="{bib_id(key)}"></a>{self.full(key)}' for key in sorted(set(keys), key=self.sort_key)]
        if not items:
            return ""
        section = "\n\n## References\n\n" + "\n".join(items) + "\n"
        if self.uri and link_bibtex:
            link = posixpath.relpath(self.uri, posixpath.dirname(page_uri) or ".")
            section += f"\nAll works cited in these notes, as BibTeX: [{posixpath.basename(self.uri)}]({link}).\n"
        return section


def load_bibliography(path: Path, source: str, uri: str | None = None) -> Bibliography:
    """Read and check a .bib file; a missing file is an empty bibliography."""
    if not path.exists():
        return Bibliography(source=source)
    return Bibliography(parse_bibtex(path.read_text(encoding="utf-8"), source), source, uri)
