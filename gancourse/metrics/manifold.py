"""k-nearest-neighbour manifold metrics: precision/recall and density/coverage.

Each set of features stands for a manifold: the union of balls around its points, each ball
reaching to that point's k-th nearest neighbour in the same set (the point itself not counted).

- Precision / recall (Kynkaanniemi et al. 2019, https://arxiv.org/abs/1904.06991, k = 3):
  precision is the share of fake samples inside the real manifold (quality), recall the share of
  real samples inside the fake manifold (diversity). A point on a ball's boundary counts as
  inside (``<=``, as in the paper's code).
- Density / coverage (Naeem et al. 2020, https://arxiv.org/abs/2002.09797, k = 5): density is
  how many real balls contain a fake sample, on average, divided by k (about 1 when the two
  distributions match; it can exceed 1); coverage is the share of real balls that contain at
  least one fake sample. Strict ``<``, as in the paper's code. Both use only the real manifold,
  so they are robust to outliers among the fake samples.

Distances are computed ``chunk_size`` rows at a time (never the full n x m matrix), as squared
Euclidean distances ``|x|^2 + |y|^2 - 2 x.y`` in float64 on features centred on the real mean
(which leaves distances unchanged and limits cancellation).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ..validation import as_matrix, check_positive, check_same_dimension

__all__ = ["DensityCoverage", "PrecisionRecall", "density_coverage", "precision_recall"]

# Rows of distances computed at once: a block is chunk_size x (other set's size) float64, so
# 512 rows against 50,000 samples take 205 MB.
DEFAULT_CHUNK_SIZE = 512


class PrecisionRecall(NamedTuple):
    """Precision and recall, each in [0, 1]."""

    precision: float
    recall: float


class DensityCoverage(NamedTuple):
    """Density (>= 0, about 1 for matching distributions) and coverage (in [0, 1])."""

    density: float
    coverage: float


def _squared_distance_blocks(
    rows: np.ndarray, columns: np.ndarray, chunk_size: int
) -> Iterator[tuple[slice, np.ndarray]]:
    """Yield ``(part, block)``: block[i, j] = |rows[part][i] - columns[j]|^2, chunk_size rows."""
    row_norms = np.einsum("ij,ij->i", rows, rows)
    column_norms = np.einsum("ij,ij->i", columns, columns)
    for start in range(0, rows.shape[0], chunk_size):
        part = slice(start, start + chunk_size)
        block = rows[part] @ columns.T  # (chunk, n_columns)
        block *= -2.0
        block += row_norms[part, None]
        block += column_norms[None, :]
        np.maximum(block, 0.0, out=block)  # round-off can give tiny negatives
        yield part, block


def _kth_neighbour_radii(features: np.ndarray, k: int, chunk_size: int) -> np.ndarray:
    """(n,) squared distance from each point to its k-th nearest other point of the same set."""
    radii = np.empty(features.shape[0])
    for part, block in _squared_distance_blocks(features, features, chunk_size):
        rows = np.arange(block.shape[0])
        block[rows, part.start + rows] = np.inf  # a point is not its own neighbour
        radii[part] = np.partition(block, k - 1, axis=1)[:, k - 1]
    return radii


def _prepare(
    real_features: ArrayLike, fake_features: ArrayLike, k: int, chunk_size: int, fake_k: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Validated float64 (real, fake), both centred on the real mean.

    ``fake_k``: the fake set needs k neighbours too (precision/recall, not density/coverage).
    """
    check_positive(k=k, chunk_size=chunk_size)
    real = as_matrix(real_features, "real_features")
    fake = as_matrix(fake_features, "fake_features")
    check_same_dimension(real, fake, "real_features", "fake_features")
    with_k_neighbours = [("real", real), ("fake", fake)] if fake_k else [("real", real)]
    for name, features in with_k_neighbours:
        if k >= features.shape[0]:
            raise ValueError(
                f"k={k} needs more than k {name} samples (a k-th neighbour other than the "
                f"point itself), got {features.shape[0]}."
            )
    center = real.mean(axis=0)
    return real - center, fake - center


def precision_recall(
    real_features: ArrayLike,
    fake_features: ArrayLike,
    *,
    k: int = 3,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> PrecisionRecall:
    """Improved precision and recall (Kynkaanniemi et al. 2019).

    Args:
        real_features, fake_features: (n_real, d) and (n_fake, d) finite real arrays, each with
            more than k samples.
        k: the neighbour that sets each ball's radius (3 in the paper).
        chunk_size: rows of distances computed at once (memory, not results).

    Returns:
        ``PrecisionRecall(precision, recall)``, floats in [0, 1].
    """
    real, fake = _prepare(real_features, fake_features, k, chunk_size, fake_k=True)
    real_radii = _kth_neighbour_radii(real, k, chunk_size)
    fake_radii = _kth_neighbour_radii(fake, k, chunk_size)
    fake_in_real = np.zeros(fake.shape[0], dtype=bool)
    real_in_fake = np.zeros(real.shape[0], dtype=bool)
    for part, block in _squared_distance_blocks(real, fake, chunk_size):  # (chunk, n_fake)
        fake_in_real |= np.any(block <= real_radii[part, None], axis=0)
        real_in_fake[part] = np.any(block <= fake_radii[None, :], axis=1)
    return PrecisionRecall(float(np.mean(fake_in_real)), float(np.mean(real_in_fake)))


def density_coverage(
    real_features: ArrayLike,
    fake_features: ArrayLike,
    *,
    k: int = 5,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> DensityCoverage:
    """Density and coverage (Naeem et al. 2020).

    Args:
        real_features, fake_features: (n_real, d) and (n_fake, d) finite real arrays; more than
            k real samples, at least 2 fake ones.
        k: the neighbour that sets each real ball's radius (5 in the paper).
        chunk_size: rows of distances computed at once (memory, not results).

    Returns:
        ``DensityCoverage(density, coverage)``: density >= 0, coverage in [0, 1].
    """
    real, fake = _prepare(real_features, fake_features, k, chunk_size, fake_k=False)
    real_radii = _kth_neighbour_radii(real, k, chunk_size)
    balls_containing = np.zeros(fake.shape[0])  # per fake sample: how many real balls hold it
    covered = np.zeros(real.shape[0], dtype=bool)  # per real ball: holds some fake sample
    for part, block in _squared_distance_blocks(real, fake, chunk_size):  # (chunk, n_fake)
        inside = block < real_radii[part, None]
        balls_containing += inside.sum(axis=0)
        covered[part] = inside.any(axis=1)
    density = float(np.sum(balls_containing) / (k * fake.shape[0]))
    return DensityCoverage(density, float(np.mean(covered)))
