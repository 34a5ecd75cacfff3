"""FID: closed forms, the pytorch-fid formula as reference, invariances, FID-infinity, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.linalg
from scipy.stats import special_ortho_group

from gancourse.metrics import (
    FewSamplesWarning,
    SingularProductWarning,
    feature_statistics,
    fid_infinity,
    frechet_distance,
    frechet_distance_from_statistics,
)
from gancourse.metrics.fid import PYTORCH_FID_EPS

METHODS = ["symmetric", "pytorch-fid"]


def _correlated_features(rng: np.random.Generator, n: int, dim: int, shift: float = 0.0):
    """Non-negative, correlated features (like pooled ReLU activations), full rank when n > dim."""
    mixing = rng.normal(size=(dim, dim)) / np.sqrt(dim)
    return np.maximum(rng.normal(size=(n, dim)) @ mixing + shift, 0.0) + rng.uniform(
        0, 0.1, size=(n, dim)
    )


def _pytorch_fid_reference(a: np.ndarray, b: np.ndarray) -> float:
    """pytorch-fid's formula for non-singular inputs, typed out independently of gancourse."""
    mu1, mu2 = np.mean(a, axis=0), np.mean(b, axis=0)
    sigma1, sigma2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = scipy.linalg.sqrtm(sigma1.dot(sigma2)).real
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


# ## Closed forms ##################################################################################


@pytest.mark.parametrize("method", METHODS)
def test_closed_form_two_by_two(method):
    # tr sqrt([[2,1],[1,2]]) = sqrt(3) + sqrt(1): FID = tr(S1) + tr(I) - 2 (sqrt(3) + 1).
    sigma1 = np.array([[2.0, 1.0], [1.0, 2.0]])
    fid = frechet_distance_from_statistics(
        np.zeros(2), sigma1, np.zeros(2), np.eye(2), method=method
    )
    assert fid == pytest.approx(6 - 2 * (np.sqrt(3) + 1), rel=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_closed_form_diagonal_with_mean_shift(method):
    # Commuting (diagonal) covariances: FID = |mu1 - mu2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2.
    a, b = np.array([1.0, 4.0, 9.0, 0.25]), np.array([4.0, 1.0, 9.0, 2.0])
    mu1, mu2 = np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 1.0, 0.0, 3.0])
    expected = 5.0 + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    fid = frechet_distance_from_statistics(mu1, np.diag(a), mu2, np.diag(b), method=method)
    assert fid == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("sigma1", "sigma2", "expected"),
    [
        (np.diag([1.0, 0.0]), np.diag([4.0, 9.0]), 1 + 13 - 2 * 2),  # sigma1 singular
        (np.diag([4.0, 9.0]), np.diag([1.0, 0.0]), 1 + 13 - 2 * 2),  # sigma2 singular
        (np.diag([1.0, 0.0]), np.diag([0.0, 1.0]), 2.0),  # both singular, orthogonal supports
        (np.zeros((2, 2)), np.eye(2), 2.0),  # a collapsed generator: one point
    ],
)
def test_symmetric_route_on_singular_covariances(sigma1, sigma2, expected):
    fid = frechet_distance_from_statistics(np.zeros(2), sigma1, np.zeros(2), sigma2)
    assert fid == pytest.approx(expected, abs=1e-12)


def test_identical_samples_give_mean_distance_plus_real_variance():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(200, 5))
    collapsed = np.tile(rng.normal(size=(1, 5)), (50, 1))  # every fake sample the same
    diff = real.mean(axis=0) - collapsed[0]
    expected = diff @ diff + np.trace(np.cov(real, rowvar=False))
    assert frechet_distance(real, collapsed) == pytest.approx(expected, rel=1e-12)


# ## Against the pytorch-fid formula ###############################################################


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_symmetric_route_matches_pytorch_fid_formula(seed):
    rng = np.random.default_rng(seed)
    a = _correlated_features(rng, 500, 64)
    b = _correlated_features(rng, 400, 64, shift=0.3)
    reference = _pytorch_fid_reference(a, b)
    assert frechet_distance(a, b) == pytest.approx(reference, rel=1e-9)
    assert frechet_distance(a, b, method="pytorch-fid") == pytest.approx(reference, rel=1e-12)


def test_float32_features_are_computed_in_float64():
    rng = np.random.default_rng(3)
    a = _correlated_features(rng, 300, 16).astype(np.float32)
    b = _correlated_features(rng, 300, 16, shift=0.2).astype(np.float32)
    reference = _pytorch_fid_reference(a.astype(np.float64), b.astype(np.float64))
    assert frechet_distance(a, b) == pytest.approx(reference, rel=1e-9)


# ## Statistics and ddof ###########################################################################


@pytest.mark.parametrize("ddof", [0, 1])
def test_feature_statistics_match_numpy(ddof):
    features = _correlated_features(np.random.default_rng(4), 50, 6)
    mu, sigma = feature_statistics(features, ddof=ddof)
    assert mu.dtype == sigma.dtype == np.float64
    np.testing.assert_allclose(mu, features.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(sigma, np.cov(features, rowvar=False, ddof=ddof), rtol=1e-12)
    assert np.array_equal(sigma, sigma.T)


def test_ddof_is_passed_through_and_matters():
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(40, 3)), rng.normal(1.0, 2.0, size=(30, 3))
    for ddof in (0, 1):
        from_stats = frechet_distance_from_statistics(
            *feature_statistics(a, ddof=ddof), *feature_statistics(b, ddof=ddof)
        )
        assert frechet_distance(a, b, ddof=ddof) == pytest.approx(from_stats, rel=1e-12)
    assert frechet_distance(a, b, ddof=0) != pytest.approx(frechet_distance(a, b), rel=1e-6)


# ## Invariances ###################################################################################


@pytest.mark.parametrize("method", METHODS)
def test_a_set_against_itself_is_zero(method):
    a = _correlated_features(np.random.default_rng(6), 300, 32)
    fid = frechet_distance(a, a, method=method)
    assert abs(fid) < 1e-10 * np.trace(np.cov(a, rowvar=False))


def test_invariant_to_a_shared_translation_and_rotation():
    rng = np.random.default_rng(7)
    a = _correlated_features(rng, 400, 12)
    b = _correlated_features(rng, 300, 12, shift=0.5)
    fid = frechet_distance(a, b)
    rotation = special_ortho_group.rvs(12, random_state=8)
    offset = rng.normal(scale=10.0, size=12)
    assert frechet_distance(a + offset, b + offset) == pytest.approx(fid, rel=1e-9)
    assert frechet_distance(a @ rotation, b @ rotation) == pytest.approx(fid, rel=1e-9)
    assert frechet_distance(b, a) == pytest.approx(fid, rel=1e-9)  # symmetric in its arguments


# ## Few samples and the pytorch-fid eps retry #####################################################


def test_few_samples_warn():
    rng = np.random.default_rng(9)
    with pytest.warns(FewSamplesWarning, match="10 samples of 10 features"):
        feature_statistics(rng.normal(size=(10, 10)))
    with pytest.warns(FewSamplesWarning, match="features_b has 5 samples"):
        frechet_distance(rng.normal(size=(50, 10)), rng.normal(size=(5, 10)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        feature_statistics(rng.normal(size=(11, 10)))  # more samples than dimensions: silent


# Two samples of 8 integer features: rank-1 covariances. The second set is the first shifted by 1
# along the first feature: the exact FID is 1.
SINGULAR_A = np.array([[1.0, 0, 2, 2, 2, 2, 2, 1], [2, 0, 0, 1, 0, 0, 2, 1]])
SINGULAR_B = SINGULAR_A + np.eye(8)[0]


@pytest.fixture
def sqrtm_fails_on_the_plain_product(monkeypatch):
    """scipy's sqrtm of a singular product returns inf/NaN on some CPUs (SciPy 1.17, Intel with
    AVX-512) and a finite matrix on others (AMD with AVX2): a matter of BLAS rounding. Here the
    first sqrtm call fails for certain, so pytorch-fid's eps retry runs on every CPU; the retry
    itself uses the real sqrtm. Returns the arguments of each call."""
    real_sqrtm, calls = scipy.linalg.sqrtm, []

    def sqrtm(matrix, *args, **kwargs):
        calls.append(matrix)
        if len(calls) == 1:
            return np.full_like(matrix, np.nan)
        return real_sqrtm(matrix, *args, **kwargs)

    monkeypatch.setattr(scipy.linalg, "sqrtm", sqrtm)
    return calls


@pytest.mark.filterwarnings("ignore::gancourse.metrics.FewSamplesWarning")  # 2 samples, on purpose
def test_pytorch_fid_mode_retries_with_eps_on_a_singular_product(sqrtm_fails_on_the_plain_product):
    with pytest.warns(SingularProductWarning, match="eps=1e-06"):
        fid = frechet_distance(SINGULAR_A, SINGULAR_B, method="pytorch-fid")
    # The retry takes the square root of (sigma1 + eps I)(sigma2 + eps I) but keeps the plain
    # traces: the symmetric route on the shifted covariances, minus the 2 d eps they add.
    shift = PYTORCH_FID_EPS * np.eye(8)
    (mu1, sigma1), (mu2, sigma2) = (feature_statistics(x) for x in (SINGULAR_A, SINGULAR_B))
    plain, retried = sqrtm_fails_on_the_plain_product
    np.testing.assert_allclose(plain, sigma1 @ sigma2, atol=1e-15)
    np.testing.assert_allclose(retried, (sigma1 + shift) @ (sigma2 + shift), atol=1e-15)
    expected = (
        frechet_distance_from_statistics(mu1, sigma1 + shift, mu2, sigma2 + shift)
        - 2 * 8 * PYTORCH_FID_EPS
    )
    # Here sigma1 = sigma2, so expected = 1 - 2 d eps exactly; sqrtm of the near-singular
    # product is accurate to about 1e-8 only.
    assert expected == pytest.approx(1 - 2 * 8 * PYTORCH_FID_EPS, abs=1e-12)
    assert fid == pytest.approx(expected, abs=1e-7)
    assert fid != pytest.approx(1.0, abs=1e-6)  # eps costs accuracy here...
    exact = frechet_distance(SINGULAR_A, SINGULAR_B)
    assert exact == pytest.approx(1.0, abs=1e-12)  # ...the symmetric route does not need it


def test_pytorch_fid_mode_refuses_a_product_whose_root_fails_even_after_eps(monkeypatch):
    monkeypatch.setattr(scipy.linalg, "sqrtm", lambda matrix, *a, **k: np.full_like(matrix, np.inf))
    with pytest.warns(SingularProductWarning), pytest.raises(ValueError, match="even after"):
        frechet_distance_from_statistics(
            np.zeros(2), np.eye(2), np.zeros(2), np.eye(2), method="pytorch-fid"
        )


def test_pytorch_fid_mode_rejects_a_large_imaginary_part():
    not_psd = np.array([[1.0, 0.0], [0.0, -1.0]])  # symmetric, but no covariance
    with pytest.raises(ValueError, match="imaginary"):
        frechet_distance_from_statistics(
            np.zeros(2), not_psd, np.zeros(2), np.eye(2), method="pytorch-fid"
        )


# ## FID-infinity ##################################################################################


def test_fid_infinity_fits_fid_against_inverse_sample_size():
    rng = np.random.default_rng(10)
    real = rng.normal(size=(4000, 8))
    fake = rng.normal(size=(2000, 8)) * 1.2
    result = fid_infinity(real, fake, sample_sizes=[100, 200, 500, 1000, 2000], seed=3)
    np.testing.assert_array_equal(result.sample_sizes, [100, 200, 500, 1000, 2000])
    # Each point is the FID of an independent subset drawn with the seeded generator.
    draw = np.random.default_rng(3)
    for size, fid in zip(result.sample_sizes, result.fids, strict=True):
        subset = fake[draw.choice(2000, size=size, replace=False)]
        assert fid == pytest.approx(frechet_distance(real, subset), rel=1e-12)
    slope, intercept = np.polyfit(1.0 / result.sample_sizes, result.fids, 1)
    assert (result.value, result.slope) == pytest.approx((intercept, slope), rel=1e-9)
    # FID is biased upward at small N; the extrapolation lands near the true 8 (1.2 - 1)^2 = 0.32.
    assert result.slope > 0
    assert abs(result.value - 0.32) < abs(result.fids[0] - 0.32)


def test_fid_infinity_default_sizes_and_seed():
    rng = np.random.default_rng(11)
    real, fake = rng.normal(size=(500, 3)), rng.normal(0.5, 1.0, size=(300, 3))
    first = fid_infinity(real, fake, seed=1)
    assert first.sample_sizes.tolist() == np.linspace(30, 300, 15).round().astype(int).tolist()
    again = fid_infinity(real, fake, seed=1)
    np.testing.assert_array_equal(first.fids, again.fids)
    assert fid_infinity(real, fake, seed=2).value != first.value


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sample_sizes": [50]}, "at least 2 different"),
        ({"sample_sizes": [1, 50]}, "between 2 and"),
        ({"sample_sizes": [50, 301]}, "between 2 and"),
        ({"sample_sizes": [50.5, 100]}, "whole numbers"),
        ({"num_points": 1}, "num_points"),
        ({"seed": -1}, "seed"),
    ],
)
def test_fid_infinity_bad_arguments(kwargs, message):
    rng = np.random.default_rng(12)
    with pytest.raises(ValueError, match=message):
        fid_infinity(rng.normal(size=(100, 3)), rng.normal(size=(300, 3)), **kwargs)


# ## Bad input #####################################################################################


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (np.ones((10, 3)), np.ones((10, 4)), "3 features per sample but features_b has 4"),
        (np.full((10, 3), np.nan), np.ones((10, 3)), "features_a contains 30 NaN or infinite"),
        (np.ones((10, 3)), np.where(np.eye(10, 3) > 0, np.inf, 1.0), "features_b contains 3 NaN"),
        (np.ones((1, 3)), np.ones((10, 3)), "at least 2 samples"),
        (np.ones(10), np.ones((10, 3)), "2-D array"),
    ],
)
def test_bad_features(a, b, message):
    with pytest.raises(ValueError, match=message):
        frechet_distance(a, b)


def test_bad_types_and_options():
    features = np.random.default_rng(13).normal(size=(20, 3))
    with pytest.raises(TypeError, match="real numbers"):
        frechet_distance(features.astype(complex), features)
    with pytest.raises(ValueError, match="method must be one of"):
        frechet_distance(features, features, method="sqrtm")
    with pytest.raises(ValueError, match="ddof must be 1"):
        feature_statistics(features, ddof=2)


@pytest.mark.parametrize(
    ("mu2", "sigma1", "message"),
    [
        (np.zeros(3), np.eye(2), "mu1 has 2 dimensions but mu2 has 3"),
        (np.zeros(2), np.eye(3), r"sigma1 must have shape \(2, 2\)"),
        (np.zeros(2), np.array([[1.0, 0.5], [0.0, 1.0]]), "must be symmetric"),
        (np.zeros(2), np.array([[1.0, 2.0], [2.0, 1.0]]), "sigma1 is not positive semi-definite"),
        (np.array([0.0, np.nan]), np.eye(2), "mu2 contains 1 NaN"),
    ],
)
def test_bad_statistics(mu2, sigma1, message):
    with pytest.raises(ValueError, match=message):
        frechet_distance_from_statistics(np.zeros(2), sigma1, mu2, np.eye(2))


def test_sigma2_not_psd():
    with pytest.raises(ValueError, match="sigma2 is not positive semi-definite"):
        frechet_distance_from_statistics(np.zeros(2), np.eye(2), np.zeros(2), -np.eye(2))
