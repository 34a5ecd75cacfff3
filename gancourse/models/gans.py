"""Generators and discriminators for the GAN lessons, as plain Keras 3 functional models.

Image generators map a latent code ``z`` of shape (batch, latent_dim) to images of shape
(batch, 28, 28, 1) in [-1, 1] (tanh); toy generators map it to points of shape (batch, 2) with
no output activation (the ring and grid of ``gancourse.toy_data`` reach +-4). Discriminators
map samples to one logit each, shape (batch, 1): probabilities only at the edge, for display
(``keras.ops.sigmoid``).

Every discriminator builder takes two of lesson 07's stabilisers as switches:

- ``spectral_norm=True`` wraps each Dense and Conv2D layer in ``keras.layers.SpectralNormalization``
  (Miyato et al. 2018, https://arxiv.org/abs/1802.05957): the kernel is divided by its largest
  singular value, estimated with one power iteration per training call, so every layer is
  1-Lipschitz. Departure (Keras' implementation): the normalised kernel is written back into the
  layer at each training call and the gradient does not flow through the estimate of sigma (the
  paper differentiates W / sigma(W)); in inference mode the kernel is used as last written.
- ``minibatch_std=True`` inserts a :class:`~gancourse.models.layers.MinibatchStdDev` layer before
  the last hidden layer (Karras et al. 2018, https://arxiv.org/abs/1710.10196, section 3).

``dtype`` takes a Keras dtype policy name ("float32", "mixed_bfloat16", "mixed_float16"); the
last layer of every model stays float32 so samples and logits leave the model in full precision.
"""

from __future__ import annotations

import keras
from keras import layers

from ..validation import check_positive
from .layers import Maxout, MinibatchStdDev, Projection, label_input

#: The latent size used by every GAN of the course unless a lesson says otherwise.
DEFAULT_LATENT_DIM = 100
#: The toy GANs' latent size: a 2-D Gaussian z, as PacGAN's 2-D experiments.
TOY_LATENT_DIM = 2
IMAGE_SHAPE = (28, 28, 1)
_LEAK = 0.2  # slope of leaky ReLU for negative inputs (DCGAN paper, Radford et al. 2015)


def _toy_init() -> keras.initializers.Initializer:
    """N(0, 0.02^2) weights, as PacGAN's toy networks (their released code); biases start at 0.
    A new initializer for every layer: one shared instance would give equal-shaped layers the
    same initial weights (an unseeded Keras initializer fixes its seed when it is made)."""
    return keras.initializers.RandomNormal(stddev=0.02)


def spectral_normalised(layer: layers.Layer, spectral_norm: bool) -> layers.Layer:
    """``layer`` (a Dense or Conv2D), wrapped in spectral normalisation when ``spectral_norm``."""
    if not spectral_norm:
        return layer
    return layers.SpectralNormalization(layer, dtype=layer.dtype_policy)


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


def build_mlp_discriminator(
    hidden_units: int = 128,
    *,
    spectral_norm: bool = False,
    minibatch_std: bool = False,
    dtype: str = "float32",
) -> keras.Model:
    """The classic MLP discriminator: (28, 28, 1) -> 784 -> 128 -> 128 -> 1 logit.

    ``spectral_norm`` and ``minibatch_std``: see the module docstring (the minibatch std
    feature joins the 128 features of the first hidden layer).
    """
    check_positive(hidden_units=hidden_units)
    images = keras.Input(IMAGE_SHAPE, name="images")
    h = layers.Flatten(dtype=dtype)(images)  # (batch, 784)
    for layer in range(2):
        if minibatch_std and layer == 1:
            h = MinibatchStdDev(dtype=dtype)(h)  # (batch, 129)
        h = spectral_normalised(layers.Dense(hidden_units, dtype=dtype), spectral_norm)(
            h
        )  # (batch, 128)
        h = layers.LeakyReLU(_LEAK, dtype=dtype)(h)
    logits = spectral_normalised(layers.Dense(1, dtype="float32", name="logit"), spectral_norm)(h)
    return keras.Model(images, logits, name="mlp_discriminator")  # (batch, 1), no sigmoid


def build_dcgan_generator(
    latent_dim: int = DEFAULT_LATENT_DIM,
    filters: int = 64,
    *,
    kernel_size: int = 5,
    channels: int = 1,
    dtype: str = "float32",
) -> keras.Model:
    """A DCGAN generator for 28x28 images (Radford et al. 2015, https://arxiv.org/abs/1511.06434).

    z -> Dense 7x7x(4 filters) -> transposed convs to 7x7x(2 filters), 14x14x(filters),
    28x28x(channels). Batch norm and leaky ReLU after every layer but the last, which is tanh.
    With ``filters=64, kernel_size=5`` this is the TensorFlow DCGAN tutorial's generator;
    ``channels=3`` makes Stacked MNIST's three-digit images (lesson 07).
    """
    check_positive(
        latent_dim=latent_dim, filters=filters, kernel_size=kernel_size, channels=channels
    )
    z = keras.Input((latent_dim,), name="z")
    images = dcgan_upsampling(z, filters, kernel_size, dtype, channels)  # (batch, 28, 28, c)
    return keras.Model(z, images, name="dcgan_generator")


def dcgan_upsampling(
    h: keras.KerasTensor, filters: int, kernel_size: int, dtype: str, channels: int = 1
) -> keras.KerasTensor:
    """The DCGAN generator's layers, from a code h of shape (batch, n) to images (batch, 28,
    28, channels) in [-1, 1]: Dense 7x7x(4 filters), then transposed convolutions to
    7x7x(2 filters), 14x14x(filters) and 28x28x(channels) (tanh); batch norm and leaky ReLU
    after all but the last."""
    h = layers.Dense(7 * 7 * 4 * filters, use_bias=False, dtype=dtype)(h)
    h = _normalise_and_activate(h, dtype)  # per unit, before the reshape (as the tutorial)
    h = layers.Reshape((7, 7, 4 * filters), dtype=dtype)(h)  # (batch, 7, 7, 4f)
    for width, stride in ((2 * filters, 1), (filters, 2)):  # -> 7x7x2f, 14x14xf
        h = layers.Conv2DTranspose(
            width, kernel_size, strides=stride, padding="same", use_bias=False, dtype=dtype
        )(h)
        h = _normalise_and_activate(h, dtype)
    return layers.Conv2DTranspose(  # (batch, 28, 28, channels)
        channels,
        kernel_size,
        strides=2,
        padding="same",
        use_bias=False,
        activation="tanh",
        dtype="float32",
    )(h)


def build_dcgan_discriminator(
    filters: int = 64,
    *,
    kernel_size: int = 5,
    dropout: float = 0.3,
    batch_norm: bool = False,
    spectral_norm: bool = False,
    minibatch_std: bool = False,
    channels: int = 1,
    dtype: str = "float32",
) -> keras.Model:
    """A DCGAN discriminator for 28x28 images: two strided convs with leaky ReLU, one logit.

    (28, 28, channels) -> 14x14x(filters) -> 7x7x(2 filters) -> 1 logit. With ``filters=64``,
    ``kernel_size=5``, ``dropout=0.3`` this is the TensorFlow DCGAN tutorial's discriminator.
    ``batch_norm=True`` normalises the second convolution's output over the batch, as the
    DCGAN paper does in every layer but the first (Radford et al. 2015, section 3); D then
    judges each batch through its statistics, so not for penalties taken per example
    (WGAN-GP, R1), which Gulrajani et al. 2017 (section 4) train without it.
    ``spectral_norm`` and ``minibatch_std``: see the module docstring (the minibatch std
    channel joins the 14x14 feature maps, before the second convolution). For PacGAN's packing
    of m images of c channels, ``channels = m * c`` (the trainer packs along the channels).
    """
    check_positive(filters=filters, kernel_size=kernel_size, channels=channels)
    images = keras.Input((*IMAGE_SHAPE[:2], channels), name="images")
    h = dcgan_downsampling(
        images, filters, kernel_size, dropout, spectral_norm, minibatch_std, dtype, batch_norm
    )
    logits = spectral_normalised(layers.Dense(1, dtype="float32", name="logit"), spectral_norm)(h)
    return keras.Model(images, logits, name="dcgan_discriminator")  # (batch, 1)


def dcgan_downsampling(
    h: keras.KerasTensor,
    filters: int,
    kernel_size: int,
    dropout: float,
    spectral_norm: bool,
    minibatch_std: bool,
    dtype: str,
    batch_norm: bool = False,
) -> keras.KerasTensor:
    """The DCGAN discriminator's layers, from images (batch, 28, 28, c) to features (batch,
    7 * 7 * 2 filters): two strided convolutions to 14x14x(filters) and 7x7x(2 filters), each
    with leaky ReLU and dropout (with ``batch_norm``, batch norm before the second's leaky
    ReLU), then flattened."""
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
    for width in (filters, 2 * filters):  # -> 14x14xf, 7x7x2f
        if minibatch_std and width == 2 * filters:
            h = MinibatchStdDev(dtype=dtype)(h)  # (batch, 14, 14, f + 1)
        normalised = batch_norm and width == 2 * filters  # not the first layer (DCGAN)
        conv = layers.Conv2D(
            width, kernel_size, strides=2, padding="same", use_bias=not normalised, dtype=dtype
        )
        h = spectral_normalised(conv, spectral_norm)(h)
        if normalised:
            h = layers.BatchNormalization(dtype=dtype)(h)
        h = layers.LeakyReLU(_LEAK, dtype=dtype)(h)
        if dropout:
            h = layers.Dropout(dropout, dtype=dtype)(h)
    return layers.Flatten(dtype=dtype)(h)  # (batch, 7 * 7 * 2f)


def build_toy_generator(
    latent_dim: int = TOY_LATENT_DIM,
    hidden_units: int = 400,
    *,
    hidden_layers: int = 4,
    data_dim: int = 2,
    num_classes: int | None = None,
    embedding_dim: int = 8,
    dtype: str = "float32",
) -> keras.Model:
    """PacGAN's generator for the 2-D ring and grid: z -> 4 x (400, batch norm, ReLU) -> 2.

    Lin et al. 2018, https://arxiv.org/abs/1712.04086, as configured in their released code for
    the 2-D ring and grid (github.com/fjxmlzn/PacGAN): a 2-D Gaussian z, four hidden layers of
    400 units with batch normalisation and ReLU, and a linear output, so the points can land
    anywhere on the plane. Weights start from N(0, 0.02^2); the hidden layers have no bias
    (batch norm's offset takes its place); batch norm's running averages (used by
    ``GAN.generate``) move 5% towards each batch's statistics, as in that code.

    ``num_classes``: a conditional generator G(z, y) (self-conditioning, lesson 07): the labels
    (batch,) enter as a learned embedding of ``embedding_dim`` joined to z, as lesson 08's
    :func:`~gancourse.models.build_conditional_dcgan_generator` does. The embedding starts from
    N(0, 1), the scale of z: with Keras' default (uniform in +-0.05) the classes start almost
    alike and the grid's 50 clusters took longer to separate (``bench/README.md``).
    """
    check_positive(
        latent_dim=latent_dim,
        hidden_units=hidden_units,
        hidden_layers=hidden_layers,
        data_dim=data_dim,
        embedding_dim=embedding_dim,
    )
    z = keras.Input((latent_dim,), name="z")
    inputs, h = z, z
    if num_classes is not None:
        check_positive(num_classes=num_classes)
        labels = label_input()
        unit_normal = keras.initializers.RandomNormal(stddev=1.0)  # as loud as z from step 1
        embedded = layers.Embedding(
            num_classes, embedding_dim, embeddings_initializer=unit_normal, dtype=dtype
        )(labels)
        inputs, h = [z, labels], layers.Concatenate(dtype=dtype)([z, embedded])  # (batch, 2 + e)
    for _ in range(hidden_layers):
        dense = layers.Dense(
            hidden_units, use_bias=False, kernel_initializer=_toy_init(), dtype=dtype
        )
        h = layers.BatchNormalization(momentum=0.95, dtype=dtype)(dense(h))
        h = layers.ReLU(dtype=dtype)(h)  # (batch, 400)
    points = layers.Dense(data_dim, kernel_initializer=_toy_init(), dtype="float32")(h)
    return keras.Model(inputs, points, name="toy_generator")  # (batch, 2), no activation


def build_toy_discriminator(
    hidden_units: int = 200,
    *,
    hidden_layers: int = 3,
    maxout_pieces: int = 5,
    data_dim: int = 2,
    pack: int = 1,
    spectral_norm: bool = False,
    minibatch_std: bool = False,
    num_classes: int | None = None,
    dtype: str = "float32",
) -> keras.Model:
    """PacGAN's discriminator for the 2-D ring and grid: 3 x (200 maxout units) -> 1 logit.

    Lin et al. 2018, https://arxiv.org/abs/1712.04086, as configured in their released code for
    the 2-D ring and grid: three hidden layers of 200 maxout units of 5 pieces each
    (:class:`~gancourse.models.layers.Maxout`), no batch normalisation, one logit. Weights start
    from N(0, 0.02^2), biases from 0.

    Args:
        pack: PacGAN's packing degree m: the input is m points side by side,
            (batch, m * data_dim), as :class:`~gancourse.training.GAN` with ``pack=m`` feeds it.
            Only the input layer grows (as in PacGAN's experiments).
        spectral_norm, minibatch_std: see the module docstring.
        num_classes: a conditional discriminator D(x, y) (self-conditioning, lesson 07),
            conditioned by projection (Miyato & Koyama 2018, https://arxiv.org/abs/1802.05637):
            the logit plus the inner product of a learned class vector with the last hidden
            features, as lesson 08's projection discriminator.
    """
    check_positive(
        hidden_units=hidden_units,
        hidden_layers=hidden_layers,
        maxout_pieces=maxout_pieces,
        data_dim=data_dim,
        pack=pack,
    )
    points = keras.Input((pack * data_dim,), name="points")  # (batch, m * 2)
    h = points
    for layer in range(hidden_layers):
        if minibatch_std and layer == hidden_layers - 1:
            h = MinibatchStdDev(dtype=dtype)(h)  # (batch, 201)
        dense = layers.Dense(
            hidden_units * maxout_pieces, kernel_initializer=_toy_init(), dtype=dtype
        )
        h = spectral_normalised(dense, spectral_norm)(h)  # (batch, 200 * 5)
        h = Maxout(maxout_pieces, dtype=dtype)(h)  # (batch, 200)
    logit = layers.Dense(1, kernel_initializer=_toy_init(), dtype="float32", name="logit")
    logits = spectral_normalised(logit, spectral_norm)(h)  # (batch, 1)
    if num_classes is None:
        return keras.Model(points, logits, name="toy_discriminator")
    check_positive(num_classes=num_classes)
    labels = label_input()
    class_vectors = layers.Embedding(num_classes, hidden_units, dtype="float32")(labels)
    logits = Projection(dtype="float32")([logits, class_vectors, h])  # (batch, 1)
    return keras.Model([points, labels], logits, name="toy_discriminator")


def _normalise_and_activate(h: keras.KerasTensor, dtype: str) -> keras.KerasTensor:
    h = layers.BatchNormalization(dtype=dtype)(h)
    return layers.LeakyReLU(_LEAK, dtype=dtype)(h)
