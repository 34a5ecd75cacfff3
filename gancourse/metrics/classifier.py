"""A small MNIST digit classifier whose penultimate layer gives features for evaluating generators.

FID, KID and precision/recall compare two sets of images in some feature space, and they are
only as good as that space (Xu et al., "An empirical study on evaluation metrics of generative
adversarial networks", 2018, https://arxiv.org/abs/1806.07755). InceptionV3's ImageNet features
(:mod:`gancourse.metrics.inception`) are the published standard, but they were made for colour
photographs; for 28x28 digits, a classifier trained on digits gives features that measure what
matters there, and a class probability that says whether a sample looks like one clear digit
(:func:`confident_share`). Numbers from these features are comparable with each other only,
never with Inception-based FIDs.

The network: two blocks of two 3x3 convolutions and a max-pool, a third max-pool, a 128-unit
ReLU layer named "features" (the features), dropout, and a linear layer of 10 logits named
"logits". It is trained on digits and on images that are not one clear digit (noise, blobs,
shuffled pixels, two overlaid digits), so that it is not confident on those; how is course
tooling, in :mod:`gancourse.models.digit_classifier`. It ships trained as package data
(``data/digit_classifier.keras``, with ``data/digit_classifier.json`` recording the training
data, the held-out accuracy, the confident share on held-out outliers and the date), made by the
command ``gancourse train-classifier``. This module loads it and turns it into features and
probabilities.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ..validation import as_probabilities
from .extractor import FeatureExtractor

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    import keras

__all__ = [
    "CLASSIFIER_PATH",
    "DigitFeatures",
    "confident_share",
    "digit_classifier_metadata",
    "load_digit_classifier",
    "metadata_path",
]

CLASSIFIER_PATH = Path(__file__).parent / "data" / "digit_classifier.keras"
IMAGE_SHAPE = (28, 28, 1)
NUM_CLASSES = 10
TRAIN_COMMAND = "gancourse train-classifier"


# ## Loading ############################################################################


def metadata_path(path: Path) -> Path:
    """Where the JSON record of the classifier at ``path`` lives: beside it, ``.json``."""
    return path.with_suffix(".json")


def load_digit_classifier(path: str | Path | None = None) -> keras.Model:
    """The trained digit classifier: (batch, 28, 28, 1) float32 in [0, 1] -> (batch, 10) logits.

    ``path`` defaults to the copy shipped in the package (:data:`CLASSIFIER_PATH`).

    Raises:
        FileNotFoundError: no file at ``path``; the message says how to make one.
    """
    import keras

    path = CLASSIFIER_PATH if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No digit classifier at {path}. Train one with `{TRAIN_COMMAND}` "
            "(writes the package copy; --output PATH writes elsewhere)."
        )
    return keras.saving.load_model(path, compile=False)


def digit_classifier_metadata(path: str | Path | None = None) -> dict[str, Any]:
    """What the JSON beside the classifier records: training data, held-out accuracy, date, ..."""
    path = CLASSIFIER_PATH if path is None else Path(path)
    return json.loads(metadata_path(path).read_text())


# ## Features and probabilities ####################################################################


class DigitFeatures(FeatureExtractor):
    """Penultimate-layer features (128-d) and class probabilities (10) of 28x28 digits.

    ``DigitFeatures()`` uses the shipped classifier; pass a classifier from
    :func:`build_digit_classifier` / :func:`train_digit_classifier` to use another.

    >>> digits = DigitFeatures()
    >>> features = digits.features(generated, value_range=(-1, 1))  # (n, 128) float64
    >>> share = confident_share(digits.probabilities(generated, value_range=(-1, 1)))  # p > 0.9

    Images: ``(n, 28, 28)`` or ``(n, 28, 28, 1)``, uint8 0..255 or floats in ``value_range``
    (default (-1, 1)); one array, an iterable of batches, or a function returning one. See
    :class:`gancourse.metrics.extractor.FeatureExtractor` for the methods and their errors.
    """

    default_batch_size = 500

    def __init__(self, classifier: keras.Model | None = None) -> None:
        import keras

        classifier = load_digit_classifier() if classifier is None else classifier
        two_outputs = keras.Model(
            classifier.input,
            [classifier.get_layer("features").output, classifier.outputs[0]],
            name="digit_features",
        )
        super().__init__(two_outputs, image_size=(28, 28), channels=(1,), model_channels=1)


def confident_share(probabilities: ArrayLike, threshold: float = 0.9) -> float:
    """The share of samples whose most likely class has probability above ``threshold``.

    A quick quality score for generated digits: a clear digit is labelled with high confidence,
    a blurry or hybrid one is not. It says nothing about diversity (a generator making only
    perfect 1s scores 1.0), so report it beside the class histogram or FID.

    Args:
        probabilities: float (n, k), rows of class probabilities (>= 0, summing to 1), for
            example from :meth:`DigitFeatures.probabilities`.
        threshold: in [0, 1); a sample counts when its maximum is strictly greater.

    Returns:
        A float in [0, 1].
    """
    p = as_probabilities(probabilities, "probabilities", min_rows=1)  # (n, k)
    if isinstance(threshold, bool) or not 0.0 <= threshold < 1.0:
        raise ValueError(f"threshold must be in [0, 1), got {threshold!r}.")
    return float(np.mean(p.max(axis=1) > threshold))
