"""The score of a real-or-fake session: the human error rate with a bootstrap interval (HYPE).

Answers come from :mod:`gancourse.human_eval` (session files, simulated raters); what the score
means, and where it departs from HYPE-infinity (Zhou et al. 2019,
https://arxiv.org/abs/1904.01121), is told there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..human_eval import Answer, read_answers
from ..validation import check_int

__all__ = ["Estimate", "SessionScore", "score_session"]


@dataclass(frozen=True)
class Estimate:
    """A rate (a fraction in [0, 1]) and its bootstrap confidence interval [low, high]."""

    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:6.1%}  [{self.low:.1%}, {self.high:.1%}]"


@dataclass(frozen=True)
class SessionScore:
    """What :func:`score_session` returns. Rates are fractions in [0, 1].

    Attributes:
        hype: the HYPE-infinity style score, the mean of ``real_error_rate`` and
            ``fake_error_rate``; 50% means the fakes cannot be told from real images.
        error_rate: wrong answers among all answers.
        real_error_rate: real images called fake; ``fake_error_rate``: fakes called real.
        n_real, n_fake: answers on real and on fake images; ``n_sessions``: sessions pooled.
        confidence: the level of the intervals; ``n_bootstrap``: resamples drawn.
        median_response_time: seconds, over the answers that have one (None if none do).
    """

    hype: Estimate
    error_rate: Estimate
    real_error_rate: Estimate
    fake_error_rate: Estimate
    n_real: int
    n_fake: int
    n_sessions: int
    confidence: float
    n_bootstrap: int
    median_response_time: float | None

    def report(self) -> str:
        """A few lines to print: each rate with its interval, and how to read them."""
        time = self.median_response_time
        sessions = "" if self.n_sessions == 1 else f" from {self.n_sessions} sessions, pooled"
        lines = [
            f"{self.n_real + self.n_fake} answers ({self.n_real} real and {self.n_fake} fake "
            f"images){sessions}; rate and {self.confidence:.0%} confidence interval:",
            f"  HYPE-infinity score (mean error rate)  {self.hype}",
            f"  error rate over all answers            {self.error_rate}",
            f"  real images called fake                {self.real_error_rate}",
            f"  fake images called real                {self.fake_error_rate}",
            "50% = the fakes cannot be told from real images (guessing); lower = they are spotted.",
            f"Percentile bootstrap, {self.n_bootstrap:,} resamples of the answers "
            "(within the real and within the fake images).",
        ]
        if time is not None:
            lines.append(f"Median response time {time:.1f} s.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def _as_answers(path_or_answers: Any) -> list[Answer]:
    if isinstance(path_or_answers, (str, os.PathLike)):
        answers = read_answers(path_or_answers)
    elif isinstance(path_or_answers, Sequence):
        answers = [
            item if isinstance(item, Answer) else Answer.from_record(item)
            for item in path_or_answers
        ]
    else:
        raise TypeError(
            "score_session takes a session file's path or a list of answers (Answer objects or "
            f"dicts with their fields), got {type(path_or_answers).__name__}"
        )
    seen: set[tuple[str, int]] = set()
    for item in answers:
        key = (item.session, item.round)
        if key in seen:
            raise ValueError(f"session {item.session!r} has two answers for round {item.round}")
        seen.add(key)
    return answers


def _interval(draws: np.ndarray, confidence: float) -> tuple[float, float]:
    """The percentile interval: the (1 - c)/2 and (1 + c)/2 quantiles of the resampled rates."""
    low, high = np.quantile(draws, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(low), float(high)


def score_session(
    path_or_answers: str | os.PathLike[str] | Sequence[Answer | Mapping[str, Any]],
    *,
    n_bootstrap: int = 10_000,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> SessionScore:
    """Error rates of a real-or-fake session, with percentile bootstrap confidence intervals.

    With ``k_real`` errors among ``n_real`` answers on real images and ``k_fake`` among
    ``n_fake`` on fakes: ``real_error_rate = k_real / n_real``, ``fake_error_rate =
    k_fake / n_fake``, ``error_rate = (k_real + k_fake) / (n_real + n_fake)`` and
    ``hype = (real_error_rate + fake_error_rate) / 2`` (HYPE-infinity, Zhou et al. 2019,
    https://arxiv.org/abs/1904.01121; see the module docstring for where this departs from it).

    The bootstrap resamples the answers with replacement, the real and the fake ones separately
    (the game fixes how many of each it shows, so every resample keeps those counts), and
    recomputes every rate. Answers are 0/1 outcomes, so the number of errors among ``n`` answers
    drawn with replacement from ``n`` answers with ``k`` errors follows Binomial(n, k / n)
    exactly: each resample's error count is drawn from it with NumPy's ``Generator.binomial``
    (seeded) instead of building the resamples. The interval is the pair of
    ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of the resampled rates (the
    percentile method; it treats answers as independent).

    Args:
        path_or_answers: a session file (JSON Lines, see :func:`read_answers`), or a list of
            :class:`Answer` objects or dicts with their fields. Several sessions are pooled.
        n_bootstrap: resamples, >= 100; 10,000 give intervals stable to about 0.5 points.
        confidence: the interval's level, in (0, 1).
        seed: seed of the resampling; the same seed gives the same intervals.

    Raises:
        ValueError: no answers, none on real or none on fake images, labels other than
            "real" and "fake", two answers for one round of a session, bad arguments.
        SessionFileError: a line of the file that cannot be read.
    """
    n_bootstrap = check_int(n_bootstrap, "n_bootstrap", 100)
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
        raise ValueError(f"confidence must be a number in (0, 1), got {confidence!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), e.g. 0.95, got {confidence!r}")
    answers = _as_answers(path_or_answers)
    if not answers:
        raise ValueError("the session has no answers yet: there is nothing to score")
    truth = np.array([item.truth == "real" for item in answers])  # (n,) bool: a real image
    wrong = np.array([not item.correct for item in answers])  # (n,) bool
    n_real, n_fake = int(truth.sum()), int((~truth).sum())
    if n_real == 0 or n_fake == 0:
        missing = "real" if n_real == 0 else "fake"
        raise ValueError(
            f"the session has no answers on {missing} images; the error rates need answers on "
            "both real and fake images"
        )
    k_real, k_fake = int(wrong[truth].sum()), int(wrong[~truth].sum())

    rng = np.random.default_rng(seed)
    k_real_draws = rng.binomial(n_real, k_real / n_real, size=n_bootstrap)  # (n_bootstrap,)
    k_fake_draws = rng.binomial(n_fake, k_fake / n_fake, size=n_bootstrap)

    def estimate(value: float, draws: np.ndarray) -> Estimate:
        return Estimate(value, *_interval(draws, confidence))

    real_rate, fake_rate = k_real / n_real, k_fake / n_fake
    real_draws, fake_draws = k_real_draws / n_real, k_fake_draws / n_fake
    times = [item.response_time for item in answers if item.response_time is not None]
    return SessionScore(
        hype=estimate((real_rate + fake_rate) / 2, (real_draws + fake_draws) / 2),
        error_rate=estimate(
            (k_real + k_fake) / (n_real + n_fake), (k_real_draws + k_fake_draws) / len(answers)
        ),
        real_error_rate=estimate(real_rate, real_draws),
        fake_error_rate=estimate(fake_rate, fake_draws),
        n_real=n_real,
        n_fake=n_fake,
        n_sessions=len({item.session for item in answers}),
        confidence=float(confidence),
        n_bootstrap=n_bootstrap,
        median_response_time=float(np.median(times)) if times else None,
    )
