"""Input checks shared by the package: one wording for each kind of bad input.

Every check says what was expected and what was given, and never repairs the input: a metric
computed on silently "fixed" data is a number nobody can trust. Scalars (counts, ranges, seeds,
learning rates, random generators) come first, then arrays (matrices, probabilities, means,
covariances).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike


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


def check_positive_number(value: Any, name: str) -> float:
    """A finite number > 0 (an int or float, not a bool), as a float; ``name`` is used in the
    error."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | np.floating | np.integer)
        or not (np.isfinite(value) and value > 0)
    ):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}.")
    return float(value)


def check_learning_rate(learning_rate: Any) -> float:
    """A finite learning rate > 0 (not a bool), as a float."""
    return check_positive_number(learning_rate, "learning_rate")


# Rows of a probability matrix must sum to 1 within this (absolute) tolerance. Softmax outputs
# in float32 over 1,000 classes sum to 1 within about 1e-5; anything further off is not a
# probability vector (logits, or probabilities of a subset of the classes).
PROBABILITY_SUM_ATOL = 1e-3


def _as_real_array(values: ArrayLike, name: str) -> np.ndarray:
    """``values`` as a float64 array, or a TypeError for non-numeric or complex input."""
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}.")
    return array.astype(np.float64, copy=False)


def _check_finite(array: np.ndarray, name: str) -> None:
    bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
    if bad:
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s); every value must be finite "
            "(look for a diverged model or a failed image decode)."
        )


def as_matrix(
    values: ArrayLike, name: str, *, min_rows: int = 2, what: str = "features"
) -> np.ndarray:
    """A finite float64 array of shape (rows, columns) with ``rows >= min_rows``, columns >= 1.

    ``what`` names the columns in the messages ("features", "classes").
    """
    array = _as_real_array(values, name)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (samples, {what}), got shape {array.shape}."
        )
    if array.shape[0] < min_rows or array.shape[1] < 1:
        raise ValueError(
            f"{name} must have at least {min_rows} samples and 1 of the {what}, "
            f"got shape {array.shape}."
        )
    _check_finite(array, name)
    return array


def check_same_dimension(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """``a`` and ``b`` must have the same number of columns (the same feature extractor)."""
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"{name_a} has {a.shape[1]} features per sample but {name_b} has {b.shape[1]}; "
            "both sets must come from the same feature extractor."
        )


def as_probabilities(values: ArrayLike, name: str, *, min_rows: int = 2) -> np.ndarray:
    """A float64 (samples, classes) array of probabilities: finite, >= 0, rows summing to 1.

    Rows must sum to 1 within :data:`PROBABILITY_SUM_ATOL`; they are used as given.
    """
    probabilities = as_matrix(values, name, min_rows=min_rows, what="classes")
    if np.any(probabilities < 0):
        raise ValueError(
            f"{name} has negative values (smallest {probabilities.min():.4g}); probabilities "
            "must be >= 0. If these are logits, use the *_from_logits function."
        )
    sums = probabilities.sum(axis=1)
    worst = int(np.argmax(np.abs(sums - 1.0)))
    if abs(sums[worst] - 1.0) > PROBABILITY_SUM_ATOL:
        raise ValueError(
            f"each row of {name} must sum to 1 (within {PROBABILITY_SUM_ATOL:g}), but row {worst} "
            f"sums to {sums[worst]:.6g}. Pass softmax outputs over all classes, or logits to the "
            "*_from_logits function."
        )
    return probabilities


def as_labels(
    values: ArrayLike, name: str, count: int, *, classes: int | None = None
) -> np.ndarray:
    """An int64 array of ``count`` class indices, shape (count,): integers (not bools), >= 0,
    and < ``classes`` where given. One-hot labels are refused (the message says to argmax them).
    """
    array = np.asarray(values)
    if array.shape != (count,) or array.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must be {count} integer class indices, one per sample, shape ({count},), "
            f"got shape {array.shape} and dtype {array.dtype} (for one-hot labels use "
            "y.argmax(axis=1))."
        )
    labels = array.astype(np.int64)
    if count and (labels.min() < 0 or (classes is not None and labels.max() >= classes)):
        allowed = "class indices >= 0" if classes is None else f"class indices in [0, {classes})"
        raise ValueError(
            f"{name} must be {allowed}, got values from {labels.min()} to {labels.max()}."
        )
    return labels


def as_vector(values: ArrayLike, name: str) -> np.ndarray:
    """A finite, non-empty float64 array of shape (dim,)."""
    array = _as_real_array(values, name)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array (a mean), got shape {array.shape}.")
    _check_finite(array, name)
    return array


def as_covariance(values: ArrayLike, name: str, dim: int, *, rtol: float) -> np.ndarray:
    """A finite symmetric float64 (dim, dim) array; asymmetry beyond ``rtol`` x max|entry| fails.

    Returns the exactly symmetric ``(values + values.T) / 2`` (a round-off-level change).
    Positive semi-definiteness is checked where the matrix is factorised (see ``fid``).
    """
    array = _as_real_array(values, name)
    if array.shape != (dim, dim):
        raise ValueError(
            f"{name} must have shape ({dim}, {dim}) to match the mean of length {dim}, "
            f"got shape {array.shape}."
        )
    _check_finite(array, name)
    asymmetry = float(np.max(np.abs(array - array.T)))
    if asymmetry > rtol * float(np.max(np.abs(array))):
        raise ValueError(
            f"{name} must be symmetric (a covariance matrix), but entries differ from their "
            f"transposes by up to {asymmetry:.3g}."
        )
    return (array + array.T) / 2


def check_seed(seed: Any, name: str = "seed", *, allow_none: bool = False) -> int | None:
    """A non-negative integer seed (or None where ``allow_none``), for ``np.random.default_rng``."""
    if seed is None and allow_none:
        return None
    return check_int(seed, name, minimum=0)
