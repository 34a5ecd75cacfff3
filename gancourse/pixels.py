"""Pixel ranges: uint8 0..255 <-> floats in a model's range, with one rule for every direction.

The rule: float images always come with the range they are in (``value_range``; there is no
default for reading floats), and a value outside that range is an error, never clipped. Only
round-off (at most :data:`ROUND_OFF` of the range's width beyond an end, e.g. 255 scaled to
1.0000001) is absorbed. uint8 images are read as 0..255.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .validation import check_range

__all__ = ["ROUND_OFF", "to_float", "to_uint8", "to_unit_range"]

ROUND_OFF = 1e-5  # of the range's width: float32 arithmetic, not a model's overshoot


def to_float(images: Any, value_range: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    """uint8 pixels 0..255 (any shape) -> float32 scaled linearly so 0 -> low and 255 -> high.

    The default ``(-1, 1)`` matches a ``tanh`` generator output; use ``(0, 1)`` for a sigmoid.

    Raises:
        TypeError: the images are not uint8.
    """
    array = np.asarray(images)
    if array.dtype != np.uint8:
        raise TypeError(
            f"to_float expects uint8 images with values 0..255, got dtype {array.dtype}. "
            "Pass the raw uint8 images (for example dataset.x_train)."
        )
    low, high = check_range(value_range)
    scaled = array.astype(np.float32)  # (..., ) float32 in 0..255
    scaled *= np.float32((high - low) / 255.0)
    scaled += np.float32(low)
    return scaled


def _check_in_range(array: np.ndarray, low: float, high: float, where: str) -> None:
    """Finite values in [low, high] (round-off beyond an end allowed), or a clear error."""
    finite = np.isfinite(array)
    if not finite.all():
        raise ValueError(
            f"{where} contain {int(array.size - finite.sum()):,} NaN or infinite values; "
            "expected finite pixel values. Check the model's output."
        )
    seen_low, seen_high = float(array.min()), float(array.max())
    slack = ROUND_OFF * (high - low)
    if seen_low < low - slack or seen_high > high + slack:
        raise ValueError(
            f"Expected float images in value_range=({low:g}, {high:g}), but {where} hold values "
            f"from {seen_low:g} to {seen_high:g}. Pass the range they are in (for example "
            "(0, 255) for pixel values, (0, 1) for a sigmoid output, (-1, 1) for tanh); nothing "
            "is clipped for you."
        )


def _as_float_images(images: Any, value_range: Any, where: str) -> tuple[np.ndarray, float, float]:
    """Real-valued ``images`` as a float array (float32 or wider) and the checked range."""
    array = np.asarray(images)
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise TypeError(f"{where} must hold real numbers, got dtype {array.dtype}.")
    if value_range is None:
        raise ValueError(
            f"{where} are {array.dtype}, not uint8: pass value_range=(low, high), the range they "
            "are in, e.g. (-1, 1) for a tanh output or (0, 1) for a sigmoid output."
        )
    low, high = check_range(value_range)
    array = array.astype(np.result_type(array.dtype, np.float32), copy=False)
    if array.size:
        _check_in_range(array, low, high, where)
    return array, low, high


def to_uint8(images: Any, value_range: tuple[float, float], name: str = "the images") -> np.ndarray:
    """Float images in ``value_range`` (any shape; NumPy array or tensor) -> uint8 0..255.

    The inverse of :func:`to_float`: values are scaled linearly so ``low`` -> 0 and ``high`` ->
    255, rounded to the nearest integer (``high`` never wraps round to 0). ``name`` names the
    images in errors.

    Raises:
        TypeError: not real numbers.
        ValueError: no ``value_range``, NaN or infinite values, or values outside
            ``value_range`` (for example 0..255 floats passed with ``value_range=(-1, 1)``).
    """
    array, low, high = _as_float_images(images, value_range, name)
    scaled = array - low  # a new array: the caller's images are left alone
    scaled *= 255.0 / (high - low)
    np.rint(scaled, out=scaled)
    np.clip(scaled, 0, 255, out=scaled)  # round-off only: the range was checked above
    return scaled.astype(np.uint8)


def to_unit_range(
    images: Any, value_range: tuple[float, float] | None, where: str = "the images"
) -> np.ndarray:
    """uint8 0..255 (``value_range`` None or (0, 255)) or floats in ``value_range`` -> float32
    in [0, 1], the input of the metrics' feature networks. ``where`` names the images in errors.
    """
    array = np.asarray(images)
    if array.dtype == np.uint8:
        if value_range is not None and check_range(value_range) != (0.0, 255.0):
            raise ValueError(
                f"uint8 images are read as 0..255, but value_range={value_range!r} was given. "
                "Leave value_range out for uint8 images; it describes float images."
            )
        return array.astype(np.float32) / np.float32(255.0)
    if not np.issubdtype(array.dtype, np.floating):
        raise TypeError(
            f"Expected uint8 images (0..255) or float images in value_range; {where} have dtype "
            f"{array.dtype}. Convert integer pixels with .astype(np.uint8) first."
        )
    array, low, high = _as_float_images(array, value_range, where)
    scaled = (array.astype(np.float64) - low) / (high - low)
    return np.clip(scaled, 0.0, 1.0).astype(np.float32)  # round-off only
