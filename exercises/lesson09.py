# Your answers. Generated from solutions/lesson09.py by `gancourse make-exercises`:
# replace each `# YOUR CODE HERE` block, then run `gancourse grade`.
"""Lesson 09 exercises: FID, the Inception Score and KID, in NumPy.

Features are float arrays of shape (samples, dim), one row per image (from the same feature
extractor for both sets); probabilities are (samples, classes), each row a softmax output
(>= 0, summing to 1, zeros allowed). Work in float64. Check your answers with
`gancourse grade lesson09`.

- FID: Heusel et al. 2017, https://arxiv.org/abs/1706.08500
- Inception Score: Salimans et al. 2016, https://arxiv.org/abs/1606.03498
- KID: Binkowski et al. 2018, https://arxiv.org/abs/1801.01401
"""

import numpy as np
import scipy.linalg
import scipy.special


def frechet_distance(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """The Frechet distance between Gaussians fitted to two sets of features (the FID).

        FID = |mu_a - mu_b|^2 + tr(sigma_a) + tr(sigma_b) - 2 tr((sigma_a sigma_b)^(1/2))

    mu is the mean of each set (shape (dim,)) and sigma its covariance (dim, dim), with ddof=1
    (divide by samples - 1, as np.cov). (sigma_a sigma_b)^(1/2) is the MATRIX square root.
    Returns a float (>= 0 up to round-off).
    """
    # YOUR CODE HERE
    # HINT: (sigma_a sigma_b) is not symmetric, so np.linalg.eigvalsh must not be used on it.
    # HINT: Either take scipy.linalg.sqrtm(sigma_a @ sigma_b).real, or the symmetric route:
    # HINT: with r = sigma_a^(1/2) (from eigh of sigma_a), r @ sigma_b @ r is symmetric and has the
    # HINT: same eigenvalues as sigma_a sigma_b; tr((sigma_a sigma_b)^(1/2)) = sum of their roots.
    raise NotImplementedError("frechet_distance is not implemented yet: write it in exercises/lesson09.py")


def inception_score(probabilities: np.ndarray, splits: int = 10) -> tuple[float, float]:
    """The Inception Score, exp(mean over samples of KL(p(y|x) || p(y))), over contiguous splits.

    Cut the samples into `splits` contiguous parts: part k holds rows n*k//splits up to (not
    including) n*(k+1)//splits. In each part, p(y) is the mean of that part's rows, and the
    part's score is exp of the mean over its rows of KL(p(y|x) || p(y)) =
    sum over classes of p(y|x) log(p(y|x) / p(y)), where 0 log 0 counts as 0.
    Returns (mean, standard deviation with ddof=0) of the `splits` scores, as floats.
    """
    # YOUR CODE HERE
    # HINT: np.log(0) is -inf and 0 * -inf is NaN: scipy.special.rel_entr(p, q) computes
    # HINT: p log(p / q) with 0 log 0 = 0.
    raise NotImplementedError("inception_score is not implemented yet: write it in exercises/lesson09.py")


def kid(
    features_a: np.ndarray,
    features_b: np.ndarray,
    subsets: int = 100,
    subset_size: int = 1000,
    seed: int = 0,
) -> tuple[float, float]:
    """The Kernel Inception Distance: the unbiased MMD^2 with a cubic kernel, over random subsets.

    Kernel, for two feature vectors of dimension d:  k(x, y) = (x . y / d + 1)^3.
    Unbiased MMD^2 between sets X (m samples) and Y (m samples), leaving out the diagonal terms
    k(x_i, x_i) and k(y_i, y_i) (but not the cross terms k(x_i, y_i)):

        MMD^2 = sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (m (m - 1))
                - 2 sum_{i, j} k(x_i, y_j) / m^2

    Each subset uses m = min(subset_size, n_a, n_b) samples of each set, drawn without
    replacement, in this order: rng = np.random.default_rng(seed) once; then for each subset
    rng.choice(n_a, size=m, replace=False) for features_a, then the same with n_b for features_b.
    Returns (mean, standard deviation with ddof=0) of MMD^2 over the `subsets` subsets, as floats.
    """
    # YOUR CODE HERE
    # HINT: x @ y.T gives every dot product at once; for the sums over i != j, subtract the
    # HINT: trace from the sum of the kernel matrix.
    raise NotImplementedError("kid is not implemented yet: write it in exercises/lesson09.py")
