"""Plausible wrong answers to lesson 10, each with a phrase its grader's message must contain."""

import numpy as np

# --------------------------------------------------------------------------- score_answers


def _split(is_real, is_wrong):
    is_real, is_wrong = np.asarray(is_real, bool), np.asarray(is_wrong, bool)
    if is_real.all() or not is_real.any():
        raise ValueError("the session needs answers on both real and fake images")
    return is_real, is_wrong


def _resample_kind(rng, answers, n_bootstrap):
    picks = rng.integers(0, answers.size, size=(n_bootstrap, answers.size))
    return answers[picks].mean(axis=1)


def _score(
    is_real,
    is_wrong,
    n_bootstrap,
    confidence,
    seed,
    *,
    hype=lambda real, fake, n_real, n_fake: (real + fake) / 2,
    pooled=lambda real, fake, n_real, n_fake: (real * n_real + fake * n_fake) / (n_real + n_fake),
    quantiles=lambda confidence: [(1 - confidence) / 2, (1 + confidence) / 2],
    interval=None,
    swap=False,
    rng=None,
):
    """A correct stratified bootstrap, with one part replaceable by a mistake."""
    is_real, is_wrong = _split(is_real, is_wrong)
    real_wrong, fake_wrong = is_wrong[is_real], is_wrong[~is_real]
    if swap:
        real_wrong, fake_wrong = fake_wrong, real_wrong
    n_real, n_fake = real_wrong.size, fake_wrong.size
    rng = np.random.default_rng(seed) if rng is None else rng
    real_draws = _resample_kind(rng, real_wrong, n_bootstrap)
    fake_draws = _resample_kind(rng, fake_wrong, n_bootstrap)

    def rates(real, fake):
        return {
            "hype": hype(real, fake, n_real, n_fake),
            "error_rate": pooled(real, fake, n_real, n_fake),
            "real_error_rate": real,
            "fake_error_rate": fake,
        }

    observed = rates(real_wrong.mean(), fake_wrong.mean())
    resampled = rates(real_draws, fake_draws)
    out = {}
    for name, value in observed.items():
        if interval is None:
            low, high = np.quantile(resampled[name], quantiles(confidence))
        else:
            low, high = interval(value, resampled[name], confidence)
        out[name] = (float(value), float(low), float(high))
    return out


def unstratified(is_real, is_wrong, n_bootstrap=10_000, confidence=0.95, seed=0):
    # Resamples all answers together: the numbers of real and fake answers vary.
    is_real, is_wrong = _split(is_real, is_wrong)
    n = is_real.size
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, size=(n_bootstrap, n))
    real, wrong = is_real[picks], is_wrong[picks]  # (n_bootstrap, n)
    n_real = real.sum(axis=1)
    real_draws = (wrong & real).sum(axis=1) / n_real
    fake_draws = (wrong & ~real).sum(axis=1) / (n - n_real)
    draws = {
        "hype": (real_draws + fake_draws) / 2,
        "error_rate": wrong.mean(axis=1),
        "real_error_rate": real_draws,
        "fake_error_rate": fake_draws,
    }
    observed_real, observed_fake = is_wrong[is_real].mean(), is_wrong[~is_real].mean()
    observed = {
        "hype": (observed_real + observed_fake) / 2,
        "error_rate": is_wrong.mean(),
        "real_error_rate": observed_real,
        "fake_error_rate": observed_fake,
    }
    quantiles = [(1 - confidence) / 2, (1 + confidence) / 2]
    return {
        name: (float(observed[name]), *map(float, np.quantile(draws[name], quantiles)))
        for name in observed
    }


def pooled_hype(is_real, is_wrong, n_bootstrap=10_000, confidence=0.95, seed=0):
    pooled = lambda real, fake, n_real, n_fake: (real * n_real + fake * n_fake) / (n_real + n_fake)  # noqa: E731
    return _score(is_real, is_wrong, n_bootstrap, confidence, seed, hype=pooled)


def error_rate_as_mean_of_kinds(is_real, is_wrong, n_bootstrap=10_000, confidence=0.95, seed=0):
    mean = lambda real, fake, n_real, n_fake: (real + fake) / 2  # noqa: E731
    return _score(is_real, is_wrong, n_bootstrap, confidence, seed, pooled=mean)


def kinds_swapped(is_real, is_wrong, n_bootstrap=10_000, confidence=0.95, seed=0):
    return _score(is_real, is_wrong, n_bootstrap, confidence, seed, swap=True)


def quantiles_not_halved(is_real, is_wrong, n_bootstrap=10_000, confidence=0.95, seed=0):
    # 1 - confidence and confidence: a 90% interval for confidence 0.95.
    return _score(is_real, is_wrong, n_bootstrap, confidence, seed, quantiles=lambda c: [1 - c, c])


def quantiles_fixed_at_95(is_real, is_wrong, n_bootstrap=10_000, confidence=0.95, seed=0):
    # Ignores the confidence argument.
    return _score(
        is_real, is_wrong, n_bootstrap, confidence, seed, quantiles=lambda c: [0.025, 0.975]
    )


def normal_approximation(is_real, is_wrong, n_bootstrap=10_000, confidence=0.95, seed=0):
    # rate +- 1.96 standard deviations of the resampled rates: symmetric, can leave [0, 1].
    def interval(value, draws, confidence):
        spread = 1.96 * draws.std()
        return value - spread, value + spread

    return _score(is_real, is_wrong, n_bootstrap, confidence, seed, interval=interval)


def unseeded(is_real, is_wrong, n_bootstrap=10_000, confidence=0.95, seed=0):
    return _score(is_real, is_wrong, n_bootstrap, confidence, seed, rng=np.random.default_rng())


def no_check_for_a_missing_kind(is_real, is_wrong, n_bootstrap=10_000, confidence=0.95, seed=0):
    is_real, is_wrong = np.asarray(is_real, bool), np.asarray(is_wrong, bool)
    if not is_real.all():
        return _score(is_real, is_wrong, n_bootstrap, confidence, seed)
    real = float(is_wrong.mean())  # no fakes: the fake rate is taken as 0
    return {name: (real / 2, 0.0, 1.0) for name in ("hype", "error_rate")} | {
        "real_error_rate": (real, 0.0, 1.0),
        "fake_error_rate": (0.0, 0.0, 0.0),
    }


WRONG_ANSWERS = [
    ("score_answers", unstratified, "stratified bootstrap"),
    ("score_answers", pooled_hype, "MEAN of the two per-kind rates"),
    ("score_answers", error_rate_as_mean_of_kinds, "wrong answers among ALL answers"),
    ("score_answers", kinds_swapped, "seem swapped"),
    ("score_answers", quantiles_not_halved, "(1 - confidence) / 2"),
    ("score_answers", quantiles_fixed_at_95, "from the `confidence` argument"),
    ("score_answers", normal_approximation, "normal approximation"),
    ("score_answers", unseeded, "np.random.default_rng(seed)"),
    ("score_answers", no_check_for_a_missing_kind, "raise ValueError"),
]
