"""Making the digit classifier that :mod:`gancourse.metrics.classifier` ships: its network, its
training on digits and on images that are not one clear digit, and the command that writes the
package copy (``gancourse train-classifier``). Course tooling: the metrics only load the result.

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

from ..metrics.classifier import (
    CLASSIFIER_PATH,
    IMAGE_SHAPE,
    NUM_CLASSES,
    TRAIN_COMMAND,
    DigitFeatures,
    confident_share,
    metadata_path,
)
from ..validation import check_int, check_positive

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    import keras

__all__ = [
    "OUTLIER_KINDS",
    "build_digit_classifier",
    "outlier_images",
    "save_digit_classifier",
    "train_and_save_digit_classifier",
    "train_digit_classifier",
]


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
    outliers_per_digit: float = 1.0,
    learning_rate: float = 1e-3,
    seed: int | None = 0,
    verbose: int | str = "auto",
) -> tuple[keras.Model, keras.callbacks.History]:
    """Train :func:`build_digit_classifier` on uint8 digits; return it (uncompiled) and its history.

    A plain classifier is confidently wrong on images that are no digit at all: trained on
    digits only, this network gave 96% of uniform-noise images a class probability above 0.9,
    which would make "share of confidently classified samples" reward a generator that outputs
    noise. So it also learns from outliers (Outlier Exposure, Hendrycks et al. 2019,
    https://arxiv.org/abs/1812.04606): noise, smooth blobs and pixel-shuffled digits with the
    uniform target 1/10 for every class, and two overlaid digits of different classes with 1/2
    on each of them (see :func:`outlier_images`); the cross-entropy to these soft targets is
    averaged with that of the digits. Measured on held-out images (the offline 4,000 digits,
    40 epochs): none of the noise, blobs, shuffled digits or outputs of untrained generators is
    labelled with confidence above 0.9, about 14% of overlaid digit pairs are (some look like
    one digit), and the accuracy on real digits stays within noise of training without outliers.

    Args:
        x_train: uint8 images (N, 28, 28) or (N, 28, 28, 1), values 0..255.
        y_train: integer labels 0..9, shape (N,).
        epochs, batch_size, learning_rate: Adam on the cross-entropy from logits; the learning
            rate decays along a cosine to 0 over the run.
        augment: random small rotations, shifts and zooms of every training image.
        outliers_per_digit: outlier images per training digit (0 trains on digits only).
        seed: seeds the outliers and Keras (and with it NumPy's and Python's global generators)
            for a repeatable run; None leaves the global seeds alone and draws fresh outliers.

    Returns:
        The trained classifier (logits; no optimizer attached, ready to save small) and the
        Keras ``History`` with the training "loss" per epoch.
    """
    import keras

    check_positive(epochs=epochs, batch_size=batch_size)
    if not 0.0 <= outliers_per_digit <= 10.0:
        raise ValueError(f"outliers_per_digit must be in [0, 10], got {outliers_per_digit!r}.")
    x, y = _digits_and_labels(x_train, y_train, "x_train", "y_train")
    if seed is not None:
        keras.utils.set_random_seed(check_int(seed, "seed", minimum=0))
    rng = np.random.default_rng(seed)
    outliers, outlier_targets = outlier_images(round(outliers_per_digit * len(x)), x, y, rng)
    x = np.concatenate([x, outliers])  # (N + M, 28, 28, 1) in [0, 1]
    targets = np.concatenate([np.eye(NUM_CLASSES, dtype=np.float32)[y], outlier_targets])

    classifier = build_digit_classifier()
    layers = [_augmentation(seed), classifier] if augment else [classifier]
    trainer = keras.Sequential([keras.Input(shape=IMAGE_SHAPE), *layers], name="trainer")
    steps = epochs * -(-len(x) // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps)
    trainer.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
    )
    history = trainer.fit(
        x, targets, epochs=epochs, batch_size=batch_size, shuffle=True, verbose=verbose
    )
    return classifier, history


# ## Outliers: images that are not one clear digit #################################################


def _uniform_noise(count: int, digits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    darkness = rng.uniform(0.5, 4.0, size=(count, 1, 1, 1))  # u ** k: k > 1 leaves less ink
    return rng.uniform(size=(count, *IMAGE_SHAPE)) ** darkness


def _smooth_blobs(count: int, digits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    from scipy.ndimage import gaussian_filter

    fields = rng.standard_normal((count, *IMAGE_SHAPE))
    for field, sigma in zip(fields, rng.uniform(1.0, 3.0, count), strict=True):
        field[..., 0] = gaussian_filter(field[..., 0], sigma)
        field /= field.std()
    gain = rng.uniform(2.0, 8.0, size=(count, 1, 1, 1))
    offset = rng.uniform(-1.0, 1.5, size=(count, 1, 1, 1))
    return 1.0 / (1.0 + np.exp(-gain * (fields - offset)))  # blobs of ink, in [0, 1]


def _shuffled_pixels(count: int, digits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    chosen = digits[rng.integers(len(digits), size=count)].reshape(count, -1)
    return rng.permuted(chosen, axis=1).reshape(count, *IMAGE_SHAPE)  # a digit's ink, no shape


_UNIFORM_TARGET_KINDS = {
    "noise": _uniform_noise,
    "blobs": _smooth_blobs,
    "shuffled": _shuffled_pixels,
}
OUTLIER_KINDS = (*_UNIFORM_TARGET_KINDS, "hybrids")


def outlier_images(
    count: int,
    digits: np.ndarray,
    labels: np.ndarray,
    rng: np.random.Generator,
    kinds: Sequence[str] = OUTLIER_KINDS,
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` images that are not one clear digit, and the class probabilities to learn for them.

    Split evenly among ``kinds``: "noise" (uniform noise of random darkness), "blobs" (Gaussian-
    filtered noise through a sigmoid) and "shuffled" (a digit's pixels in random places), each
    with the uniform target 1/10; "hybrids" (the pixelwise maximum of two digits of different
    classes) with 1/2 on each of the two classes.

    Args:
        digits: float32 (N, 28, 28, 1) in [0, 1]; labels: int (N,) 0..9, at least two classes.

    Returns:
        float32 images (count, 28, 28, 1) in [0, 1] and float32 targets (count, 10), rows
        summing to 1.
    """
    unknown = set(kinds) - set(OUTLIER_KINDS)
    if unknown or not kinds:
        raise ValueError(f"kinds must be among {OUTLIER_KINDS}, got {tuple(kinds)!r}.")
    images, targets = [], []
    for number, kind in enumerate(kinds):
        share = (count * (number + 1)) // len(kinds) - (count * number) // len(kinds)
        if kind == "hybrids":
            first = rng.integers(len(digits), size=share)
            # A second digit of a different class: among the digits, uniformly.
            classes = (labels[first] + rng.integers(1, NUM_CLASSES, size=share)) % NUM_CLASSES
            second = np.array([rng.choice(np.flatnonzero(labels == c)) for c in classes], int)
            images.append(np.maximum(digits[first], digits[second]))
            target = np.zeros((share, NUM_CLASSES))
            target[np.arange(share), labels[first]] = 0.5
            target[np.arange(share), labels[second]] = 0.5
        else:
            images.append(_UNIFORM_TARGET_KINDS[kind](share, digits, rng))
            target = np.full((share, NUM_CLASSES), 1.0 / NUM_CLASSES)
        targets.append(target)
    return (
        np.concatenate(images).astype(np.float32).reshape(-1, *IMAGE_SHAPE),
        np.concatenate(targets).astype(np.float32),
    )


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


# ## Saving


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
    metadata_path(path).write_text(json.dumps(metadata, indent=2) + "\n")
    return path


# ## Making the shipped file ######################################################################


def train_and_save_digit_classifier(
    output: str | Path = CLASSIFIER_PATH,
    *,
    epochs: int = 40,
    augment: bool = True,
    outliers_per_digit: float = 1.0,
    seed: int = 0,
    verbose: int | str = "auto",
) -> dict[str, Any]:
    """Train on MNIST's training split, measure the accuracy on its test split, save both files.

    What ``gancourse train-classifier`` runs. The data come from :func:`gancourse.data.load_mnist`:
    60,000 / 10,000 digits when MNIST is cached or can be downloaded, else the offline fallback
    (4,000 / 1,000). The test split is used once, after training, for the recorded accuracy and
    share of confidently classified digits; fresh outliers made from it (another seed) give the
    share of confidently classified outliers of each kind (ideally 0).
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
        outliers_per_digit=outliers_per_digit,
        seed=seed,
        verbose=verbose,
    )
    digits = DigitFeatures(classifier)
    probabilities = digits.probabilities(dataset.x_test)
    test_digits, test_labels = _digits_and_labels(
        dataset.x_test, dataset.y_test, "x_test", "y_test"
    )
    held_out_rng = np.random.default_rng(None if seed is None else seed + 1)  # fresh outliers
    outlier_shares = {}
    for kind in OUTLIER_KINDS:
        outliers, _ = outlier_images(1000, test_digits, test_labels, held_out_rng, kinds=(kind,))
        outlier_shares[kind] = confident_share(digits.probabilities(outliers, value_range=(0, 1)))
    metadata = {
        "trained_on": dataset.source,
        "train_images": len(dataset.x_train),
        "test_images": len(dataset.x_test),
        "test_accuracy": float(np.mean(probabilities.argmax(axis=1) == dataset.y_test)),
        "test_confident_share": confident_share(probabilities),
        "outlier_confident_share": outlier_shares,
        "final_train_loss": float(history.history["loss"][-1]),
        "epochs": epochs,
        "augment": augment,
        "outliers_per_digit": outliers_per_digit,
        "seed": seed,
        "date": datetime.date.today().isoformat(),
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "command": TRAIN_COMMAND,
    }
    save_digit_classifier(classifier, output, metadata)
    return metadata
