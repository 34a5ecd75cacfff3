"""Human evaluation of generated images: session files of real-or-fake answers, and their score.

A rater sees real and generated ("fake") images one at a time, in random order, and says which
is which (:class:`gancourse.widgets.real_or_fake.RealOrFakeGame` is the game; this module is the
scoring side, NumPy only). The score is the rater's **error rate**: how often a fake was
called real or a real image called fake, with a percentile bootstrap confidence interval.

It follows HYPE-infinity (Zhou et al. 2019, https://arxiv.org/abs/1904.01121): raters see a
balanced set of real and fake images without a time limit, and the score is the human error
rate. 50% means the fakes cannot be told from real images (the rater is guessing); below 50%
the fakes give themselves away; above 50% they look more real than the real images. Where this
module departs from the paper:

* one rater per session instead of many paid evaluators: the interval covers the chance in which
  images were drawn and how this rater answered them, not how raters differ from each other
  (with many evaluators a bootstrap can resample them too). Several sessions are pooled.
* the score is the mean of the error rates on real and on fake images. On a balanced set (equal
  numbers of each, as the game and the paper use) that equals the error rate over all answers;
  on an unbalanced set it stays 50% for a guessing rater, whatever their bias, where the pooled
  rate would not. Both are reported.

A session file is JSON Lines: one answer per line, appended, flushed and synced to disk the
moment it is given, so that a kernel restart or a crash loses nothing. A line looks like::

    {"session": "3f2a...", "round": 0, "image": "fake-17", "truth": "fake", "answer": "real",
     "response_time": 2.41, "timestamp": "2026-05-04T10:31:07.512+00:00"}

A line that cannot be read (for example the last one, cut short by a crash) is an error that
names the file and the line; nothing is skipped silently.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from .validation import check_int

__all__ = [
    "LABELS",
    "Answer",
    "Estimate",
    "SessionFileError",
    "SessionScore",
    "append_answer",
    "read_answers",
    "score_session",
    "simulate_answers",
]

LABELS = ("real", "fake")  # the two things a rater can say, and the two kinds of image
_SHOWN_CHARACTERS = 80  # of a bad line, in an error message


class SessionFileError(ValueError):
    """A session file that cannot be read or appended to; the message names the file and line."""


# ## One answer


@dataclass(frozen=True)
class Answer:
    """One answer of a rater, as stored on one line of a session file.

    Attributes:
        session: the id of the session (one rater playing one game).
        round: the position of the image in the game's order, from 0.
        image: which image, e.g. ``"fake-17"`` (the 18th image of the fake set).
        truth: ``"real"`` or ``"fake"``, what the image is.
        answer: ``"real"`` or ``"fake"``, what the rater said.
        response_time: seconds from showing the image to the answer (None when not measured).
        timestamp: when the answer was given, ISO 8601 (e.g. ``"2026-05-04T10:31:07+00:00"``).
    """

    session: str
    round: int
    image: str
    truth: str
    answer: str
    response_time: float | None
    timestamp: str

    def __post_init__(self) -> None:
        for name in ("session", "image"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ValueError(f"{name} must be a non-empty string, got {value!r}")
        check_int(self.round, "round", 0)
        for name in ("truth", "answer"):
            if getattr(self, name) not in LABELS:
                raise ValueError(f"{name} must be 'real' or 'fake', got {getattr(self, name)!r}")
        time = self.response_time
        if time is not None and (
            isinstance(time, bool)
            or not isinstance(time, (int, float))
            or not math.isfinite(time)
            or time < 0
        ):
            raise ValueError(f"response_time must be seconds >= 0 or None, got {time!r}")
        try:
            datetime.fromisoformat(self.timestamp)
        except (TypeError, ValueError):
            raise ValueError(
                f"timestamp must be an ISO 8601 date and time, got {self.timestamp!r}"
            ) from None

    @property
    def correct(self) -> bool:
        """True when the rater said what the image is."""
        return self.answer == self.truth

    def to_json(self) -> str:
        """The answer as one line of JSON (no newline)."""
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Answer:
        """An answer from a dict with the fields above (e.g. one parsed line); extra keys are
        ignored, missing ones are an error."""
        if not isinstance(record, Mapping):
            raise ValueError(f"an answer must be a JSON object, got {type(record).__name__}")
        names = [field.name for field in dataclasses.fields(cls)]
        missing = [name for name in names if name not in record]
        if missing:
            raise ValueError(f"an answer needs the fields {names}; missing {missing}")
        return cls(**{name: record[name] for name in names})


# ## Session files


def append_answer(path: str | os.PathLike[str], answer: Answer) -> None:
    """Append ``answer`` as one line to the session file at ``path`` (created with its folders
    if missing), then flush and sync it to disk, so it survives a crash the next moment.

    Raises:
        SessionFileError: the file does not end with a newline, i.e. its last line is cut short;
            writing after it would corrupt the new answer too.
    """
    if not isinstance(answer, Answer):
        raise TypeError(f"answer must be an Answer, got {type(answer).__name__}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as file:  # binary: the bytes on disk are exactly the line below
        if file.tell() > 0:
            with path.open("rb") as reader:
                reader.seek(-1, os.SEEK_END)
                if reader.read(1) != b"\n":
                    raise SessionFileError(
                        f"{path} does not end with a newline: its last line is incomplete "
                        "(read_answers(path) shows it). Fix the file before adding answers."
                    )
        file.write((answer.to_json() + "\n").encode("utf-8"))
        file.flush()
        os.fsync(file.fileno())


def read_answers(path: str | os.PathLike[str]) -> list[Answer]:
    """All answers in the session file at ``path``, in file order (blank lines are skipped).

    Raises:
        FileNotFoundError: no file at ``path``.
        SessionFileError: a line that is not a valid answer; the message gives the line number,
            its start, and says when it is the last line cut short by an interrupted write.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no session file at {path}")
    data = path.read_bytes()
    lines = data.split(b"\n")
    finished = lines[-1] == b""  # the file ends with a newline (or is empty)
    if finished:
        lines.pop()
    answers: list[Answer] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        shown = raw[:_SHOWN_CHARACTERS].decode("utf-8", errors="replace")
        try:
            answers.append(Answer.from_record(json.loads(raw)))
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            if number == len(lines) and not finished:
                raise SessionFileError(
                    f"{path}, line {number} (the last) is cut short, probably by a crash while "
                    f"it was written: {shown!r}. The {len(answers)} answers before it are "
                    "intact; delete that line to use the file again."
                ) from None
            raise SessionFileError(f"{path}, line {number}: {error} (line: {shown!r})") from None
    return answers


# ## Scoring


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


# ## Simulated raters


def simulate_answers(
    n_real: int,
    n_fake: int,
    *,
    real_error_rate: float,
    fake_error_rate: float,
    seed: int | None = 0,
    session: str = "simulated",
) -> list[Answer]:
    """Answers of a simulated rater who calls each real image fake with probability
    ``real_error_rate`` and each fake real with probability ``fake_error_rate``, independently;
    the images come in a random order. For planning a study (how many answers give a useful
    interval?) and for checking the scoring. Response times are None; timestamps are fixed.
    """
    n_real, n_fake = check_int(n_real, "n_real", 0), check_int(n_fake, "n_fake", 0)
    for name, rate in (("real_error_rate", real_error_rate), ("fake_error_rate", fake_error_rate)):
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(f"{name} must be a probability in [0, 1], got {rate!r}")
    rng = np.random.default_rng(seed)
    images = [("real", index) for index in range(n_real)] + [
        ("fake", index) for index in range(n_fake)
    ]
    order = rng.permutation(len(images))
    wrong = rng.random(len(images))  # (n,) uniform: an error when below the kind's error rate
    answers = []
    for position, image_index in enumerate(order):
        truth, index = images[image_index]
        error = wrong[position] < (real_error_rate if truth == "real" else fake_error_rate)
        other = "fake" if truth == "real" else "real"
        answers.append(
            Answer(
                session=session,
                round=position,
                image=f"{truth}-{index}",
                truth=truth,
                answer=other if error else truth,
                response_time=None,
                timestamp="2000-01-01T00:00:00+00:00",
            )
        )
    return answers
