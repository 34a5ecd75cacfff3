"""gancourse.toy_data: moments and densities against closed forms, mode layouts, bad input."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
from scipy import integrate, stats

from gancourse import toy_data


def test_gaussian_1d_has_the_documented_shape_and_moments():
    x = toy_data.gaussian_1d(200_000, np.random.default_rng(0), mean=-1.5, std=2.0)
    assert x.shape == (200_000, 1) and x.dtype == np.float64
    standard_error = 2.0 / np.sqrt(len(x))
    assert abs(x.mean() - (-1.5)) < 5 * standard_error
    assert abs(x.std() - 2.0) < 5 * standard_error
    assert stats.kstest(x[:, 0], stats.norm(-1.5, 2.0).cdf).pvalue > 1e-3


def test_defaults_are_the_documented_ones():
    x = toy_data.gaussian_1d(100_000, np.random.default_rng(1))
    assert abs(x.mean() - toy_data.GAUSSIAN_MEAN) < 0.01
    assert abs(x.std() - toy_data.GAUSSIAN_STD) < 0.01


def test_the_same_seed_gives_the_same_samples_and_partial_keeps_the_sampler_signature():
    sampler = functools.partial(toy_data.gaussian_1d, mean=2.0)
    first = sampler(5, np.random.default_rng(3))
    np.testing.assert_array_equal(first, sampler(5, np.random.default_rng(3)))
    assert not np.array_equal(first, sampler(5, np.random.default_rng(4)))
    np.testing.assert_array_equal(
        toy_data.ring_of_gaussians(7, np.random.default_rng(3)),
        toy_data.ring_of_gaussians(7, np.random.default_rng(3)),
    )


def test_gaussian_density_matches_scipy_and_integrates_to_one():
    x = np.linspace(-3, 5, 101).reshape(-1, 1)
    density = toy_data.gaussian_1d_density(x, mean=1.0, std=0.7)
    assert density.shape == x.shape
    np.testing.assert_allclose(density, stats.norm(1.0, 0.7).pdf(x), rtol=1e-12)
    total, _ = integrate.quad(lambda t: float(toy_data.gaussian_1d_density(t)), -np.inf, np.inf)
    assert total == pytest.approx(1.0, abs=1e-9)
    peak = toy_data.gaussian_1d_density(toy_data.GAUSSIAN_MEAN)
    assert peak == pytest.approx(1 / (toy_data.GAUSSIAN_STD * np.sqrt(2 * np.pi)))


def test_ring_centres_lie_on_the_circle_at_equal_angles():
    centers = toy_data.ring_centers()
    assert centers.shape == (8, 2)
    np.testing.assert_allclose(np.hypot(*centers.T), 2.0)
    np.testing.assert_allclose(centers[0], [2.0, 0.0], atol=1e-12)
    angles = np.unwrap(np.arctan2(centers[:, 1], centers[:, 0]))
    np.testing.assert_allclose(np.diff(angles), np.pi / 4)


def test_grid_centres_are_the_published_ones():
    centers = toy_data.grid_centers()
    expected = {(-4.0 + 2 * i, -4.0 + 2 * j) for i, j in itertools.product(range(5), repeat=2)}
    assert centers.shape == (25, 2)
    assert {tuple(point) for point in centers.tolist()} == expected
    assert toy_data.grid_centers(size=2, spacing=1.0).tolist() == [
        [-0.5, -0.5],
        [-0.5, 0.5],
        [0.5, -0.5],
        [0.5, 0.5],
    ]


@pytest.mark.parametrize(
    ("sampler", "centers", "std"),
    [
        (toy_data.ring_of_gaussians, toy_data.ring_centers(), 0.02),
        (toy_data.grid_of_gaussians, toy_data.grid_centers(), 0.05),
    ],
    ids=["ring", "grid"],
)
def test_mixtures_use_every_mode_equally_with_the_documented_spread(sampler, centers, std):
    n = 50_000
    x = sampler(n, np.random.default_rng(0))
    assert x.shape == (n, 2) and x.dtype == np.float64
    distances = np.linalg.norm(x[:, None, :] - centers[None], axis=2)
    nearest = distances.argmin(axis=1)
    counts = np.bincount(nearest, minlength=len(centers))
    assert stats.chisquare(counts).pvalue > 1e-3  # equal weights
    offsets = x - centers[nearest]
    np.testing.assert_allclose(offsets.std(axis=0), std, rtol=0.03)  # per coordinate
    np.testing.assert_allclose(offsets.mean(axis=0), 0.0, atol=5 * std / np.sqrt(n))


def test_mixture_options_change_the_layout():
    x = toy_data.ring_of_gaussians(1000, np.random.default_rng(0), modes=3, radius=10.0, std=0.1)
    assert np.all(np.abs(np.hypot(*x.T) - 10.0) < 1.0)
    y = toy_data.grid_of_gaussians(1000, np.random.default_rng(0), size=3, spacing=5.0, std=0.1)
    assert set(np.round(y / 5.0).ravel().tolist()) == {-1.0, 0.0, 1.0}


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: toy_data.gaussian_1d(5, 0), TypeError, "numpy.random.Generator"),
        (lambda: toy_data.gaussian_1d(5, np.random.RandomState(0)), TypeError, "Generator"),
        (lambda: toy_data.gaussian_1d(0, np.random.default_rng()), ValueError, "positive"),
        (lambda: toy_data.gaussian_1d(2.5, np.random.default_rng()), ValueError, "n must"),
        (lambda: toy_data.gaussian_1d(5, np.random.default_rng(), std=0), ValueError, "std"),
        (lambda: toy_data.gaussian_1d(5, np.random.default_rng(), mean=np.nan), ValueError, "mean"),
        (lambda: toy_data.gaussian_1d_density([0.0, np.inf]), ValueError, "NaN or infinity"),
        (lambda: toy_data.gaussian_1d_density(0.0, std=-1), ValueError, "std"),
        (lambda: toy_data.ring_centers(modes=1), ValueError, "modes"),
        (lambda: toy_data.ring_centers(radius="big"), ValueError, "radius"),
        (lambda: toy_data.grid_centers(size=1), ValueError, "size"),
        (lambda: toy_data.ring_of_gaussians(5, np.random.default_rng(), std=0), ValueError, "std"),
        (lambda: toy_data.grid_of_gaussians(5, None), TypeError, "Generator"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()
