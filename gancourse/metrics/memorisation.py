"""Does a generator copy its training data? Pixel distances to the nearest training image.

No metric of ``report`` can tell: exact copies of training digits score as well as real data
(lesson 09). Here each image's Euclidean distance to its nearest training image (pixels in
[0, 1]) is compared with the same distance for real images the model never saw:

    ratio = median(generated -> training) / median(held-out real -> training)

About 1 or more: the samples are no closer to the training set than new real data is. Well
below 1 (0 for exact copies): the generator reproduces training images. (A generator with
blurry or broken samples also scores above 1; the ratio only flags copying.)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.neighbors import NearestNeighbors

from .extractor import to_unit_range

__all__ = ["copy_ratio", "nearest_training_distances"]


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
    about 1 for new images, 0 for copies (module docstring). Each set is uint8 or floats in its
    own ``*_range``."""
    generated = nearest_training_distances(
        images, training, value_range=value_range, training_range=training_range
    )
    real = nearest_training_distances(
        held_out, training, value_range=held_out_range, training_range=training_range
    )
    return float(np.median(generated) / np.median(real))
