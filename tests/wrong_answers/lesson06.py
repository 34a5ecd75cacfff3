"""Plausible wrong answers to lesson 06, each with a phrase its grader's message must contain."""

import keras
from keras import layers

# --------------------------------------------------------------------------- generator_block


def _block(
    x, filters, strides, kernel_size=5, *, bias=False, padding="same", order="cba", act=None
):
    conv = layers.Conv2DTranspose(
        filters, kernel_size, strides=strides, padding=padding, use_bias=bias
    )
    steps = {"c": conv, "b": layers.BatchNormalization(), "a": act or layers.LeakyReLU(0.2)}
    for step in order:
        x = steps[step](x)
    return x


def block_with_bias(x, filters, strides, kernel_size=5):
    return _block(x, filters, strides, kernel_size, bias=True)


def block_valid_padding(x, filters, strides, kernel_size=5):
    return _block(x, filters, strides, kernel_size, padding="valid")


def block_activation_before_batch_norm(x, filters, strides, kernel_size=5):
    return _block(x, filters, strides, kernel_size, order="cab")


def block_without_batch_norm(x, filters, strides, kernel_size=5):
    return _block(x, filters, strides, kernel_size, order="ca")


def block_with_relu(x, filters, strides, kernel_size=5):
    return _block(x, filters, strides, kernel_size, act=layers.ReLU())


def block_default_leaky_slope(x, filters, strides, kernel_size=5):
    return _block(x, filters, strides, kernel_size, act=layers.LeakyReLU())  # 0.3


def block_always_stride_two(x, filters, strides, kernel_size=5):
    return _block(x, filters, 2, kernel_size)


def block_kernel_size_ignored(x, filters, strides, kernel_size=5):
    return _block(x, filters, strides, 5)


def block_returns_layer(x, filters, strides, kernel_size=5):
    _block(x, filters, strides, kernel_size)
    return layers.LeakyReLU(0.2)  # the layer, not the tensor it returns


# --------------------------------------------------------------------------- build_generator


def _generator(
    latent_dim=100,
    filters=32,
    *,
    blocks=((2, 1), (1, 2)),
    dense_bias=False,
    dense_norm=True,
    last_activation="tanh",
    last_norm=False,
    fixed_latent=None,
):
    z = keras.Input((fixed_latent or latent_dim,))
    h = layers.Dense(7 * 7 * 4 * filters, use_bias=dense_bias)(z)
    if dense_norm:
        h = layers.BatchNormalization()(h)
    h = layers.LeakyReLU(0.2)(h)
    h = layers.Reshape((7, 7, 4 * filters))(h)
    for width, stride in blocks:
        h = _block(h, width * filters, stride)
    h = layers.Conv2DTranspose(
        1, 5, strides=2, padding="same", use_bias=False, activation=last_activation
    )(h)
    if last_norm:
        h = layers.BatchNormalization()(h)
    return keras.Model(z, h)


def generator_two_transposed_convs(latent_dim=100, filters=32):
    # The stride-1 block left out: 7 -> 14 -> 28, as lesson 06's text once said.
    return _generator(latent_dim, filters, blocks=((1, 2),))


def generator_sigmoid_output(latent_dim=100, filters=32):
    return _generator(latent_dim, filters, last_activation="sigmoid")


def generator_dense_with_bias(latent_dim=100, filters=32):
    return _generator(latent_dim, filters, dense_bias=True)


def generator_no_batch_norm_after_dense(latent_dim=100, filters=32):
    return _generator(latent_dim, filters, dense_norm=False)


def generator_batch_norm_after_the_last_layer(latent_dim=100, filters=32):
    return _generator(latent_dim, filters, last_norm=True)


def generator_latent_dim_fixed(latent_dim=100, filters=32):
    return _generator(latent_dim, filters, fixed_latent=100)


def generator_blocks_swapped(latent_dim=100, filters=32):
    # Grows the grid first, then the stride-1 block: 7 -> 14 -> 14 -> 28.
    return _generator(latent_dim, filters, blocks=((2, 2), (1, 1)))


WRONG_ANSWERS = [
    ("generator_block", block_with_bias, "use_bias=False"),
    ("generator_block", block_valid_padding, "padding='same'"),
    ("generator_block", block_activation_before_batch_norm, "wrong order"),
    ("generator_block", block_without_batch_norm, "no BatchNormalization"),
    ("generator_block", block_with_relu, "slope 0.2"),
    ("generator_block", block_default_leaky_slope, "Keras' default is 0.3"),
    ("generator_block", block_always_stride_two, "strides=strides"),
    ("generator_block", block_kernel_size_ignored, "pass kernel_size on"),
    ("generator_block", block_returns_layer, "return the Keras tensor"),
    ("build_generator", generator_two_transposed_convs, "expected three"),
    ("build_generator", generator_sigmoid_output, "'tanh'"),
    ("build_generator", generator_dense_with_bias, "without bias"),
    ("build_generator", generator_no_batch_norm_after_dense, "followed by batch norm"),
    ("build_generator", generator_batch_norm_after_the_last_layer, "the last convolution is not"),
    ("build_generator", generator_latent_dim_fixed, "not a fixed size"),
    ("build_generator", generator_blocks_swapped, "expected three"),
]
