"""Measure our Franklin layer (site_hooks/franklin) on real Franklin sites.

Usage:
    python benchmarks/franklin_corpus.py SITE_DIR [SITE_DIR ...] [--json out.json] [--build] [--quiet]

Each SITE_DIR is the folder of a Franklin site (the one holding config.md, _layout/ and utils.jl).
Every page Franklin would render is converted the way our MkDocs hooks convert a page
(`convert_page`), and the HTML is checked for mis-render signals (`find_signals`):

    katex     math spans that KaTeX rejects (`katex_errors`: the build's own KaTeX renderer)
    @@        Franklin div markers left in the text
    {{        Franklin HTML functions left in the text
    newcmd    a visible `\\newcommand`
    cmd       other backslash commands visible outside math and code
    $$ / $    TeX dollars left in the text (a `$…$` pair on one line counts as one)

A page is `clean`, `error` (our layer raised; the message names `page:line`) or `mis-render`
(it converted, with at least one signal). Independently of our layer, `julia_constructs`
detects constructs only Julia can render (eval code blocks, \\output & co., {{hfun}} and \\lx
commands from utils.jl, @def/+++ values that are Julia code, generated figures). The summary,
per site and overall, reports the share of pages without such constructs that render clean,
and the share of pages with one that fail with an error at the line of such a construct.

`--build` also runs a real `mkdocs build` of each site with our mkdocs.yml and hooks (docs_dir
= a hard-linked copy of the site folder, no nav; snippet cache from $GCNN_NOTES_CACHE, default
.cache/snippets of this checkout) and reports whether it builds.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_CACHE = str(ROOT / ".cache" / "snippets")

# How Franklin (src/manager/dir_utils.jl, src/utils/paths.jl) chooses pages: every .md under the
# folder except these root folders, root README.md/LICENSE.md, any config.md, and the `ignore` global.
SKIP_DIRS = ("__site", "_assets", "_css", "_layout", "_libs", "_literate", "_rss", "node_modules", ".git")
SKIP_ROOT_FILES = ("README.md", "LICENSE.md")

# Franklin's built-in HTML functions and block keywords ({{fill x}}, {{if x}} …): not Julia-only.
BUILTIN_HFUNS = {"fill", "insert", "href", "toc", "taglist", "redirect", "paginate", "sitemap_opts",
                 "fix_relative_links", "if", "else", "elseif", "end", "isdef", "ifdef", "isnotdef",
                 "ifndef", "isempty", "isnotempty", "ispage", "isnotpage", "for", "isnotdef",
                 "ishomepage", "isnothomepage", "page_tags"}
JULIA_COMMANDS = ("output", "show", "textoutput", "codeoutput", "literate")


# --------------------------------------------------------------------------------------------
# The one place that knows our Franklin layer's API.
# --------------------------------------------------------------------------------------------

@dataclass
class ConvertError:
    message: str  # `page:line: message` for a PageError, else `CRASH Type: message`
    located: bool  # whether the message names page:line
    line: int | None = None


@lru_cache(maxsize=None)
def _site_config(site_dir: Path):
    """The site's config.md, utils.jl and _layout/, read as the hooks read them (or the error)."""
    from site_hooks import franklin
    from site_hooks.errors import PageError
    try:
        return franklin.load_site_config(site_dir, site_dir)
    except PageError as exc:
        return ConvertError(str(exc), True, exc.line)


def convert_page(site_dir: Path, page_path: Path) -> str | ConvertError:
    """One Franklin page → the HTML our hooks give it (raw HTML restored), or the error they raise."""
    from site_hooks import franklin
    from site_hooks.errors import PageError
    from site_hooks.franklin.standalone import render_page

    uri = page_path.relative_to(site_dir).as_posix()
    site = _site_config(site_dir)
    if isinstance(site, ConvertError):
        return site
    try:
        bibliography = franklin.load_bibliography(site_dir / "references.bib", "references.bib")
        return render_page(page_path.read_text(encoding="utf-8"), uri, uri, ROOT, site=site,
                           assets=franklin.Assets(site_dir), bibliography=bibliography)[0]
    except PageError as exc:
        return ConvertError(str(exc), True, exc.line)
    except Exception as exc:  # noqa: BLE001 — a crash of the layer is a finding too
        return ConvertError(f"CRASH {type(exc).__name__}: {exc}"[:300], False)


def katex_errors(formulas: list[tuple[str, bool]]) -> list[str | None]:
    """KaTeX's verdict on each (tex, display) formula: None if it renders, else its message.

    The site's own renderer (`site_hooks.katex_ssr`: KaTeX in embedded V8, as the build uses it)."""
    from site_hooks import katex_ssr
    katex = katex_ssr.renderer()
    verdicts: list[str | None] = []
    for tex, display in formulas:
        try:
            katex.render(tex, display)
            verdicts.append(None)
        except katex_ssr.KatexError as exc:
            verdicts.append(str(exc)[:200])
    return verdicts


# --------------------------------------------------------------------------------------------
# Pages, Julia-only constructs, mis-render signals
# --------------------------------------------------------------------------------------------

def ignore_globals(site_dir: Path) -> list[str]:
    """The `ignore = [...]` global of config.md (plain strings only)."""
    config = site_dir / "config.md"
    if not config.exists():
        return []
    match = re.search(r"^\s*ignore\s*=\s*\[(.*?)\]", config.read_text(encoding="utf-8"), re.M | re.S)
    return re.findall(r'(?<!r)"([^"]+)"', match.group(1)) if match else []


def site_pages(site_dir: Path) -> list[Path]:
    """The .md files Franklin renders as pages, sorted."""
    ignored = ignore_globals(site_dir)
    pages = []
    for path in sorted(site_dir.rglob("*.md")):
        rel = path.relative_to(site_dir)
        parts = rel.parts
        if parts[0] in SKIP_DIRS or parts[0].startswith(".git") or path.name == "config.md":
            continue
        if len(parts) == 1 and path.name in SKIP_ROOT_FILES:
            continue
        if any(rel.as_posix() == i or (i.endswith("/") and rel.as_posix().startswith(i)) for i in ignored):
            continue
        pages.append(path)
    return pages


@lru_cache(maxsize=None)
def utils_functions(site_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    """(hfun names, lx names) defined in the site's utils.jl."""
    utils = site_dir / "utils.jl"
    text = utils.read_text(encoding="utf-8", errors="replace") if utils.exists() else ""
    def names(prefix: str) -> frozenset[str]:
        pattern = rf"\bfunction\s+{prefix}_(\w+)|^{prefix}_(\w+)\s*\("
        return frozenset(a or b for a, b in re.findall(pattern, text, re.M))
    return names("hfun"), names("lx")


# A value that means the same in Julia as plain data: a string, number, bool, `nothing`, a date
# `Date(y, m, d)`, or an array/tuple of these (or of arrays/tuples of these). Anything else is Julia code.
_ATOM = r'''"(?:[^"\\$]|\\.)*"|-?\d+(?:\.\d+)?(?:e-?\d+)?|true|false|nothing|(?:Dates\.)?Date\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\)'''
_SEQUENCE = rf'''[\[(](?:\s*(?:{_ATOM})\s*,?)*\s*[\])]'''  # a tuple or array of atoms
JULIA_LITERAL = re.compile(rf'''\s*(?:{_ATOM}|[\[(](?:\s*(?:{_ATOM}|{_SEQUENCE})\s*,?)*\s*[\])])\s*(?:\#.*|<!--.*-->)?''')
DEFINED = re.compile(r"^(?:@def\s+)?(\w+)\s*=", re.M)


def defined_variables(site_dir: Path, text: str) -> set[str]:
    """Names a page or the site's config.md assigns (`{{name}}` then means `{{fill name}}`)."""
    config = site_dir / "config.md"
    both = text + "\n" + (config.read_text(encoding="utf-8", errors="replace") if config.exists() else "")
    return set(DEFINED.findall(both))


def julia_constructs(site_dir: Path, text: str, page: str = "") -> list[tuple[int, str]]:
    """(line, construct) of every construct only Julia can render, found on a page."""
    found: list[tuple[int, str]] = []
    hfuns, lxs = utils_functions(site_dir)
    variables = defined_variables(site_dir, text)
    lines = text.replace("\r\n", "\n").split("\n")
    fence: str | None = None
    in_toml = False
    in_triple = False  # inside a """…""" string value (a plain string, Julia and TOML alike)
    pending = ""  # a +++ value whose brackets are still open: continued on the next lines
    for number, line in enumerate(lines, 1):
        if in_triple:
            in_triple = line.count('"""') % 2 == 0
            continue
        if pending:
            pending += " " + line.strip()
            if pending.count("[") + pending.count("(") > pending.count("]") + pending.count(")"):
                continue
            line, pending = pending, ""
        fence_match = re.match(r"^\s*(`{3,}|~{3,})(.*)$", line)
        if fence_match:
            if fence is None:
                fence = fence_match.group(1)
                info = fence_match.group(2).strip()
                if info.startswith("!") or re.match(r"^[\w-]+:\S", info):
                    found.append((number, f"eval block ```{info}"))
                continue
            if fence_match.group(1).startswith(fence) and not fence_match.group(2).strip():
                fence = None
            continue
        if fence is not None:
            continue
        if line.strip() == "+++":
            in_toml = not in_toml
            continue
        assignment = None
        if in_toml:
            assignment = re.match(r"^\s*(\w+)\s*=\s*(.*)$", line)
            if line.strip() and not line.strip().startswith("#") and assignment is None:
                found.append((number, f"+++ Julia code: {line.strip()[:40]}"))
        elif (m := re.match(r"^@def\s+(\w+)\s*=\s*(.*)$", line)):
            assignment = m
        value = assignment.group(2).strip() if assignment else ""
        if in_toml and value.count("[") + value.count("(") > value.count("]") + value.count(")"):
            pending = line.strip()
            continue
        if value.startswith('"""') and "$(" not in value:
            in_triple = value.count('"""') % 2 == 1
            continue
        if assignment and not JULIA_LITERAL.fullmatch(assignment.group(2)):
            found.append((number, f"Julia value: {assignment.group(1)} = {assignment.group(2).strip()[:40]}"))
        prose = re.sub(r"`[^`]*`", "", line)
        for name in re.findall(r"\\(\w+)\s*\{", prose):
            if name in JULIA_COMMANDS:
                found.append((number, f"\\{name}"))
            elif name in lxs:
                found.append((number, f"\\{name} (lx_{name} in utils.jl)"))
        for kind in re.findall(r"\\input\s*\{\s*(plot|output)", prose):
            found.append((number, f"\\input{{{kind}}}"))
        for target in re.findall(r"\\fig(?:alt\{[^}]*\})?\s*\{([^}]*)\}", prose):
            if not figure_exists(site_dir, target, page):
                found.append((number, f"\\fig{{{target}}} (generated figure)"))
        for name in re.findall(r"\{\{\s*([A-Za-z_]\w*)", prose):
            if name not in BUILTIN_HFUNS and (name not in variables or name in hfuns):
                found.append((number, f"{{{{{name}}}}} (hfun{'_' + name + ' in utils.jl' if name in hfuns else ' not built in'})"))
    return found


def figure_exists(site_dir: Path, target: str, page: str = "") -> bool:
    """Whether a \\fig target is a static file of the site (Franklin: /assets/x → _assets/x or a plain
    assets/x; ./x → assets/<page>/x; a bare x → assets/<page>/code/x)."""
    relative = target.strip().startswith("./") or not target.strip().startswith("/")
    target = target.strip().lstrip("./")
    base = target.removeprefix("assets/")
    candidates = [site_dir / "_assets" / base, site_dir / target, site_dir / "_assets" / target]
    if relative and page:
        for folder in ("_assets", "assets"):
            candidates += [site_dir / folder / page / target, site_dir / folder / page / "code" / target]
    for candidate in candidates:
        if candidate.exists():
            return True
        if candidate.parent.is_dir() and any(candidate.parent.glob(glob_escape(candidate.name) + ".*")):
            return True  # Franklin's \fig{name} may omit the extension
    return False


def page_stem(site_dir: Path, path: Path) -> str:
    """Franklin's name of a page for its assets: `posts/a.md` → `posts/a`, `foo/index.md` → `foo`."""
    stem = path.relative_to(site_dir).with_suffix("").as_posix()
    return stem.removesuffix("/index") if stem != "index" else stem


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
DELIMS = (("\\(", "\\)", False), ("\\[", "\\]", True))
AUTO_RENDER_ENVS = ("equation", "equation*", "align", "align*", "gather", "gather*", "multline", "multline*")


def math_spans(page_html: str) -> list[tuple[str, bool, bool]]:
    """(tex, display, auto-render finds its delimiters) of each arithmatex span."""
    spans = []
    for match in ARITHMATEX.finditer(page_html):
        tex = html.unescape(match.group(2)).strip()
        for left, right, display in DELIMS:
            if tex.startswith(left) and tex.endswith(right):
                spans.append((tex[len(left):-len(right)], display, True))
                break
        else:
            env = re.match(r"\\begin\{([^}]*)\}", tex)
            spans.append((tex, True, bool(env and env.group(1) in AUTO_RENDER_ENVS)))
    return spans


def visible_text(page_html: str) -> str:
    """The page's text outside math, code, scripts and styles, tags removed."""
    text = ARITHMATEX.sub(" ", page_html)
    text = re.sub(r"(?is)<(pre|code|script|style|textarea)\b.*?</\1>", " ", text)
    text = re.sub(r"(?s)<!--.*?-->", " ", text)
    text = re.sub(r"(?s)<[^>]+>", " ", text)
    return html.unescape(text)


def find_signals(page_html: str) -> tuple[dict[str, int], list[tuple[str, bool]], dict[str, str]]:
    """(signal counts without katex, formulas to check, one example per signal)."""
    text = visible_text(page_html)
    examples: dict[str, str] = {}
    counts: dict[str, int] = {}

    def count(name: str, pattern: str) -> None:
        hits = list(re.finditer(pattern, text))
        if hits:
            counts[name] = len(hits)
            start = max(0, hits[0].start() - 30)
            examples[name] = " ".join(text[start:hits[0].end() + 30].split())

    count("@@", r"@@")
    count("{{", r"\{\{")
    count("newcmd", r"\\newcommand")
    count("cmd", r"\\(?!newcommand)[A-Za-z]+")
    count("$$", r"\$\$")
    count("$", r"(?<!\$)\$(?![\d$])[^$\n]+(?<!\$)\$(?!\$)")  # not a price such as $200
    formulas = []
    for tex, display, found in math_spans(page_html):
        if not found:
            counts["not-typeset"] = counts.get("not-typeset", 0) + 1
            examples.setdefault("not-typeset", tex[:60])
        formulas.append((tex, display))
    return counts, formulas, examples


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------

@dataclass
class PageResult:
    site: str
    page: str
    result: str = "clean"
    message: str = ""
    signals: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)
    julia: list[tuple[int, str]] = field(default_factory=list)
    clear_julia_error: bool = False


def site_label(site_dir: Path) -> str:
    """owner__repo, or owner__repo/template for a site nested in a corpus folder."""
    return f"{site_dir.parent.name}/{site_dir.name}" if "__" in site_dir.parent.name else site_dir.name


def run_site(site_dir: Path) -> tuple[list[PageResult], list[list[tuple[str, bool]]]]:
    results, formulas = [], []
    for page in site_pages(site_dir):
        text = page.read_text(encoding="utf-8", errors="replace")
        result = PageResult(site_label(site_dir), page.relative_to(site_dir).as_posix(),
                            julia=julia_constructs(site_dir, text, page_stem(site_dir, page)))
        out = convert_page(site_dir, page)
        if isinstance(out, ConvertError):
            result.result, result.message = "error", out.message
            result.clear_julia_error = out.located and any(line == out.line for line, _ in result.julia)
            formulas.append([])
        else:
            result.signals, page_formulas, result.examples = find_signals(out)
            formulas.append(page_formulas)
        results.append(result)
    return results, formulas


def apply_katex(results: list[PageResult], formulas: list[list[tuple[str, bool]]]) -> None:
    verdicts = iter(katex_errors([f for page in formulas for f in page]))
    for result, page in zip(results, formulas):
        failures = [(f, v) for f in page if (v := next(verdicts)) is not None]
        if failures:
            result.signals["katex"] = len(failures)
            result.examples["katex"] = f"{failures[0][0][0][:60]!r}: {failures[0][1][:120]}"
        if result.result != "error" and result.signals:
            result.result = "mis-render"


def summary(results: list[PageResult], label: str) -> str:
    pages = len(results)
    counts = {k: sum(r.result == k for r in results) for k in ("clean", "error", "mis-render")}
    plain = [r for r in results if not r.julia]
    julia = [r for r in results if r.julia]
    plain_clean = sum(r.result == "clean" for r in plain)
    julia_clear = sum(r.clear_julia_error for r in julia)
    julia_err = sum(r.result == "error" for r in julia)
    pct = lambda a, b: f"{100 * a / b:.0f}%" if b else "n/a"  # noqa: E731
    return (f"{label}: {pages} pages, clean {counts['clean']}, error {counts['error']}, "
            f"mis-render {counts['mis-render']} | no Julia-only: {plain_clean}/{len(plain)} clean "
            f"({pct(plain_clean, len(plain))}) | Julia-only: {julia_err}/{len(julia)} error, "
            f"{julia_clear} at the construct's line ({pct(julia_clear, len(julia))})")


def build_site(site_dir: Path, cache: str) -> tuple[bool, str]:
    """A real `mkdocs build` of a Franklin site with our mkdocs.yml and hooks."""
    import yaml
    work = Path(tempfile.mkdtemp(prefix="franklin-build-", dir=os.environ.get("TMPDIR")))
    try:
        docs = work / "docs"
        try:
            shutil.copytree(site_dir, docs, copy_function=os.link, ignore=shutil.ignore_patterns(".git", "__site"))
        except OSError:
            shutil.rmtree(docs, ignore_errors=True)
            shutil.copytree(site_dir, docs, ignore=shutil.ignore_patterns(".git", "__site"))
        if not (docs / "references.bib").exists():  # our hooks' own tutorials cite from it
            shutil.copyfile(ROOT / "docs" / "references.bib", docs / "references.bib")
        config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
        config.pop("nav", None)
        config["docs_dir"] = str(docs)
        config["site_dir"] = str(work / "site")
        config["hooks"] = [str(ROOT / "site_hooks" / "mkdocs_hooks.py")]
        config["exclude_docs"] = "\n".join(ignore_globals(site_dir))  # the hooks leave out the rest
        for plugin in config["plugins"]:
            if isinstance(plugin, dict) and "mkdocstrings" in plugin:
                plugin["mkdocstrings"]["handlers"]["python"]["paths"] = [str(ROOT)]
        for ext in config["markdown_extensions"]:
            if isinstance(ext, dict) and "pymdownx.snippets" in ext:
                ext["pymdownx.snippets"]["base_path"] = [str(docs)]
        (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
        env = {**os.environ, "GCNN_NOTES_CACHE": cache}
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs.yml")],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
        errors = [l for l in done.stderr.splitlines() if "ERROR" in l or "Error" in l or "error" in l]
        return done.returncode == 0, (errors[-1] if errors else done.stderr.strip()[-300:])[:300]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="write every page's result here")
    parser.add_argument("--build", action="store_true", help="also run `mkdocs build` on each site")
    parser.add_argument("--quiet", action="store_true", help="summary only")
    args = parser.parse_args(argv)

    results: list[PageResult] = []
    formulas: list[list[tuple[str, bool]]] = []
    for site in args.sites:
        site_results, site_formulas = run_site(site.resolve())
        results += site_results
        formulas += site_formulas
    apply_katex(results, formulas)

    if not args.quiet:
        print(f"{'site':32} {'page':48} {'result':10} {'J':1} signals / error")
        for r in results:
            detail = r.message if r.result == "error" else " ".join(f"{k}={v}" for k, v in r.signals.items())
            print(f"{r.site[:32]:32} {r.page[:48]:48} {r.result:10} {'J' if r.julia else '-'} {detail}")
    print()
    for site in dict.fromkeys(r.site for r in results):  # noqa: B007
        print(summary([r for r in results if r.site == site], site))
    print(summary(results, "OVERALL"))

    builds = {}
    if args.build:
        cache = os.environ.get("GCNN_NOTES_CACHE", DEFAULT_CACHE)
        for site in args.sites:
            ok, message = build_site(site.resolve(), cache)
            builds[site_label(site.resolve())] = {"builds": ok, "message": message}
            print(f"build {site_label(site.resolve())}: {'OK' if ok else 'FAILED'} {'' if ok else message}")
    if args.json:
        args.json.write_text(json.dumps({"pages": [asdict(r) for r in results], "builds": builds}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
