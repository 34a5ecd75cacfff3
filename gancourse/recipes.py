"""Each lesson's model trained into a sampler: the recipes that lesson 09 scores and the capstone
(lesson 12) puts on its leaderboard (lesson 08's conditional GAN among them).

A recipe takes :class:`TrainingData`, a :class:`~gancourse.training.budget.BudgetClock` (the
Keras callback that stops ``fit`` when the budget is spent) and a seed, and returns
:class:`Trained`: ``sample(count, seed)`` -> ``count`` images (count, 28, 28) or
(count, 28, 28, 1), floats in [0, 1], the same for the same seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    from .training import GAN
    from .training.budget import BudgetClock

__all__ = [
    "Trained",
    "TrainingData",
    "balanced_labels",
    "fit_gan",
    "train_autoencoder",
    "train_conditional_dcgan",
    "train_dcgan",
    "train_vae",
    "train_wgan_gp",
]


@dataclass(frozen=True)
class TrainingData:
    """What every contender trains on.

    Attributes:
        images: float32 (n, 28, 28, 1) in [0, 1].
        labels: int (n,) digit classes, for conditional models (others ignore them).
    """

    images: np.ndarray
    labels: np.ndarray

    def __post_init__(self) -> None:
        images, labels = self.images, self.labels
        if not (
            isinstance(images, np.ndarray)
            and images.dtype == np.float32
            and images.ndim == 4
            and images.shape[1:] == (28, 28, 1)
            and len(images) >= 2
        ):
            raise ValueError(
                "images must be float32 digits shaped (n, 28, 28, 1) with n >= 2, got "
                f"{getattr(images, 'dtype', type(images).__name__)} {np.shape(images)}; "
                "TrainingData.from_uint8(x, y) converts uint8 digits."
            )
        if not np.all(np.isfinite(images)) or images.min() < 0.0 or images.max() > 1.0:
            raise ValueError("images must be finite pixel values in [0, 1].")
        labels = np.asarray(labels)
        if labels.shape != (len(images),) or labels.dtype.kind not in "iu":
            raise ValueError(
                f"labels must be {len(images)} integers, one per image, got {labels.dtype} "
                f"{labels.shape}."
            )

    @classmethod
    def from_uint8(cls, images: np.ndarray, labels: np.ndarray) -> TrainingData:
        """From uint8 digits (n, 28, 28) and their labels (n,), as ``gancourse.data`` loads
        them."""
        images = np.asarray(images)
        if images.dtype != np.uint8 or images.shape[1:] != (28, 28):
            raise ValueError(
                f"images must be uint8 digits shaped (n, 28, 28), got {images.dtype} "
                f"{images.shape}."
            )
        return cls((images[..., None] / np.float32(255.0)).astype(np.float32), np.asarray(labels))

    @property
    def tanh_images(self) -> np.ndarray:
        """The images in [-1, 1], a tanh generator's range."""
        return 2.0 * self.images - 1.0


@dataclass(frozen=True)
class Trained:
    """What a contender returns.

    Attributes:
        sample: ``sample(count, seed)`` -> (count, 28, 28[, 1]) float images in [0, 1].
        network: the network that draws the samples (generator, decoder), for its size.
    """

    sample: Callable[[int, int], np.ndarray]
    network: object


# ## The capstone's models


def train_autoencoder(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
    from .config import set_seed
    from .models import build_dense_autoencoder, fit_autoencoder

    set_seed(seed)
    flat = data.images.reshape(len(data.images), -1)  # (n, 784)
    autoencoder = build_dense_autoencoder(code_size=16)
    fit_autoencoder(autoencoder, flat, epochs=clock.max_epochs, verbose=0, callbacks=[clock])
    encoder, decoder = autoencoder.get_layer("encoder"), autoencoder.get_layer("decoder")
    codes = encoder.predict(flat, verbose=0)  # (n, 16)
    mean, covariance = codes.mean(axis=0), np.cov(codes, rowvar=False)

    def sample(count: int, seed: int) -> np.ndarray:
        z = np.random.default_rng(seed).multivariate_normal(mean, covariance, size=count)
        return decoder.predict(z, verbose=0).reshape(count, 28, 28)  # sigmoid: [0, 1]

    return Trained(sample, decoder)


def train_vae(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
    from .config import set_seed
    from .models import build_vae

    set_seed(seed)
    vae = build_vae(latent_dim=8, seed=seed)
    vae.compile(optimizer="adam")
    vae.fit(data.images, epochs=clock.max_epochs, batch_size=64, verbose=0, callbacks=[clock])
    return Trained(lambda count, seed: vae.sample(count, seed=seed), vae.decoder)


def balanced_labels(count: int, num_classes: int, seed: int) -> np.ndarray:
    """``count`` class labels, every class as often as ``count`` allows (0, 1, ...,
    num_classes - 1, 0, 1, ...), in an order that depends on ``seed``: int (count,)."""
    return np.random.default_rng(seed).permutation(np.arange(count) % num_classes)


def fit_gan(data: TrainingData, clock: BudgetClock, gan: GAN, *, batch_size: int = 64) -> Trained:
    """Train a compiled :class:`~gancourse.training.GAN` under ``clock`` (images in [-1, 1],
    no files, no live view) and wrap its generator as a sampler in [0, 1]: the whole body of a
    GAN contender.

    A conditional GAN (``gan.num_classes`` set, lesson 08) trains on the images with
    ``data.labels`` and samples every class equally often (:func:`balanced_labels`), so that
    its samples are scored like an unconditional model's, each digit about as often as in the
    (nearly balanced) digits they are compared with.
    """
    from .training import train

    train(
        gan,
        (data.tanh_images, data.labels) if gan.conditional else data.tanh_images,
        epochs=clock.max_epochs,
        batch_size=batch_size,
        directory=None,
        live=False,
        progress=False,
        callbacks=[clock],
    )

    def sample(count: int, seed: int) -> np.ndarray:
        labels = balanced_labels(count, gan.num_classes, seed) if gan.conditional else None
        return (gan.generate(count, seed=seed, labels=labels) + 1.0) / 2.0  # tanh -> [0, 1]

    return Trained(sample, gan.generator)


def train_dcgan(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
    """Lesson 06's recipe for a CPU (``DCGAN_RECIPE``) at its batch size."""
    from .training import DCGAN_RECIPE, DCGAN_RECIPE_BATCH_SIZE, make_dcgan

    gan = make_dcgan(**DCGAN_RECIPE, seed=seed)
    return fit_gan(data, clock, gan, batch_size=DCGAN_RECIPE_BATCH_SIZE)


def train_wgan_gp(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
    from .training import make_dcgan

    gan = make_dcgan(
        filters=32,
        loss="wasserstein-gp",
        update="alternating",
        n_critic=5,
        learning_rate=1e-4,
        beta_1=0.0,
        beta_2=0.9,
        seed=seed,
    )
    return fit_gan(data, clock, gan)


def train_conditional_dcgan(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
    """Lesson 08's model: lesson 06's recipe made conditional, at the recipe's batch size."""
    from .training import DCGAN_RECIPE, DCGAN_RECIPE_BATCH_SIZE, make_conditional_dcgan

    gan = make_conditional_dcgan(**DCGAN_RECIPE, seed=seed)
    return fit_gan(data, clock, gan, batch_size=DCGAN_RECIPE_BATCH_SIZE)
