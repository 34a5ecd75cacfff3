"""Stacked MNIST: the data, the mode count and KL on hand-made label sets with known answers, the
channels read by the shipped classifier, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gancourse.metrics.stacked_mnist import (
    PAPER_SAMPLE_COUNT,
    STACKED_MODES,
    stacked_channel_labels,
    stacked_mode_score,
)
from gancourse.stacked_mnist import TRAINING_SIZE, stack_digits


def _every_triple() -> np.ndarray:
    """(1000, 3): each digit triple once, in mode order."""
    return np.array([(a, b, c) for a in range(10) for b in range(10) for c in range(10)])


def test_the_papers_sizes():
    assert (PAPER_SAMPLE_COUNT, TRAINING_SIZE, STACKED_MODES) == (26_000, 25_600, 1000)


def test_one_triple_everywhere_is_full_collapse():
    score = stacked_mode_score(np.tile([7, 0, 3], (50, 1)))
    assert score.modes_captured == 1
    assert score.reverse_kl == pytest.approx(math.log(1000))
    assert score.counts[703] == 50 and score.counts.sum() == 50  # mode 100 a + 10 b + c
    np.testing.assert_array_equal(score.channel_shares[:, 7], [1, 0, 0])
    np.testing.assert_array_equal(score.channel_shares[:, 3], [0, 0, 1])


def test_the_channel_order_sets_the_mode():
    score = stacked_mode_score([[1, 2, 3]])
    assert score.counts[123] == 1 and score.counts[321] == 0


def test_every_triple_equally_often_is_zero_kl():
    score = stacked_mode_score(np.tile(_every_triple(), (3, 1)))
    assert score.modes_captured == 1000 and score.samples == 3000
    assert score.reverse_kl == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(score.channel_shares, 0.1)


def test_half_the_triples_is_log_two():
    triples = _every_triple()
    score = stacked_mode_score(triples[triples[:, 0] < 5])  # first digit 0..4 only
    assert score.modes_captured == 500
    assert score.reverse_kl == pytest.approx(math.log(2))


def test_uneven_counts_match_the_formula():
    labels = np.array([[0, 0, 0]] * 3 + [[9, 9, 9]])  # p = (3/4, 1/4) on two modes
    expected = 0.75 * math.log(0.75 * 1000) + 0.25 * math.log(0.25 * 1000)
    assert stacked_mode_score(labels).reverse_kl == pytest.approx(expected)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.zeros((5, 2), dtype=int), "shape"),
        (np.zeros((5, 3, 1), dtype=int), "shape"),
        (np.zeros((0, 3), dtype=int), "n >= 1"),
        (np.zeros(3, dtype=int), "shape"),
        (np.full((2, 3), 10), r"\[0, 10\)"),
        (np.full((2, 3), -1), r"\[0, 10\)"),
        (np.full((2, 3), 1.0), "integer"),
        (np.full((2, 3), np.nan), "integer"),
    ],
)
def test_bad_labels_are_refused(labels, message):
    with pytest.raises(ValueError, match=message):
        stacked_mode_score(labels)


def test_stack_digits_draws_each_channel_from_the_digits(mnist):
    stacked, digits = stack_digits(mnist.x_test, mnist.y_test, 200, np.random.default_rng(3))
    assert stacked.shape == (200, 28, 28, 3) and stacked.dtype == np.uint8
    assert digits.shape == (200, 3) and digits.dtype == np.int64
    for channel in range(3):  # every channel is one of the given images, with its label
        matches = (stacked[:, None, :, :, channel] == mnist.x_test[None]).all(axis=(2, 3))
        assert matches.any(axis=1).all()
        first = matches.argmax(axis=1)
        np.testing.assert_array_equal(mnist.y_test[first], digits[:, channel])
    assert len(np.unique(digits @ [100, 10, 1])) > 150  # independent channels: many triples
    again, _ = stack_digits(mnist.x_test, mnist.y_test, 200, np.random.default_rng(3))
    np.testing.assert_array_equal(stacked, again)


@pytest.mark.parametrize(
    ("images", "labels", "message"),
    [
        (np.zeros((4, 28, 28), np.float32), np.zeros(4, int), "uint8"),
        (np.zeros((4, 28, 28, 1), np.uint8), np.zeros(4, int), r"\(N, 28, 28\)"),
        (np.zeros((0, 28, 28), np.uint8), np.zeros(0, int), "N >= 1"),
        (np.zeros((4, 28, 28), np.uint8), np.zeros(3, int), "one per image"),
        (np.zeros((4, 28, 28), np.uint8), np.zeros(4), "integer"),
    ],
)
def test_stack_digits_refuses_bad_input(images, labels, message):
    with pytest.raises(ValueError, match=message):
        stack_digits(images, labels, 5, np.random.default_rng(0))


def test_the_classifier_reads_each_channel_in_order(mnist):
    stacked, digits = stack_digits(mnist.x_test, mnist.y_test, 300, np.random.default_rng(0))
    read = stacked_channel_labels(stacked)
    assert read.shape == (300, 3) and read.dtype == np.int64
    assert (read == digits).mean(axis=0).min() > 0.9  # the shipped classifier, per channel
    swapped = stacked_channel_labels(stacked[..., ::-1])  # channels reversed: labels reversed
    np.testing.assert_array_equal(swapped, read[:, ::-1])
    as_floats = stacked_channel_labels(stacked / 127.5 - 1, value_range=(-1, 1))
    assert (as_floats == read).mean() > 0.99


@pytest.mark.parametrize("shape", [(4, 28, 28), (4, 28, 28, 1), (4, 28, 28, 6), (0, 28, 28, 3)])
def test_the_classifier_refuses_images_that_are_not_stacked(shape):
    with pytest.raises(ValueError, match=r"\(n, 28, 28, 3\)"):
        stacked_channel_labels(np.zeros(shape, np.uint8))


def test_float_images_need_their_range(mnist):
    stacked, _ = stack_digits(mnist.x_test, mnist.y_test, 4, np.random.default_rng(0))
    with pytest.raises(ValueError, match="value_range"):
        stacked_channel_labels(stacked / 127.5 - 1)
