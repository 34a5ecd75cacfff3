"""Class-conditional DCGANs for 28x28 digits (lesson 08): G(z, y) and D(x, y).

Both networks take a second input, ``labels``: int (batch,) class indices in [0, num_classes).
The rest is lesson 06's DCGAN (:func:`~gancourse.models.gans.dcgan_upsampling`,
:func:`~gancourse.models.gans.dcgan_downsampling`), so any difference in the samples comes from
the conditioning.

**The generator** joins a learned embedding of the label to the noise: z (batch, latent_dim)
and e(y) (batch, embedding_dim) side by side, (batch, latent_dim + embedding_dim), then
DCGAN's layers. Mirza & Osindero (2014, https://arxiv.org/abs/1411.1784, section 4.1) join a
one-hot code instead. The two are close relatives: a one-hot vector times the first Dense
layer's weights picks one row of them, which is what an embedding lookup does; the embedding
gives that row its own, smaller, size and is how Keras spells a lookup. What neither does is
feed the raw integer: that would tell the network that 7 lies between 6 and 8, and that 9 is
nine times "more" than 1.

**The discriminator** is conditioned one of two ways (``conditioning``):

- ``"projection"`` (Miyato & Koyama 2018, https://arxiv.org/abs/1802.05637, equation 3): the
  logit is psi(phi(x)) + e(y) . phi(x), phi(x) the image features (batch, F) and e(y) a learned
  embedding of the class of the same size F. The class asks "do these features match class y?"
  through one inner product, at the end.
- ``"concat"``: the label enters at the start, as an extra image channel, a learned 28x28 map
  per class (the input becomes (batch, 28, 28, 2)). This is the conditional GAN of Mirza &
  Osindero carried over to convolutions, with an embedding in place of their one-hot channels.

Lesson 08 and ``bench/bench_conditional.py`` measure the two side by side.
"""

from __future__ import annotations

import keras
from keras import layers

from ..validation import check_positive
from .gans import (
    DEFAULT_LATENT_DIM,
    IMAGE_SHAPE,
    dcgan_downsampling,
    dcgan_upsampling,
    spectral_normalised,
)
from .layers import Projection, label_input

#: The two ways :func:`build_conditional_dcgan_discriminator` lets the label in.
CONDITIONINGS = ("projection", "concat")
#: Classes of the digit data sets.
NUM_DIGITS = 10


def build_conditional_dcgan_generator(
    num_classes: int = NUM_DIGITS,
    latent_dim: int = DEFAULT_LATENT_DIM,
    filters: int = 64,
    *,
    embedding_dim: int = 50,
    kernel_size: int = 5,
    dtype: str = "float32",
) -> keras.Model:
    """G(z, y): noise z (batch, latent_dim) and labels y (batch,) -> images (batch, 28, 28, 1).

    The label's embedding (batch, embedding_dim) is joined to z, then lesson 06's generator
    (see the module docstring for why an embedding).
    """
    check_positive(
        num_classes=num_classes,
        latent_dim=latent_dim,
        filters=filters,
        embedding_dim=embedding_dim,
        kernel_size=kernel_size,
    )
    z, labels = keras.Input((latent_dim,), name="z"), label_input()
    embedded = layers.Embedding(num_classes, embedding_dim, dtype=dtype, name="label_embedding")(
        labels
    )  # (batch, e)
    code = layers.Concatenate(dtype=dtype, name="noise_and_label")(
        [z, embedded]
    )  # (batch, latent_dim + e)
    images = dcgan_upsampling(code, filters, kernel_size, dtype)  # (batch, 28, 28, 1)
    return keras.Model([z, labels], images, name="conditional_dcgan_generator")


def build_conditional_dcgan_discriminator(
    num_classes: int = NUM_DIGITS,
    filters: int = 64,
    *,
    conditioning: str = "projection",
    kernel_size: int = 5,
    dropout: float = 0.3,
    spectral_norm: bool = False,
    minibatch_std: bool = False,
    batch_norm: bool = False,
    dtype: str = "float32",
) -> keras.Model:
    """D(x, y): images (batch, 28, 28, 1) and labels (batch,) -> one logit each, (batch, 1).

    ``conditioning``: "projection" or "concat" (module docstring). The other arguments are
    lesson 06's discriminator's (:func:`~gancourse.models.gans.build_dcgan_discriminator`).
    """
    check_positive(num_classes=num_classes, filters=filters, kernel_size=kernel_size)
    if conditioning not in CONDITIONINGS:
        raise ValueError(
            f"conditioning must be one of {', '.join(CONDITIONINGS)}, got {conditioning!r}"
        )
    images, labels = keras.Input(IMAGE_SHAPE, name="images"), label_input()
    features_in = images
    if conditioning == "concat":  # a learned 28x28 map per class, as a second channel
        maps = layers.Embedding(num_classes, 28 * 28, dtype=dtype, name="class_maps")(
            labels
        )  # (batch, 784)
        maps = layers.Reshape((28, 28, 1), dtype=dtype)(maps)
        features_in = layers.Concatenate(dtype=dtype, name="image_and_class_map")(
            [images, maps]
        )  # (batch, 28, 28, 2)
    features = dcgan_downsampling(  # phi(x): (batch, F), F = 7 * 7 * 2 filters
        features_in, filters, kernel_size, dropout, spectral_norm, minibatch_std, dtype, batch_norm
    )
    logit = spectral_normalised(layers.Dense(1, dtype="float32", name="logit"), spectral_norm)
    logits = logit(features)  # psi(phi(x)): (batch, 1)
    if conditioning == "projection":
        size = 7 * 7 * 2 * filters
        class_vectors = layers.Embedding(num_classes, size, dtype="float32", name="class_vectors")(
            labels
        )  # e(y)
        logits = Projection(dtype="float32", name="projection")([logits, class_vectors, features])
    return keras.Model([images, labels], logits, name=f"{conditioning}_dcgan_discriminator")
