"""Kernel Inception Distance (Binkowski et al. 2018, https://arxiv.org/abs/1801.01401).

KID is the squared maximum mean discrepancy (MMD^2) between two sets of features under the
cubic polynomial kernel

    k(x, y) = (x . y / d + 1)^3        (d = feature dimension)

estimated without bias (U-statistic: the diagonal terms k(x_i, x_i) are left out):

    MMD^2 = sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (n (n - 1))
            - 2 sum_{i, j} k(x_i, y_j) / (m n)

Unbiased means it can come out slightly negative when the two distributions are equal: that is
expected, and nothing is clipped. KID is averaged over random subsets, as in the paper; it is
often reported x 1000 or x 100 in papers, this module returns the plain value.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..validation import as_matrix, check_positive, check_same_dimension, check_seed

__all__ = ["kernel_inception_distance", "mmd2_unbiased"]


def _polynomial_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(m, n) matrix of k(x_i, y_j) = (x_i . y_j / d + 1)^3 for x (m, d) and y (n, d)."""
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def _mean_off_diagonal(kernel: np.ndarray) -> float:
    m = kernel.shape[0]
    return float((kernel.sum() - np.trace(kernel)) / (m * (m - 1)))


def _mmd2(x: np.ndarray, y: np.ndarray) -> float:
    return (
        _mean_off_diagonal(_polynomial_kernel(x, x))
        + _mean_off_diagonal(_polynomial_kernel(y, y))
        - 2.0 * float(np.mean(_polynomial_kernel(x, y)))
    )


def _validated_pair(features_a: ArrayLike, features_b: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    a = as_matrix(features_a, "features_a")
    b = as_matrix(features_b, "features_b")
    check_same_dimension(a, b, "features_a", "features_b")
    return a, b


def mmd2_unbiased(features_a: ArrayLike, features_b: ArrayLike) -> float:
    """Unbiased MMD^2 with the cubic polynomial kernel, on all samples (one KID "subset").

    Args:
        features_a, features_b: (m, d) and (n, d) finite real arrays, m, n >= 2 (m may differ
            from n).

    Returns:
        MMD^2 as a float; about 0 (possibly slightly negative) for equal distributions.
    """
    return _mmd2(*_validated_pair(features_a, features_b))


def kernel_inception_distance(
    features_a: ArrayLike,
    features_b: ArrayLike,
    *,
    subsets: int = 100,
    subset_size: int = 1000,
    seed: int = 0,
) -> tuple[float, float]:
    """KID: unbiased MMD^2 averaged over random subsets (the paper's 100 subsets of 1,000).

    Each subset takes ``m = min(subset_size, n_a, n_b)`` samples from each set, without
    replacement within the subset; subsets are drawn independently, from a generator seeded
    with ``seed`` (same seed, same result).

    Args:
        features_a, features_b: (n_a, d) and (n_b, d) finite real arrays, n_a, n_b >= 2.
        subsets: how many subsets to average over.
        subset_size: the largest subset size.
        seed: non-negative integer seed for the subsets.

    Returns:
        ``(mean, std)`` of MMD^2 over the subsets (std with ddof=0), floats.
    """
    check_positive(subsets=subsets, subset_size=subset_size)
    a, b = _validated_pair(features_a, features_b)
    m = min(subset_size, a.shape[0], b.shape[0])
    if m < 2:
        raise ValueError(f"subset_size must be at least 2 (the estimator needs pairs), got {m}.")
    rng = np.random.default_rng(check_seed(seed))
    values = np.array(
        [
            _mmd2(
                a[rng.choice(a.shape[0], size=m, replace=False)],
                b[rng.choice(b.shape[0], size=m, replace=False)],
            )
            for _ in range(subsets)
        ]
    )
    return float(np.mean(values)), float(np.std(values))
