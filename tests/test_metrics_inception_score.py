"""Inception Score: closed forms, a loop reference, the logits route, splits, and bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.special

from gancourse.metrics import inception_score, inception_score_from_logits


def _reference_split_score(p: np.ndarray) -> float:
    """exp(mean_x sum_y p(y|x) log(p(y|x) / p(y))), written as loops; 0 log 0 terms skipped."""
    classes = p.shape[1]
    marginal = [sum(row[y] for row in p) / len(p) for y in range(classes)]
    kls = [
        sum(row[y] * math.log(row[y] / marginal[y]) for y in range(classes) if row[y] > 0)
        for row in p
    ]
    return math.exp(sum(kls) / len(kls))


def _random_probabilities(rng: np.random.Generator, n: int, classes: int) -> np.ndarray:
    p = rng.dirichlet(np.full(classes, 0.3), size=n)
    p[rng.uniform(size=p.shape) < 0.2] = 0.0  # exact zeros, as float32 softmax underflow gives
    p[:, 0] += 1e-3  # no all-zero row
    return p / p.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("classes", [2, 7, 10])
def test_confident_and_uniform_over_classes_gives_the_number_of_classes(classes):
    one_hot = np.tile(np.eye(classes), (3 * 10, 1))  # every split holds each class 3 times
    mean, std = inception_score(one_hot)
    assert mean == pytest.approx(classes, rel=1e-12)
    assert std == pytest.approx(0.0, abs=1e-12)


def test_identical_rows_give_one():
    row = np.array([0.5, 0.2, 0.3, 0.0])
    mean, std = inception_score(np.tile(row, (40, 1)))
    assert (mean, std) == pytest.approx((1.0, 0.0), abs=1e-12)


def test_zero_probabilities_do_not_give_nan():
    p = np.zeros((20, 5))
    p[:10, 0] = 1.0
    p[10:, 1] = 1.0  # classes 2..4 never predicted: log p(y) would be log 0
    mean, std = inception_score(p, splits=1)
    assert np.isfinite(mean) and np.isfinite(std)
    assert mean == pytest.approx(2.0, rel=1e-12)


@pytest.mark.parametrize("splits", [1, 3, 10])
def test_matches_a_loop_reference_with_contiguous_splits(splits):
    p = _random_probabilities(np.random.default_rng(0), 95, 6)
    bounds = [k * 95 // splits for k in range(splits + 1)]
    scores = [_reference_split_score(p[lo:hi]) for lo, hi in itertools.pairwise(bounds)]
    mean, std = inception_score(p, splits=splits)
    assert mean == pytest.approx(np.mean(scores), rel=1e-12)
    assert std == pytest.approx(np.std(scores), rel=1e-9, abs=1e-12)
    assert 1.0 <= mean <= 6.0


def test_splits_are_contiguous_and_shuffling_is_seeded():
    p = np.zeros((40, 2))
    p[:20, 0] = p[20:, 1] = 1.0  # first half class 0, second half class 1
    assert inception_score(p, splits=1) == pytest.approx((2.0, 0.0))
    assert inception_score(p, splits=2) == pytest.approx((1.0, 0.0))  # one class per split
    shuffled = inception_score(p, splits=2, shuffle_seed=0)
    assert 1.0 < shuffled[0] <= 2.0
    assert inception_score(p, splits=2, shuffle_seed=0) == shuffled
    assert inception_score(p, splits=1, shuffle_seed=0) == pytest.approx((2.0, 0.0))


def test_std_is_over_splits():
    p = np.zeros((40, 2))
    p[:20:2, 0] = p[1:20:2, 1] = 1.0  # first split: both classes, IS 2
    p[20:] = [0.5, 0.5]  # second split: identical rows, IS 1
    assert inception_score(p, splits=2) == pytest.approx((1.5, 0.5), rel=1e-12)


def test_logits_route_matches_probabilities_and_survives_extreme_logits():
    rng = np.random.default_rng(1)
    logits = rng.normal(scale=3.0, size=(60, 10))
    expected = inception_score(scipy.special.softmax(logits, axis=1), splits=3)
    assert inception_score_from_logits(logits, splits=3) == pytest.approx(expected, rel=1e-12)
    extreme = np.tile(np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]), (10, 1))
    assert inception_score_from_logits(extreme, splits=2) == pytest.approx((2.0, 0.0))
    assert inception_score_from_logits(logits.astype(np.float32), splits=3)[0] == pytest.approx(
        expected[0], rel=1e-5
    )


@pytest.mark.parametrize(
    ("probabilities", "kwargs", "message"),
    [
        (np.full((20, 4), 0.3), {}, "must sum to 1"),
        (np.array([[2.0, -1.0]] * 20), {}, "negative values.*logits"),
        (np.full((20, 2), np.nan), {}, "NaN"),
        (np.full(20, 0.5), {}, "2-D array"),
        (np.ones((1, 1)), {"splits": 1}, "at least 2 samples"),
        (np.full((19, 2), 0.5), {}, "19 samples cannot fill 10 splits"),
        (np.full((20, 2), 0.5), {"splits": 0}, "splits must be an integer >= 1"),
        (np.full((20, 2), 0.5), {"shuffle_seed": -3}, "shuffle_seed"),
    ],
)
def test_bad_input(probabilities, kwargs, message):
    with pytest.raises(ValueError, match=message):
        inception_score(probabilities, **kwargs)


def test_bad_logits():
    logits = np.zeros((20, 3))
    logits[5, 1] = np.nan
    with pytest.raises(ValueError, match="logits contains 1 NaN"):
        inception_score_from_logits(logits)
