"""Generators and discriminators for the GAN lessons, as plain Keras 3 functional models.

Generators map a latent code ``z`` of shape (batch, latent_dim) to images of shape
(batch, 28, 28, 1) in [-1, 1] (tanh). Discriminators map such images to one logit per image,
shape (batch, 1): probabilities only at the edge, for display (``keras.ops.sigmoid``).

``dtype`` takes a Keras dtype policy name ("float32", "mixed_bfloat16", "mixed_float16"); the
last layer of every model stays float32 so images and logits leave the model in full precision.
"""

from __future__ import annotations

import keras
from keras import layers

from ..validation import check_positive

#: The latent size used by every GAN of the course unless a lesson says otherwise.
DEFAULT_LATENT_DIM = 100
IMAGE_SHAPE = (28, 28, 1)
_LEAK = 0.2  # slope of leaky ReLU for negative inputs (DCGAN paper, Radford et al. 2015)


def build_mlp_generator(
    latent_dim: int = DEFAULT_LATENT_DIM, hidden_units: int = 128, *, dtype: str = "float32"
) -> keras.Model:
    """The classic MLP generator: z -> 128 -> 128 -> 784 (tanh) -> (28, 28, 1).

    Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661 (with leaky ReLU hidden layers).
    """
    check_positive(latent_dim=latent_dim, hidden_units=hidden_units)
    z = keras.Input((latent_dim,), name="z")
    h = layers.Dense(hidden_units, dtype=dtype)(z)  # (batch, 128)
    h = layers.LeakyReLU(_LEAK, dtype=dtype)(h)
    h = layers.Dense(hidden_units, dtype=dtype)(h)  # (batch, 128)
    h = layers.LeakyReLU(_LEAK, dtype=dtype)(h)
    pixels = layers.Dense(28 * 28, activation="tanh", dtype="float32")(h)  # (batch, 784)
    images = layers.Reshape(IMAGE_SHAPE, dtype="float32")(pixels)  # (batch, 28, 28, 1)
    return keras.Model(z, images, name="mlp_generator")


def build_mlp_discriminator(hidden_units: int = 128, *, dtype: str = "float32") -> keras.Model:
    """The classic MLP discriminator: (28, 28, 1) -> 784 -> 128 -> 128 -> 1 logit."""
    check_positive(hidden_units=hidden_units)
    images = keras.Input(IMAGE_SHAPE, name="images")
    h = layers.Flatten(dtype=dtype)(images)  # (batch, 784)
    h = layers.Dense(hidden_units, dtype=dtype)(h)
    h = layers.LeakyReLU(_LEAK, dtype=dtype)(h)
    h = layers.Dense(hidden_units, dtype=dtype)(h)
    h = layers.LeakyReLU(_LEAK, dtype=dtype)(h)
    logits = layers.Dense(1, dtype="float32", name="logit")(h)  # (batch, 1), no sigmoid
    return keras.Model(images, logits, name="mlp_discriminator")


def build_dcgan_generator(
    latent_dim: int = DEFAULT_LATENT_DIM,
    filters: int = 64,
    *,
    kernel_size: int = 5,
    dtype: str = "float32",
) -> keras.Model:
    """A DCGAN generator for 28x28 images (Radford et al. 2015, https://arxiv.org/abs/1511.06434).

    z -> Dense 7x7x(4 filters) -> transposed convs to 7x7x(2 filters), 14x14x(filters), 28x28x1.
    Batch norm and leaky ReLU after every layer but the last, which is tanh. With
    ``filters=64, kernel_size=5`` this is the TensorFlow DCGAN tutorial's generator.
    """
    check_positive(latent_dim=latent_dim, filters=filters, kernel_size=kernel_size)
    z = keras.Input((latent_dim,), name="z")
    h = layers.Dense(7 * 7 * 4 * filters, use_bias=False, dtype=dtype)(z)
    h = _normalise_and_activate(h, dtype)  # per unit, before the reshape (as the tutorial)
    h = layers.Reshape((7, 7, 4 * filters), dtype=dtype)(h)  # (batch, 7, 7, 4f)
    for width, stride in ((2 * filters, 1), (filters, 2)):  # -> 7x7x2f, 14x14xf
        h = layers.Conv2DTranspose(
            width, kernel_size, strides=stride, padding="same", use_bias=False, dtype=dtype
        )(h)
        h = _normalise_and_activate(h, dtype)
    images = layers.Conv2DTranspose(  # (batch, 28, 28, 1)
        1,
        kernel_size,
        strides=2,
        padding="same",
        use_bias=False,
        activation="tanh",
        dtype="float32",
    )(h)
    return keras.Model(z, images, name="dcgan_generator")


def build_dcgan_discriminator(
    filters: int = 64,
    *,
    kernel_size: int = 5,
    dropout: float = 0.3,
    dtype: str = "float32",
) -> keras.Model:
    """A DCGAN discriminator for 28x28 images: two strided convs with leaky ReLU, one logit.

    (28, 28, 1) -> 14x14x(filters) -> 7x7x(2 filters) -> 1 logit. With ``filters=64``,
    ``kernel_size=5``, ``dropout=0.3`` this is the TensorFlow DCGAN tutorial's discriminator.
    """
    check_positive(filters=filters, kernel_size=kernel_size)
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
    images = keras.Input(IMAGE_SHAPE, name="images")
    h = images
    for width in (filters, 2 * filters):  # -> 14x14xf, 7x7x2f
        h = layers.Conv2D(width, kernel_size, strides=2, padding="same", dtype=dtype)(h)
        h = layers.LeakyReLU(_LEAK, dtype=dtype)(h)
        if dropout:
            h = layers.Dropout(dropout, dtype=dtype)(h)
    h = layers.Flatten(dtype=dtype)(h)
    logits = layers.Dense(1, dtype="float32", name="logit")(h)  # (batch, 1)
    return keras.Model(images, logits, name="dcgan_discriminator")


def _normalise_and_activate(h: keras.KerasTensor, dtype: str) -> keras.KerasTensor:
    h = layers.BatchNormalization(dtype=dtype)(h)
    return layers.LeakyReLU(_LEAK, dtype=dtype)(h)
