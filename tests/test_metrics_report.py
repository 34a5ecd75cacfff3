"""ImageEvaluator (every metric at once) and the copy checks (memorisation)."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse import metrics


@pytest.fixture(scope="module")
def evaluator(mnist):
    return metrics.ImageEvaluator(mnist.x_test[:300], kid_subsets=20, seed=5)


def test_evaluator_gives_what_each_metric_gives_on_its_own(mnist, evaluator) -> None:
    images = mnist.x_train[:200]
    scores = evaluator.evaluate(images)
    assert list(scores) == list(metrics.METRICS)
    digits = metrics.DigitFeatures()
    real = digits.features(mnist.x_test[:300])
    features, probabilities = digits.features_and_probabilities(images)
    np.testing.assert_allclose(evaluator.reference_features, real)
    assert scores["FID"] == pytest.approx(metrics.frechet_distance(real, features))
    kid = metrics.kernel_inception_distance(real, features, subsets=20, subset_size=150, seed=5)
    assert scores["KID"] == pytest.approx(kid[0])  # default subset size: half the reference
    assert (scores["precision"], scores["recall"]) == pytest.approx(
        tuple(metrics.precision_recall(real, features))
    )
    assert (scores["density"], scores["coverage"]) == pytest.approx(
        tuple(metrics.density_coverage(real, features))
    )
    assert scores["IS"] == pytest.approx(metrics.inception_score(probabilities)[0])
    assert scores["confident"] == pytest.approx(metrics.confident_share(probabilities))


def test_evaluator_reads_float_images_in_the_range_it_is_told(mnist, evaluator) -> None:
    as_uint8 = evaluator.evaluate(mnist.x_train[:200])
    as_float = evaluator.evaluate(mnist.x_train[:200] / np.float32(255), value_range=(0, 1))
    assert as_float["FID"] == pytest.approx(as_uint8["FID"], rel=1e-5)
    with pytest.raises(ValueError, match="value_range"):  # floats 0..255, default range (-1, 1)
        evaluator.evaluate(mnist.x_train[:200].astype(np.float32))


def test_evaluator_needs_enough_reference_images(mnist) -> None:
    with pytest.raises(ValueError, match="at least 10 images"):
        metrics.ImageEvaluator(mnist.x_test[:5])
    with pytest.raises(ValueError, match="kid_subsets must be a positive integer"):
        metrics.ImageEvaluator(mnist.x_test[:20], kid_subsets=0)


def test_copy_ratio_is_zero_for_copies_and_about_one_for_new_digits(mnist) -> None:
    train, test = mnist.x_train, mnist.x_test
    assert metrics.copy_ratio(train[:100], train, test[:200]) == pytest.approx(0.0, abs=1e-6)
    assert metrics.copy_ratio(test[:200], train, test[:200]) == pytest.approx(1.0)
    new = metrics.copy_ratio(test[200:400], train, test[:200])
    assert 0.85 < new < 1.15  # other held-out digits: as far from the training set
    # Copies with a little noise are still much closer than new digits.
    noisy = np.clip(
        train[:100] / 255.0 + np.random.default_rng(0).normal(0, 0.02, (100, 28, 28)), 0, 1
    )
    assert metrics.copy_ratio(noisy, train, test[:200], value_range=(0, 1)) < 0.3


def test_copy_share_catches_partial_copying_that_the_median_ratio_misses(mnist) -> None:
    train, test = mnist.x_train, mnist.x_test
    new = test[200:400]  # real digits no model saw
    for copied in (0, 40, 100, 200):
        images = np.concatenate([train[:copied], new[copied:]])  # a share of exact copies
        share = metrics.copy_share(images, train, test[:200])
        assert share == pytest.approx(copied / 200, abs=0.03)  # about 1% of new digits count
    fifth = np.concatenate([train[:40], new[40:]])
    assert metrics.copy_ratio(fifth, train, test[:200]) > 0.85  # the median barely moves
    with pytest.raises(ValueError, match=r"quantile must be in \(0, 0.5\)"):
        metrics.copy_share(new, train, test[:200], quantile=0.0)


def test_copy_checks_refuse_a_held_out_set_taken_from_the_training_set(mnist) -> None:
    train = mnist.x_train
    for check in (metrics.copy_ratio, metrics.copy_share):
        with pytest.raises(ValueError, match="held_out images are also in training"):
            check(mnist.x_test[:50], train, train[:50])


def test_nearest_training_distances_match_brute_force(mnist) -> None:
    train = mnist.x_train[:300]
    images = mnist.x_test[:20]
    found = metrics.nearest_training_distances(images, train)
    a = images.reshape(20, -1) / 255.0
    b = train.reshape(300, -1) / 255.0
    brute = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)).min(axis=1)
    np.testing.assert_allclose(found, brute, rtol=1e-6)


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((5, 14, 14), np.float32), "196 pixels each but training images"),
        (np.zeros((5, 784), np.float32), "must be images shaped"),
        (np.full((5, 28, 28), np.nan), "NaN"),
        (np.full((5, 28, 28), 2.0), "value_range"),
    ],
)
def test_copy_checks_refuse_bad_images(mnist, images, message) -> None:
    with pytest.raises(ValueError, match=message):
        metrics.nearest_training_distances(images, mnist.x_train[:50], value_range=(0, 1))
