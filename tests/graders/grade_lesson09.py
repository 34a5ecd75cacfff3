"""Graders for lesson 09 (FID, the Inception Score and KID, in NumPy).

Closed forms first, each built so that one known mistake changes the answer (features whose
sample statistics are exactly the given mean and covariance; one-hot predictions; two-point
sets worked by hand), then ``gancourse.metrics`` on fresh random inputs. Where a wrong value
matches a known mistake, the message names it.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable

import numpy as np
import pytest
import scipy.linalg

from gancourse import metrics as reference
from gancourse.grading import expect, expect_number, expect_value

LESSON = "lesson09"

MATRIX_SQRT = (
    "(sigma_a sigma_b)^(1/2) is the MATRIX square root (scipy.linalg.sqrtm, or the square roots "
    "of the eigenvalues), not np.sqrt of each entry"
)
NOT_SYMMETRIC = (
    "sigma_a sigma_b is not symmetric here, so eigvalsh (which reads only one triangle of it) "
    "gives wrong eigenvalues: use scipy.linalg.sqrtm, or the symmetric matrix "
    "sigma_a^(1/2) sigma_b sigma_a^(1/2), which has the same eigenvalues"
)
DDOF = "the covariances need ddof=1 (divide by samples - 1, as np.cov does), not by samples"
ZERO_LOG_ZERO = (
    "0 log 0 must count as 0: np.log(0) is -inf and 0 * -inf is NaN (scipy.special.rel_entr "
    "or scipy.special.xlogy treat the zeros for you)"
)
KID_DIAGONAL = (
    "the unbiased estimate leaves out the diagonal terms k(x_i, x_i) and k(y_i, y_i) of the "
    "within-set sums, and divides them by m (m - 1)"
)


# --------------------------------------------------------------------------- shared helpers


def _quiet_call(function: Callable[..., object], *args, **kwargs) -> object:
    """Call an answer with NumPy's warnings off: a NaN it returns is graded by value, with a
    message that says why, instead of stopping at 'divide by zero encountered in log'."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return function(*args, **kwargs)


def _call_keeping_inputs(function: Callable[..., object], name: str, *arrays, **kwargs):
    """Call ``function`` and check it left its array arguments as they were."""
    copies = [np.array(a, copy=True) for a in arrays]
    result = _quiet_call(function, *arrays, **kwargs)
    for position, (before, after) in enumerate(zip(copies, arrays, strict=True)):
        expect(
            np.array_equal(before, after),
            f"{name} changed its argument number {position + 1} in place; compute new arrays "
            "instead (for example a - mean, not a -= mean).",
        )
    return result


_number = functools.partial(
    expect_number,
    complex_hint=" (the imaginary part of scipy.linalg.sqrtm's result is round-off: take .real)",
)


def _pair(value: object, what: str) -> tuple[float, float]:
    """``value`` as (mean, std), after checking it is a pair of real numbers."""
    expect(
        isinstance(value, tuple | list) and len(value) == 2,
        f"{what} returned {type(value).__name__} {value!r}; return a pair (mean, std).",
    )
    return _number(value[0], f"{what}[0] (the mean)"), _number(value[1], f"{what}[1] (the std)")


# --------------------------------------------------------------------------- frechet_distance


def _features_with_statistics(
    rng: np.random.Generator, samples: int, mean: np.ndarray, covariance: np.ndarray
) -> np.ndarray:
    """(samples, d) features whose sample mean is ``mean`` and whose sample covariance
    (ddof=1) is ``covariance``, both exactly up to round-off."""
    z = rng.normal(size=(samples, len(mean)))
    z -= z.mean(axis=0)
    whitened = np.linalg.solve(np.linalg.cholesky(z.T @ z / (samples - 1)), z.T).T  # cov = I
    return whitened @ np.linalg.cholesky(covariance).T + mean


def _fid_suspects(
    mu_a: np.ndarray, sigma_a: np.ndarray, mu_b: np.ndarray, sigma_b: np.ndarray, samples: int
) -> dict[str, float]:
    """The FID that each known mistake gives, from the exact statistics."""
    diff = mu_a - mu_b
    traces = np.trace(sigma_a) + np.trace(sigma_b)
    product = sigma_a @ sigma_b
    scale = (samples - 1) / samples  # covariances with ddof=0
    with np.errstate(invalid="ignore"):  # the square roots of negative entries are NaN
        root_of_entries = np.trace(np.sqrt(product))
        lower_triangle_roots = np.sum(np.sqrt(np.linalg.eigvalsh(product)))
    product_of_roots = np.trace(scipy.linalg.sqrtm(sigma_a) @ scipy.linalg.sqrtm(sigma_b))
    return {
        MATRIX_SQRT: diff @ diff + traces - 2 * root_of_entries,
        NOT_SYMMETRIC: diff @ diff + traces - 2 * lower_triangle_roots,
        "(sigma_a sigma_b)^(1/2) is not sigma_a^(1/2) sigma_b^(1/2): the two are equal only "
        "when sigma_a and sigma_b commute": diff @ diff + traces - 2 * product_of_roots,
        DDOF: diff @ diff
        + scale * reference.frechet_distance_from_statistics(mu_a, sigma_a, mu_a, sigma_b),
        "the mean term |mu_a - mu_b|^2 is missing": reference.frechet_distance_from_statistics(
            mu_a, sigma_a, mu_a, sigma_b
        ),
        "the mean term must be the SQUARED distance |mu_a - mu_b|^2, not the distance": (
            np.sqrt(diff @ diff)
            + reference.frechet_distance_from_statistics(mu_a, sigma_a, mu_a, sigma_b)
        ),
    }


def _expect_fid(
    frechet_distance: Callable[..., object],
    rng: np.random.Generator,
    samples: int,
    statistics: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    what: str,
    hint: str,
) -> None:
    mu_a, sigma_a, mu_b, sigma_b = (np.asarray(s, dtype=np.float64) for s in statistics)
    a = _features_with_statistics(rng, samples, mu_a, sigma_a)
    b = _features_with_statistics(rng, samples, mu_b, sigma_b)
    value = _number(_call_keeping_inputs(frechet_distance, "frechet_distance", a, b), what)
    expected = reference.frechet_distance_from_statistics(mu_a, sigma_a, mu_b, sigma_b)
    suspects = _fid_suspects(mu_a, sigma_a, mu_b, sigma_b, samples)
    expect_value(value, expected, what, suspects, atol=1e-8, hint=hint)


def _correlated_features(rng: np.random.Generator, samples: int, dim: int) -> np.ndarray:
    """Non-negative, correlated features, like pooled ReLU activations."""
    mixing = rng.normal(size=(dim, dim)) / np.sqrt(dim)
    shift = rng.uniform(-0.5, 1.0)
    return np.maximum(rng.normal(size=(samples, dim)) @ mixing + shift, 0.0) + rng.uniform(
        0.0, 0.1, size=(samples, dim)
    )


def check_frechet_distance(frechet_distance: Callable[..., object]) -> None:
    rng = np.random.default_rng()
    sigma = np.array([[2.0, 1.0], [1.0, 2.0]])
    features = _features_with_statistics(rng, 8, np.array([1.0, -1.0]), sigma)
    what = "frechet_distance of 8 samples with covariance [[2, 1], [1, 2]] against themselves"
    value = _number(_quiet_call(frechet_distance, features, features.copy()), what)
    expect_value(
        value,
        0.0,
        what,
        atol=1e-8,
        hint=f"tr(sigma) + tr(sigma) - 2 tr((sigma sigma)^(1/2)) is 0 only because {MATRIX_SQRT}",
    )

    _expect_fid(
        frechet_distance,
        rng,
        8,
        (np.zeros(2), sigma, np.array([1.0, 2.0]), sigma),
        "frechet_distance of two sets with the same covariance [[2, 1], [1, 2]] and means (0, 0) "
        "and (1, 2): only the mean term is left, |mu_a - mu_b|^2 = 1^2 + 2^2",
        hint="the mean term is the squared distance between the two means",
    )

    _expect_fid(
        frechet_distance,
        rng,
        8,
        (np.zeros(2), sigma, np.zeros(2), np.eye(2)),
        "frechet_distance of 8 samples with covariance [[2, 1], [1, 2]] (ddof=1) and 8 with "
        "covariance I, both with mean 0: 4 + 2 - 2 tr([[2, 1], [1, 2]]^(1/2)) = "
        "6 - 2 (sqrt(3) + 1)",
        hint=f"{DDOF}; and {MATRIX_SQRT}",
    )

    # For 2x2 matrices, tr(M^(1/2)) = sqrt(tr M + 2 sqrt(det M)): here sqrt(10 + 2 sqrt(12)).
    _expect_fid(
        frechet_distance,
        rng,
        10,
        (np.array([1.0, 0.0]), sigma, np.array([0.0, 2.0]), np.diag([1.0, 4.0])),
        "frechet_distance with means (1, 0) and (0, 2) and covariances [[2, 1], [1, 2]] and "
        "[[1, 0], [0, 4]], whose product [[2, 4], [1, 8]] is not symmetric: "
        "5 + 4 + 5 - 2 sqrt(10 + 2 sqrt(12))",
        hint=NOT_SYMMETRIC,
    )

    a = _correlated_features(rng, 200, 6)
    b = _correlated_features(rng, 150, 6)
    what = "frechet_distance on random correlated features (200 and 150 samples of 6 features)"
    value = _number(_call_keeping_inputs(frechet_distance, "frechet_distance", a, b), what)
    expect_value(value, reference.frechet_distance(a, b), what, hint="compare with the formula")

    # float32 has about 7 significant digits: around 1000 its steps are 6e-5, so statistics
    # of features that vary by about 0.01 lose several digits unless computed in float64.
    a32 = (1000.0 + 0.01 * _correlated_features(rng, 500, 16)).astype(np.float32)
    b32 = (1000.0 + 0.01 * _correlated_features(rng, 400, 16)).astype(np.float32)
    what = (
        "frechet_distance on float32 features (500 and 400 samples of 16 features, around 1000 "
        "and varying by about 0.01)"
    )
    value = _number(_quiet_call(frechet_distance, a32, b32), what)
    expect_value(
        value,
        reference.frechet_distance(a32, b32),
        what,
        hint="convert the features to float64 before computing the means and covariances "
        "(np.asarray(features, dtype=np.float64)): float32 keeps only about 7 significant digits",
    )


# --------------------------------------------------------------------------- inception_score


def _kl_rows(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """sum over classes of p log(p / q), per row, with 0 log 0 = 0."""
    with np.errstate(all="ignore"):
        return np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0), axis=-1)


def _is_suspects(p: np.ndarray, splits: int) -> dict[str, float]:
    """The mean score that each known mistake gives."""
    n = len(p)
    parts = [p[n * k // splits : n * (k + 1) // splits] for k in range(splits)]
    strided = [p[k::splits] for k in range(splits)]
    everything = p.mean(axis=0)

    def mean_score(parts: list[np.ndarray], marginal=None, reverse: bool = False) -> float:
        scores = []
        for part in parts:
            own = part.mean(axis=0) if marginal is None else marginal
            kl = _kl_rows(own, part) if reverse else _kl_rows(part, own)
            scores.append(np.exp(np.mean(kl)))
        return float(np.mean(scores))

    return {
        "the KL divergence goes from each row p(y|x) to the marginal p(y): "
        "sum p(y|x) log(p(y|x) / p(y)), not the reverse": mean_score(parts, reverse=True),
        "that is the score of all samples as one split; cut them into `splits` contiguous "
        "parts, score each part on its own, and average": mean_score([p]),
        "p(y) must be the mean of each split's own rows, not of all samples": mean_score(
            parts, everything
        ),
        "the splits must be contiguous blocks of rows (rows n*k//splits to n*(k+1)//splits), "
        "not every splits-th row": mean_score(strided),
    }


def _random_probabilities(rng: np.random.Generator, samples: int, classes: int) -> np.ndarray:
    """Confident-ish softmax rows with some exact zeros, sorted by their most likely class (so
    that the splits differ from each other)."""
    p = rng.dirichlet(np.full(classes, 0.3), size=samples)
    p[p < 0.01] = 0.0
    p /= p.sum(axis=1, keepdims=True)
    return p[np.argsort(p.argmax(axis=1), kind="stable")]


def check_inception_score(inception_score: Callable[..., object]) -> None:
    rows = np.tile([[0.7, 0.2, 0.1]], (20, 1))
    what = "inception_score of 20 identical rows (0.7, 0.2, 0.1)"
    mean, std = _pair(_quiet_call(inception_score, rows), what)
    expect_value(
        mean, 1.0, f"{what}, the mean", hint="each row equals p(y), so every KL is 0 and IS = e^0"
    )
    expect_value(std, 0.0, f"{what}, the std", hint="every split scores 1")

    p = np.array([[0.9, 0.1], [0.1, 0.9]])
    expected = float(np.exp(0.9 * np.log(1.8) + 0.1 * np.log(0.2)))
    what = (
        "inception_score([[0.9, 0.1], [0.1, 0.9]], splits=1): p(y) = (1/2, 1/2), each row has "
        "KL = 0.9 log(0.9 / 0.5) + 0.1 log(0.1 / 0.5), IS = exp(0.368)"
    )
    mean, _ = _pair(_call_keeping_inputs(inception_score, "inception_score", p, 1), what)
    expect_value(mean, expected, what, _is_suspects(p, 1))

    classes, reps = 5, 20
    one_hot = np.tile(np.eye(classes), (reps, 1))  # (100, 5): each split holds each class twice
    what = (
        f"inception_score of {len(one_hot)} one-hot rows, each of {classes} classes equally often"
    )
    mean, std = _pair(_quiet_call(inception_score, one_hot), what)
    expect(
        bool(np.isfinite(mean) and np.isfinite(std)),
        f"{what} gave ({mean}, {std}): {ZERO_LOG_ZERO}.",
    )
    expect_value(
        mean,
        float(classes),
        f"{what} (the largest score: confident AND spread over all classes)",
        _is_suspects(one_hot, 10),
    )

    rng = np.random.default_rng()
    for samples, splits in [(103, 10), (60, 3)]:
        p = _random_probabilities(rng, samples, 7)
        arguments = (p,) if splits == 10 else (p, splits)
        call = f"inception_score(probabilities{'' if splits == 10 else f', {splits}'})"
        what = (
            f"{call} on {samples} random rows of 7 classes with {splits} contiguous splits "
            f"(part k = rows {samples}*k//{splits} up to {samples}*(k+1)//{splits})"
        )
        got_mean, got_std = _pair(
            _call_keeping_inputs(inception_score, "inception_score", *arguments), what
        )
        expect(
            bool(np.isfinite(got_mean)), f"{what} gave {got_mean} (some are 0): {ZERO_LOG_ZERO}."
        )
        want_mean, want_std = reference.inception_score(p, splits=splits)
        expect_value(got_mean, want_mean, f"{what}, the mean", _is_suspects(p, splits))
        expect_value(
            got_std,
            want_std,
            f"{what}, the std",
            hint="the standard deviation of the split scores, np.std with its default ddof=0",
        )


# --------------------------------------------------------------------------- kid


def _kid_suspects(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """MMD^2 of two whole sets as each known mistake computes it."""
    d = x.shape[1]

    def mmd2(kernel: Callable[[np.ndarray, np.ndarray], np.ndarray], biased: bool = False):
        k_xx, k_yy, k_xy = kernel(x, x), kernel(y, y), kernel(x, y)
        m, n = len(x), len(y)
        if biased:
            return k_xx.mean() + k_yy.mean() - 2 * k_xy.mean()
        within_x = (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
        within_y = (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
        return within_x + within_y - 2 * k_xy.mean()

    def cubic(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (a @ b.T / d + 1.0) ** 3

    k_xy = cubic(x, y)
    cross_off_diagonal = (k_xy.sum() - np.trace(k_xy)) / (len(x) * (len(x) - 1))
    return {
        KID_DIAGONAL: mmd2(cubic, biased=True),
        "the kernel is (x . y / d + 1)^3: a cube, not a square": mmd2(
            lambda a, b: (a @ b.T / d + 1.0) ** 2
        ),
        "the kernel is (x . y / d + 1)^3: divide the dot product by the feature dimension d": (
            mmd2(lambda a, b: (a @ b.T + 1.0) ** 3)
        ),
        "the cross term averages k(x_i, y_j) over ALL pairs, i = j included (only the "
        "within-set sums leave out their diagonal)": mmd2(cubic)
        + 2 * k_xy.mean()
        - 2 * cross_off_diagonal,
    }


def _expect_kid(kid: Callable[..., object], x: np.ndarray, y: np.ndarray, what: str) -> None:
    """kid of two whole sets (every subset holds all of both) against the hand-worked value."""
    subsets = 20
    mean, std = _pair(_call_keeping_inputs(kid, "kid", x, y, subsets, len(x), 0), what)
    expect(
        bool(np.isfinite(std) and abs(std) <= 1e-9 * max(1.0, abs(mean))),
        f"{what}: with subset_size = {len(x)} = the number of samples, each of the {subsets} "
        "subsets holds every sample of each set once, in some order, so all their values must be "
        f"equal and their std 0; got std {std:.6g}. Either the subsets were not drawn without "
        "replacement (replace=False), or the value depends on the order of the samples (the "
        "cross term averages k(x_i, y_j) over ALL pairs, i = j included).",
    )
    expect_value(mean, reference.mmd2_unbiased(x, y), what, _kid_suspects(x, y))


def check_kid(kid: Callable[..., object]) -> None:
    points = np.array([[0.0], [1.0]])
    _expect_kid(
        kid,
        points,
        points.copy(),
        "kid(X, X, subsets=20, subset_size=2) for X = {0, 1} (d = 1): k = (x y + 1)^3 gives "
        "K = [[1, 1], [1, 8]]; without the diagonal each within-set mean is (1 + 1) / 2 = 1, the "
        "cross mean is (1 + 1 + 1 + 8) / 4 = 2.75, so MMD^2 = 1 + 1 - 2 * 2.75 "
        "(the unbiased estimate can be negative)",
    )
    _expect_kid(
        kid,
        np.array([[1.0, 1.0], [0.0, 0.0]]),
        np.array([[2.0, 0.0], [0.0, 2.0]]),
        "kid(X, Y, subsets=20, subset_size=2) for X = {(1, 1), (0, 0)} and Y = {(2, 0), (0, 2)} "
        "(d = 2): every within-set pair has k = (0 / 2 + 1)^3 = 1, the cross pairs "
        "(2 / 2 + 1)^3 = 8, 8, 1, 1, so MMD^2 = 1 + 1 - 2 * 4.5",
    )

    rng = np.random.default_rng()
    cases = [((12, 9), 4, 50), ((60, 45), 5, 30)]  # (sample counts), subsets, subset_size
    for (n_a, n_b), subsets, subset_size in cases:
        a, b = _correlated_features(rng, n_a, 5), _correlated_features(rng, n_b, 5) + 0.1
        seed = int(rng.integers(1000))
        m = min(subset_size, n_a, n_b)
        what = (
            f"kid(a, b, subsets={subsets}, subset_size={subset_size}, seed={seed}) with {n_a} "
            f"and {n_b} random samples (m = min({subset_size}, {n_a}, {n_b}) = {m})"
        )
        mean, std = _pair(_call_keeping_inputs(kid, "kid", a, b, subsets, subset_size, seed), what)
        want_mean, want_std = reference.kernel_inception_distance(
            a, b, subsets=subsets, subset_size=subset_size, seed=seed
        )
        expect_value(
            mean,
            want_mean,
            f"{what}, the mean",
            hint="use m = min(subset_size, n_a, n_b) samples of each set, and draw the subsets "
            "exactly as the docstring says: rng = np.random.default_rng(seed) once, then for "
            "each subset rng.choice(n_a, size=m, replace=False) and then "
            "rng.choice(n_b, size=m, replace=False)",
        )
        expect_value(
            std,
            want_std,
            f"{what}, the std",
            hint="the standard deviation of the subsets' values, np.std with its default ddof=0",
        )


# --------------------------------------------------------------------------- the tests


@pytest.mark.exercise("lesson09.frechet_distance")
def test_frechet_distance(answers):
    check_frechet_distance(answers.frechet_distance)


@pytest.mark.exercise("lesson09.inception_score")
def test_inception_score(answers):
    check_inception_score(answers.inception_score)


@pytest.mark.exercise("lesson09.kid")
def test_kid(answers):
    check_kid(answers.kid)
