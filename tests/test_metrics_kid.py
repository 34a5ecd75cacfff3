"""KID: a hand-worked case, a loop reference, behaviour on equal and shifted data, bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gancourse.metrics import kernel_inception_distance, mmd2_unbiased


def _reference_mmd2(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD^2 with k(u, v) = (u.v / d + 1)^3, as explicit sums over pairs."""
    d = x.shape[1]

    def k(u, v):
        return (sum(ui * vi for ui, vi in zip(u, v, strict=True)) / d + 1.0) ** 3

    m, n = len(x), len(y)
    xx = sum(k(x[i], x[j]) for i, j in itertools.permutations(range(m), 2)) / (m * (m - 1))
    yy = sum(k(y[i], y[j]) for i, j in itertools.permutations(range(n), 2)) / (n * (n - 1))
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(n)) / (m * n)
    return xx + yy - 2 * xy


def test_hand_worked_case():
    # d = 1: k(0,1) = 1, k(1,2) = 27, k(0,2) = 1, k(1,1) = 8 -> 1 + 27 - 2 * 37 / 4 = 9.5
    assert mmd2_unbiased([[0.0], [1.0]], [[1.0], [2.0]]) == pytest.approx(9.5, rel=1e-14)


@pytest.mark.parametrize(("m", "n", "d"), [(7, 9, 4), (5, 5, 1), (12, 3, 6)])
def test_mmd2_matches_a_loop_reference(m, n, d):
    rng = np.random.default_rng(m * n * d)
    x, y = rng.normal(size=(m, d)), rng.normal(0.3, 1.2, size=(n, d))
    assert mmd2_unbiased(x, y) == pytest.approx(_reference_mmd2(x, y), rel=1e-12)


def test_kid_subsets_are_seeded_draws_without_replacement():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(15, 3)), rng.normal(0.5, 1.0, size=(11, 3))
    mean, std = kernel_inception_distance(a, b, subsets=4, subset_size=6, seed=7)
    draw = np.random.default_rng(7)
    values = []
    for _ in range(4):
        ia, ib = draw.choice(15, size=6, replace=False), draw.choice(11, size=6, replace=False)
        values.append(_reference_mmd2(a[ia], b[ib]))
    assert (mean, std) == pytest.approx((np.mean(values), np.std(values)), rel=1e-10)


def test_subset_size_is_capped_by_the_smaller_set():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(20, 3)), rng.normal(size=(20, 3))
    # subsets of min(1000, 20, 20) = 20 samples: every subset is the full sets, reordered.
    mean, std = kernel_inception_distance(a, b, subsets=5)
    assert mean == pytest.approx(mmd2_unbiased(a, b), rel=1e-12)
    assert std == pytest.approx(0.0, abs=1e-12)


def test_about_zero_for_one_distribution_and_positive_for_a_shift():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(1500, 16)), rng.normal(size=(1500, 16))
    same_mean, same_std = kernel_inception_distance(a, b, subsets=20, subset_size=500)
    shifted_mean, _ = kernel_inception_distance(a, b + 0.5, subsets=20, subset_size=500)
    assert abs(same_mean) < 3 * same_std + 1e-3
    assert shifted_mean > 100 * abs(same_mean)
    assert shifted_mean > 10 * same_std


def test_seed_reproducibility():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(60, 4)), rng.normal(size=(50, 4))
    first = kernel_inception_distance(a, b, subsets=10, subset_size=20, seed=5)
    assert kernel_inception_distance(a, b, subsets=10, subset_size=20, seed=5) == first
    assert kernel_inception_distance(a, b, subsets=10, subset_size=20, seed=6) != first


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        (np.ones((10, 3)), np.ones((10, 2)), {}, "3 features per sample but features_b has 2"),
        (np.full((10, 3), np.inf), np.ones((10, 3)), {}, "NaN or infinite"),
        (np.ones((10, 3)), np.ones((1, 3)), {}, "at least 2 samples"),
        (np.ones((10, 3)), np.ones((10, 3)), {"subsets": 0}, "subsets must be a positive"),
        (np.ones((10, 3)), np.ones((10, 3)), {"subset_size": 1}, "subset_size must be at least 2"),
        (np.ones((10, 3)), np.ones((10, 3)), {"seed": -1}, "seed"),
    ],
)
def test_bad_input(a, b, kwargs, message):
    with pytest.raises(ValueError, match=message):
        kernel_inception_distance(a, b, **kwargs)
