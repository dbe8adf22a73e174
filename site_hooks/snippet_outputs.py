"""The snippets of a site and what pages may ask of them (the `franklin.Outputs` protocol).

A snippet is either a file `snippets/<section>/<stem>.py` (named `<section>/<stem>`) or an
evaluated block ```` ```python:<stem> ```` on a page `docs/<page>.md` (named
`pages/<page>/<stem>`). Its figures are published under `figures/<name>-<i>.<ext>`.
"""
from __future__ import annotations

import difflib
import posixpath
from pathlib import Path

from site_hooks.franklin import MissingOutput, SnippetFailed, find_eval_blocks
from site_hooks.snippet_store import Result, Snippet

SNIPPET_DIR = "snippets"
FIGURE_DIR = "figures"


def discover_snippets(root: Path, docs_dir: Path) -> list[Snippet]:
    snippets = []
    for path in sorted((root / SNIPPET_DIR).rglob("*.py")):
        relative = path.relative_to(root / SNIPPET_DIR).with_suffix("").as_posix()
        snippets.append(Snippet(relative, path.read_text(), path.relative_to(root).as_posix()))
    for page in sorted(docs_dir.rglob("*.md")):
        page_uri = page.relative_to(docs_dir).as_posix()
        origin = page.relative_to(root).as_posix() if page.is_relative_to(root) else str(page)
        for language, stem, code, first_line in find_eval_blocks(page.read_text(), origin):
            if language == "python":
                snippets.append(Snippet(eval_name(page_uri, stem), code, origin, first_line))
    return snippets


def eval_name(page_uri: str, stem: str) -> str:
    return f"pages/{page_uri.removesuffix('.md')}/{stem}"


def figure_uri(result: Result, file_name: str) -> str:
    section = posixpath.dirname(result.snippet.name)
    return posixpath.join(FIGURE_DIR, section, file_name)


class SnippetOutputs:
    """Answers `\\fig`, `\\output`, `\\input`… for the pages from a run's results."""

    def __init__(self, results: dict[str, Result]):
        self.results = results
        self._updating: dict[str, set[str]] = {}  # page -> snippets shown while they re-run

    def updating_on(self, page_uri: str) -> list[str]:
        """The snippets a page showed whose results are being recomputed (`serve`)."""
        return sorted(self._updating.get(page_uri, ()))

    def _result(self, ref: str, page_uri: str) -> tuple[Result, str | None]:
        """The result a reference names, and the single figure file it names, if any."""
        ref = ref.strip().lstrip("/")
        ref = ref.removeprefix(f"{SNIPPET_DIR}/").removesuffix(".py")
        if ref.startswith("./") or "/" not in ref:
            ref = eval_name(page_uri, ref.removeprefix("./"))
        if ref in self.results:
            return self.results[ref], None
        stem = ref.rsplit(".", 1)[0] if ref.rsplit(".", 1)[-1] in ("svg", "png", "gif") else ref
        owner = stem.rsplit("-", 1)[0]
        if owner in self.results:
            result = self.results[owner]
            names = [f for f in result.files if f.rsplit(".", 1)[0] == posixpath.basename(stem)]
            if names or result.error:
                return result, (names[0] if names else None)
        known = difflib.get_close_matches(ref, list(self.results), n=3)
        hint = f" (did you mean {', '.join(known)}?)" if known else ""
        raise MissingOutput(f"no snippet or figure named {ref!r}: expected a file "
                            f"{SNIPPET_DIR}/{ref}.py or a ```python:{ref.rsplit('/', 1)[-1]} block{hint}")

    def _ok(self, ref: str, page_uri: str) -> tuple[Result, str | None]:
        result, figure = self._result(ref, page_uri)
        if result.updating:
            self._updating.setdefault(page_uri, set()).add(result.snippet.name)
        if result.error:
            raise SnippetFailed(result.error["location"], result.failure_text)
        return result, figure

    def name(self, ref: str, page_uri: str) -> str:
        """The name of the snippet a reference resolves to."""
        return self._result(ref, page_uri)[0].snippet.name

    def figures(self, ref: str, page_uri: str) -> list[str]:
        result, figure = self._ok(ref, page_uri)
        files = [figure] if figure else result.files
        if not files:
            raise MissingOutput(f"{result.snippet.origin} made no figure (does it plot anything?)")
        return [figure_uri(result, name) for name in files]

    def stdout(self, ref: str, page_uri: str) -> str:
        return self._ok(ref, page_uri)[0].stdout

    def seconds(self, ref: str, page_uri: str) -> float:
        return self._ok(ref, page_uri)[0].seconds

    def source(self, ref: str, page_uri: str) -> tuple[str, str]:
        result, _ = self._result(ref, page_uri)
        return result.snippet.origin, result.snippet.code
