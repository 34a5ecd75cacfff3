"""Convolutional autoencoders: strided convolutions shrink the image, transposed ones grow it back.

Images enter as (batch, height, width, channels), float32 in [0, 1]. The encoder halves the
grid with each stride-2 ``Conv2D`` (28 -> 14 -> 7), flattens and ends in a linear code; the
decoder mirrors it with stride-2 ``Conv2DTranspose`` layers (7 -> 14 -> 28) and a sigmoid
``Conv2D`` so reconstructions live in [0, 1]. Because the decoder undoes the encoder's halvings
exactly, the image height and width must be divisible by ``2 ** len(filters)`` (4 for MNIST).
The layout follows the Keras example "Convolutional autoencoder for image denoising"
(https://keras.io/examples/vision/autoencoder/); transposed convolutions as learned upsampling:
Dumoulin & Visin, "A guide to convolution arithmetic for deep learning", 2016
(https://arxiv.org/abs/1603.07285), which also derives the output-size formulas used below.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import keras

from ..validation import check_positive

PADDINGS = ("valid", "same")
KERNEL_SIZE = 3  # every convolution here is 3x3
STRIDE = 2  # every down- and upsampling layer halves or doubles the grid


# ## Output-size arithmetic ########################################################################


def conv_output_size(size: int, kernel_size: int, stride: int, padding: str) -> int:
    """Output length along one axis of Keras' ``Conv2D`` (dilation 1).

    ``"valid"`` (no padding): ``floor((size - kernel_size) / stride) + 1``;
    ``"same"`` (zero-padded so only the stride shrinks it): ``ceil(size / stride)``.
    """
    check_positive(size=size, kernel_size=kernel_size, stride=stride)
    _check_padding(padding)
    if padding == "same":
        return math.ceil(size / stride)
    if kernel_size > size:
        raise ValueError(
            f"A 'valid' convolution needs kernel_size <= size, got kernel_size={kernel_size} "
            f"on size={size}; use padding='same' or a smaller kernel."
        )
    return (size - kernel_size) // stride + 1


def conv_transpose_output_size(size: int, kernel_size: int, stride: int, padding: str) -> int:
    """Output length along one axis of Keras' ``Conv2DTranspose`` (no output_padding, dilation 1).

    ``"same"``: ``size * stride``. ``"valid"``: ``(size - 1) * stride + kernel_size``, the
    textbook formula (Dumoulin & Visin, section 4), when ``kernel_size >= stride``; with a
    kernel smaller than the stride Keras pads the output up to ``size * stride`` instead, so in
    general ``size * stride + max(kernel_size - stride, 0)``.
    """
    check_positive(size=size, kernel_size=kernel_size, stride=stride)
    _check_padding(padding)
    if padding == "same":
        return size * stride
    return size * stride + max(kernel_size - stride, 0)


def _check_padding(padding: str) -> None:
    if padding not in PADDINGS:
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")


# ## Builders ######################################################################################


def build_conv_encoder(
    code_size: int = 32,
    image_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (32, 64),
) -> keras.Model:
    """(batch, H, W, C) images in [0, 1] -> (batch, code_size) codes; model named "encoder".

    One 3x3 stride-2 ReLU ``Conv2D`` per entry of ``filters``, then ``Flatten`` and a linear
    ``Dense(code_size)``. With the defaults: 28x28x1 -> 14x14x32 -> 7x7x64 -> 3136 -> 32.
    """
    check_positive(code_size=code_size)
    image_shape = check_image_shape(image_shape)
    images = keras.Input(shape=image_shape, name="image")  # (batch, 28, 28, 1)
    h = downsample(images, filters)  # (batch, 7, 7, 64)
    h = keras.layers.Flatten(name="flatten")(h)  # (batch, 3136)
    code = keras.layers.Dense(code_size, name="code")(h)  # (batch, code_size), linear
    return keras.Model(images, code, name="encoder")


def build_conv_decoder(
    code_size: int = 32,
    image_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (64, 32),
    *,
    name: str = "decoder",
    input_name: str = "code",
) -> keras.Model:
    """(batch, code_size) codes -> (batch, H, W, C) images in [0, 1], a model called ``name``
    whose input is called ``input_name`` (the VAE's decoder is this network, named for a VAE).

    ``Dense`` + ``Reshape`` to the smallest grid (H / 2**len(filters), W / 2**len(filters),
    filters[0]), one 3x3 stride-2 ReLU ``Conv2DTranspose`` per entry of ``filters``, then a 3x3
    sigmoid ``Conv2D`` down to C channels. With the defaults:
    32 -> 3136 -> 7x7x64 -> 14x14x64 -> 28x28x32 -> 28x28x1.

    Raises:
        ValueError: H or W is not divisible by ``2 ** len(filters)``.
    """
    check_positive(code_size=code_size)
    image_shape = check_image_shape(image_shape)
    filters = _check_filters(filters)
    height, width = _smallest_grid(image_shape, len(filters))  # (7, 7) for MNIST
    codes = keras.Input(shape=(code_size,), name=input_name)  # (batch, code_size)
    h = keras.layers.Dense(height * width * filters[0], activation="relu", name="project")(codes)
    h = keras.layers.Reshape((height, width, filters[0]), name="grid")(h)  # (batch, 7, 7, 64)
    for i, count in enumerate(filters):
        h = keras.layers.Conv2DTranspose(
            count, KERNEL_SIZE, strides=STRIDE, padding="same", activation="relu", name=f"up_{i}"
        )(h)  # (batch, 14, 14, 64), then (batch, 28, 28, 32)
    image = keras.layers.Conv2D(
        image_shape[2], KERNEL_SIZE, padding="same", activation="sigmoid", name="image"
    )(h)  # (batch, 28, 28, 1) in [0, 1]
    return keras.Model(codes, image, name=name)


def build_conv_autoencoder(
    code_size: int = 32,
    image_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (32, 64),
) -> keras.Model:
    """Encoder then decoder (filters mirrored), as one model from image to image.

    The parts are reachable as ``model.get_layer("encoder")`` and ``model.get_layer("decoder")``;
    train it with :func:`gancourse.models.fit_autoencoder`.
    """
    encoder = build_conv_encoder(code_size, image_shape, filters)
    decoder = build_conv_decoder(code_size, image_shape, tuple(reversed(filters)))
    images = keras.Input(shape=tuple(image_shape), name="image")
    return keras.Model(images, decoder(encoder(images)), name=f"conv_autoencoder_{code_size}")


def describe_shapes(model: keras.Model) -> list[tuple[str, tuple[int | None, ...]]]:
    """(layer name, output shape) for every layer, nested models opened as "encoder/conv_0".

    For a lesson to print how the grid shrinks and grows::

        for name, shape in describe_shapes(model):
            print(f"{name:20s} {shape}")
    """
    rows: list[tuple[str, tuple[int | None, ...]]] = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            rows += [(f"{layer.name}/{name}", shape) for name, shape in describe_shapes(layer)]
        else:
            rows.append((layer.name, tuple(layer.output.shape)))
    return rows


# ## Shared parts (also used by gancourse.models.vae) #############################################


def check_image_shape(image_shape: Sequence[int]) -> tuple[int, int, int]:
    """``image_shape`` as (height, width, channels) of positive ints, or a clear ValueError."""
    if isinstance(image_shape, (str, bytes)) or len(tuple(image_shape)) != 3:
        raise ValueError(
            f"image_shape must be (height, width, channels), e.g. (28, 28, 1); got {image_shape!r}."
        )
    height, width, channels = tuple(image_shape)
    check_positive(height=height, width=width, channels=channels)
    return int(height), int(width), int(channels)


def _check_filters(filters: Sequence[int]) -> tuple[int, ...]:
    filters = tuple(filters)
    if not filters:
        raise ValueError("filters must list at least one layer's number of filters, e.g. (32, 64).")
    check_positive(**{f"filters[{i}]": count for i, count in enumerate(filters)})
    return filters


def downsample(images: keras.KerasTensor, filters: Sequence[int]) -> keras.KerasTensor:
    """One 3x3 stride-2 "same" ReLU Conv2D per entry of ``filters``: each halves H and W."""
    h = images
    for i, count in enumerate(_check_filters(filters)):
        h = keras.layers.Conv2D(
            count, KERNEL_SIZE, strides=STRIDE, padding="same", activation="relu", name=f"conv_{i}"
        )(h)  # (batch, ceil(H / 2**(i+1)), ceil(W / 2**(i+1)), count)
    return h


def _smallest_grid(image_shape: tuple[int, int, int], layers: int) -> tuple[int, int]:
    """The grid the decoder starts from, so ``layers`` doublings give back exactly (H, W)."""
    grid = []
    for axis, size in zip(("height", "width"), image_shape[:2], strict=True):
        small = size
        for _ in range(layers):
            small = conv_output_size(small, KERNEL_SIZE, STRIDE, "same")
        grown = small
        for _ in range(layers):
            grown = conv_transpose_output_size(grown, KERNEL_SIZE, STRIDE, "same")
        if grown != size:
            raise ValueError(
                f"Image {axis} {size} is not divisible by 2**{layers} = {STRIDE**layers}: "
                f"{layers} stride-2 layers would give back {grown}. Use a {axis} that is a "
                f"multiple of {STRIDE**layers}, or fewer filters."
            )
        grid.append(small)
    return grid[0], grid[1]
