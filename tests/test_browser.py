"""The built site in headless Chromium: every page loads cleanly, offline, with its math typeset.

One local HTTP server and one browser serve the whole module; each test gets a fresh context.
Pages come from the `nav` of mkdocs.yml (use_directory_urls: `x.md` → `x/`), and one test checks
that the built site holds exactly those pages, so none can be missed.
"""
from __future__ import annotations

import functools
import http.server
import io
import json
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
GOTO_TIMEOUT_MS = 15_000


PAGE_SUFFIXES = (".md", ".ipynb")  # .ipynb: notebook pages rendered by mkdocs-jupyter


def nav_files(entries) -> list[str]:
    """The page files named in an mkdocs `nav` (plain names, `Title: file.md`, or sections)."""
    files = []
    for entry in entries:
        if isinstance(entry, str):
            files.append(entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                files.extend(nav_files(value) if isinstance(value, list) else [value])
    return [f for f in files if f.endswith(PAGE_SUFFIXES)]


def page_path(page_file: str) -> str:
    """`index.md` → `/`, `a/index.md` → `/a/`, `x.md` or `x.ipynb` → `/x/` (use_directory_urls)."""
    stem = page_file.rsplit(".", 1)[0]
    if stem == "index":
        return "/"
    if stem.endswith("/index"):
        stem = stem[:-len("/index")]
    return f"/{stem}/"


NAV_FILES = nav_files(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"])
NAV_PAGES = [page_path(f) for f in NAV_FILES]
# Pages written with math must show it typeset; generated pages (API, notebooks) may have none.
MATH_PAGES = {page_path(f) for f in NAV_FILES
              if (ROOT / "docs" / f).is_file() and re.search(r"\$|\\\(|\\\[", (ROOT / "docs" / f).read_text())}
# Each content section shows at least one animation and offers its executed notebook.
SECTION_PAGES = ["/first-class/", "/representation-theory/", "/steerable/", "/equivariant-gnn/"]
# Pages that show snippet figures: each is numbered, captioned and described (\caption) on the page.
FIGURE_PAGES = {page_path(f): (ROOT / "docs" / f).read_text() for f in NAV_FILES if (ROOT / "docs" / f).is_file()
                and re.search(r"\\(snippet|fig)\{", (ROOT / "docs" / f).read_text())}  # path → source
GIF_LIMIT_BYTES = 2 * 1024 * 1024
VIEWPORTS = {"1280px": DESKTOP, "390px": PHONE}
SCREENSHOTS = os.environ.get("GCNN_NOTES_SCREENSHOTS")  # a folder: keep a phone-width screenshot of every page


# --------------------------------------------------------------------------- fixtures

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Recorder:
    """Everything a page reported while loading: console errors/warnings, page errors, requests."""

    def __init__(self, page):
        self.console_errors: list[str] = []
        self.console_warnings: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} (HTTP {r.status})"))
        page.on("request", lambda r: self.requests.append(r.url))

    def _console(self, msg):
        where = msg.location or {}
        text = f"{msg.text} [{where.get('url', '?')}:{where.get('lineNumber', '?')}]"
        if msg.type == "error":
            self.console_errors.append(text)
        elif msg.type == "warning":
            self.console_warnings.append(text)

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, failed requests, and requests leaving 127.0.0.1."""
        remote = [u for u in self.requests
                  if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).hostname != "127.0.0.1"]
        found = []
        if self.console_errors:
            found.append(f"console errors: {self.console_errors}")
        if self.page_errors:
            found.append(f"uncaught page errors: {self.page_errors}")
        if self.failed:
            found.append(f"failed requests: {self.failed}")
        if remote:
            found.append(f"requests leaving the machine: {remote}")
        return found

    def assert_clean(self):
        problems = self.problems()
        assert not problems, "\n".join(problems)


@pytest.fixture
def open_page(browser, site_url):
    """open_page(path, viewport=..., color_scheme=..., javascript=...) → (page, recorder), loaded to networkidle."""
    contexts = []

    def _open(path: str, viewport=DESKTOP, color_scheme="light", javascript=True):
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        recorder = Recorder(page)
        response = page.goto(site_url + path, wait_until="load", timeout=GOTO_TIMEOUT_MS)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        page.wait_for_load_state("networkidle", timeout=GOTO_TIMEOUT_MS)
        return page, recorder

    yield _open
    for context in contexts:
        context.close()


def load_all_images(page) -> None:
    """Images are loading=lazy: make them eager, scroll through, and wait for them to settle."""
    page.evaluate("""async () => {
        const imgs = [...document.images];
        imgs.forEach(img => { img.loading = "eager"; });
        window.scrollTo(0, document.documentElement.scrollHeight);
        await Promise.all(imgs.map(img => img.complete ? null : new Promise(resolve => {
            img.addEventListener("load", resolve, { once: true });
            img.addEventListener("error", resolve, { once: true });
            setTimeout(resolve, 5000);
        })));
        window.scrollTo(0, 0);
    }""")
    page.wait_for_load_state("networkidle", timeout=GOTO_TIMEOUT_MS)


RAW_MATH = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$[^$\s][^$]*\$")

PROSE_TEXT = """() => {
    const article = document.querySelector("article");
    if (!article) return null;
    const copy = article.cloneNode(true);
    // code, printed output and styles are not prose (notebook pages: code cells and their copy buttons)
    copy.querySelectorAll("pre, code, .katex, script, style, .headerlink, .jp-InputArea, .jp-OutputArea, .clipboard-copy-txt")
        .forEach(e => e.remove());
    return copy.textContent;
}"""

SIDEBAR_TEXT = """(selector) => [...document.querySelectorAll(selector)].map(e => {
    const copy = e.cloneNode(true);
    copy.querySelectorAll(".katex").forEach(k => k.remove());
    return copy.textContent;
}).join("\\n")"""


def snippet_around(text: str, match: re.Match, width: int = 60) -> str:
    return " ".join(text[max(0, match.start() - width):match.end() + width].split())


def math_problems(page, path: str) -> list[str]:
    """Math typeset (KaTeX, once: the build's output is not typeset again) in the article, the
    navigation and the table of contents; no raw TeX left in their text."""
    problems = []
    katex = page.evaluate("""() => ({
        count: document.querySelectorAll("article .katex").length,
        nested: document.querySelectorAll(".katex .katex").length,
        errors: [...document.querySelectorAll(".katex-error")].map(e => e.getAttribute("title") || e.textContent),
    })""")
    if katex["count"] == 0 and path in MATH_PAGES:
        problems.append("no typeset math (.katex) in the article")
    if katex["nested"]:
        problems.append(f"math typeset twice: {katex['nested']} .katex inside .katex")
    if katex["errors"]:
        problems.append(f"KaTeX errors: {katex['errors']}")

    prose = page.evaluate(PROSE_TEXT)
    if prose is None:
        problems.append("no <article>")
    else:
        raw = [snippet_around(prose, m) for m in RAW_MATH.finditer(prose)][:5]
        if raw:
            problems.append(f"raw (untypeset) math in the article text: {raw}")

    for name, selector in (("navigation", ".md-sidebar--primary"), ("table of contents", ".md-sidebar--secondary")):
        text = " ".join(page.evaluate(SIDEBAR_TEXT, selector).split())
        raw = [snippet_around(text, m, 30) for m in re.finditer(r"\\\(|\\\[", text)][:5]
        if raw:
            problems.append(f"raw math in the {name} sidebar: {raw}")
    return problems


# --------------------------------------------------------------------------- tests

def test_nav_covers_every_built_page(built_site):
    built = set()
    for index in built_site.rglob("index.html"):
        relative = index.relative_to(built_site)
        if relative.parts[0] in ("assets", "search"):
            continue
        parent = relative.parent.as_posix()
        built.add("/" if parent == "." else f"/{parent}/")
    assert built == set(NAV_PAGES), (f"pages built but not in the nav: {sorted(built - set(NAV_PAGES))}; "
                                     f"in the nav but not built: {sorted(set(NAV_PAGES) - built)}")


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("path", NAV_PAGES)
def test_page(open_page, path, width):
    """Loads cleanly and offline, images load, math is typeset everywhere, footer carries the stamp;
    at phone width nothing overflows sideways.

    Every check runs and all problems are reported together."""
    page, recorder = open_page(path, viewport=VIEWPORTS[width])
    load_all_images(page)
    problems = recorder.problems()
    if VIEWPORTS[width] is PHONE:
        problems.extend(horizontal_overflow(page))
        if SCREENSHOTS:
            name = path.strip("/").replace("/", "_") or "index"
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-{width}.png"), full_page=True)

    broken = page.evaluate("""() => [...document.images]
        .filter(img => !(img.complete && img.naturalWidth > 0))
        .map(img => img.currentSrc || img.src)""")
    if broken:
        problems.append(f"images that did not load: {broken}")

    problems.extend(math_problems(page, path))

    title = page.title()
    if any(bad in title for bad in ("\\(", "$", "<")):
        problems.append(f"raw markup in <title>: {title!r}")

    footer = page.locator("footer").inner_text()
    if "Built with gcnn" not in footer:
        problems.append(f"no version stamp in the footer: {footer!r}")

    if problems and recorder.console_warnings:  # context only: warnings alone do not fail a page
        problems.append(f"(console warnings: {recorder.console_warnings})")
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


FIGURES = """() => [...document.querySelectorAll("article img.snippet-figure")].map(img => {
    const figure = img.closest("figure.numbered-figure");
    const caption = figure && figure.querySelector(":scope > figcaption");
    const box = caption && caption.getBoundingClientRect();
    return {src: img.getAttribute("src"), alt: img.getAttribute("alt") || "",
            caption: caption ? caption.textContent.trim() : null,
            visible: !!box && box.height > 0 && getComputedStyle(caption).visibility === "visible"};
})"""


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("path", list(FIGURE_PAGES))
def test_figures_are_numbered_captioned_described_and_referenced(open_page, path, width):
    """Every snippet figure sits in a numbered figure whose caption stays visible whichever tab is open;
    its alt text says what it shows (not a file name); every \\figref link lands on a figure of the page."""
    page, recorder = open_page(path, viewport=VIEWPORTS[width])
    figures = page.evaluate(FIGURES)
    assert figures, f"{path}: no snippet figure"
    problems = []
    numbers = []
    for figure in figures:
        if figure["caption"] is None:
            problems.append(f"{figure['src']}: not in a captioned figure")
            continue
        match = re.match(r"Figure (\d+)\. (\S.{20,})", figure["caption"], re.S)
        if not match or not figure["visible"]:
            problems.append(f"{figure['src']}: caption {figure['caption'][:60]!r} not 'Figure n. …' or not visible")
        else:
            numbers.append(int(match.group(1)))
        alt = figure["alt"]
        if len(alt) < 30 or re.search(r"\.(py|svg|png|gif)\b|^Figure\b|rendered by", alt) or alt in figure["caption"]:
            problems.append(f"{figure['src']}: alt text {alt!r} is generic, a file name or a copy of the caption")
    if sorted(set(numbers)) != list(range(1, len(set(numbers)) + 1)) or numbers != sorted(numbers):
        problems.append(f"figure numbers out of order: {numbers}")
    # (Material makes every href absolute: a \\figref is a link to this page whose hash names a figure)
    links = page.evaluate("""() => [...document.querySelectorAll("article a")]
        .filter(a => a.hash.startsWith("#figure-") && a.pathname === location.pathname).map(a => {
        const target = document.getElementById(a.hash.slice(1));
        const figure = target && target.nextElementSibling;
        const number = figure && figure.matches("figure.numbered-figure")
            ? figure.querySelector(".figure-number").textContent : null;
        return {href: a.hash, text: a.textContent, number};
    })""")
    count = FIGURE_PAGES[path].count("\\figref{")
    if count != len(links):
        problems.append(f"{len(links)} figure links, but {count} \\figref in the page's source")
    for link in links:
        if link["number"] != link["text"] + ".":
            problems.append(f"\\figref link {link['href']} ({link['text']!r}) lands on {link['number']!r}")
    code_tab = page.locator("figure.numbered-figure .tabbed-labels > label").nth(1)  # the first figure's Code tab
    if code_tab.count():
        code_tab.click()
        if not all(f["visible"] for f in page.evaluate(FIGURES)):
            problems.append("a caption is hidden while the Code tab of the first tabbed figure is open")
    assert not problems, f"{path} at {width}:\n  " + "\n  ".join(problems)
    recorder.assert_clean()


@pytest.mark.parametrize("path", [page_path(f) for f in NAV_FILES if f.endswith(".ipynb")])
def test_tutorial_figures_are_described_and_captioned(open_page, path):
    """A tutorial's figures (cell outputs) carry their page's alt text, not nbconvert's generic one, and
    each is followed by its numbered caption."""
    page, recorder = open_page(path)
    figures = page.evaluate("""() => [...document.querySelectorAll("article .jp-OutputArea-output img")].map(img => {
        const next = [...document.querySelectorAll("article .jp-MarkdownCell")]
            .find(cell => img.compareDocumentPosition(cell) & Node.DOCUMENT_POSITION_FOLLOWING);
        return {alt: img.getAttribute("alt") || "", next: next ? next.textContent.trim().slice(0, 12) : ""};
    })""")
    assert figures, f"{path}: no figure"
    problems = [f"figure {index + 1}: alt {f['alt'][:50]!r}, next cell {f['next']!r}" for index, f in enumerate(figures)
                if len(f["alt"]) < 30 or "No description" in f["alt"] or not f["next"].startswith(f"Figure {index + 1}.")]
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)
    recorder.assert_clean()


@pytest.mark.parametrize("path", sorted(MATH_PAGES))
def test_math_is_typeset_without_javascript(open_page, path):
    """The build typesets the math: with JavaScript off, article, navigation and table of contents
    show KaTeX and no raw TeX."""
    page, recorder = open_page(path, javascript=False)
    assert page.evaluate("() => document.querySelectorAll('.md-sidebar--primary .katex').length") > 0, \
        f"{path}: no typeset math in the navigation (the $G$-CNN titles)"
    problems = math_problems(page, path) + recorder.problems()
    assert not problems, f"{path} without JavaScript:\n  " + "\n  ".join(problems)


def test_search_finds_equivariance(open_page):
    page, recorder = open_page("/")
    # At 1280 px the search form sits in the header (the label[for=__search] is the phone button).
    search = page.locator("input.md-search__input")
    search.wait_for(state="visible", timeout=5_000)
    search.click(timeout=5_000)
    search.press_sequentially("equivariance", delay=20)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    results = page.locator(".md-search-result__item")
    assert results.count() >= 1
    titles = page.locator(".md-search-result__item h1, .md-search-result__item h2").all_inner_texts()
    raw = [t for t in titles if "\\(" in t or "\\[" in t]
    assert not raw, f"raw math in search result titles: {raw}"
    recorder.assert_clean()


def test_dark_mode(open_page):
    page, recorder = open_page(NAV_PAGES[min(1, len(NAV_PAGES) - 1)], color_scheme="dark")
    scheme = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    assert scheme == "slate", f"dark colour scheme not applied: data-md-color-scheme={scheme!r}"
    load_all_images(page)
    recorder.assert_clean()


def horizontal_overflow(page) -> list[str]:
    widths = page.evaluate("""() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
        culprits: [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(e => !e.closest("pre, .md-typeset__scrollwrap, .katex-display, .md-sidebar, .md-search, .jp-OutputArea-output, .jp-RenderedHTMLCommon table"))
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "")),
    })""")
    if widths["scroll"] <= widths["inner"] + 1:
        return []
    return [f"horizontal overflow at {widths['inner']}px: scrollWidth={widths['scroll']}; "
            f"wide elements: {widths['culprits']}"]


@pytest.mark.parametrize("path", SECTION_PAGES)
def test_section_animations_play_and_notebooks_download(open_page, path):
    """Each content section shows an animated GIF (loaded, > 1 frame, <= 2 MB) and links its
    executed notebook, which parses as a valid notebook whose code cells all carry outputs."""
    nbformat = pytest.importorskip("nbformat")
    from PIL import Image

    page, recorder = open_page(path, viewport=PHONE)
    load_all_images(page)
    gifs = page.evaluate("""() => [...document.querySelectorAll("article img")]
        .filter(img => /\\.gif$/i.test(new URL(img.currentSrc || img.src).pathname))
        .map(img => ({src: img.currentSrc || img.src, loaded: img.complete && img.naturalWidth > 0}))""")
    assert gifs, f"{path}: no animation (GIF) on the page"
    for gif in gifs:
        assert gif["loaded"], f"{path}: animation did not load: {gif['src']}"
        body = page.request.get(gif["src"]).body()
        assert len(body) <= GIF_LIMIT_BYTES, f"{gif['src']}: {len(body)} bytes > 2 MB"
        frames = Image.open(io.BytesIO(body)).n_frames
        assert frames > 1, f"{gif['src']}: a still image ({frames} frame), not an animation"

    links = page.evaluate("""() => [...document.querySelectorAll("article a[href]")]
        .map(a => a.href).filter(href => new URL(href).pathname.endsWith(".ipynb"))""")
    assert links, f"{path}: no link to a downloadable notebook"
    for link in sorted(set(links)):
        check_notebook(nbformat, page.request.get(link), link)
    recorder.assert_clean()


def check_notebook(nbformat, response, link: str) -> None:
    assert response.ok, f"{link}: HTTP {response.status}"
    notebook = nbformat.reads(json.dumps(json.loads(response.text())), as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, f"{link}: no code cells"
    # every snippet cell carries its outputs; only a "setup" cell (the figure style) prints nothing
    empty = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and not cell.outputs
             and "setup" not in cell.metadata.get("tags", [])]
    assert not empty, f"{link}: code cells without outputs: {empty}"


@pytest.mark.parametrize("path", [p for p, f in zip(NAV_PAGES, NAV_FILES) if f.endswith(".ipynb")])
def test_notebook_pages_offer_their_notebook(open_page, path):
    """A tutorial rendered by mkdocs-jupyter shows its outputs and a working download link."""
    nbformat = pytest.importorskip("nbformat")
    page, recorder = open_page(path)
    links = page.evaluate("""() => [...document.querySelectorAll("a[href]")]
        .map(a => a.href).filter(href => new URL(href).pathname.endsWith(".ipynb"))""")
    assert links, f"{path}: no download link to the notebook"
    for link in sorted(set(links)):
        check_notebook(nbformat, page.request.get(link), link)
    recorder.assert_clean()
