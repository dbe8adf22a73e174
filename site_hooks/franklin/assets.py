"""Files of a Franklin site that pages point to: `\\fig{/assets/x.png}`, `\\fig{./x.png}`, `{{insert x}}`.

Franklin publishes `_assets/` (and a plain `assets/`) at `/assets/`; a path `./x` means
`/assets/<page>/x` and a bare `x` means `/assets/<page>/code/x` (its eval-block outputs). Here the
site folder is the MkDocs `docs_dir`, so the same file is found at `_assets/…` or `assets/…`; a
path next to the page also works.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from site_hooks.errors import PageError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".apng", ".avif")


@dataclass(frozen=True)
class Assets:
    docs_dir: Path

    @staticmethod
    def is_image(ref: str) -> bool:
        return ref.strip().lower().endswith(IMAGE_SUFFIXES)

    def candidates(self, ref: str, page_uri: str) -> list[str]:
        """Site-relative paths `ref` may mean, in Franklin's order first."""
        ref = ref.strip()
        page = page_uri.removesuffix(".md").removesuffix("/index") if page_uri != "index.md" else "index"
        here = posixpath.dirname(page_uri)
        if ref.startswith("/"):
            path = ref.lstrip("/")
            if path.startswith("assets/"):
                return ["_" + path, path]
            return [path]
        within = posixpath.join(page, ref[2:]) if ref.startswith("./") else posixpath.join(page, "code", ref)
        # Franklin publishes `_assets/` (and a plain `assets/`) at /assets/
        return [posixpath.join("_assets", within), posixpath.join("assets", within),
                posixpath.normpath(posixpath.join(here, ref))]

    def resolve(self, ref: str, page_uri: str, line: int, source: str) -> str:
        """The site-relative path of the file `ref` names; a PageError naming the tries if none exists."""
        tried = self.candidates(ref, page_uri)
        for path in tried:
            if (self.docs_dir / path).is_file():
                return path
        raise PageError(source, line, f"no file for {ref!r}: looked for {', '.join(tried)} in {self.docs_dir}")


ABSOLUTE = re.compile(r'(\s(?:href|src)=")/(?!/)([^"#?]*)([^"]*)"')


def relative_links(html: str, page_url: str, docs_dir: Path) -> str:
    """Site-absolute links (`href="/posts/x/"`, `src="/assets/y.png"`) made relative to the page.

    A Franklin site links from its root and lets `prepath` fix the links when it is published
    under a sub-path; relative links work under any path. `/assets/…` is `_assets/…` here."""
    base = posixpath.dirname(page_url.rstrip("/") + "/x") if page_url else ""

    def fix(match: re.Match) -> str:
        path = match.group(2)
        if path.startswith("assets/") and (docs_dir / ("_" + path)).exists():
            path = "_" + path
        target = posixpath.relpath(path or ".", base or ".")
        slash = "/" if (not path or path.endswith("/")) and not target.endswith("/") else ""
        return f'{match.group(1)}{target}{slash}{match.group(3)}"'
    return ABSOLUTE.sub(fix, html)
