"""Mode collapse at image scale: the 1,000 modes of Stacked MNIST, counted with a digit classifier.

Stacked MNIST (Metz et al., *Unrolled Generative Adversarial Networks*, 2017,
https://arxiv.org/abs/1611.02163, section 3.3) makes a colour image of three MNIST digits drawn
independently, one per channel. Its modes are the 10^3 = 1,000 digit triples, all equally
likely. VEEGAN (Srivastava et al. 2017, https://arxiv.org/abs/1705.07761, section 5.2) and PacGAN
(Lin et al. 2018, https://arxiv.org/abs/1712.04086, section 4.2, Tables 2 and 3) score a
generator on it this way, as PacGAN's released code does (github.com/fjxmlzn/PacGAN,
``stacked_MNIST_experiments``, ``log_metrics``):

- a pretrained digit classifier labels each channel of each generated image (its most likely
  class); the triple (a, b, c) is the image's mode, numbered 100 a + 10 b + c;
- **modes captured**: how many of the 1,000 triples occur at least once;
- **KL(p || u)** = sum_k p_k log(p_k / u_k): p the histogram of the samples' triples over the
  1,000 modes, u the uniform 1 / 1,000, natural logarithm. The generated distribution comes
  first, as in :mod:`gancourse.metrics.mixture`: a missed mode adds 0 and the value stays finite
  (log 1000 = 6.91 when every sample is the same triple).

PacGAN's code scores :data:`PAPER_SAMPLE_COUNT` = 26,000 samples. With n samples the KL of even
a perfect generator is biased upwards by about 999 / (2 n) (0.019 at 26,000), and the modes
captured grow with n: compare generators at the same count, beside real stacked digits scored
the same way (their figures are the ceiling: the classifier's own mistakes are in them).

No classifier is a perfect judge: a channel that is no clear digit still gets its most likely
class. The course uses the shipped digit classifier
(:class:`~gancourse.metrics.classifier.DigitFeatures`); the papers used their own MNIST CNNs,
so their numbers and the course's are comparable in scale only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.special
from numpy.typing import ArrayLike

from ..validation import as_labels

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    from .classifier import DigitFeatures

__all__ = [
    "PAPER_SAMPLE_COUNT",
    "STACKED_MODES",
    "StackedModes",
    "stacked_channel_labels",
    "stacked_mode_score",
]

PAPER_SAMPLE_COUNT = 26_000  # samples scored per generator in PacGAN's released code
CHANNELS = 3
DIGITS = 10
STACKED_MODES = DIGITS**CHANNELS  # 1,000


@dataclass(frozen=True)
class StackedModes:
    """How a set of Stacked MNIST samples covers the 1,000 digit triples (module docstring).

    Attributes:
        modes_captured: distinct triples among the samples, 0..1000.
        reverse_kl: KL(p || uniform) in nats, from 0 (every triple equally often) to log(1000).
        counts: int64 (1000,), samples per triple, index 100 a + 10 b + c.
        channel_shares: float64 (3, 10), the share of each digit in each channel (each row
            sums to 1): where a collapse sits (one channel stuck on a few digits).
    """

    modes_captured: int
    reverse_kl: float
    counts: np.ndarray
    channel_shares: np.ndarray

    @property
    def samples(self) -> int:
        return int(self.counts.sum())


def stacked_mode_score(channel_labels: ArrayLike) -> StackedModes:
    """Modes captured and KL to uniform of Stacked MNIST samples, from their digit labels.

    Args:
        channel_labels: int (n, 3), n >= 1, the digit (0..9) a classifier reads in each
            channel of each sample (:func:`stacked_channel_labels`); PacGAN scores
            :data:`PAPER_SAMPLE_COUNT` = 26,000 samples.

    Returns:
        A :class:`StackedModes`.

    Raises:
        ValueError: not of shape (n, 3) with n >= 1, not integers, or a digit outside 0..9.
    """
    array = np.asarray(channel_labels)
    if array.ndim != 2 or array.shape[1] != CHANNELS or array.shape[0] < 1:
        raise ValueError(
            "channel_labels must be the digits read in the 3 channels of each sample, shape "
            f"(n, 3) with n >= 1, got shape {array.shape}."
        )
    digits = as_labels(array.ravel(), "channel_labels", array.size, classes=DIGITS)
    digits = digits.reshape(-1, CHANNELS)  # (n, 3)
    modes = digits @ np.array([DIGITS**2, DIGITS, 1])  # (n,): 100 a + 10 b + c
    counts = np.bincount(modes, minlength=STACKED_MODES)  # (1000,)
    p = counts / counts.sum()
    shares = np.stack(
        [np.bincount(digits[:, c], minlength=DIGITS) / len(digits) for c in range(CHANNELS)]
    )  # (3, 10)
    return StackedModes(
        modes_captured=int(np.count_nonzero(counts)),
        reverse_kl=float(scipy.special.rel_entr(p, 1.0 / STACKED_MODES).sum()),
        counts=counts,
        channel_shares=shares,
    )


def stacked_channel_labels(
    images: ArrayLike,
    *,
    value_range: tuple[float, float] | None = None,
    classifier: DigitFeatures | None = None,
) -> np.ndarray:
    """The digit a classifier reads in each channel of Stacked MNIST images.

    Args:
        images: (n, 28, 28, 3), uint8 0..255 or floats in ``value_range`` (a generator's tanh
            output: ``value_range=(-1, 1)``).
        value_range: the range of float images; None for uint8.
        classifier: a :class:`~gancourse.metrics.classifier.DigitFeatures`; the shipped
            classifier by default (loading it imports TensorFlow).

    Returns:
        int64 (n, 3): each channel's most likely digit.

    Raises:
        ValueError: images not of shape (n, 28, 28, 3) with n >= 1 (the classifier's own
            checks follow: dtype, range, NaN).
    """
    array = np.asarray(images)
    if array.ndim != 4 or array.shape[1:] != (28, 28, CHANNELS) or len(array) < 1:
        raise ValueError(
            f"Stacked MNIST images must have shape (n, 28, 28, 3) with n >= 1, got {array.shape}."
        )
    if classifier is None:
        from .classifier import DigitFeatures

        classifier = DigitFeatures()
    channels = np.moveaxis(array, -1, 0).reshape(-1, 28, 28, 1)  # channel-major: (3n, 28, 28, 1)
    probabilities = classifier.probabilities(channels, value_range=value_range)  # (3n, 10)
    return probabilities.argmax(axis=1).reshape(CHANNELS, -1).T.astype(np.int64)  # (n, 3)
