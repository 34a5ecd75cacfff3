"""A small MNIST digit classifier whose penultimate layer gives features for evaluating generators.

FID, KID and precision/recall compare two sets of images in some feature space. InceptionV3's
ImageNet features (:mod:`gancourse.metrics.inception`) are the published standard, but they were
made for colour photographs; for 28x28 digits a classifier trained on the digits themselves gives
features that measure what matters there (the "domain-specific" features used for MNIST in, for
example, Binkowski et al., "Demystifying MMD GANs", 2018, https://arxiv.org/abs/1801.01401).
Numbers from these features are comparable with each other only, never with Inception-based FIDs.

The network (:func:`build_digit_classifier`): two blocks of two 3x3 convolutions and a max-pool,
a third max-pool, a 128-unit ReLU layer named "features" (the features), dropout, and a linear
layer of 10 logits named "logits". It ships trained as package data (``data/digit_classifier.keras``
with ``data/digit_classifier.json`` recording the training data, the held-out accuracy and the
date), made by the command ``gancourse train-classifier`` (:func:`train_and_save_digit_classifier`).

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_int, check_positive
from ._validation import as_probabilities
from .extractor import FeatureExtractor

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    import keras

__all__ = [
    "CLASSIFIER_PATH",
    "DigitFeatures",
    "build_digit_classifier",
    "confident_share",
    "digit_classifier_metadata",
    "load_digit_classifier",
    "save_digit_classifier",
    "train_and_save_digit_classifier",
    "train_digit_classifier",
]

CLASSIFIER_PATH = Path(__file__).parent / "data" / "digit_classifier.keras"
IMAGE_SHAPE = (28, 28, 1)
NUM_CLASSES = 10
TRAIN_COMMAND = "gancourse train-classifier"


# ## The network ###################################################################################


def build_digit_classifier(
    feature_dim: int = 128, filters: Sequence[int] = (32, 64), dropout: float = 0.5
) -> keras.Model:
    """(batch, 28, 28, 1) float32 images in [0, 1] -> (batch, 10) logits (no softmax).

    Each entry of ``filters`` adds a block of two 3x3 ReLU convolutions and a 2x2 max-pool; a
    last max-pool, a ``Dense(feature_dim, relu)`` layer named "features" (the penultimate
    layer), dropout at rate ``dropout`` while training, and ``Dense(10)`` named "logits" follow.
    With the defaults: about 140,000 weights (0.6 MB as float32). Model named "digit_classifier".
    """
    import keras

    check_positive(feature_dim=feature_dim, **{f"filters[{i}]": f for i, f in enumerate(filters)})
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be a rate in [0, 1), got {dropout!r}.")
    images = keras.Input(shape=IMAGE_SHAPE, name="image")  # (batch, 28, 28, 1)
    h = images
    for block, width in enumerate(filters):
        for conv in range(2):
            h = keras.layers.Conv2D(
                width, 3, padding="same", activation="relu", name=f"conv{block}_{conv}"
            )(h)
        h = keras.layers.MaxPooling2D(name=f"pool{block}")(h)  # (batch, 14, 14, 32), (7, 7, 64)
    h = keras.layers.MaxPooling2D(name="pool_last")(h)  # (batch, 3, 3, 64)
    h = keras.layers.Flatten(name="flatten")(h)  # (batch, 576)
    features = keras.layers.Dense(feature_dim, activation="relu", name="features")(h)
    h = keras.layers.Dropout(dropout, name="dropout")(features)
    logits = keras.layers.Dense(NUM_CLASSES, name="logits")(h)  # (batch, 10)
    return keras.Model(images, logits, name="digit_classifier")


def _augmentation(seed: int | None) -> keras.Model:
    """Random small rotations (+-10 degrees), shifts (+-2 pixels) and zooms (+-10%), training only:
    the handwriting varies like this, and 4,000 offline digits are few."""
    import keras

    return keras.Sequential(
        [
            keras.layers.RandomRotation(10 / 360, fill_mode="constant", seed=seed),
            keras.layers.RandomTranslation(2 / 28, 2 / 28, fill_mode="constant", seed=seed),
            keras.layers.RandomZoom(0.1, fill_mode="constant", seed=seed),
        ],
        name="augmentation",
    )


# ## Training ######################################################################################


def train_digit_classifier(
    x_train: ArrayLike,
    y_train: ArrayLike,
    *,
    epochs: int = 40,
    batch_size: int = 64,
    augment: bool = True,
    learning_rate: float = 1e-3,
    validation_data: tuple[ArrayLike, ArrayLike] | None = None,
    seed: int | None = 0,
    verbose: int | str = "auto",
) -> tuple[keras.Model, keras.callbacks.History]:
    """Train :func:`build_digit_classifier` on uint8 digits; return it (uncompiled) and its history.

    Args:
        x_train: uint8 images (N, 28, 28) or (N, 28, 28, 1), values 0..255.
        y_train: integer labels 0..9, shape (N,).
        epochs, batch_size, learning_rate: Adam on the cross-entropy from logits; the learning
            rate decays along a cosine to 0 over the run.
        augment: random small rotations, shifts and zooms of the training images.
        validation_data: optional (images, labels) to report "val_accuracy" per epoch; never
            the test split you will report.
        seed: seeds Keras (and with it NumPy and Python's ``random``) for a repeatable run;
            None leaves the global seeds alone.

    Returns:
        The trained classifier (logits; no optimizer attached, ready to save small) and the
        Keras ``History`` with "loss", "accuracy" (and "val_..." with ``validation_data``).
    """
    import keras

    check_positive(epochs=epochs, batch_size=batch_size)
    x, y = _digits_and_labels(x_train, y_train, "x_train", "y_train")
    validation = None
    if validation_data is not None:
        validation = _digits_and_labels(*validation_data, "validation images", "labels")
    if seed is not None:
        keras.utils.set_random_seed(check_int(seed, "seed", minimum=0))
    classifier = build_digit_classifier()
    layers = [_augmentation(seed), classifier] if augment else [classifier]
    trainer = keras.Sequential([keras.Input(shape=IMAGE_SHAPE), *layers], name="trainer")
    steps = epochs * -(-len(x) // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps)
    trainer.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = trainer.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
        validation_data=validation,
        verbose=verbose,
    )
    return classifier, history


def _digits_and_labels(
    images: ArrayLike, labels: ArrayLike, image_name: str, label_name: str
) -> tuple[np.ndarray, np.ndarray]:
    """uint8 (N, 28, 28[, 1]) and labels 0..9 -> float32 (N, 28, 28, 1) in [0, 1], int64 (N,)."""
    images, labels = np.asarray(images), np.asarray(labels)
    if images.dtype != np.uint8 or images.shape[1:] not in ((28, 28), IMAGE_SHAPE):
        raise ValueError(
            f"{image_name} must be uint8 digits of shape (N, 28, 28) or (N, 28, 28, 1), "
            f"got {images.dtype} of shape {images.shape}."
        )
    if labels.shape != images.shape[:1] or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"{label_name} must be integer labels of shape ({len(images)},), "
            f"got {labels.dtype} of shape {labels.shape}."
        )
    if labels.size and not 0 <= labels.min() <= labels.max() < NUM_CLASSES:
        raise ValueError(f"{label_name} must be digits 0..9, got {labels.min()}..{labels.max()}.")
    scaled = images.reshape(-1, *IMAGE_SHAPE).astype(np.float32) / np.float32(255.0)
    return scaled, labels.astype(np.int64)


# ## Saving and loading ############################################################################


def _metadata_path(path: Path) -> Path:
    return path.with_suffix(".json")


def save_digit_classifier(
    classifier: keras.Model, path: str | Path, metadata: dict[str, Any]
) -> Path:
    """Write ``classifier`` (architecture and weights, no optimizer) to ``path`` (``.keras``) and
    ``metadata`` as JSON beside it (same name, ``.json``). Returns the model's path."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"path must end in .keras, got {str(path)!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    classifier.save(path)
    _metadata_path(path).write_text(json.dumps(metadata, indent=2) + "\n")
    return path


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
    return json.loads(_metadata_path(path).read_text())


# ## Features and probabilities ####################################################################


class DigitFeatures(FeatureExtractor):
    """Penultimate-layer features (128-d) and class probabilities (10) of 28x28 digits.

    ``DigitFeatures()`` uses the shipped classifier; pass a classifier from
    :func:`build_digit_classifier` / :func:`train_digit_classifier` to use another.

    >>> digits = DigitFeatures()
    >>> features = digits.features(generated, value_range=(-1, 1))  # (n, 128) float64
    >>> share = confident_share(digits.probabilities(generated))  # labelled with p > 0.9

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


# ## Making the shipped file ######################################################################


def train_and_save_digit_classifier(
    output: str | Path = CLASSIFIER_PATH,
    *,
    epochs: int = 40,
    augment: bool = True,
    seed: int = 0,
    verbose: int | str = "auto",
) -> dict[str, Any]:
    """Train on MNIST's training split, measure the accuracy on its test split, save both files.

    What ``gancourse train-classifier`` runs. The data come from :func:`gancourse.data.load_mnist`:
    60,000 / 10,000 digits when MNIST is cached or can be downloaded, else the offline fallback
    (4,000 / 1,000). The test split is used once, after training, for the recorded accuracy.
    Returns the record written beside the model (also :func:`digit_classifier_metadata`).
    """
    import keras
    import tensorflow as tf

    from .. import data

    dataset = data.load_mnist()
    classifier, history = train_digit_classifier(
        dataset.x_train,
        dataset.y_train,
        epochs=epochs,
        augment=augment,
        seed=seed,
        verbose=verbose,
    )
    probabilities = DigitFeatures(classifier).probabilities(dataset.x_test)
    metadata = {
        "trained_on": dataset.source,
        "train_images": len(dataset.x_train),
        "test_images": len(dataset.x_test),
        "test_accuracy": float(np.mean(probabilities.argmax(axis=1) == dataset.y_test)),
        "test_confident_share": confident_share(probabilities),
        "final_train_accuracy": float(history.history["accuracy"][-1]),
        "epochs": epochs,
        "augment": augment,
        "seed": seed,
        "date": datetime.date.today().isoformat(),
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "command": TRAIN_COMMAND,
    }
    save_digit_classifier(classifier, output, metadata)
    return metadata
