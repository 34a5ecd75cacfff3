"""The models of the capstone, each one entry in a registry.

A contender is a function that trains one model under a :class:`BudgetClock` and returns a
sampler. Adding a model to the leaderboard means adding one such function with
:func:`register`; nothing else changes::

    @register("cGAN", family="GAN", description="DCGAN conditioned on the digit class")
    def train_cgan(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
        model = ...  # build it; data.labels are there for conditional models
        model.fit(..., epochs=clock.max_epochs, callbacks=[clock])  # the clock enforces the budget
        return Trained(sample=lambda count, seed: ..., network=generator)

``sample(count, seed)`` returns ``count`` images shaped (count, 28, 28) or (count, 28, 28, 1),
floats in [0, 1], the same for the same seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .budget import BudgetClock

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    from ..training import GAN

__all__ = [
    "CONTENDERS",
    "Contender",
    "Trained",
    "TrainingData",
    "fit_gan",
    "register",
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


Trainer = Callable[[TrainingData, BudgetClock, int], Trained]


@dataclass(frozen=True)
class Contender:
    """A registered model: its name, its family, one sentence about it, and how to train it."""

    name: str
    family: str
    description: str
    train: Trainer


CONTENDERS: dict[str, Contender] = {}
"""Every registered contender by name, in the order they were registered."""


def register(name: str, *, family: str, description: str) -> Callable[[Trainer], Trainer]:
    """Decorator: add a trainer ``(data, clock, seed) -> Trained`` to :data:`CONTENDERS`.

    Registering a name again replaces the entry (so a notebook cell can be run twice).
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty string, got {name!r}.")

    def add(trainer: Trainer) -> Trainer:
        if not callable(trainer):
            raise TypeError(f"register({name!r}) decorates a function, got {trainer!r}.")
        CONTENDERS[name] = Contender(name, family, description, trainer)
        return trainer

    return add


# ## The four models of the capstone


@register(
    "autoencoder",
    family="autoencoder",
    description="lesson 01's dense autoencoder (16-d code); samples decode codes drawn from a "
    "Gaussian fitted to the training codes",
)
def train_autoencoder(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
    from ..config import set_seed
    from ..models import build_dense_autoencoder, fit_autoencoder

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


@register(
    "VAE",
    family="autoencoder",
    description="lesson 03's convolutional VAE (8-d latent); samples decode z ~ N(0, I)",
)
def train_vae(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
    from ..config import set_seed
    from ..models import build_vae

    set_seed(seed)
    vae = build_vae(latent_dim=8, seed=seed)
    vae.compile(optimizer="adam")
    vae.fit(data.images, epochs=clock.max_epochs, batch_size=64, verbose=0, callbacks=[clock])
    return Trained(lambda count, seed: vae.sample(count, seed=seed), vae.decoder)


def fit_gan(data: TrainingData, clock: BudgetClock, gan: GAN) -> Trained:
    """Train a compiled :class:`~gancourse.training.GAN` under ``clock`` (batch 64, images in
    [-1, 1], no files, no live view) and wrap its generator as a sampler in [0, 1]: the whole
    body of a GAN contender."""
    from ..training import train

    train(
        gan,
        data.tanh_images,
        epochs=clock.max_epochs,
        batch_size=64,
        directory=None,
        live=False,
        progress=False,
        callbacks=[clock],
    )

    def sample(count: int, seed: int) -> np.ndarray:
        return (gan.generate(count, seed=seed) + 1.0) / 2.0  # tanh range -> [0, 1]

    return Trained(sample, gan.generator)


@register(
    "DCGAN",
    family="GAN",
    description="lesson 06's DCGAN (32 filters, non-saturating loss, Adam 2e-4, batch 64)",
)
def train_dcgan(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
    from ..training import make_dcgan

    return fit_gan(data, clock, make_dcgan(filters=32, seed=seed))


@register(
    "WGAN-GP",
    family="GAN",
    description="the same networks as a Wasserstein GAN with gradient penalty (5 critic steps "
    "per generator step, Adam 1e-4 with betas 0 and 0.9, lambda 10: Gulrajani et al. 2017)",
)
def train_wgan_gp(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
    from ..training import make_dcgan

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
