"""Graders for lesson 06 (the DCGAN generator: one block, then the whole network).

Each answer is built on a ``keras.Input`` and inspected layer by layer (types, order, shapes,
biases, the leaky ReLU's slope, parameter counts), then run: the weights of a reference built by
``gancourse.models`` are copied into the learner's network, and both must draw the same images.
Where a count or a shape matches a known mistake, the message names it.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import pytest
from keras import layers

from gancourse.grading import GradeFailure, expect, expect_close
from gancourse.models import build_dcgan_generator

LESSON = "lesson06"
LEAK = 0.2


def _reference_block(x, filters: int, strides: int, kernel_size: int = 5):
    h = layers.Conv2DTranspose(
        filters, kernel_size, strides=strides, padding="same", use_bias=False
    )(x)
    h = layers.BatchNormalization()(h)
    return layers.LeakyReLU(negative_slope=LEAK)(h)


def _as_model(inputs, outputs, what: str) -> keras.Model:
    expect(
        isinstance(outputs, keras.KerasTensor),
        f"{what} returned a {type(outputs).__name__}; return the Keras tensor that the last "
        "layer gave back (h = layers.LeakyReLU(...)(h); return h).",
    )
    return keras.Model(inputs, outputs)


def _kinds(model: keras.Model) -> list[str]:
    return [
        type(layer).__name__ for layer in model.layers if not isinstance(layer, layers.InputLayer)
    ]


def _expect_block_layers(model: keras.Model, what: str) -> None:
    kinds = _kinds(model)
    wanted = ["Conv2DTranspose", "BatchNormalization", "LeakyReLU"]
    if sorted(kinds) == sorted(wanted) and kinds != wanted:
        raise GradeFailure(
            f"{what} has the right layers in the wrong order, {kinds}: the transposed convolution "
            "first, then batch norm (it normalises the convolution's output), then leaky ReLU."
        )
    expect(
        "BatchNormalization" in kinds,
        f"{what} has no BatchNormalization layer (its layers: {kinds}); DCGAN's generator "
        "normalises every block's output.",
    )
    if "ReLU" in kinds or "Activation" in kinds:
        raise GradeFailure(
            f"{what} uses {kinds[-1]} where the course's generator uses leaky ReLU with slope "
            "0.2, layers.LeakyReLU(negative_slope=0.2) (the TensorFlow tutorial's choice; the "
            "DCGAN paper's generator uses plain ReLU)."
        )
    expect(kinds == wanted, f"{what} should be the layers {wanted}, got {kinds}.")
    conv, _, leaky = (layer for layer in model.layers if not isinstance(layer, layers.InputLayer))
    expect(
        conv.padding == "same",
        f"{what}: the transposed convolution has padding={conv.padding!r}; use padding='same', so "
        "that a stride of s multiplies the grid by exactly s.",
    )
    expect(
        not conv.use_bias,
        f"{what}: the transposed convolution has a bias; pass use_bias=False. Batch norm right "
        "after it subtracts each channel's mean, which cancels a bias, and adds its own learned "
        "offset (beta) instead.",
    )
    expect(
        conv.activation in (keras.activations.linear, None),
        f"{what}: the transposed convolution has an activation ({conv.activation.__name__}); "
        "leave it linear: the activation comes after batch norm.",
    )
    slope = float(leaky.negative_slope)
    expect(
        np.isclose(slope, LEAK),
        f"{what}: the leaky ReLU's slope is {slope:g}; the course uses 0.2, "
        "layers.LeakyReLU(negative_slope=0.2) (Keras' default is 0.3).",
    )


def _expect_same_outputs(mine: keras.Model, reference: keras.Model, inputs, what: str) -> None:
    try:
        reference.set_weights(mine.get_weights())
    except ValueError as error:
        raise GradeFailure(
            f"{what}: its weights do not have the reference's shapes "
            f"({[w.shape for w in mine.get_weights()]} against "
            f"{[w.shape for w in reference.get_weights()]})."
        ) from error
    expect_close(
        np.asarray(mine(inputs, training=False)),
        np.asarray(reference(inputs, training=False)),
        f"{what}, run with the reference's weights",
        rtol=1e-4,
        atol=1e-5,
    )


def check_generator_block(generator_block: Callable[..., object]) -> None:
    rng = np.random.default_rng()
    for (height, channels), filters, strides, kernel_size in (
        ((7, 64), 32, 2, 5),
        ((7, 24), 12, 1, 5),
        ((5, 6), 4, 2, 3),
    ):
        what = (
            f"generator_block(x, filters={filters}, strides={strides}, kernel_size={kernel_size}) "
            f"on x of shape (batch, {height}, {height}, {channels})"
        )
        x = keras.Input((height, height, channels))
        model = _as_model(x, generator_block(x, filters, strides, kernel_size), what)
        side = height * strides
        got = tuple(model.output.shape[1:])
        if got == (height * 2, height * 2, filters) and strides == 1:
            raise GradeFailure(
                f"{what} gives {got}; with strides=1 the grid stays {height}x{height}: pass "
                "strides=strides to the transposed convolution."
            )
        expect(
            got == (side, side, filters),
            f"{what} gives an output of shape (batch, {', '.join(map(str, got))}); expected "
            f"(batch, {side}, {side}, {filters}): padding='same' multiplies the side by the "
            "stride.",
        )
        _expect_block_layers(model, what)
        conv = model.layers[1]
        expect(
            tuple(conv.kernel_size) == (kernel_size, kernel_size),
            f"{what}: the kernel is {tuple(conv.kernel_size)}; pass kernel_size on to the "
            "transposed convolution.",
        )
        y = keras.Input((height, height, channels))
        reference = keras.Model(y, _reference_block(y, filters, strides, kernel_size))
        expect(
            model.count_params() == reference.count_params(),
            f"{what} has {model.count_params():,} parameters; expected "
            f"{reference.count_params():,} ({kernel_size} x {kernel_size} x {channels} x "
            f"{filters} in the kernel, 4 x {filters} in batch norm).",
        )
        batch = rng.normal(size=(3, height, height, channels)).astype("float32")
        _expect_same_outputs(model, reference, batch, what)


def _transposed_shapes(model: keras.Model) -> list[tuple[int, ...]]:
    return [
        tuple(layer.output.shape[1:])
        for layer in model._flatten_layers(include_self=False)
        if isinstance(layer, layers.Conv2DTranspose)
    ]


def check_build_generator(build_generator: Callable[..., object]) -> None:
    rng = np.random.default_rng()
    for latent_dim, filters in ((100, 32), (16, 8)):
        what = f"build_generator(latent_dim={latent_dim}, filters={filters})"
        model = build_generator(latent_dim=latent_dim, filters=filters)
        expect(
            isinstance(model, keras.Model),
            f"{what} returned a {type(model).__name__}; return a keras.Model(z, images).",
        )
        expect(
            tuple(model.input.shape[1:]) == (latent_dim,),
            f"{what} takes inputs of shape {tuple(model.input.shape)}; expected (None, "
            f"{latent_dim}): keras.Input((latent_dim,)), not a fixed size.",
        )
        expect(
            tuple(model.output.shape[1:]) == (28, 28, 1),
            f"{what} draws images of shape {tuple(model.output.shape)}; expected "
            "(None, 28, 28, 1).",
        )
        wanted = [(7, 7, 2 * filters), (14, 14, filters), (28, 28, 1)]
        got = _transposed_shapes(model)
        expect(
            got == wanted,
            f"{what}: its transposed convolutions output {got}; expected three, {wanted}: "
            "a stride-1 block to 2 * filters channels (the grid stays 7x7), a stride-2 block to "
            "14x14, and the last stride-2 convolution to 28x28x1.",
        )
        last = [
            layer
            for layer in model._flatten_layers(include_self=False)
            if isinstance(layer, layers.Conv2DTranspose)
        ][-1]
        expect(
            last.activation is keras.activations.tanh,
            f"{what}: the last convolution's activation is {last.activation.__name__}; use "
            "'tanh', so that the images lie in [-1, 1] like the training data.",
        )
        expect(
            not last.use_bias,
            f"{what}: the last convolution has a bias; the course's generator (and the "
            "TensorFlow tutorial's) has none: pass use_bias=False.",
        )
        reference = build_dcgan_generator(latent_dim=latent_dim, filters=filters)
        dense = [layer for layer in model.layers if isinstance(layer, layers.Dense)]
        expect(
            len(dense) == 1 and not dense[0].use_bias,
            f"{what}: the first layer should be one Dense(7 * 7 * 4 * filters) without bias "
            "(use_bias=False: batch norm follows it).",
        )
        counts = model.count_params(), reference.count_params()
        expect(
            counts[0] == counts[1],
            f"{what} has {counts[0]:,} parameters; the reference has {counts[1]:,}. Check that "
            "the Dense layer and every block are followed by batch norm and that the last "
            "convolution is not.",
        )
        z = rng.normal(size=(4, latent_dim)).astype("float32")
        _expect_same_outputs(model, reference, z, what)


# --------------------------------------------------------------------------- the tests


@pytest.mark.exercise("lesson06.generator_block")
def test_generator_block(answers):
    check_generator_block(answers.generator_block)


@pytest.mark.exercise("lesson06.build_generator")
def test_build_generator(answers):
    check_build_generator(answers.build_generator)
