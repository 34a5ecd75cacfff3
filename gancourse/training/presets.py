"""Ready-to-train GANs with the course's defaults: build, wrap in :class:`GAN`, compile.

Call them inside ``strategy.scope()`` to train under ``tf.distribute``.
"""

from __future__ import annotations

import keras

from ..models.gans import (
    DEFAULT_LATENT_DIM,
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_mlp_discriminator,
    build_mlp_generator,
)
from .devices import check_precision, default_precision
from .trainer import GAN


def _adam(learning_rate: float, beta_1: float, beta_2: float) -> keras.optimizers.Adam:
    return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2)


def _compiled(gan: GAN, learning_rate: float, beta_1: float, beta_2: float = 0.999) -> GAN:
    gan.compile(
        generator_optimizer=_adam(learning_rate, beta_1, beta_2),
        discriminator_optimizer=_adam(learning_rate, beta_1, beta_2),
    )
    return gan


def make_mlp_gan(
    *,
    latent_dim: int = DEFAULT_LATENT_DIM,
    hidden_units: int = 128,
    loss: str = "non-saturating",
    learning_rate: float = 2e-4,
    beta_1: float = 0.5,
    seed: int = 0,
) -> GAN:
    """Lesson 05's MLP GAN (128-128-784 both ways), float32, alternating updates."""
    gan = GAN(
        build_mlp_generator(latent_dim, hidden_units),
        build_mlp_discriminator(hidden_units),
        loss=loss,
        seed=seed,
    )
    return _compiled(gan, learning_rate, beta_1)


def make_dcgan(
    *,
    latent_dim: int = DEFAULT_LATENT_DIM,
    filters: int = 64,
    precision: str = "auto",
    loss: str = "non-saturating",
    update: str = "simultaneous",
    n_critic: int = 1,
    learning_rate: float = 2e-4,
    beta_1: float = 0.5,
    beta_2: float = 0.999,
    seed: int = 0,
) -> GAN:
    """Lesson 06's DCGAN with the course's default configuration.

    ``precision="auto"`` picks :func:`~gancourse.training.devices.default_precision`
    (bfloat16 mixed precision on a CPU with AMX/AVX-512 BF16, float16 on a recent GPU).
    Adam(2e-4, beta_1=0.5) for both networks, as in the DCGAN paper (Radford et al. 2015).
    A WGAN-GP on the same networks, with the paper's settings (Gulrajani et al. 2017,
    Algorithm 1): ``make_dcgan(loss="wasserstein-gp", update="alternating", n_critic=5,
    learning_rate=1e-4, beta_1=0.0, beta_2=0.9)`` (its critic has no batch normalization,
    which the per-example gradient penalty needs).
    """
    dtype = default_precision() if precision == "auto" else check_precision(precision)
    gan = GAN(
        build_dcgan_generator(latent_dim, filters, dtype=dtype),
        build_dcgan_discriminator(filters, dtype=dtype),
        loss=loss,
        update=update,
        n_critic=n_critic,
        seed=seed,
    )
    return _compiled(gan, learning_rate, beta_1, beta_2)
