"""Inception Score (Salimans et al. 2016, https://arxiv.org/abs/1606.03498).

    IS = exp( E_x KL( p(y|x) || p(y) ) ),   p(y) = E_x p(y|x)

High when each sample is classified confidently (low-entropy p(y|x)) and the samples spread
over many classes (high-entropy p(y)); it lies between 1 and the number of classes. As in the
paper's code, the samples are cut into ``splits`` contiguous parts, IS is computed on each, and
the mean and standard deviation (ddof=0) over the parts are returned. Everything is computed in
float64, and 0 log 0 is taken as 0, so classes with zero probability are fine.
"""

from __future__ import annotations

import numpy as np
import scipy.special
from numpy.typing import ArrayLike

from ..validation import as_matrix, as_probabilities, check_int, check_seed

__all__ = ["inception_score", "inception_score_from_logits"]


def _log_where_positive(values: np.ndarray) -> np.ndarray:
    """log(values) where values > 0, and 0 where values == 0.

    Every such log is multiplied by the same probability, so a 0 there contributes 0 log 0 = 0.
    """
    return np.log(np.where(values > 0, values, 1.0))


def _scores(
    probabilities: np.ndarray,
    log_probabilities: np.ndarray,
    splits: int,
    shuffle_seed: int | None,
) -> tuple[float, float]:
    """Mean and std of IS over contiguous splits; log_probabilities may be 0 where p is 0."""
    n = probabilities.shape[0]
    splits = check_int(splits, "splits")
    if n < 2 * splits:
        raise ValueError(
            f"need at least 2 samples per split: {n} samples cannot fill {splits} splits; "
            "pass more samples or fewer splits."
        )
    if shuffle_seed is not None:
        order = np.random.default_rng(check_seed(shuffle_seed, "shuffle_seed")).permutation(n)
        probabilities, log_probabilities = probabilities[order], log_probabilities[order]
    scores = np.empty(splits)
    for k in range(splits):
        part = slice(k * n // splits, (k + 1) * n // splits)  # the paper's split boundaries
        p, log_p = probabilities[part], log_probabilities[part]
        log_marginal = _log_where_positive(p.mean(axis=0))  # log p(y): 0 only where all p are 0
        kl = np.sum(p * (log_p - log_marginal), axis=1)  # KL(p(y|x) || p(y)) per sample
        scores[k] = np.exp(np.mean(kl))
    return float(np.mean(scores)), float(np.std(scores))


def inception_score(
    probabilities: ArrayLike, *, splits: int = 10, shuffle_seed: int | None = None
) -> tuple[float, float]:
    """Inception Score from class probabilities p(y|x).

    Args:
        probabilities: (samples, classes) softmax outputs: finite, >= 0, each row summing to 1
            (within 1e-3; they are used as given, not renormalised); zeros allowed.
        splits: number of contiguous splits (10 in the paper); each needs >= 2 samples.
        shuffle_seed: if given, the samples are shuffled with this seed before splitting.

    Returns:
        ``(mean, std)`` of the per-split scores, floats in [1, classes].
    """
    p = as_probabilities(probabilities, "probabilities")
    return _scores(p, _log_where_positive(p), splits, shuffle_seed)


def inception_score_from_logits(
    logits: ArrayLike, *, splits: int = 10, shuffle_seed: int | None = None
) -> tuple[float, float]:
    """Inception Score from classifier logits, via log-softmax in float64 (no log of 0).

    Args:
        logits: (samples, classes) finite real array (pre-softmax scores).
        splits, shuffle_seed: as in :func:`inception_score`.

    Returns:
        ``(mean, std)`` of the per-split scores, floats in [1, classes].
    """
    z = as_matrix(logits, "logits", what="classes")
    log_p = scipy.special.log_softmax(z, axis=1)
    return _scores(np.exp(log_p), log_p, splits, shuffle_seed)
