"""Timing helpers shared by the benchmark scripts: interleaved rounds, medians, paired ratios.

These machines are shared and noisy. Each round times every variant once, in an order rotated
from round to round, so no variant always runs first; a ratio is the median over rounds of
the two variants' times in the same round, which load that comes and goes hardly moves.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable

TRAIN_GOAL, EVAL_GOAL = 1.05, 1.02  # layer / plain conv2d of the same expanded shape


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


@dataclass(frozen=True)
class TrainEval:
    """A layer next to the plain conv2d of the same shape: median ms of each and the paired ratios."""
    rounds: int
    plain_train_ms: float
    layer_train_ms: float
    train_ratio: float
    plain_eval_ms: float
    layer_eval_ms: float
    eval_ratio: float


def train_eval(rounds: int, times: dict[str, list[float]]) -> TrainEval:
    """Summary of the variants 'plain/layer train/eval' timed in `rounds` interleaved rounds."""
    ms = {name: 1e3 * statistics.median(values) for name, values in times.items()}
    return TrainEval(rounds, ms["plain train"], ms["layer train"], paired_ratio(times, "layer train", "plain train"),
                     ms["plain eval"], ms["layer eval"], paired_ratio(times, "layer eval", "plain eval"))


TRAIN_EVAL_HEADER = (f"{'reps':>6} {'plain train':>12}{'layer train':>12}{'ratio':>7}"
                     f" {'plain eval':>12}{'layer eval':>12}{'ratio':>7}")
TRAIN_EVAL_FOOTER = f"ratio = median over rounds of layer/plain; goals: train ≤ {TRAIN_GOAL}×, eval ≤ {EVAL_GOAL}×"


def format_train_eval(t: TrainEval) -> str:
    """The columns of TRAIN_EVAL_HEADER."""
    return (f"{t.rounds:>6} {t.plain_train_ms:>10.2f}ms{t.layer_train_ms:>10.2f}ms{t.train_ratio:>6.3f}× "
            f"{t.plain_eval_ms:>10.2f}ms{t.layer_eval_ms:>10.2f}ms{t.eval_ratio:>6.3f}×")


def train_eval_row(rounds: int, times: dict[str, list[float]]) -> str:
    """Median ms of 'plain/layer train/eval' and the paired layer/plain ratios, as table columns."""
    return format_train_eval(train_eval(rounds, times))
