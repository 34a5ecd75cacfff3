"""Ready-to-train GANs with the course's defaults: build, wrap in :class:`GAN`, compile.

Call them inside ``strategy.scope()`` to train under ``tf.distribute``.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import keras
from keras.optimizers.schedules import CosineDecay

from ..config import seeded_weights
from ..models.conditional_gans import (
    NUM_DIGITS,
    build_conditional_dcgan_discriminator,
    build_conditional_dcgan_generator,
)
from ..models.gans import (
    DEFAULT_LATENT_DIM,
    TOY_LATENT_DIM,
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_mlp_discriminator,
    build_mlp_generator,
    build_toy_discriminator,
    build_toy_generator,
)
from ..validation import check_int
from .devices import check_precision, default_precision
from .trainer import GAN

LearningRate = float | keras.optimizers.schedules.LearningRateSchedule


def _adam(learning_rate: LearningRate, beta_1: float, beta_2: float) -> keras.optimizers.Adam:
    return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2)


def _compiled(
    gan: GAN,
    generator_learning_rate: LearningRate,
    discriminator_learning_rate: LearningRate,
    beta_1: float,
    beta_2: float = 0.999,
) -> GAN:
    gan.compile(
        generator_optimizer=_adam(generator_learning_rate, beta_1, beta_2),
        discriminator_optimizer=_adam(discriminator_learning_rate, beta_1, beta_2),
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
    return _compiled(gan, learning_rate, learning_rate, beta_1)


#: Lesson 06's DCGAN recipe for a CPU: ``make_dcgan(**DCGAN_RECIPE)``, trained at batch
#: :data:`DCGAN_RECIPE_BATCH_SIZE`. Each departure from ``make_dcgan()``'s defaults (the DCGAN
#: paper's and the TensorFlow tutorial's choices) was kept because it measured better per CPU
#: minute: lesson 06 explains each, ``bench/dcgan_quality.py`` measures the whole recipe.
DCGAN_RECIPE: MappingProxyType[str, Any] = MappingProxyType(
    {
        "filters": 32,  # half the tutorial's width: several times the steps per minute
        "batch_norm": True,  # batch norm in D's second layer, as in the DCGAN paper
        "dropout": 0.0,  # instead of the tutorial's dropout 0.3 in D
        "learning_rate": 5e-4,  # instead of the paper's 2e-4, for both networks
        "ema_decay": 0.999,  # sample from a moving average of G's weights
    }
)
DCGAN_RECIPE_BATCH_SIZE = 32  # instead of 64: more, cheaper steps per minute


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
    dropout: float = 0.3,
    batch_norm: bool = False,
    channels: int = 1,
    pack: int = 1,
    ema_decay: float | None = None,
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

    ``channels=3``: Stacked MNIST's three-digit images (lesson 07). ``pack=m``: PacGAN (Lin et
    al. 2018), D judges m images at once, stacked along the channels; train with a batch size
    that is a multiple of m (``GAN.batching`` says how fit's batch is split).
    ``dropout`` and ``batch_norm``: D's (see
    :func:`~gancourse.models.gans.build_dcgan_discriminator`). ``ema_decay=0.999``: sample
    from a moving average of G's weights (see :class:`GAN`). Lesson 06's recipe for a CPU
    is :data:`DCGAN_RECIPE`.
    """
    dtype = default_precision() if precision == "auto" else check_precision(precision)
    gan = GAN(
        build_dcgan_generator(latent_dim, filters, channels=channels, dtype=dtype),
        build_dcgan_discriminator(
            filters, dropout=dropout, batch_norm=batch_norm, channels=channels * pack, dtype=dtype
        ),
        loss=loss,
        update=update,
        n_critic=n_critic,
        pack=pack,
        ema_decay=ema_decay,
        seed=seed,
    )
    return _compiled(gan, learning_rate, learning_rate, beta_1, beta_2)


def make_conditional_dcgan(
    *,
    num_classes: int = NUM_DIGITS,
    conditioning: str = "projection",
    latent_dim: int = DEFAULT_LATENT_DIM,
    filters: int = 32,
    dropout: float = 0.3,
    precision: str = "auto",
    loss: str = "non-saturating",
    update: str = "simultaneous",
    learning_rate: float = 2e-4,
    beta_1: float = 0.5,
    batch_norm: bool = False,
    ema_decay: float | None = None,
    seed: int = 0,
) -> GAN:
    """Lesson 08's class-conditional DCGAN: lesson 06's networks and settings (``filters=32``,
    lesson 06's choice for a CPU; dropout 0.3 in D), G(z, y) with the label's embedding joined
    to z, D(x, y) conditioned by ``conditioning`` ("projection" or "concat", see
    :mod:`gancourse.models.conditional_gans`). Train it with
    ``train(gan, (images, labels), ...)``; sample with ``gan.generate(labels=...)``.
    Precision, optimizers (Adam 2e-4, beta_1 0.5) and update as :func:`make_dcgan`.

    ``dropout=0.0`` removes D's dropout, one of the variants measured against this recipe
    (``bench/bench_conditional.py --models projection projection-no-dropout``).
    ``batch_norm`` and ``ema_decay`` as in :func:`make_dcgan`, so that
    ``make_conditional_dcgan(**DCGAN_RECIPE)`` is lesson 06's recipe made conditional
    (``--models projection-recipe``).
    """
    dtype = default_precision() if precision == "auto" else check_precision(precision)
    gan = GAN(
        build_conditional_dcgan_generator(num_classes, latent_dim, filters, dtype=dtype),
        build_conditional_dcgan_discriminator(
            num_classes,
            filters,
            conditioning=conditioning,
            dropout=dropout,
            batch_norm=batch_norm,
            dtype=dtype,
        ),
        loss=loss,
        update=update,
        seed=seed,
        num_classes=num_classes,
        ema_decay=ema_decay,
    )
    return _compiled(gan, learning_rate, learning_rate, beta_1)


#: PacGAN's batch in its 2-D experiments: 100 discriminator inputs per step, so with
#: ``pack=m`` train on ``TOY_BATCH_SIZE * m`` points per step (m points per input).
TOY_BATCH_SIZE = 100


def make_toy_gan(
    *,
    latent_dim: int = TOY_LATENT_DIM,
    loss: str = "non-saturating",
    generator_learning_rate: float = 1e-4,
    discriminator_learning_rate: float = 1e-4,
    beta_1: float = 0.8,
    beta_2: float = 0.999,
    update: str = "simultaneous",
    n_critic: int = 1,
    real_label: float = 1.0,
    r1_weight: float = 0.0,
    spectral_norm: bool = False,
    minibatch_std: bool = False,
    pack: int = 1,
    decay_steps: int | None = None,
    ema_decay: float | None = None,
    num_classes: int | None = None,
    seed: int = 0,
) -> GAN:
    """Lesson 07's GAN for 2-D points (the ring and grid of ``gancourse.toy_data``), float32.

    PacGAN's 2-D set-up (Lin et al. 2018, https://arxiv.org/abs/1712.04086, itself VEEGAN's,
    https://arxiv.org/abs/1705.07761), every default as in their released code
    (github.com/fjxmlzn/PacGAN, ``synthetic_data_experiments``, the configuration of their 2-D
    runs):
    a 2-D Gaussian z; G with four hidden layers of 400 units (batch norm, ReLU) and a linear
    output (:func:`~gancourse.models.gans.build_toy_generator`); D with three hidden layers of
    200 maxout units of 5 pieces and one logit (``build_toy_discriminator``); the
    non-saturating loss; Adam(1e-4, beta_1=0.8) for both networks; :data:`TOY_BATCH_SIZE` = 100
    per step; both networks updated from the same forward pass (``update="simultaneous"``, the
    training algorithm of the ALI code theirs builds on). They trained 400 epochs of 100,000
    points (400,000 steps); their ring has radius 1 and standard deviation 0.01, the course's
    (Metz et al.'s) radius 2 and 0.02, which a linear output does not mind.

    Lesson 07's stabilisers, each off by default and switched on by one argument:

    - ``real_label=0.9``: one-sided label smoothing (Salimans et al. 2016,
      https://arxiv.org/abs/1606.03498), real targets 0.9 in D's loss only.
    - ``discriminator_learning_rate=4e-4, generator_learning_rate=1e-4``: the two time-scale
      update rule, TTUR (Heusel et al. 2017, https://arxiv.org/abs/1706.08500): each network
      its own learning rate (4e-4 / 1e-4 as in SAGAN, Zhang et al. 2018,
      https://arxiv.org/abs/1805.08318).
    - ``spectral_norm=True``: every layer of D spectrally normalised (Miyato et al. 2018,
      https://arxiv.org/abs/1802.05957).
    - ``r1_weight=gamma``: R1 penalty gamma / 2 * ||grad_x D(x)||^2 on real points (Mescheder
      et al. 2018, https://arxiv.org/abs/1801.04406).
    - ``minibatch_std=True``: D sees the batch's standard deviation as one extra feature
      (Karras et al. 2018, https://arxiv.org/abs/1710.10196).
    - ``pack=m``: PacGAN, D judges m points at once; train with
      ``batch_size=TOY_BATCH_SIZE * m`` (PacGAN's 100 inputs per step).
    - ``loss="wasserstein-gp", update="alternating", n_critic=5, beta_1=0.0, beta_2=0.9``:
      WGAN-GP with Gulrajani et al.'s settings (https://arxiv.org/abs/1704.00028, Algorithm 1).
    - ``decay_steps=N``: both learning rates fall from their value to 0 along a half cosine
      over N optimizer steps (Loshchilov & Hutter 2017, https://arxiv.org/abs/1608.03983,
      without restarts), so that the two players settle instead of circling the equilibrium:
      give the run's generator steps (with ``n_critic=k`` D takes k steps per G step; its
      schedule is stretched to match).
    - ``ema_decay=0.999``: sample from a moving average of G's weights (Yazici et al. 2019,
      https://arxiv.org/abs/1806.04498; see :class:`GAN`), which smooths out G's circling.
    - ``num_classes=k``: self-conditioning (Liu et al. 2020, https://arxiv.org/abs/2006.10728):
      G(z, y) and D(x, y) conditioned on k cluster labels of the points (an embedding joined to
      z; projection in D), trained on ``(points, labels)`` from
      :func:`gancourse.clusters.pixel_clusters` and sampled with labels drawn in the clusters'
      frequencies. ``gancourse.mixture_runs`` does all of that.

    Train with ``train(gan, points, epochs=..., batch_size=TOY_BATCH_SIZE * gan.pack)``;
    ``points`` of shape (n, 2), float, any range. ``seed`` draws the starting weights (the same
    wherever the call is made, see :func:`~gancourse.config.seeded_weights`) and the noise.
    """
    with seeded_weights(seed):
        generator = build_toy_generator(latent_dim, num_classes=num_classes)
        discriminator = build_toy_discriminator(
            pack=pack,
            spectral_norm=spectral_norm,
            minibatch_std=minibatch_std,
            num_classes=num_classes,
        )
    gan = GAN(
        generator,
        discriminator,
        loss=loss,
        update=update,
        n_critic=n_critic,
        real_label=real_label,
        r1_weight=r1_weight,
        pack=pack,
        ema_decay=ema_decay,
        num_classes=num_classes,
        seed=seed,
    )
    if decay_steps is not None:
        decay_steps = check_int(decay_steps, "decay_steps", 1)
        generator_learning_rate = CosineDecay(generator_learning_rate, decay_steps)
        discriminator_learning_rate = CosineDecay(
            discriminator_learning_rate, decay_steps * gan.n_critic
        )
    return _compiled(gan, generator_learning_rate, discriminator_learning_rate, beta_1, beta_2)
