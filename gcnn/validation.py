"""Argument checks shared by the package: a clear ValueError naming what was expected and what came."""
from __future__ import annotations


def is_int(value: object) -> bool:
    """A real int (bool is an int subclass in Python, but never a size or a count)."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_ints(minimum: int = 1, **values: object) -> None:
    """Raise unless every keyword argument is an int ≥ ``minimum``."""
    for name, value in values.items():
        if not is_int(value) or value < minimum:
            raise ValueError(f"{name} expects an int >= {minimum}, got {value!r}")
