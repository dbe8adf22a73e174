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


TRAIN_EVAL_HEADER = (f"{'reps':>6} {'plain train':>12}{'layer train':>12}{'ratio':>7}"
                     f" {'plain eval':>12}{'layer eval':>12}{'ratio':>7}")
TRAIN_EVAL_FOOTER = "ratio = median over rounds of layer/plain; goals: train ≤ 1.05×, eval ≤ 1.02×"


def train_eval_row(rounds: int, times: dict[str, list[float]]) -> str:
    """Median ms of 'plain/layer train/eval' and the paired layer/plain ratios, as table columns."""
    ms = {name: 1e3 * statistics.median(values) for name, values in times.items()}
    ratio = {mode: paired_ratio(times, f"layer {mode}", f"plain {mode}") for mode in ("train", "eval")}
    return (f"{rounds:>6} {ms['plain train']:>10.2f}ms{ms['layer train']:>10.2f}ms{ratio['train']:>6.3f}× "
            f"{ms['plain eval']:>10.2f}ms{ms['layer eval']:>10.2f}ms{ratio['eval']:>6.3f}×")
