"""Does a class-conditional digit generator obey its labels? Lesson 08's scores, in one place.

:class:`DigitJudge` asks a conditional :class:`~gancourse.training.GAN` for the same number of
samples of every class and scores them with the shipped digit classifier
(:class:`~gancourse.metrics.DigitFeatures`): class accuracy and the confident share of the asked
class (:func:`~gancourse.metrics.class_accuracy`), and the intra-class FID against real digits
of each class (:func:`~gancourse.metrics.intra_class_fid`, on the classifier's 128 features).
:class:`ScoreDuringTraining` is the Keras callback that records those scores as a GAN trains,
for the curves of lesson 08 and ``bench/bench_conditional.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import keras
import numpy as np
from numpy.typing import ArrayLike

from .metrics import ClassAccuracy, DigitFeatures, IntraClassFID, class_accuracy, intra_class_fid
from .validation import as_labels, check_int

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    from .training import GAN

__all__ = ["ConditionalScore", "DigitJudge", "ScoreDuringTraining"]


@dataclass(frozen=True)
class ConditionalScore:
    """The scores of one set of class-balanced samples.

    Attributes:
        steps: the generator's steps when the samples were drawn.
        accuracy: class accuracy, confident share, per class and the confusion matrix.
        intra_fid: FID within each class and their mean.
    """

    steps: int
    accuracy: ClassAccuracy
    intra_fid: IntraClassFID


class DigitJudge:
    """Scores a conditional GAN's samples against real digits with the shipped classifier.

    Args:
        real_images: real digits (n, 28, 28) or (n, 28, 28, 1), uint8 or floats in
            ``value_range``: the reference for the intra-class FID. Use more than 128 per class
            (the features' dimension), e.g. the 4,000 offline training digits (about 400 each).
        real_labels: their classes, ints (n,).
        per_class: samples asked of every class at each score (more than 128, see above).
        value_range: the range of float images, the generator's as well (tanh: (-1, 1)).
        seed: the noise of the samples; the same seed draws the same noise at every score,
            so scores over training differ only because the generator learned.
    """

    def __init__(
        self,
        real_images: ArrayLike,
        real_labels: ArrayLike,
        *,
        per_class: int = 200,
        value_range: tuple[float, float] = (-1.0, 1.0),
        seed: int = 0,
    ) -> None:
        self.digits = DigitFeatures()
        self.value_range = value_range
        real_images = np.asarray(real_images)
        real_range = None if real_images.dtype == np.uint8 else value_range  # uint8: 0..255
        self.real_features = self.digits.features(real_images, value_range=real_range)
        self.real_labels = as_labels(real_labels, "real_labels", len(self.real_features))
        self.classes = int(self.real_labels.max()) + 1
        self.per_class = check_int(per_class, "per_class", 2)
        self.seed = seed

    @property
    def asked(self) -> np.ndarray:
        """The classes asked for at each score: ``per_class`` of each, in class order."""
        return np.repeat(np.arange(self.classes), self.per_class)

    def samples(self, gan: GAN) -> np.ndarray:
        """``per_class`` samples of every class from ``gan``, in the order of :attr:`asked`."""
        if gan.num_classes != self.classes:
            raise ValueError(
                f"the real digits have {self.classes} classes but the GAN has "
                f"num_classes={gan.num_classes}; a DigitJudge scores conditional GANs of the "
                "same classes"
            )
        return gan.generate(labels=self.asked, seed=self.seed)

    def score(self, gan: GAN) -> ConditionalScore:
        """Class accuracy and intra-class FID of a fresh set of :meth:`samples`."""
        features, probabilities = self.digits.features_and_probabilities(
            self.samples(gan), value_range=self.value_range
        )
        return ConditionalScore(
            steps=int(gan.generator_optimizer.iterations),
            accuracy=class_accuracy(probabilities, self.asked),
            intra_fid=intra_class_fid(self.real_features, self.real_labels, features, self.asked),
        )


class ScoreDuringTraining(keras.callbacks.Callback):
    """Score the GAN with a :class:`DigitJudge` every ``every`` epochs and after the last one;
    ``scores`` holds them in order (the time spent scoring is not training time, but counts on
    a wall clock)."""

    def __init__(self, judge: DigitJudge, every: int = 1) -> None:
        super().__init__()
        self.judge = judge
        self.every = check_int(every, "every", 1)
        self.scores: list[ConditionalScore] = []

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        last = epoch + 1 == self.params.get("epochs")
        if (epoch + 1) % self.every == 0 or last:
            self.scores.append(self.judge.score(self.model))
