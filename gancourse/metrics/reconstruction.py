"""How far a reconstruction is from its original."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def reconstruction_error(x: ArrayLike, x_hat: ArrayLike) -> np.ndarray:
    """Mean squared error per image: ``mean((x - x_hat) ** 2)`` over all axes but the first.

    Args:
        x, x_hat: arrays of the same shape (batch, ...) in the same value range.

    Returns:
        float64 array of shape (batch,); average it for a data-set figure.
    """
    x = np.asarray(x, dtype=np.float64)
    x_hat = np.asarray(x_hat, dtype=np.float64)
    if x.shape != x_hat.shape:
        raise ValueError(
            f"x has shape {x.shape} but x_hat has shape {x_hat.shape}; they must match."
        )
    if x.ndim < 2 or x.shape[0] == 0:
        raise ValueError(f"expected a non-empty batch of shape (batch, ...), got shape {x.shape}.")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(x_hat))):
        raise ValueError("x or x_hat contains NaN or infinity.")
    return np.mean((x - x_hat) ** 2, axis=tuple(range(1, x.ndim)))
