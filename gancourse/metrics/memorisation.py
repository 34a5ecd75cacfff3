"""Does a generator copy its training data? Pixel distances to the nearest training image.

No metric of ``report`` can tell: exact copies of training digits score as well as real data
(lesson 09). Here each image's Euclidean distance to its nearest training image (pixels in
[0, 1]) is compared with the same distance for real images the model never saw (held out):

- :func:`copy_share`: the share of samples closer to a training image than all but ``quantile``
  (default 1%) of the held-out images are. About ``quantile`` for new images, 1 for copies, and
  about ``p`` when a share ``p`` of the samples are copies: it catches partial copying.
- :func:`copy_ratio`: median distance of the samples over that of the held-out images. About 1
  or more for new images, 0 for copies; being a median, it barely moves while only a minority
  of the samples are copies (a fifth of exact copies: about 0.95).

Blurry or broken samples also sit far from the training set: both measures flag closeness to
it, nothing else.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.neighbors import NearestNeighbors

from ..pixels import to_unit_range

__all__ = ["copy_ratio", "copy_share", "nearest_training_distances"]


def _flat_unit(images: ArrayLike, value_range: tuple[float, float] | None, name: str) -> np.ndarray:
    array = np.asarray(images)
    if array.ndim not in (3, 4) or len(array) == 0:
        raise ValueError(
            f"{name} must be images shaped (n, H, W) or (n, H, W, C) with n >= 1, "
            f"got shape {array.shape}."
        )
    return to_unit_range(array, value_range, name).reshape(len(array), -1)


def nearest_training_distances(
    images: ArrayLike,
    training: ArrayLike,
    *,
    value_range: tuple[float, float] | None = None,
    training_range: tuple[float, float] | None = None,
) -> np.ndarray:
    """(n,) Euclidean distance from each image to its nearest training image, pixels in [0, 1].

    ``images`` and ``training`` are uint8 (0..255) or floats in ``value_range`` /
    ``training_range`` (default (-1, 1) for floats, as every metric here); both the same size.
    """
    queries = _flat_unit(images, value_range, "images")
    reference = _flat_unit(training, training_range, "training")
    if queries.shape[1] != reference.shape[1]:
        raise ValueError(
            f"images have {queries.shape[1]} pixels each but training images {reference.shape[1]}."
        )
    index = NearestNeighbors(n_neighbors=1, algorithm="brute").fit(reference)
    distances, _ = index.kneighbors(queries)
    return distances[:, 0]


def _held_out_distances(
    held_out: ArrayLike,
    training: ArrayLike,
    held_out_range: tuple[float, float] | None,
    training_range: tuple[float, float] | None,
) -> np.ndarray:
    distances = nearest_training_distances(
        held_out, training, value_range=held_out_range, training_range=training_range
    )
    if np.median(distances) < 1e-6:
        raise ValueError(
            "most held_out images are also in training (distance 0): the reference must be real "
            "images the model never saw, e.g. the test split."
        )
    return distances


def copy_share(
    images: ArrayLike,
    training: ArrayLike,
    held_out: ArrayLike,
    *,
    quantile: float = 0.01,
    value_range: tuple[float, float] | None = None,
    training_range: tuple[float, float] | None = None,
    held_out_range: tuple[float, float] | None = None,
) -> float:
    """The share of ``images`` closer to a training image than the ``quantile`` of the held-out
    real images' distances: about ``quantile`` for new images, 1 for copies (module docstring).
    Each set is uint8 or floats in its own ``*_range``."""
    if not 0.0 < quantile < 0.5:
        raise ValueError(f"quantile must be in (0, 0.5), got {quantile!r}.")
    generated = nearest_training_distances(
        images, training, value_range=value_range, training_range=training_range
    )
    real = _held_out_distances(held_out, training, held_out_range, training_range)
    return float(np.mean(generated < np.quantile(real, quantile)))


def copy_ratio(
    images: ArrayLike,
    training: ArrayLike,
    held_out: ArrayLike,
    *,
    value_range: tuple[float, float] | None = None,
    training_range: tuple[float, float] | None = None,
    held_out_range: tuple[float, float] | None = None,
) -> float:
    """Median nearest-training distance of ``images`` over that of ``held_out`` real images:
    about 1 for new images, 0 when most are copies (module docstring). Each set is uint8 or
    floats in its own ``*_range``."""
    generated = nearest_training_distances(
        images, training, value_range=value_range, training_range=training_range
    )
    real = _held_out_distances(held_out, training, held_out_range, training_range)
    return float(np.median(generated) / np.median(real))
