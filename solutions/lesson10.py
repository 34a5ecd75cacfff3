"""Lesson 10 exercise: score a real-or-fake session, with stratified bootstrap intervals.

A session is a list of answers. Here it comes as two boolean arrays of the same length n:
`is_real[i]` says whether image i was real (False: generated), `is_wrong[i]` whether the rater
got it wrong (called a real image fake, or a fake real). Rates are fractions in [0, 1].
Check your answer with `gancourse grade lesson10`.

Zhou et al. 2019, HYPE, https://arxiv.org/abs/1904.01121; Efron & Tibshirani 1993, An
Introduction to the Bootstrap (the percentile interval).
"""

import numpy as np

RATES = ("hype", "error_rate", "real_error_rate", "fake_error_rate")


def score_answers(
    is_real: np.ndarray,
    is_wrong: np.ndarray,
    n_bootstrap: int = 10_000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, tuple[float, float, float]]:
    """Four error rates of a session, each with a percentile bootstrap interval.

    With n_real answers on real images (k_real of them wrong) and n_fake on fakes (k_fake wrong):

    - "real_error_rate" = k_real / n_real, real images called fake;
    - "fake_error_rate" = k_fake / n_fake, fakes called real;
    - "hype" = (real_error_rate + fake_error_rate) / 2, the HYPE-infinity score;
    - "error_rate" = (k_real + k_fake) / (n_real + n_fake), wrong answers among all.

    The interval: draw `n_bootstrap` resamples, each made of n_real answers drawn with
    replacement from the answers on real images AND n_fake drawn with replacement from the
    answers on fakes (a stratified bootstrap: the game fixes how many of each it shows, so every
    resample keeps those counts); compute all four rates on each resample; the interval is the
    pair of (1 - confidence) / 2 and (1 + confidence) / 2 quantiles of the resampled rates
    (np.quantile's default method). Draw with `np.random.default_rng(seed)`, so that the same
    seed gives the same intervals.

    Returns a dict with the four names above as keys, each mapping to a tuple of three floats
    (rate, low, high). Raises ValueError when there are no answers on real images or none on
    fakes (a rate of each kind needs both).
    """
    # BEGIN SOLUTION
    # HINT: split is_wrong by kind first: is_wrong[is_real] are the answers on real images.
    # HINT: rng.integers(0, n, size=(n_bootstrap, n)) gives n random indices in each of
    # HINT: n_bootstrap rows: one resample per row.
    # HINT: every rate of a resample is computed from that resample's two per-kind rates.
    is_real = np.asarray(is_real, dtype=bool)  # (n,)
    is_wrong = np.asarray(is_wrong, dtype=bool)  # (n,)
    if is_real.shape != is_wrong.shape or is_real.ndim != 1:
        raise ValueError("is_real and is_wrong must be 1-D arrays of the same length")
    real_wrong, fake_wrong = is_wrong[is_real], is_wrong[~is_real]  # (n_real,), (n_fake,)
    n_real, n_fake = real_wrong.size, fake_wrong.size
    if n_real == 0 or n_fake == 0:
        raise ValueError("the session needs answers on both real and fake images")

    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_real, size=(n_bootstrap, n_real))  # each row: one resample
    real_draws = real_wrong[picks].mean(axis=1)  # (n_bootstrap,) resampled real_error_rate
    picks = rng.integers(0, n_fake, size=(n_bootstrap, n_fake))
    fake_draws = fake_wrong[picks].mean(axis=1)  # (n_bootstrap,) resampled fake_error_rate
    # (Equivalently: the number of errors in a resample is Binomial(n, k / n), which is what
    # gancourse.metrics.score_session draws; any correct resampling passes the grader.)

    def rates(real_rate, fake_rate):
        pooled = (real_rate * n_real + fake_rate * n_fake) / (n_real + n_fake)
        return {
            "hype": (real_rate + fake_rate) / 2,
            "error_rate": pooled,
            "real_error_rate": real_rate,
            "fake_error_rate": fake_rate,
        }

    observed = rates(real_wrong.mean(), fake_wrong.mean())
    resampled = rates(real_draws, fake_draws)
    quantiles = [(1 - confidence) / 2, (1 + confidence) / 2]
    result = {}
    for name in RATES:
        low, high = np.quantile(resampled[name], quantiles)
        result[name] = (float(observed[name]), float(low), float(high))
    return result
    # END SOLUTION
