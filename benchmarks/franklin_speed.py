"""Conversion time of a Franklin page against its size: expansion must be linear in the page.

    python benchmarks/franklin_speed.py [--repeat 5]

A page of n paragraphs, each using a site macro three times (once in text through a block macro,
twice in math), is converted at n = 250, 500, 1000, 2000, interleaved; the script prints the best
time per size and the ratio to the previous size (≈ 2 for linear work, ≈ 4 for quadratic).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_hooks import franklin  # noqa: E402
from site_hooks.franklin.standalone import NoOutputs  # noqa: E402

SIZES = (250, 500, 1000, 2000)
DEFINITIONS = "\\newcommand{\\R}{\\mathbb{R}}\n\\newcommand{\\note}[1]{@@note !#1 @@}\n\n"


def page(paragraphs: int) -> str:
    line = "Paragraph {}: for $x \\in \\R^{}$, `code` and \\note{{a point of $\\R$}}.\n\n"
    body = "".join(line.format(i, i) for i in range(paragraphs))
    return DEFINITIONS + body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pages = {n: page(n) for n in SIZES}
    best = {n: float("inf") for n in SIZES}
    for _ in range(args.repeat):
        for n in SIZES:  # interleaved: a noisy moment hits every size alike
            start = time.perf_counter()
            franklin.convert(pages[n], "bench.md", "bench.md", NoOutputs())
            best[n] = min(best[n], time.perf_counter() - start)
    print(f"{'paragraphs':>10} {'KiB':>6} {'seconds':>8} {'ratio to previous':>18}")
    previous = None
    for n in SIZES:
        ratio = f"{best[n] / best[previous]:.2f}" if previous else "-"
        print(f"{n:>10} {len(pages[n]) / 1024:>6.0f} {best[n]:>8.3f} {ratio:>18}")
        previous = n


if __name__ == "__main__":
    main()
