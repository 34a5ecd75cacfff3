"""Human evaluation of generated images: session files of real-or-fake answers, simulated raters.

A rater sees real and generated ("fake") images one at a time, in random order, and says which
is which (:class:`gancourse.widgets.RealOrFakeGame` is the game; this module holds its answers,
NumPy only; :mod:`gancourse.metrics.human` scores them). The score is the rater's **error
rate**: how often a fake was called real or a real image called fake, with a percentile
bootstrap confidence interval.

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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from .validation import check_int

__all__ = [
    "LABELS",
    "Answer",
    "SessionFileError",
    "append_answer",
    "read_answers",
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
