"""Timing helpers shared by the benchmark scripts: interleaved rounds, medians, paired ratios.

These machines are shared and noisy. Each round times every variant once, in an order rotated
from round to round, so no variant always runs first; a ratio is the median over rounds of
the two variants' times in the same round, which load that comes and goes hardly moves.
"""
from __future__ import annotations

import statistics
import time
from typing import Callable


def seconds(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def interleaved_times(variants: dict[str, Callable[[], object]], budget: float,
                      most: int = 60) -> tuple[int, dict[str, list[float]]]:
    """(rounds, seconds per call of each variant, one entry per round) within about `budget` s."""
    once = max(seconds(call) for call in variants.values())  # also the warm-up
    rounds = max(5, min(most, int(budget / (len(variants) * once))))
    times: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(seconds(variants[name]))
    return rounds, times


def paired_ratio(times: dict[str, list[float]], numerator: str, denominator: str) -> float:
    """Median over rounds of numerator / denominator timed in the same round."""
    return statistics.median(a / b for a, b in zip(times[numerator], times[denominator]))
