"""Modes captured, high-quality share and reverse KL on a known Gaussian mixture: hand-made
sample sets with known answers, a brute-force reference on random data, bad input."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from gancourse import toy_data
from gancourse.metrics import MixtureScore, mixture_score, nearest_modes
from gancourse.metrics.mixture import PAPER_SAMPLE_COUNT

# Four modes on a square of side 2, std 0.1: high quality means closer than 0.3 to a centre.
SQUARE = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]])
STD = 0.1


def _reference(samples, centres, std, threshold=3.0, min_count=1):
    """Brute force: every sample-centre distance at once, then the papers' definitions."""
    distances = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)  # (n, modes)
    nearest = distances.argmin(axis=1)
    good = distances.min(axis=1) < threshold * std
    counts = np.array([np.sum(good & (nearest == k)) for k in range(len(centres))])
    p = counts / counts.sum()
    kl = sum(p_k * math.log(p_k * len(centres)) for p_k in p if p_k > 0)
    return int(np.sum(counts >= min_count)), good.mean(), kl, tuple(counts)


def test_the_papers_sample_count():
    assert PAPER_SAMPLE_COUNT == 2500


def test_every_sample_on_one_mode_is_full_collapse():
    samples = np.tile(SQUARE[2] + np.array([0.05, -0.05]), (10, 1))
    score = mixture_score(samples, SQUARE, STD)
    assert score == MixtureScore(1, 1.0, pytest.approx(math.log(4)), (0, 0, 10, 0))


def test_samples_spread_evenly_over_every_mode_score_zero_kl():
    samples = np.repeat(SQUARE, 3, axis=0) + 0.01
    score = mixture_score(samples, SQUARE, STD)
    assert (score.modes_captured, score.high_quality_share) == (4, 1.0)
    assert score.reverse_kl == 0.0
    assert score.counts_per_mode == (3, 3, 3, 3)


def test_a_mode_with_no_sample_is_not_captured_and_adds_zero_to_the_kl():
    samples = np.array([[0.0, 0.0], [0.0, 0.1], [2.0, 0.0], [2.1, 0.0]])  # modes 0 and 1, 2 each
    score = mixture_score(samples, SQUARE, STD)
    assert score.modes_captured == 2 and score.counts_per_mode == (2, 2, 0, 0)
    assert score.reverse_kl == pytest.approx(math.log(2))  # 2 x 1/2 log(1/2 / 1/4)


def test_the_three_standard_deviation_boundary_is_strict():
    # std 1 and integer coordinates, so every distance is exact: 3 is out, just below is in.
    centres = np.array([[0.0, 0.0], [20.0, 0.0]])
    inside = mixture_score([[2.999999, 0.0]], centres, 1.0)
    on_the_boundary = mixture_score([[3.0, 0.0]], centres, 1.0)
    diagonal = mixture_score([[2.2, 2.2]], centres, 1.0)  # distance 3.11: out, though each
    assert inside.high_quality_share == 1.0 and inside.modes_captured == 1  # coordinate < 3
    assert on_the_boundary.high_quality_share == 0.0 and on_the_boundary.modes_captured == 0
    assert diagonal.high_quality_share == 0.0


def test_the_threshold_keyword_scales_the_boundary():
    centres = np.array([[0.0, 0.0], [100.0, 0.0]])
    samples = np.array([[5.0, 0.0], [9.0, 0.0], [11.0, 0.0]])
    assert mixture_score(samples, centres, 1.0).high_quality_share == 0.0
    assert mixture_score(samples, centres, 1.0, threshold=10).high_quality_share == 2 / 3


def test_half_the_samples_far_away_gives_share_one_half():
    near = SQUARE + 0.1
    far = np.array([[1.0, 1.0], [-5.0, 0.0], [10.0, 10.0], [1.0, -1.0]])  # nearest: 0, 0, 3, 0
    score = mixture_score(np.concatenate([near, far]), SQUARE, STD)
    assert score.high_quality_share == 0.5
    assert score.modes_captured == 4 and score.counts_per_mode == (1, 1, 1, 1)


def test_far_samples_capture_no_mode():
    # The nearest mode of both samples is mode 3, but neither is of high quality.
    score = mixture_score([[0.0, 0.0], [3.0, 3.0], [2.0, 3.0]], SQUARE, STD)
    assert score.modes_captured == 1 and score.counts_per_mode == (1, 0, 0, 0)
    assert score.high_quality_share == pytest.approx(1 / 3)


def test_no_high_quality_sample_leaves_the_kl_undefined():
    score = mixture_score([[1.0, 1.0], [5.0, 5.0]], SQUARE, STD)
    assert (score.modes_captured, score.high_quality_share) == (0, 0.0)
    assert math.isnan(score.reverse_kl)


def test_each_sample_counts_for_its_nearest_mode_only():
    # Two centres 1 apart with std 0.5: the 1.5 discs overlap. (0.2, 0) is within 1.5 of both
    # centres but nearest to centre 0, so only centre 0 is captured; counting every centre within
    # 3 std (or the first centre in the list within 3 std) would give another answer.
    centres = np.array([[1.0, 0.0], [0.0, 0.0]])
    samples = np.array([[0.2, 0.0], [0.3, 0.1]])
    score = mixture_score(samples, centres, 0.5)
    assert score.counts_per_mode == (0, 2) and score.modes_captured == 1
    index, distance = nearest_modes(samples, centres)
    np.testing.assert_array_equal(index, [1, 1])
    np.testing.assert_allclose(distance, [0.2, np.hypot(0.3, 0.1)])


def test_a_tie_goes_to_the_lower_index():
    index, distance = nearest_modes([[1.0, 0.0]], [[2.0, 0.0], [0.0, 0.0]])
    assert index.tolist() == [0] and distance.tolist() == [1.0]


def test_min_count_raises_the_bar_for_a_captured_mode():
    samples = np.array([[0.0, 0.0]] * 5 + [[2.0, 0.0]] * 2 + [[0.0, 2.0]])
    assert mixture_score(samples, SQUARE, STD).modes_captured == 3
    assert mixture_score(samples, SQUARE, STD, min_count=2).modes_captured == 2
    assert mixture_score(samples, SQUARE, STD, min_count=20).modes_captured == 0


def test_the_true_mixture_scores_near_perfectly():
    # The papers' ring (radius 1, std 0.01) and grid (std 0.05): 98.9% of a 2-D Gaussian lies
    # within 3 standard deviations (1 - exp(-9/2)).
    rng = np.random.default_rng(0)
    ring = toy_data.ring_of_gaussians(PAPER_SAMPLE_COUNT, rng, radius=1.0, std=0.01)
    grid = toy_data.grid_of_gaussians(PAPER_SAMPLE_COUNT, rng)
    for samples, centres, std in [
        (ring, toy_data.ring_centers(8, radius=1.0), 0.01),
        (grid, toy_data.grid_centers(), 0.05),
    ]:
        score = mixture_score(samples, centres, std)
        assert score.modes_captured == len(centres)
        assert score.high_quality_share == pytest.approx(1 - math.exp(-4.5), abs=0.01)
        assert 0 < score.reverse_kl < 0.02


@pytest.mark.parametrize(("n", "dim", "modes", "scale"), [(500, 2, 8, 0.4), (300, 5, 10, 0.6)])
def test_matches_a_brute_force_reference(n, dim, modes, scale):
    rng = np.random.default_rng(n + dim)
    centres = rng.uniform(-3, 3, size=(modes, dim))
    samples = centres[rng.integers(modes - 2, size=n)] + rng.normal(0, scale, (n, dim))
    expected = _reference(samples, centres, 0.3)
    assert 0 < expected[1] < 1 and expected[0] < modes  # a case that can fail
    score = mixture_score(samples, centres, 0.3)
    assert score.modes_captured == expected[0]
    assert score.high_quality_share == pytest.approx(expected[1], abs=1e-15)
    assert score.reverse_kl == pytest.approx(expected[2], rel=1e-12)
    assert score.counts_per_mode == expected[3]
    for min_count in (2, 5):
        assert (
            mixture_score(samples, centres, 0.3, min_count=min_count).modes_captured
            == (_reference(samples, centres, 0.3, min_count=min_count)[0])
        )


def test_invariant_to_order_translation_and_scale():
    rng = np.random.default_rng(3)
    centres = toy_data.grid_centers()
    samples = centres[rng.integers(20, size=400)] + rng.normal(0, 0.08, (400, 2))
    score = mixture_score(samples, centres, 0.05)
    order = rng.permutation(len(samples))
    assert mixture_score(samples[order], centres, 0.05) == score
    shift = np.array([100.0, -3.0])
    moved = mixture_score(4 * (samples + shift), 4 * (centres + shift), 0.2)
    assert moved.counts_per_mode == score.counts_per_mode
    assert moved.reverse_kl == pytest.approx(score.reverse_kl)


def test_accepts_lists_integers_and_float32_and_leaves_inputs_alone():
    samples = np.array([[0, 0], [2, 0], [9, 9]], dtype=np.float32)
    before = samples.copy()
    score = mixture_score(samples, SQUARE.tolist(), 1)
    np.testing.assert_array_equal(samples, before)
    assert score.counts_per_mode == (1, 1, 0, 0)
    assert score.high_quality_share == pytest.approx(2 / 3)


def test_the_score_is_frozen():
    score = mixture_score(SQUARE, SQUARE, STD)
    with pytest.raises(dataclasses.FrozenInstanceError):
        score.modes_captured = 0


@pytest.mark.parametrize(
    ("samples", "centres", "std", "keywords", "error", "message"),
    [
        (np.zeros(2), SQUARE, STD, {}, ValueError, r"samples must be a 2-D array"),
        (np.zeros((0, 2)), SQUARE, STD, {}, ValueError, r"at least 1 samples"),
        (np.zeros((3, 3)), SQUARE, STD, {}, ValueError, "samples have 3 coordinates"),
        ([[0.0, np.nan]], SQUARE, STD, {}, ValueError, "NaN or infinite"),
        ([[0.0, np.inf]], SQUARE, STD, {}, ValueError, "NaN or infinite"),
        ([["a", "b"]], SQUARE, STD, {}, TypeError, "real numbers"),
        (SQUARE, SQUARE[:1], STD, {}, ValueError, "at least 2 mode centres"),
        (SQUARE, SQUARE[0], STD, {}, ValueError, "centres must be a 2-D array"),
        (SQUARE, [[0.0, 0.0], [np.nan, 1.0]], STD, {}, ValueError, "centres contains 1 NaN"),
        (SQUARE, [[0, 0], [0.05, 0], [2, 2]], STD, {}, ValueError, "centres 0 and 1 are 0.05"),
        (SQUARE, SQUARE, 0.0, {}, ValueError, "std must be a finite number > 0"),
        (SQUARE, SQUARE, -0.1, {}, ValueError, "std must be a finite number > 0"),
        (SQUARE, SQUARE, np.nan, {}, ValueError, "std must be a finite number > 0"),
        (SQUARE, SQUARE, "0.1", {}, ValueError, "std must be a finite number > 0"),
        (SQUARE, SQUARE, True, {}, ValueError, "std must be a finite number > 0"),
        (SQUARE, SQUARE, STD, {"threshold": 0}, ValueError, "threshold must be a finite"),
        (SQUARE, SQUARE, STD, {"min_count": 0}, ValueError, "min_count must be an integer >= 1"),
        (SQUARE, SQUARE, STD, {"min_count": 1.5}, ValueError, "min_count must be an integer"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(samples, centres, std, keywords, error, message):
    with pytest.raises(error, match=message):
        mixture_score(samples, centres, std, **keywords)


def test_a_linspace_ring_with_a_repeated_centre_is_refused():
    angles = np.linspace(0, 2 * np.pi, 8)  # the last angle repeats the first
    centres = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    with pytest.raises(ValueError, match=r"centres 0 and 7 .* np.linspace"):
        mixture_score(centres, centres, 0.01)


def test_nearest_modes_checks_its_input_too():
    with pytest.raises(ValueError, match="samples have 3 coordinates"):
        nearest_modes(np.zeros((2, 3)), SQUARE)
