"""Argument checks shared by the package: one wording for each kind of bad input."""

from __future__ import annotations

from typing import Any

import numpy as np


def _is_int_at_least(value: Any, minimum: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, np.integer)) and value >= minimum


def check_int(value: Any, name: str, minimum: int = 1) -> int:
    """``value`` as an int, or a ValueError unless it is an integer >= ``minimum`` (not a bool)."""
    if not _is_int_at_least(value, minimum):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def check_positive(**sizes: Any) -> None:
    """Each keyword (a size or a count) must be a positive integer; the error names the first."""
    for name, value in sizes.items():
        if not _is_int_at_least(value, 1):
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")


def check_range(pair: Any, name: str = "value_range") -> tuple[float, float]:
    """A finite (low, high) pair with low < high, as floats; ``name`` is used in the error."""
    try:
        low, high = (float(value) for value in pair)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high), got {pair!r}.") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"{name} must be finite with low < high, got {pair!r}.")
    return low, high


def check_rng(rng: Any) -> np.random.Generator:
    """``rng`` if it is a ``numpy.random.Generator``, else a TypeError saying how to make one."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator, e.g. np.random.default_rng(0), "
            f"got {type(rng).__name__}"
        )
    return rng


def check_learning_rate(learning_rate: Any) -> float:
    """A finite number > 0 (not a bool), as a float."""
    if (
        isinstance(learning_rate, bool)
        or not isinstance(learning_rate, int | float | np.floating | np.integer)
        or not (np.isfinite(learning_rate) and learning_rate > 0)
    ):
        raise ValueError(f"learning_rate must be a number > 0, got {learning_rate!r}")
    return float(learning_rate)
