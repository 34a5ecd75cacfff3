"""Frechet Inception Distance (FID) and its bias-free extrapolation FID-infinity.

FID (Heusel et al. 2017, https://arxiv.org/abs/1706.08500) fits a Gaussian to each set of
features and returns the Frechet distance between the two Gaussians:

    FID = ||mu1 - mu2||^2 + tr(sigma1) + tr(sigma2) - 2 tr((sigma1 sigma2)^(1/2))

Two ways to compute ``tr((sigma1 sigma2)^(1/2))``:

``method="symmetric"`` (the default)
    Factor ``sigma1 = F1 F1^T`` and ``sigma2 = F2 F2^T`` (Cholesky, or ``eigh`` for a singular
    covariance), then ``tr((sigma1 sigma2)^(1/2))`` is the sum of the square roots of the
    eigenvalues of the symmetric positive semi-definite matrix ``F1^T sigma2 F1`` (it has the
    same eigenvalues as ``sigma1 sigma2``). Only symmetric eigenvalue problems, no complex
    numbers, and several times faster than ``sqrtm``. Eigenvalues below zero come from round-off
    only (the inputs are checked to be positive semi-definite) and are set to zero.
``method="pytorch-fid"``
    The formula of the pytorch-fid package, for parity with published numbers: ``scipy.linalg.
    sqrtm(sigma1 @ sigma2)``; if that is not finite, ``eps = 1e-6`` is added to the diagonals
    of both covariances and ``sqrtm`` is retried (with a :class:`SingularProductWarning`); a
    negligible imaginary part is dropped, a large one raises. SciPy's own warnings about
    singular input are silenced here, as pytorch-fid's ``sqrtm(..., disp=False)`` did.

On full-rank covariances the two agree to about 1e-12 relative (see bench/bench_fid.py). With
no more samples than feature dimensions the covariances are singular, FID is unreliable and the
two methods may differ: :class:`FewSamplesWarning` says so.

The returned FID is not clipped: for two sets with equal statistics it can come out a tiny
negative number (of the order of 1e-12 x the covariances' traces); read it as zero.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike

from ..validation import (
    as_covariance,
    as_matrix,
    as_vector,
    check_int,
    check_same_dimension,
    check_seed,
)

__all__ = [
    "PYTORCH_FID_EPS",
    "FIDInfinity",
    "FewSamplesWarning",
    "SingularProductWarning",
    "feature_statistics",
    "fid_infinity",
    "frechet_distance",
    "frechet_distance_from_statistics",
]

FIDMethod = Literal["symmetric", "pytorch-fid"]

PYTORCH_FID_EPS = 1e-6  # added to the covariances' diagonals on the retry, as in pytorch-fid
# A covariance may have eigenvalues down to -_PSD_RTOL x its mean eigenvalue (round-off, or
# statistics stored in float32); anything more negative is not a covariance and raises.
_PSD_RTOL = 1e-6
_SYMMETRY_RTOL = 1e-6  # |sigma - sigma^T| allowed, relative to max |sigma|


class FewSamplesWarning(UserWarning):
    """No more samples than feature dimensions: the covariance is singular and FID unreliable."""


class SingularProductWarning(UserWarning):
    """pytorch-fid mode: sqrtm(sigma1 @ sigma2) was not finite, so eps was added and retried."""


# ## Statistics ####################################################################################


def _check_ddof(ddof: int) -> int:
    if isinstance(ddof, bool) or ddof not in (0, 1):
        raise ValueError(
            f"ddof must be 1 (unbiased covariance, the default, as pytorch-fid) or 0 "
            f"(maximum likelihood), got {ddof!r}."
        )
    return int(ddof)


def _statistics(features: np.ndarray, ddof: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of a validated float64 (n, d) array; warns when n <= d."""
    n, dim = features.shape
    if n <= dim:
        warnings.warn(
            f"{name} has {n} samples of {dim} features: its covariance has rank at most "
            f"{n - 1} < {dim}, so it is singular and FID is unreliable (biased, and "
            "method-dependent). Use more samples than feature dimensions.",
            FewSamplesWarning,
            stacklevel=3,
        )
    mu = features.mean(axis=0)
    centered = features - mu
    sigma = (centered.T @ centered) / (n - ddof)  # one BLAS call (syrk), exactly symmetric
    return mu, sigma


def feature_statistics(
    features: ArrayLike, *, ddof: int = 1, name: str = "features"
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of a set of features, in float64.

    Args:
        features: (samples, dim) real array, samples >= 2, finite.
        ddof: 1 divides by ``samples - 1`` (unbiased; as ``np.cov`` and pytorch-fid), 0 by
            ``samples``.
        name: what the features are called in errors and warnings.

    Returns:
        ``(mu, sigma)``: float64 arrays of shapes (dim,) and (dim, dim), sigma symmetric.
        Warns :class:`FewSamplesWarning` when samples <= dim (sigma is then singular).
    """
    ddof = _check_ddof(ddof)
    return _statistics(as_matrix(features, name), ddof, name)


# ## The distance ##################################################################################


def _psd_tolerance(sigma: np.ndarray) -> float:
    """How negative an eigenvalue of ``sigma`` may be and still count as round-off."""
    mean_eigenvalue = float(np.trace(sigma)) / sigma.shape[0]
    return _PSD_RTOL * max(mean_eigenvalue, 0.0) + np.finfo(np.float64).tiny


def _not_psd(name: str) -> ValueError:
    return ValueError(
        f"{name} is not positive semi-definite (it has an eigenvalue below "
        f"-{_PSD_RTOL:g} x its mean eigenvalue), so it is not a covariance matrix."
    )


def _cholesky(sigma: np.ndarray) -> np.ndarray | None:
    """Lower-triangular L with L L^T = sigma, or None when sigma is not positive definite."""
    try:
        return scipy.linalg.cholesky(sigma, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        return None


def _eigh_factor(sigma: np.ndarray, name: str) -> np.ndarray:
    """F with F F^T = sigma for a singular PSD sigma (from eigh); raises if sigma is not PSD."""
    eigenvalues, vectors = scipy.linalg.eigh(sigma, check_finite=False)
    if eigenvalues[0] < -_psd_tolerance(sigma):
        raise _not_psd(name)
    return vectors * np.sqrt(np.clip(eigenvalues, 0.0, None))  # round-off negatives -> 0


def _trace_sqrt_symmetric(sigma1: np.ndarray, sigma2: np.ndarray) -> float:
    """tr((sigma1 sigma2)^(1/2)) from factors sigma1 = F1 F1^T and sigma2 = F2 F2^T.

    With C = F2^T F1, C^T C = F1^T sigma2 F1 is symmetric positive semi-definite and has the
    eigenvalues of sigma1 sigma2, so the trace is the sum of the square roots of its eigenvalues.
    """
    lower1, lower2 = _cholesky(sigma1), _cholesky(sigma2)
    if lower1 is not None and lower2 is not None:  # the usual case: both full rank
        # L2^T L1 by a triangular BLAS product: half the work of a general matmul.
        cross = scipy.linalg.blas.dtrmm(1.0, lower2, lower1, lower=1, trans_a=1)
    else:  # singular (e.g. fewer samples than dimensions), or not a covariance: eigh tells
        factor1 = lower1 if lower1 is not None else _eigh_factor(sigma1, "sigma1")
        factor2 = lower2 if lower2 is not None else _eigh_factor(sigma2, "sigma2")
        cross = factor2.T @ factor1
    gram = cross.T @ cross  # (d, d) = F1^T sigma2 F1, exactly symmetric (BLAS syrk)
    eigenvalues = scipy.linalg.eigvalsh(gram, check_finite=False)
    return float(np.sum(np.sqrt(np.clip(eigenvalues, 0.0, None))))  # negatives: round-off


def _sqrtm(matrix: np.ndarray) -> np.ndarray:
    # SciPy >= 1.16 warns (LinAlgWarning) on singular or ill-conditioned input where
    # pytorch-fid's sqrtm(disp=False) stayed silent; the finiteness check after it is the
    # formula's own guard, so the warning is silenced here only.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
        return scipy.linalg.sqrtm(matrix)


def _trace_sqrt_pytorch_fid(sigma1: np.ndarray, sigma2: np.ndarray) -> float:
    """tr(sqrtm(sigma1 @ sigma2)) exactly as pytorch-fid computes it (eps retry included)."""
    covmean = _sqrtm(sigma1 @ sigma2)
    if not np.all(np.isfinite(covmean)):
        warnings.warn(
            f"sqrtm(sigma1 @ sigma2) is not finite (the product is singular); adding "
            f"eps={PYTORCH_FID_EPS:g} to the diagonals of both covariances and retrying, "
            "as pytorch-fid does.",
            SingularProductWarning,
            stacklevel=4,
        )
        offset = PYTORCH_FID_EPS * np.eye(sigma1.shape[0])
        covmean = _sqrtm((sigma1 + offset) @ (sigma2 + offset))
        if not np.all(np.isfinite(covmean)):
            raise ValueError(
                "sqrtm(sigma1 @ sigma2) is not finite even after adding eps to the diagonals; "
                "use more samples, or method='symmetric'."
            )
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0.0, atol=1e-3):
            raise ValueError(
                "sqrtm(sigma1 @ sigma2) has a non-negligible imaginary part (up to "
                f"{np.max(np.abs(covmean.imag)):.3g}); the covariances are not valid, or too "
                "singular for this method: use method='symmetric'."
            )
        covmean = covmean.real
    return float(np.trace(covmean))


_TRACE_SQRT = {"symmetric": _trace_sqrt_symmetric, "pytorch-fid": _trace_sqrt_pytorch_fid}


def _check_method(method: str) -> str:
    if method not in _TRACE_SQRT:
        raise ValueError(f"method must be one of {tuple(_TRACE_SQRT)}, got {method!r}.")
    return method


def _frechet_distance(
    mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray, method: str
) -> float:
    trace_sqrt = _TRACE_SQRT[method](sigma1, sigma2)
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * trace_sqrt)


def frechet_distance_from_statistics(
    mu1: ArrayLike,
    sigma1: ArrayLike,
    mu2: ArrayLike,
    sigma2: ArrayLike,
    *,
    method: FIDMethod = "symmetric",
) -> float:
    """Frechet distance between N(mu1, sigma1) and N(mu2, sigma2) (the FID, from statistics).

    Args:
        mu1, mu2: (d,) finite means.
        sigma1, sigma2: (d, d) finite symmetric positive semi-definite covariances (float32 or
            float64; computed in float64).
        method: ``"symmetric"`` or ``"pytorch-fid"`` (see the module docstring).

    Returns:
        The FID, a float >= 0 up to round-off (not clipped; a tiny negative value means 0).
    """
    method = _check_method(method)
    mu1 = as_vector(mu1, "mu1")
    mu2 = as_vector(mu2, "mu2")
    if mu2.shape != mu1.shape:
        raise ValueError(f"mu1 has {mu1.size} dimensions but mu2 has {mu2.size}; they must match.")
    dim = mu1.size
    sigma1 = as_covariance(sigma1, "sigma1", dim, rtol=_SYMMETRY_RTOL)
    sigma2 = as_covariance(sigma2, "sigma2", dim, rtol=_SYMMETRY_RTOL)
    return _frechet_distance(mu1, sigma1, mu2, sigma2, method)


def frechet_distance(
    features_a: ArrayLike,
    features_b: ArrayLike,
    *,
    ddof: int = 1,
    method: FIDMethod = "symmetric",
) -> float:
    """FID between two sets of features (e.g. real and generated), from the features themselves.

    Args:
        features_a, features_b: (samples, d) finite real arrays from the same extractor; the
            sample counts may differ. Use more samples than ``d`` (else a
            :class:`FewSamplesWarning`): 2048-d Inception features need well over 2,048.
        ddof: covariance normalisation, see :func:`feature_statistics`.
        method: ``"symmetric"`` or ``"pytorch-fid"`` (see the module docstring).

    Returns:
        The FID, a float >= 0 up to round-off (not clipped; a tiny negative value means 0).
    """
    ddof, method = _check_ddof(ddof), _check_method(method)
    a = as_matrix(features_a, "features_a")
    b = as_matrix(features_b, "features_b")
    check_same_dimension(a, b, "features_a", "features_b")
    mu1, sigma1 = _statistics(a, ddof, "features_a")
    mu2, sigma2 = _statistics(b, ddof, "features_b")
    return _frechet_distance(mu1, sigma1, mu2, sigma2, method)


# ## FID-infinity ##################################################################################


@dataclass(frozen=True)
class FIDInfinity:
    """FID extrapolated to infinitely many generated samples, with the points of the fit.

    Attributes:
        value: the extrapolated FID (the fit's intercept at 1/N = 0).
        slope: the fit's slope, d FID / d(1/N): the size of FID's bias.
        sample_sizes: (points,) int array, the N of each point.
        fids: (points,) float64 array, the FID measured at each N.
    """

    value: float
    slope: float
    sample_sizes: np.ndarray
    fids: np.ndarray


def _fid_infinity_sizes(sample_sizes: ArrayLike | None, num_points: int, n_fake: int) -> np.ndarray:
    if sample_sizes is None:
        # Chong & Forsyth use 15 sizes from 5,000 to 50,000: a tenth of the set up to all of it.
        points = check_int(num_points, "num_points", minimum=2)
        sample_sizes = np.linspace(max(2, n_fake // 10), n_fake, points).round().astype(np.int64)
    sizes = np.unique(np.asarray(sample_sizes))
    if sizes.dtype.kind not in "iuf" or np.any(sizes != np.round(sizes)):
        raise ValueError(f"sample_sizes must be whole numbers, got {sample_sizes!r}.")
    sizes = sizes.astype(np.int64)
    if sizes.size < 2 or sizes[0] < 2 or sizes[-1] > n_fake:
        raise ValueError(
            f"sample_sizes must hold at least 2 different sizes between 2 and the "
            f"{n_fake} fake samples, got {sizes.tolist()}."
        )
    return sizes


def fid_infinity(
    real_features: ArrayLike,
    fake_features: ArrayLike,
    *,
    sample_sizes: ArrayLike | None = None,
    num_points: int = 15,
    seed: int = 0,
    ddof: int = 1,
    method: FIDMethod = "symmetric",
) -> FIDInfinity:
    """FID-infinity (Chong & Forsyth 2020, https://arxiv.org/abs/1911.07023).

    FID is biased upward, the more the fewer generated samples it sees, and the bias is close
    to linear in 1/N. So: measure FID between all ``real_features`` and a random subset of N
    ``fake_features`` (drawn without replacement, independently for each N) at several N, fit
    FID = value + slope / N by least squares, and report the intercept.

    Args:
        real_features: (n_real, d) features of real data; all of them are used at every N.
        fake_features: (n_fake, d) features of generated data, subsampled.
        sample_sizes: the N to use (whole numbers in [2, n_fake], at least 2 different); by
            default ``num_points`` evenly spaced sizes from n_fake // 10 to n_fake (the paper's
            5,000 to 50,000, in proportion).
        num_points: number of default sizes (the paper uses 15).
        seed: seeds the subsets, so the result is reproducible.
        ddof, method: as in :func:`frechet_distance`.

    Returns:
        A :class:`FIDInfinity` with the value, the slope and the points (to plot the fit).
    """
    ddof, method = _check_ddof(ddof), _check_method(method)
    real = as_matrix(real_features, "real_features")
    fake = as_matrix(fake_features, "fake_features")
    check_same_dimension(real, fake, "real_features", "fake_features")
    sizes = _fid_infinity_sizes(sample_sizes, num_points, fake.shape[0])
    rng = np.random.default_rng(check_seed(seed))
    mu_real, sigma_real = _statistics(real, ddof, "real_features")
    fids = np.empty(sizes.size)
    for i, size in enumerate(sizes):
        subset = fake[rng.choice(fake.shape[0], size=size, replace=False)]
        mu_fake, sigma_fake = _statistics(subset, ddof, f"a subset of {size} fake_features")
        fids[i] = _frechet_distance(mu_real, sigma_real, mu_fake, sigma_fake, method)
    slope, intercept = np.polyfit(1.0 / sizes, fids, deg=1)
    return FIDInfinity(float(intercept), float(slope), sizes, fids)
