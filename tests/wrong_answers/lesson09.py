"""Plausible wrong answers to lesson 09, each with a phrase its grader's message must contain."""

import numpy as np
import scipy.linalg

# --------------------------------------------------------------------------- frechet_distance


def _statistics(features, ddof=1, dtype=np.float64):
    x = np.asarray(features, dtype=dtype)
    mu = x.mean(axis=0)
    return mu, (x - mu).T @ (x - mu) / (len(x) - ddof)


def _fid(a, b, trace_sqrt, ddof=1, mean_term=lambda diff: diff @ diff, dtype=np.float64):
    mu_a, sigma_a = _statistics(a, ddof, dtype)
    mu_b, sigma_b = _statistics(b, ddof, dtype)
    covariances = np.trace(sigma_a) + np.trace(sigma_b) - 2 * trace_sqrt(sigma_a, sigma_b)
    return float(mean_term(mu_a - mu_b) + covariances)


def _trace_sqrtm(sigma_a, sigma_b):
    return np.trace(scipy.linalg.sqrtm(sigma_a @ sigma_b)).real


def fid_elementwise_sqrt(features_a, features_b):
    return _fid(features_a, features_b, lambda s1, s2: np.trace(np.sqrt(s1 @ s2)))


def fid_eigvalsh_of_the_product(features_a, features_b):
    def trace_sqrt(s1, s2):
        return np.sum(np.sqrt(np.clip(np.linalg.eigvalsh(s1 @ s2), 0, None)))

    return _fid(features_a, features_b, trace_sqrt)


def fid_product_of_square_roots(features_a, features_b):
    def trace_sqrt(s1, s2):
        return np.trace(scipy.linalg.sqrtm(s1) @ scipy.linalg.sqrtm(s2)).real

    return _fid(features_a, features_b, trace_sqrt)


def fid_ddof_zero(features_a, features_b):
    return _fid(features_a, features_b, _trace_sqrtm, ddof=0)


def fid_without_the_mean_term(features_a, features_b):
    return _fid(features_a, features_b, _trace_sqrtm, mean_term=lambda diff: 0.0)


def fid_mean_distance_not_squared(features_a, features_b):
    return _fid(features_a, features_b, _trace_sqrtm, mean_term=np.linalg.norm)


def fid_in_float32(features_a, features_b):
    def trace_sqrt(s1, s2):
        eigenvalues = np.linalg.eigvals(s1 @ s2).real  # float32 in, float32 out
        return np.sum(np.sqrt(np.clip(eigenvalues, 0, None)))

    return _fid(features_a, features_b, trace_sqrt, dtype=np.asarray(features_a).dtype)


def fid_complex(features_a, features_b):
    mu_a, sigma_a = _statistics(features_a)
    mu_b, sigma_b = _statistics(features_b)
    covmean = scipy.linalg.sqrtm(sigma_a @ sigma_b).astype(complex)  # .real forgotten
    diff = mu_a - mu_b
    return diff @ diff + np.trace(sigma_a) + np.trace(sigma_b) - 2 * np.trace(covmean)


def fid_centring_in_place(features_a, features_b):
    features_a -= features_a.mean(axis=0)
    features_b -= features_b.mean(axis=0)
    return _fid(features_a, features_b, _trace_sqrtm)


# --------------------------------------------------------------------------- inception_score


def _split_scores(p, splits, score, parts=None):
    p = np.asarray(p, dtype=np.float64)
    n = len(p)
    if parts is None:
        parts = [p[n * k // splits : n * (k + 1) // splits] for k in range(splits)]
    scores = [score(part) for part in parts]
    return float(np.mean(scores)), float(np.std(scores))


def _careful_score(part, marginal=None):
    marginal = part.mean(axis=0) if marginal is None else marginal
    safe = np.where(part > 0, part, 1.0)
    kl = np.sum(np.where(part > 0, part * np.log(safe / marginal), 0.0), axis=1)
    return np.exp(kl.mean())


def is_log_of_zero(probabilities, splits=10):
    def score(part):
        marginal = part.mean(axis=0)
        return np.exp(np.mean(np.sum(part * (np.log(part) - np.log(marginal)), axis=1)))

    return _split_scores(probabilities, splits, score)


def is_kl_reversed(probabilities, splits=10):
    def score(part):
        marginal = part.mean(axis=0)
        safe = np.where(part > 0, part, 1e-12)
        return np.exp(np.mean(np.sum(marginal * np.log(marginal / safe), axis=1)))

    return _split_scores(probabilities, splits, score)


def is_one_split(probabilities, splits=10):
    return _split_scores(probabilities, 1, _careful_score)


def is_marginal_over_all_samples(probabilities, splits=10):
    marginal = np.asarray(probabilities, dtype=np.float64).mean(axis=0)
    return _split_scores(probabilities, splits, lambda part: _careful_score(part, marginal))


def is_strided_splits(probabilities, splits=10):
    p = np.asarray(probabilities, dtype=np.float64)
    return _split_scores(p, splits, _careful_score, parts=[p[k::splits] for k in range(splits)])


def is_std_with_ddof_one(probabilities, splits=10):
    p = np.asarray(probabilities, dtype=np.float64)
    n = len(p)
    scores = [_careful_score(p[n * k // splits : n * (k + 1) // splits]) for k in range(splits)]
    return float(np.mean(scores)), float(np.std(scores, ddof=1))


# --------------------------------------------------------------------------- kid


def _mmd2(x, y, degree=3, scaled=True, biased=False, cross_diagonal=True):
    d = x.shape[1] if scaled else 1

    def kernel(a, b):
        return (a @ b.T / d + 1.0) ** degree

    k_xx, k_yy, k_xy = kernel(x, x), kernel(y, y), kernel(x, y)
    m = len(x)
    if biased:
        return k_xx.mean() + k_yy.mean() - 2 * k_xy.mean()
    within = (k_xx.sum() - np.trace(k_xx) + k_yy.sum() - np.trace(k_yy)) / (m * (m - 1))
    cross = k_xy.mean() if cross_diagonal else (k_xy.sum() - np.trace(k_xy)) / (m * (m - 1))
    return within - 2 * cross


def _kid(a, b, subsets, subset_size, seed, mmd2=_mmd2, replace=False, ddof=0):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    m = min(subset_size, len(a), len(b))
    rng = np.random.default_rng(seed)
    values = [
        mmd2(
            a[rng.choice(len(a), size=m, replace=replace)],
            b[rng.choice(len(b), size=m, replace=replace)],
        )
        for _ in range(subsets)
    ]
    return float(np.mean(values)), float(np.std(values, ddof=ddof))


def kid_biased(features_a, features_b, subsets=100, subset_size=1000, seed=0):
    return _kid(
        features_a, features_b, subsets, subset_size, seed, lambda x, y: _mmd2(x, y, biased=True)
    )


def kid_quadratic_kernel(features_a, features_b, subsets=100, subset_size=1000, seed=0):
    return _kid(
        features_a, features_b, subsets, subset_size, seed, lambda x, y: _mmd2(x, y, degree=2)
    )


def kid_without_dividing_by_d(features_a, features_b, subsets=100, subset_size=1000, seed=0):
    return _kid(
        features_a, features_b, subsets, subset_size, seed, lambda x, y: _mmd2(x, y, scaled=False)
    )


def kid_cross_term_without_diagonal(features_a, features_b, subsets=100, subset_size=1000, seed=0):
    def mmd2(x, y):
        return _mmd2(x, y, cross_diagonal=False)

    return _kid(features_a, features_b, subsets, subset_size, seed, mmd2)


def kid_with_replacement(features_a, features_b, subsets=100, subset_size=1000, seed=0):
    return _kid(features_a, features_b, subsets, subset_size, seed, replace=True)


def kid_std_with_ddof_one(features_a, features_b, subsets=100, subset_size=1000, seed=0):
    return _kid(features_a, features_b, subsets, subset_size, seed, ddof=1)


def kid_one_size_per_set(features_a, features_b, subsets=100, subset_size=1000, seed=0):
    a, b = np.asarray(features_a), np.asarray(features_b)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(subsets):
        x = a[rng.choice(len(a), size=min(subset_size, len(a)), replace=False)]
        y = b[rng.choice(len(b), size=min(subset_size, len(b)), replace=False)]
        d = x.shape[1]
        k_xx, k_yy, k_xy = ((u @ v.T / d + 1.0) ** 3 for u, v in ((x, x), (y, y), (x, y)))
        within_x = (k_xx.sum() - np.trace(k_xx)) / (len(x) * (len(x) - 1))
        within_y = (k_yy.sum() - np.trace(k_yy)) / (len(y) * (len(y) - 1))
        values.append(within_x + within_y - 2 * k_xy.mean())
    return float(np.mean(values)), float(np.std(values))


def kid_subsets_drawn_b_first(features_a, features_b, subsets=100, subset_size=1000, seed=0):
    a, b = np.asarray(features_a), np.asarray(features_b)
    m = min(subset_size, len(a), len(b))
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(subsets):
        y = b[rng.choice(len(b), size=m, replace=False)]
        x = a[rng.choice(len(a), size=m, replace=False)]
        values.append(_mmd2(x, y))
    return float(np.mean(values)), float(np.std(values))


WRONG_ANSWERS = [
    ("frechet_distance", fid_elementwise_sqrt, "MATRIX square root"),
    ("frechet_distance", fid_eigvalsh_of_the_product, "eigvalsh"),
    ("frechet_distance", fid_product_of_square_roots, "commute"),
    ("frechet_distance", fid_ddof_zero, "ddof=1"),
    ("frechet_distance", fid_without_the_mean_term, "mean term"),
    ("frechet_distance", fid_mean_distance_not_squared, "SQUARED distance"),
    ("frechet_distance", fid_in_float32, "float64"),
    ("frechet_distance", fid_complex, "complex"),
    ("frechet_distance", fid_centring_in_place, "in place"),
    ("inception_score", is_log_of_zero, "0 log 0"),
    ("inception_score", is_kl_reversed, "not the reverse"),
    ("inception_score", is_one_split, "as one split"),
    ("inception_score", is_marginal_over_all_samples, "each split's own rows"),
    ("inception_score", is_strided_splits, "contiguous blocks"),
    ("inception_score", is_std_with_ddof_one, "ddof=0"),
    ("kid", kid_biased, "leaves out the diagonal"),
    ("kid", kid_quadratic_kernel, "not a square"),
    ("kid", kid_without_dividing_by_d, "divide the dot product"),
    ("kid", kid_cross_term_without_diagonal, "ALL pairs"),
    ("kid", kid_with_replacement, "without replacement"),
    ("kid", kid_std_with_ddof_one, "ddof=0"),
    ("kid", kid_one_size_per_set, "min(subset_size, n_a, n_b)"),
    ("kid", kid_subsets_drawn_b_first, "rng.choice(n_a, size=m, replace=False) and then"),
]
