"""Metrics for class-conditional generators: class accuracy and intra-class FID.

A conditional generator is asked for a class ``y`` and should make a sample of that class, of
good quality, with the variety of that class. Unconditional metrics miss the first part: a
generator that makes a perfect 7 whatever it is asked for has a fine FID over all its samples.

**Class accuracy.** A pretrained classifier (for digits, :class:`DigitFeatures`) labels each
generated sample; the accuracy is the share of samples whose most likely class (``argmax``, a tie
going to the lower index as in ``np.argmax``) is the class the generator was asked for. AC-GAN
(Odena et al. 2017, https://arxiv.org/abs/1610.09585, section 4.1) measures how "discriminable"
its samples are this way, with a pretrained Inception network. :func:`class_accuracy` also
gives the share classified as the asked class with probability above ``threshold`` (0.9, as
:func:`confident_share`), the accuracy per asked class, the confusion matrix and the mean
probability of the asked class. This is not the Classification Accuracy Score of Ravuri &
Vinyals 2019 (https://arxiv.org/abs/1905.10887), which trains a classifier on generated data and
tests it on real data.

**Intra-class FID.** FID (:func:`frechet_distance`) between the real and the generated features
of each class separately, then the unweighted mean over the classes, the "intra FID" that
Miyato & Koyama report for conditional GANs ("cGANs with projection discriminator", 2018,
https://arxiv.org/abs/1802.05637). A generator that mixes the classes up, or drops the variety
within a class, is penalised even when its pooled samples match the pooled data. Each class has
its own covariance to estimate, from fewer samples: with more feature dimensions than samples in
a class, a :class:`FewSamplesWarning` names that class (128-d digit features need well over 128
real and 128 generated samples per class).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..validation import as_labels, as_matrix, as_probabilities, check_same_dimension
from .fid import FIDMethod, feature_statistics, frechet_distance_from_statistics

__all__ = ["ClassAccuracy", "IntraClassFID", "class_accuracy", "intra_class_fid"]


# ## Class accuracy ################################################################################


@dataclass(frozen=True)
class ClassAccuracy:
    """How often a classifier agrees with the class a conditional generator was asked for.

    Attributes:
        accuracy: share of samples whose most likely class is the asked class, in [0, 1].
        confident: share of samples whose asked class has probability strictly above the
            threshold, in [0, 1]. For a threshold >= 0.5 such a class is also the most likely
            one (the others share the rest), so ``confident <= accuracy``.
        per_class: the accuracy among the samples asked for each class 0..k-1; NaN for a class
            never asked for.
        confusion: (k, k) int64 counts, row = asked class, column = most likely class; the
            diagonal over the row sums gives ``per_class``.
        mean_confidence: the mean probability of the asked class, in [0, 1].
    """

    accuracy: float
    confident: float
    per_class: tuple[float, ...]
    confusion: np.ndarray
    mean_confidence: float


def class_accuracy(
    probabilities: ArrayLike, labels: ArrayLike, *, threshold: float = 0.9
) -> ClassAccuracy:
    """Class accuracy of generated samples, from a classifier's probabilities (module docstring).

    Args:
        probabilities: float (n, k), n >= 1, rows of class probabilities (>= 0, summing to 1),
            e.g. ``DigitFeatures().probabilities(images, value_range=(-1, 1))``.
        labels: int (n,), the class each sample was asked for, in [0, k).
        threshold: in [0, 1); a sample is confident when its asked class has probability
            strictly greater.

    Returns:
        A :class:`ClassAccuracy`.

    Raises:
        ValueError: probabilities not 2-D, empty, NaN or infinite, negative, or rows not summing
            to 1; labels not n integers in [0, k); threshold not in [0, 1).
        TypeError: probabilities not real numbers.
    """
    p = as_probabilities(probabilities, "probabilities", min_rows=1)  # (n, k)
    n, k = p.shape
    asked = as_labels(labels, "labels", n, classes=k)  # (n,)
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float | np.integer | np.floating)
        or not 0.0 <= threshold < 1.0
    ):
        raise ValueError(f"threshold must be a number in [0, 1), got {threshold!r}.")

    predicted = p.argmax(axis=1)  # (n,), ties to the lower index
    asked_probability = p[np.arange(n), asked]  # (n,)
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (asked, predicted), 1)
    asked_counts = confusion.sum(axis=1)  # (k,)
    per_class = tuple(
        float(confusion[c, c] / asked_counts[c]) if asked_counts[c] else math.nan for c in range(k)
    )
    return ClassAccuracy(
        accuracy=float(np.mean(predicted == asked)),
        confident=float(np.mean(asked_probability > threshold)),
        per_class=per_class,
        confusion=confusion,
        mean_confidence=float(asked_probability.mean()),
    )


# ## Intra-class FID ###############################################################################


@dataclass(frozen=True)
class IntraClassFID:
    """FID per class and their unweighted mean (module docstring).

    Attributes:
        mean: the mean of ``per_class``, the intra-class FID.
        per_class: the FID between the real and generated features of each class, in the order
            of ``classes`` (not clipped: a tiny negative value means 0, see
            :func:`frechet_distance`).
        classes: the class labels present, sorted.
    """

    mean: float
    per_class: tuple[float, ...]
    classes: tuple[int, ...]


def intra_class_fid(
    real_features: ArrayLike,
    real_labels: ArrayLike,
    fake_features: ArrayLike,
    fake_labels: ArrayLike,
    *,
    ddof: int = 1,
    method: FIDMethod = "symmetric",
) -> IntraClassFID:
    """FID computed within each class, then averaged over the classes (module docstring).

    Args:
        real_features: (n_real, d) finite features of real data.
        real_labels: int (n_real,), the class of each real sample, >= 0.
        fake_features: (n_fake, d) finite features of generated data, same extractor.
        fake_labels: int (n_fake,), the class each generated sample was asked for, >= 0.
        ddof, method: as in :func:`frechet_distance`.

    Returns:
        An :class:`IntraClassFID` over the sorted union of the classes in both label sets.
        Warns :class:`FewSamplesWarning` for a class with no more samples than ``d``.

    Raises:
        ValueError: features not 2-D, with fewer than 2 samples, NaN or infinite, or of
            different dimensions; labels not one integer >= 0 per sample; a class with fewer
            than 2 real or 2 generated samples (the message lists them); bad ``ddof``/``method``.
        TypeError: features not real numbers.
    """
    real = as_matrix(real_features, "real_features")
    fake = as_matrix(fake_features, "fake_features")
    check_same_dimension(real, fake, "real_features", "fake_features")
    real_classes = as_labels(real_labels, "real_labels", real.shape[0])
    fake_classes = as_labels(fake_labels, "fake_labels", fake.shape[0])

    classes = np.union1d(real_classes, fake_classes)  # sorted
    counts = [(int(np.sum(real_classes == c)), int(np.sum(fake_classes == c))) for c in classes]
    short = [
        f"class {c}: {n_real} real, {n_fake} fake"
        for c, (n_real, n_fake) in zip(classes, counts, strict=True)
        if min(n_real, n_fake) < 2
    ]
    if short:
        raise ValueError(
            "every class must have at least 2 real and 2 generated samples (a covariance per "
            f"class), but {'; '.join(short)}. Generate samples for every class of the real data "
            "(and only those), e.g. labels = np.repeat(np.arange(10), n_per_class)."
        )

    per_class = []
    for c in classes:
        real_c, fake_c = real[real_classes == c], fake[fake_classes == c]
        real_statistics = feature_statistics(real_c, ddof=ddof, name=f"real_features of class {c}")
        fake_statistics = feature_statistics(fake_c, ddof=ddof, name=f"fake_features of class {c}")
        per_class.append(
            frechet_distance_from_statistics(*real_statistics, *fake_statistics, method=method)
        )
    return IntraClassFID(
        mean=float(np.mean(per_class)),
        per_class=tuple(per_class),
        classes=tuple(int(c) for c in classes),
    )
