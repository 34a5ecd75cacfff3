"""Precision/recall and density/coverage: a brute-force reference, chunking, extremes, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from gancourse.metrics import density_coverage, precision_recall


def _kth_radii(features: np.ndarray, k: int) -> np.ndarray:
    distances = cdist(features, features)  # direct differences, not |x|^2 + |y|^2 - 2 x.y
    np.fill_diagonal(distances, np.inf)
    return np.sort(distances, axis=1)[:, k - 1]


def _reference_precision_recall(real, fake, k):
    distances = cdist(real, fake)  # (n_real, n_fake)
    precision = np.mean(np.any(distances <= _kth_radii(real, k)[:, None], axis=0))
    recall = np.mean(np.any(distances <= _kth_radii(fake, k)[None, :], axis=1))
    return precision, recall


def _reference_density_coverage(real, fake, k):
    inside = cdist(real, fake) < _kth_radii(real, k)[:, None]  # fake j inside real ball i
    return inside.sum() / (k * fake.shape[0]), np.mean(inside.any(axis=1))


def test_hand_worked_one_dimensional_case():
    real, fake = np.array([[0.0], [1.0], [3.0]]), np.array([[0.5], [2.5], [6.0]])
    # k = 1: real radii 1, 1, 2; fake radii 2, 2, 3.5. 6 lies in no real ball: precision 2/3.
    assert precision_recall(real, fake, k=1) == pytest.approx((2 / 3, 1.0))
    # 0.5 lies in two real balls, 2.5 in one, 6 in none: density (2 + 1 + 0) / 3.
    assert density_coverage(real, fake, k=1) == pytest.approx((1.0, 1.0))


def test_ball_boundaries_follow_each_paper():
    # Integer points, so every squared distance is exact. k = 1: each real ball has radius 2.
    real, fake = np.array([[0.0], [2.0], [4.0]]), np.array([[1.0], [6.0], [10.0]])
    # 6 lies on the boundary of the ball around 4: inside for precision (<=, Kynkaanniemi et
    # al.'s code), outside for density and coverage (<, Naeem et al.'s code).
    assert precision_recall(real, fake, k=1) == pytest.approx((2 / 3, 1.0))
    assert density_coverage(real, fake, k=1) == pytest.approx((2 / 3, 2 / 3))


@pytest.mark.parametrize(
    ("n_real", "n_fake", "dim", "k"), [(80, 60, 5, 3), (50, 90, 2, 1), (40, 40, 20, 5)]
)
def test_match_a_brute_force_reference(n_real, n_fake, dim, k):
    rng = np.random.default_rng(n_real + dim)
    real = rng.normal(size=(n_real, dim)) + 5.0  # away from the origin: tests the centring
    fake = rng.normal(0.4, 1.3, size=(n_fake, dim)) + 5.0
    expected_pr = _reference_precision_recall(real, fake, k)
    expected_dc = _reference_density_coverage(real, fake, k)
    assert 0 < expected_pr[0] < 1 and 0 < expected_pr[1] < 1  # a case that can fail
    assert precision_recall(real, fake, k=k) == pytest.approx(expected_pr, abs=1e-15)
    assert density_coverage(real, fake, k=k) == pytest.approx(expected_dc, abs=1e-15)


@pytest.mark.parametrize("chunk_size", [1, 7, 64, 10_000])
def test_chunk_size_does_not_change_results(chunk_size):
    rng = np.random.default_rng(4)
    real, fake = rng.normal(size=(130, 8)), rng.normal(0.3, 1.0, size=(70, 8))
    assert precision_recall(real, fake, chunk_size=chunk_size) == precision_recall(real, fake)
    assert density_coverage(real, fake, chunk_size=chunk_size) == density_coverage(real, fake)


def test_identical_sets_are_fully_precise_recalled_and_covered():
    features = np.random.default_rng(5).normal(size=(100, 6))
    assert precision_recall(features, features.copy()) == (1.0, 1.0)
    assert density_coverage(features, features.copy()).coverage == 1.0


def test_far_apart_sets_score_zero():
    rng = np.random.default_rng(6)
    real, fake = rng.normal(size=(50, 4)), rng.normal(size=(40, 4)) + 100.0
    assert precision_recall(real, fake) == (0.0, 0.0)
    assert density_coverage(real, fake) == (0.0, 0.0)


def test_results_are_named():
    rng = np.random.default_rng(7)
    real, fake = rng.normal(size=(30, 2)), rng.normal(size=(30, 2))
    result = precision_recall(real, fake)
    assert (result.precision, result.recall) == tuple(result)
    result = density_coverage(real, fake)
    assert (result.density, result.coverage) == tuple(result)


@pytest.mark.parametrize(
    ("real", "fake", "kwargs", "message"),
    [
        (np.ones((10, 3)), np.ones((10, 4)), {}, "3 features per sample but fake_features has 4"),
        (np.full((10, 3), np.nan), np.ones((10, 3)), {}, "real_features contains 30 NaN"),
        (np.ones((10, 3)), np.ones((1, 3)), {}, "at least 2 samples"),
        (np.ones((3, 3)), np.ones((10, 3)), {}, "k=3 needs more than k real samples"),
        (np.ones((10, 3)), np.ones((3, 3)), {}, "k=3 needs more than k fake samples"),
        (np.ones((10, 3)), np.ones((10, 3)), {"k": 0}, "k must be a positive"),
        (np.ones((10, 3)), np.ones((10, 3)), {"chunk_size": 0}, "chunk_size must be a positive"),
    ],
)
def test_bad_input_precision_recall(real, fake, kwargs, message):
    with pytest.raises(ValueError, match=message):
        precision_recall(real, fake, **kwargs)


def test_density_coverage_needs_k_real_neighbours_only():
    rng = np.random.default_rng(8)
    density_coverage(rng.normal(size=(10, 2)), rng.normal(size=(3, 2)))  # 3 fake, k=5: fine
    with pytest.raises(ValueError, match="k=5 needs more than k real samples"):
        density_coverage(rng.normal(size=(5, 2)), rng.normal(size=(30, 2)))
