"""Graders for lesson 10 (scoring a real-or-fake session with a stratified bootstrap).

The rates are checked exactly. The intervals are random, so they are checked against the
exact distribution of a stratified bootstrap: the number of errors in a resample of one kind is
Binomial(n, k / n), independently for real and fake images, so every rate of a resample has a
distribution that can be written down (a convolution of two binomials). An endpoint passes
when it sits at the right quantile of that distribution, give or take the Monte Carlo error of
20,000 resamples. Hand-made sessions single out the usual mistakes: resampling all answers
together (unstratified), the pooled error rate in place of the mean of the two rates, the two
kinds swapped, the wrong quantiles.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
from scipy import stats

from gancourse.grading import GradeFailure, expect, expect_number, expect_value

LESSON = "lesson10"
RATES = ("hype", "error_rate", "real_error_rate", "fake_error_rate")
N_BOOTSTRAP = 20_000  # resamples in the graders' calls: quantiles good to about +-0.002
SLACK = 0.006  # allowed error of an endpoint's quantile level, over 5 Monte Carlo std

UNSTRATIFIED = (
    "resample the answers on real images and those on fakes separately: each resample has "
    "exactly n_real answers on real images and n_fake on fakes, as the game does (a stratified "
    "bootstrap). Resampling all answers together lets the counts of each kind vary"
)
SWAPPED = (
    "real_error_rate is the share of REAL images called fake (wrong answers among the answers "
    "on real images), fake_error_rate the share of FAKES called real: the two seem swapped"
)
POOLED = (
    "hype is the MEAN of the two per-kind rates, (real_error_rate + fake_error_rate) / 2; the "
    "wrong answers among all answers is error_rate (they differ when n_real != n_fake)"
)
MEAN_OF_KINDS = (
    "error_rate is wrong answers among ALL answers, (k_real + k_fake) / (n_real + n_fake), "
    "not the mean of the two per-kind rates (that is hype)"
)
QUANTILES = (
    "the interval's ends are the (1 - confidence) / 2 and (1 + confidence) / 2 quantiles of the "
    "resampled rates (for 95%: 0.025 and 0.975), computed from the `confidence` argument"
)


def _session(real_wrong: list[int], fake_wrong: list[int], seed: int = 0):
    """Shuffled (is_real, is_wrong) arrays: answers on real images first, then fakes."""
    is_real = np.array([True] * len(real_wrong) + [False] * len(fake_wrong))
    is_wrong = np.array(list(real_wrong) + list(fake_wrong), dtype=bool)
    order = np.random.default_rng(seed).permutation(is_real.size)
    return is_real[order], is_wrong[order]


def _counts(is_real: np.ndarray, is_wrong: np.ndarray) -> tuple[int, int, int, int]:
    return (
        int(is_real.sum()),
        int((is_wrong & is_real).sum()),
        int((~is_real).sum()),
        int((is_wrong & ~is_real).sum()),
    )


def _describe(is_real: np.ndarray, is_wrong: np.ndarray) -> str:
    n_real, k_real, n_fake, k_fake = _counts(is_real, is_wrong)
    answers = "answer" if k_real == 1 else "answers"
    return (
        f"a session of {n_real} real images ({k_real} wrong {answers}) and {n_fake} fakes "
        f"({k_fake} wrong), in shuffled order"
    )


def _call(score_answers: Callable[..., object], is_real, is_wrong, what: str, **kwargs):
    """The answer's dict {rate: (value, low, high)}, checked for its form; inputs unchanged."""
    copies = is_real.copy(), is_wrong.copy()
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NaNs are graded by value below
        result = score_answers(is_real, is_wrong, **kwargs)
    expect(
        np.array_equal(is_real, copies[0]) and np.array_equal(is_wrong, copies[1]),
        "score_answers changed is_real or is_wrong in place; leave the inputs as they are.",
    )
    expect(
        isinstance(result, dict),
        f"score_answers should return a dict, got {type(result).__name__}.",
    )
    missing = [name for name in RATES if name not in result]
    expect(not missing, f"the dict has no key {missing[:1]}; it needs {', '.join(RATES)}.")
    checked = {}
    for name in RATES:
        entry = result[name]
        expect(
            isinstance(entry, (tuple, list)) and len(entry) == 3,
            f"result[{name!r}] should be a tuple (rate, low, high), got {entry!r}.",
        )
        numbers = [expect_number(v, f"{what}: result[{name!r}]") for v in entry]
        expect(
            all(np.isfinite(numbers)),
            f"{what}: result[{name!r}] = {tuple(numbers)} is not finite (a division by zero?).",
        )
        checked[name] = tuple(numbers)
    return checked


def _exact_values(is_real: np.ndarray, is_wrong: np.ndarray) -> dict[str, float]:
    n_real, k_real, n_fake, k_fake = _counts(is_real, is_wrong)
    real, fake = k_real / n_real, k_fake / n_fake
    return {
        "hype": (real + fake) / 2,
        "error_rate": (k_real + k_fake) / (n_real + n_fake),
        "real_error_rate": real,
        "fake_error_rate": fake,
    }


def _bootstrap_distributions(is_real, is_wrong) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each rate, the exact distribution of its stratified-bootstrap value: (atoms, probs)."""
    n_real, k_real, n_fake, k_fake = _counts(is_real, is_wrong)
    real_pmf = stats.binom.pmf(np.arange(n_real + 1), n_real, k_real / n_real)  # errors in real
    fake_pmf = stats.binom.pmf(np.arange(n_fake + 1), n_fake, k_fake / n_fake)
    real_rate = np.arange(n_real + 1) / n_real
    fake_rate = np.arange(n_fake + 1) / n_fake
    joint = np.outer(real_pmf, fake_pmf)  # (n_real + 1, n_fake + 1)
    both_counts = np.add.outer(np.arange(n_real + 1), np.arange(n_fake + 1))
    values = {
        "hype": np.add.outer(real_rate, fake_rate) / 2,
        "error_rate": both_counts / (n_real + n_fake),
    }
    out = {name: (v.ravel(), joint.ravel()) for name, v in values.items()}
    out["real_error_rate"] = (real_rate, real_pmf)
    out["fake_error_rate"] = (fake_rate, fake_pmf)
    return out


def _level(atoms: np.ndarray, probs: np.ndarray, x: float) -> tuple[float, float]:
    """P(X < x) and P(X <= x), with a little room for rounding in the atoms."""
    eps = 1e-9
    return float(probs[atoms < x - eps].sum()), float(probs[atoms <= x + eps].sum())


def _expect_endpoint(x: float, level: float, atoms, probs, what: str) -> None:
    below, at_most = _level(atoms, probs, x)
    expect(
        below <= level + SLACK and at_most >= level - SLACK,
        f"{what} is {x:.4g}, which is not the {level:g} quantile of the resampled rates: "
        f"{below:.1%} of a stratified bootstrap's resamples fall below it and {at_most:.1%} at "
        f"or below it (expected about {level:.1%}). {QUANTILES}.",
    )


def _expect_intervals(score_answers, is_real, is_wrong, confidence: float) -> None:
    what = f"score_answers on {_describe(is_real, is_wrong)}, confidence={confidence}"
    result = _call(
        score_answers,
        is_real,
        is_wrong,
        what,
        n_bootstrap=N_BOOTSTRAP,
        confidence=confidence,
        seed=7,
    )
    exact = _exact_values(is_real, is_wrong)
    for name in ("real_error_rate", "fake_error_rate", "hype", "error_rate"):
        value, low, high = result[name]
        expect_value(value, exact[name], f"{what}: the {name}")
        expect(
            low <= high,
            f"{what}: the {name}'s interval ({low:.4g}, {high:.4g}) has its ends the wrong way "
            "round: return (rate, low, high).",
        )
        expect(
            low >= 0.0 and high <= 1.0,
            f"{what}: the {name}'s interval ({low:.4g}, {high:.4g}) leaves [0, 1]; a percentile "
            "interval of rates cannot (a normal approximation, rate +- 1.96 std, can: use the "
            "quantiles of the resampled rates instead).",
        )
        atoms, probs = _bootstrap_distributions(is_real, is_wrong)[name]
        _expect_endpoint(low, (1 - confidence) / 2, atoms, probs, f"{what}: the {name}'s low end")
        _expect_endpoint(high, (1 + confidence) / 2, atoms, probs, f"{what}: the {name}'s high end")


def check_score_answers(score_answers: Callable[..., object]) -> None:
    # 1. Every real image right, every fake wrong: in every stratified resample the real
    # rate is 0, the fake rate 1, hype and the error rate exactly 1/2, so each interval is a point.
    is_real, is_wrong = _session([0] * 20, [1] * 20, seed=1)
    what = f"score_answers on {_describe(is_real, is_wrong)}"
    result = _call(score_answers, is_real, is_wrong, what, n_bootstrap=2_000, seed=0)
    expect_value(result["real_error_rate"][0], 0.0, f"{what}: the real_error_rate", {SWAPPED: 1.0})
    expect_value(result["fake_error_rate"][0], 1.0, f"{what}: the fake_error_rate")
    for name in ("hype", "error_rate"):
        value, low, high = result[name]
        expect_value(value, 0.5, f"{what}: the {name}")
        if name == "error_rate" and (low, high) != (0.5, 0.5):
            raise GradeFailure(
                f"{what}: the error_rate's interval should be (0.5, 0.5), since every "
                f"resample has 20 wrong answers of 40; got ({low:.4g}, {high:.4g}): "
                f"{UNSTRATIFIED}."
            )
        expect(
            (low, high) == (0.5, 0.5),
            f"{what}: the {name}'s interval should be (0.5, 0.5), got ({low:.4g}, {high:.4g}): "
            "every resample of the real answers has rate 0 and every resample of the fakes 1.",
        )

    # 2. Unequal counts: the mean of the two rates and the pooled rate differ; so do the kinds.
    is_real, is_wrong = _session([1] * 2 + [0] * 8, [1] * 18 + [0] * 12, seed=2)
    what = f"score_answers on {_describe(is_real, is_wrong)}"
    result = _call(score_answers, is_real, is_wrong, what, n_bootstrap=2_000, seed=0)
    expect_value(
        result["real_error_rate"][0],
        0.2,
        f"{what}: the real_error_rate",
        {SWAPPED: 0.6},
        formula="2 / 10",
    )
    expect_value(result["fake_error_rate"][0], 0.6, f"{what}: the fake_error_rate", {SWAPPED: 0.2})
    expect_value(
        result["hype"][0], 0.4, f"{what}: the hype", {POOLED: 0.5}, formula="(0.2 + 0.6) / 2"
    )
    expect_value(
        result["error_rate"][0],
        0.5,
        f"{what}: the error_rate",
        {MEAN_OF_KINDS: 0.4},
        formula="(2 + 18) / 40",
    )

    # 3. The same seed gives the same intervals.
    is_real, is_wrong = _session(
        list(np.random.default_rng(3).random(400) < 0.3),
        list(np.random.default_rng(4).random(400) < 0.45),
        seed=3,
    )
    what = f"score_answers on {_describe(is_real, is_wrong)}"
    first = _call(score_answers, is_real, is_wrong, what, n_bootstrap=2_000, seed=5)
    again = _call(score_answers, is_real, is_wrong, what, n_bootstrap=2_000, seed=5)
    expect(
        first == again,
        f"{what}: two calls with seed=5 gave different intervals ({first['hype']} and "
        f"{again['hype']} for hype); draw every resample from rng = np.random.default_rng(seed).",
    )

    # 4. The intervals against the exact bootstrap distribution: one skewed kind (1 error in
    # 60, so its low end is 0), unequal counts, two confidence levels.
    is_real, is_wrong = _session([1] * 1 + [0] * 59, [1] * 33 + [0] * 47, seed=4)
    for confidence in (0.95, 0.8):
        _expect_intervals(score_answers, is_real, is_wrong, confidence)

    # 5. Bad input: no answers on fakes.
    is_real, is_wrong = np.ones(10, dtype=bool), np.zeros(10, dtype=bool)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            score_answers(is_real, is_wrong, n_bootstrap=200)
    except ValueError:
        return
    except NotImplementedError:
        raise
    except Exception as error:
        raise GradeFailure(
            "score_answers on a session with no fakes raised "
            f"{type(error).__name__} ({error}); raise ValueError with a message that says the "
            "session needs answers on both real and fake images."
        ) from error
    raise GradeFailure(
        "score_answers on a session with no fakes returned a result; raise ValueError "
        "instead: the fake error rate (and so hype) needs answers on fakes."
    )


# --------------------------------------------------------------------------- the tests


@pytest.mark.exercise("lesson10.score_answers")
def test_score_answers(answers):
    check_score_answers(answers.score_answers)
