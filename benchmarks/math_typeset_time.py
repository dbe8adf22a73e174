"""Time until a page's math is typeset in headless Chromium: in the browser (before) vs at build time (after).

    python benchmarks/math_typeset_time.py [--repeat 7] [--before-site DIR --after-site DIR]

Builds the site twice (GCNN_NOTES_KATEX_SSR=0: KaTeX's auto-render typesets in the browser; default:
KaTeX ran at build time), unless both sites are given, and prints the build times and the seconds the
SSR build spent in KaTeX (its log line). On the page with the most math, each round loads both variants
in a fresh browser context (cold HTTP cache), in an order rotated from round to round, and records
from navigation start: when the frame showing all math typeset is drawn (document parsed, every
`.arithmatex` element holds KaTeX output and no raw `\\(`/`\\[` text), the first contentful paint, and
how long raw TeX was on screen. Prints medians and paired ratios. Snippets: GCNN_NOTES_CACHE.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from interleaved import paired_ratio  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
KATEX_LOG = re.compile(r"math typeset by KaTeX in ([0-9.]+) s")

# Records, in ms since navigation start: `painted`, when the frame showing all math typeset has been
# drawn (the second animation frame after the document is parsed and all math typeset, checked when
# parsing ends and after every DOM change); `firstPaint`, the first contentful paint, and `rawAtFirstPaint`,
# whether raw TeX was in the document then.
TYPESET_PROBE = r"""
window.__math = null;
let typesetSeen = false, rawAtFirstPaint = null;
const math = () => [...document.querySelectorAll(".arithmatex")];
const raw = e => [...e.childNodes].some(n => n.nodeType === 3 && /\\[(\[]/.test(n.data));
new PerformanceObserver(() => { if (rawAtFirstPaint === null) rawAtFirstPaint = math().some(raw); })
  .observe({type: "paint", buffered: true});
const check = () => {
  if (typesetSeen || document.readyState === "loading" || !math().every(e => e.querySelector(".katex") && !raw(e))) return;
  typesetSeen = true;
  observer.disconnect();
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    window.__math = {painted: performance.now(), firstPaint: paint ? paint.startTime : null, rawAtFirstPaint};
  }));
};
const observer = new MutationObserver(check);
document.addEventListener("DOMContentLoaded", () => {
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  check();
});
"""
METRICS = ("painted", "firstPaint", "rawOnScreen")


def build(site: Path, ssr: bool) -> tuple[float, float | None]:
    """Build the site into `site`: (wall seconds, seconds spent in KaTeX as the build logged it)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GCNN_NOTES_KATEX_SSR": "1" if ssr else "0"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"mkdocs build failed:\n{result.stderr[-3000:]}")
    katex = KATEX_LOG.search(result.stderr)
    return wall, float(katex.group(1)) if katex else None


def most_math_page(site: Path) -> tuple[str, int]:
    """(URL path, count) of the built page with the most arithmatex elements."""
    counts = {page: page.read_text(encoding="utf-8").count('class="arithmatex"')
              for page in site.rglob("index.html") if page.relative_to(site).parts[0] not in ("assets", "search")}
    page = max(counts, key=counts.get)
    parent = page.relative_to(site).parent.as_posix()
    return ("/" if parent == "." else f"/{parent}/"), counts[page]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a context closed mid-request: not a problem here
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def load(browser, url: str) -> dict[str, float]:
    """One page load in a fresh context (cold HTTP cache): ms until typeset math is painted, of the first
    contentful paint, and how long raw TeX was on screen (painted before the math was typeset)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(TYPESET_PROBE)
        page = context.new_page()
        page.goto(url, wait_until="load", timeout=30_000)
        page.wait_for_function("window.__math !== null", timeout=30_000)
        math = page.evaluate("window.__math")
    finally:
        context.close()
    first_paint = math["firstPaint"] if math["firstPaint"] is not None else math["painted"]
    raw = math["painted"] - first_paint if math["rawAtFirstPaint"] else 0.0
    return {"painted": math["painted"], "firstPaint": first_paint, "rawOnScreen": raw}


def measure(sites: dict[str, Path], path: str, repeat: int) -> dict[str, dict[str, list[float]]]:
    """Interleaved page loads: per variant and metric, one value (ms) per round."""
    from playwright.sync_api import sync_playwright

    times = {name: {metric: [] for metric in METRICS} for name in sites}
    names = list(sites)
    with serve(sites[names[0]]) as first, serve(sites[names[1]]) as second, sync_playwright() as p:
        urls = {names[0]: first + path, names[1]: second + path}
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in names:  # warm-up: the OS file cache and Chromium's start
                load(browser, urls[name])
            for r in range(repeat):
                for name in names[r % 2:] + names[:r % 2]:
                    for metric, value in load(browser, urls[name]).items():
                        times[name][metric].append(value)
        finally:
            browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before-site", type=Path, help="a site built with GCNN_NOTES_KATEX_SSR=0")
    parser.add_argument("--after-site", type=Path, help="a site built with math typeset at build time")
    args = parser.parse_args()
    if (args.before_site is None) != (args.after_site is None):
        parser.error("give both --before-site and --after-site, or neither")
    with tempfile.TemporaryDirectory() as scratch:
        if args.before_site:
            sites = {"before": args.before_site, "after": args.after_site}
        else:
            sites = {"before": Path(scratch) / "before", "after": Path(scratch) / "after"}
            before_s, _ = build(sites["before"], ssr=False)
            after_s, katex_s = build(sites["after"], ssr=True)
            print(f"build: {before_s:.1f} s with math left to the browser, {after_s:.1f} s with SSR, "
                  f"of which KaTeX {katex_s:.2f} s (whole site)")
        path, count = most_math_page(sites["before"])
        times = measure(sites, path, args.repeat)
    print(f"page {path} ({count} math elements), {args.repeat} interleaved rounds, ms since navigation start"
          " (median); ratio: median over rounds of after/before")
    print(f"{'':<34}{'before (browser)':>17}{'after (build)':>15}{'ratio':>8}")
    for metric, label in (("painted", "all math typeset and painted"), ("firstPaint", "first contentful paint"),
                          ("rawOnScreen", "raw TeX on screen")):
        before, after = (statistics.median(times[name][metric]) for name in ("before", "after"))
        ratio = ("—" if metric == "rawOnScreen"  # zero after: no ratio
                 else f"{paired_ratio({name: times[name][metric] for name in times}, 'after', 'before'):.2f}×")
        print(f"{label:<34}{before:>14.1f} ms{after:>12.1f} ms{ratio:>8}")


if __name__ == "__main__":
    main()
