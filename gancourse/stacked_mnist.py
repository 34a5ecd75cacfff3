"""Lesson 07 at image scale: Stacked MNIST, and a DCGAN watched for mode collapse on it.

:func:`stack_digits` makes the data (three random digits as the three channels of one image,
1,000 equally likely digit triples); :func:`train_on_stacked_mnist` trains a GAN on it for a
budget of CPU seconds and scores the generator every so often with
:func:`gancourse.metrics.stacked_mnist.stacked_mode_score` (modes captured, KL to uniform).
The clock is this process's CPU time per core, scoring excluded, so that a busy machine and the
time spent judging do not change the budget.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import keras
import numpy as np

from .metrics.classifier import DigitFeatures
from .metrics.stacked_mnist import (
    PAPER_SAMPLE_COUNT,
    StackedModes,
    stacked_channel_labels,
    stacked_mode_score,
)
from .pixels import to_float
from .training import GAN, train
from .training.budget import cpu_cores
from .validation import check_int, check_positive_number, check_rng

__all__ = [
    "PUBLISHED",
    "TRAINING_SIZE",
    "StackedPoint",
    "StackedRun",
    "stack_digits",
    "train_on_stacked_mnist",
]

TRAINING_SIZE = 25_600  # stacked training images in PacGAN's code (num_training_sample)
_SCORING_SEED = 54321  # the same noise at every scoring: the curve shows G move, not the draw

#: (modes captured, KL) on Stacked MNIST, PacGAN (Lin et al. 2018,
#: https://arxiv.org/abs/1712.04086) Table 2 (VEEGAN's set-up; GPU, DCGAN networks, many
#: epochs over 25,600 images; 26,000 samples scored).
PUBLISHED: dict[str, tuple[float, float]] = {
    "DCGAN (PacGAN Table 2)": (99.0, 3.40),
    "VEEGAN (PacGAN Table 2)": (150.0, 2.95),
    "PacDCGAN2 (PacGAN Table 2)": (1000.0, 0.06),
    "PacDCGAN4 (PacGAN Table 2)": (1000.0, 0.07),
}


def stack_digits(
    images: np.ndarray, labels: np.ndarray, count: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` Stacked MNIST images: each channel an independently drawn digit image.

    Args:
        images: uint8 (N, 28, 28) digit images, N >= 1 (e.g. ``load_mnist().x_train``).
        labels: int (N,) their digits, 0..9.
        count: images to make (PacGAN trains on :data:`TRAINING_SIZE` = 25,600).
        rng: a seeded ``np.random.default_rng``.

    Returns:
        (stacked, digits): uint8 (count, 28, 28, 3) and int64 (count, 3), the digit in each
        channel (its mode is 100 digits[0] + 10 digits[1] + digits[2]).
    """
    count = check_int(count, "count", minimum=1)
    rng = check_rng(rng)
    images, labels = np.asarray(images), np.asarray(labels)
    if (
        images.dtype != np.uint8
        or images.ndim != 3
        or images.shape[1:] != (28, 28)
        or not len(images)
    ):
        raise ValueError(
            f"images must be uint8 digits of shape (N, 28, 28), N >= 1, got {images.dtype} of "
            f"shape {images.shape}."
        )
    if labels.shape != images.shape[:1] or labels.dtype.kind not in "iu":
        raise ValueError(
            f"labels must be {len(images)} integer digits, one per image, got {labels.dtype} of "
            f"shape {labels.shape}."
        )
    picks = rng.integers(len(images), size=(count, 3))  # (count, 3): one digit image per channel
    return np.stack([images[picks[:, c]] for c in range(3)], axis=-1), labels[picks].astype(
        np.int64
    )


@dataclass(frozen=True)
class StackedPoint:
    """The generator scored after ``cpu_seconds`` of training (CPU seconds per core, scoring
    excluded) and ``steps`` generator steps."""

    cpu_seconds: float
    wall_seconds: float
    steps: int
    score: StackedModes


@dataclass(frozen=True)
class StackedRun:
    """One GAN trained on Stacked MNIST: its scores over time and its last samples.

    ``samples``: float32 (64, 28, 28, 3) in [-1, 1], drawn at the end with a fixed seed.
    """

    name: str
    seed: int
    points: tuple[StackedPoint, ...]
    samples: np.ndarray

    @property
    def final(self) -> StackedPoint:
        return self.points[-1]


class _ScoreOnTheClock(keras.callbacks.Callback):
    """Scores the generator every ``every`` CPU seconds per core of training and stops after
    ``budget``; the time spent scoring is kept off the clock."""

    def __init__(
        self, budget: float, every: float, count: int, classifier: DigitFeatures, progress: bool
    ) -> None:
        super().__init__()
        self.budget, self.every, self.count, self.classifier = budget, every, count, classifier
        self.points: list[StackedPoint] = []
        self.steps = 0
        self._scoring_cpu = self._scoring_wall = 0.0
        self._bar = None
        if progress:
            from tqdm.auto import tqdm

            self._bar = tqdm(
                total=round(budget),
                desc="Stacked MNIST",
                bar_format="{desc}: {bar} {n:.0f}/{total} CPU s {postfix}",
            )

    def _cpu(self) -> float:
        return (time.process_time() - self._cpu0) / cpu_cores() - self._scoring_cpu

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        self._cpu0, self._wall0 = time.process_time(), time.perf_counter()
        self._next = self.every

    def on_train_batch_end(self, batch: int, logs: Mapping[str, float] | None = None) -> None:
        self.steps += 1
        spent = self._cpu()
        if spent >= self._next or spent >= self.budget:
            self._score(spent)
            self._next += self.every
        if self._bar is not None:
            self._bar.update(min(spent, self.budget) - self._bar.n)
        if spent >= self.budget:
            self.model.stop_training = True

    def on_train_end(self, logs: Mapping[str, float] | None = None) -> None:
        if self._bar is not None:  # also when training stopped early (the NaN guard)
            self._bar.close()

    def _score(self, spent: float) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        samples = self.model.generate(self.count, seed=_SCORING_SEED)  # (count, 28, 28, 3)
        labels = stacked_channel_labels(samples, value_range=(-1, 1), classifier=self.classifier)
        wall_spent = wall - self._wall0 - self._scoring_wall
        score = stacked_mode_score(labels)
        self.points.append(StackedPoint(spent, wall_spent, self.steps, score))
        if self._bar is not None:
            self._bar.set_postfix_str(
                f"{self.steps} steps, {score.modes_captured} modes", refresh=False
            )
        self._scoring_cpu += (time.process_time() - cpu) / cpu_cores()
        self._scoring_wall += time.perf_counter() - wall


def train_on_stacked_mnist(
    gan: GAN,
    images: np.ndarray,
    *,
    cpu_seconds: float,
    every: float,
    batch_size: int = 64,
    samples: int = PAPER_SAMPLE_COUNT,
    classifier: DigitFeatures | None = None,
    name: str = "",
    seed: int = 0,
    progress: bool = True,
) -> StackedRun:
    """Train ``gan`` on Stacked MNIST for ``cpu_seconds`` of CPU per core, scoring it every
    ``every`` seconds (and at the end) on ``samples`` generated images.

    Args:
        gan: a compiled GAN making (28, 28, 3) images in [-1, 1], e.g.
            ``make_dcgan(channels=3)`` or ``make_dcgan(channels=3, pack=2)``.
        images: uint8 (N, 28, 28, 3) stacked digits (:func:`stack_digits`).
        batch_size: real images per discriminator step (a multiple of ``gan.pack``).
        samples: generated images scored each time (PacGAN: 26,000).
        classifier: the judge; the shipped digit classifier by default.
        seed: shuffles the data.
        progress: a progress bar over the CPU budget.
    """
    cpu_seconds = check_positive_number(cpu_seconds, "cpu_seconds")
    every = check_positive_number(every, "every")
    samples = check_int(samples, "samples", minimum=1)
    images = np.asarray(images)
    if images.dtype != np.uint8 or images.shape[1:] != (28, 28, 3):
        raise ValueError(
            "images must be uint8 Stacked MNIST images of shape (N, 28, 28, 3) (stack_digits "
            f"makes them), got {images.dtype} of shape {images.shape}."
        )
    clock = _ScoreOnTheClock(cpu_seconds, every, samples, classifier or DigitFeatures(), progress)
    train(
        gan,
        to_float(images, (-1, 1)),
        epochs=1_000_000,  # the clock stops it
        batch_size=batch_size,
        directory=None,
        live=False,
        progress=False,  # the clock's bar is over CPU seconds, not epochs
        shuffle_seed=seed,
        callbacks=[clock],
    )
    final = gan.generate(64, seed=_SCORING_SEED)
    return StackedRun(name=name, seed=seed, points=tuple(clock.points), samples=final)
