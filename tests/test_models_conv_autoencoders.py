"""Conv autoencoder: output-size arithmetic vs Keras, shapes, training, save/load, errors."""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest

from gancourse.models import (
    build_conv_autoencoder,
    build_conv_decoder,
    build_conv_encoder,
    conv_output_size,
    conv_transpose_output_size,
    describe_shapes,
    fit_autoencoder,
)

SMALL = {"image_shape": (8, 12, 1), "filters": (4, 8)}  # tiny: grids 8x12 -> 4x6 -> 2x3


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_output_sizes_match_keras_layers(padding):
    checked = 0
    for size, kernel, stride in itertools.product(range(1, 8), (1, 2, 3, 5), (1, 2, 3)):
        x = np.zeros((1, size, size + 3, 1), dtype="float32")  # two different axes
        up = keras.layers.Conv2DTranspose(1, kernel, strides=stride, padding=padding)(x)
        expected = (conv_transpose_output_size(size, kernel, stride, padding),)
        expected += (conv_transpose_output_size(size + 3, kernel, stride, padding),)
        assert tuple(up.shape[1:3]) == expected, (size, kernel, stride)
        if padding == "valid" and kernel > size:
            continue  # no output: conv_output_size raises (tested below)
        down = keras.layers.Conv2D(1, kernel, strides=stride, padding=padding)(x)
        expected = (conv_output_size(size, kernel, stride, padding),)
        expected += (conv_output_size(size + 3, kernel, stride, padding),)
        assert tuple(down.shape[1:3]) == expected, (size, kernel, stride)
        checked += 1
    assert checked > 50


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "padding", "conv", "transposed"),
    [
        (28, 3, 2, "same", 14, 56),
        (7, 3, 2, "same", 4, 14),
        (28, 3, 2, "valid", 13, 57),
        (5, 5, 1, "valid", 1, 9),
        (3, 1, 2, "valid", 2, 6),  # kernel < stride: Keras pads the transposed output to 3 * 2
    ],
)
def test_output_sizes_golden_values(size, kernel, stride, padding, conv, transposed):
    assert conv_output_size(size, kernel, stride, padding) == conv
    assert conv_transpose_output_size(size, kernel, stride, padding) == transposed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((28, 3, 2, "SAME"), "padding must be 'valid' or 'same'"),
        ((28, 3, 2, "full"), "padding must be 'valid' or 'same'"),
        ((0, 3, 2, "same"), "size must be a positive integer"),
        ((28, 3.0, 2, "same"), "kernel_size must be a positive integer"),
        ((28, 3, -1, "same"), "stride must be a positive integer"),
        ((2, 3, 1, "valid"), "kernel_size <= size"),
    ],
)
def test_output_size_rejects_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        conv_output_size(*args)
    if "kernel_size <= size" not in message:
        with pytest.raises(ValueError, match=message):
            conv_transpose_output_size(*args)


def test_default_shapes_match_the_documented_layers():
    model = build_conv_autoencoder()
    shapes = dict(describe_shapes(model))
    assert shapes["encoder/conv_0"] == (None, 14, 14, 32)
    assert shapes["encoder/conv_1"] == (None, 7, 7, 64)
    assert shapes["encoder/code"] == (None, 32)
    assert shapes["decoder/grid"] == (None, 7, 7, 64)
    assert shapes["decoder/up_0"] == (None, 14, 14, 64)
    assert shapes["decoder/up_1"] == (None, 28, 28, 32)
    assert shapes["decoder/image"] == (None, 28, 28, 1)
    assert model.input_shape == model.output_shape == (None, 28, 28, 1)
    assert model.get_layer("encoder").output_shape == (None, 32)
    assert model.get_layer("decoder").input_shape == (None, 32)


def test_encoder_and_decoder_shapes_and_output_range():
    encoder = build_conv_encoder(code_size=3, **SMALL)
    decoder = build_conv_decoder(code_size=3, image_shape=(8, 12, 1), filters=(8, 4))
    x = np.random.default_rng(0).uniform(size=(5, 8, 12, 1)).astype("float32")
    codes = np.asarray(encoder(x))
    assert codes.shape == (5, 3)
    images = np.asarray(decoder(1000 * np.random.default_rng(1).normal(size=(5, 3))))
    assert images.shape == (5, 8, 12, 1)
    assert images.min() >= 0.0 and images.max() <= 1.0


def test_colour_images_keep_their_channels():
    model = build_conv_autoencoder(code_size=2, image_shape=(4, 4, 3), filters=(2,))
    assert model.output_shape == (None, 4, 4, 3)


def test_one_epoch_of_fit_autoencoder_gives_a_finite_loss():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).uniform(size=(64, 8, 12, 1)).astype("float32") ** 4
    model = build_conv_autoencoder(code_size=4, **SMALL)
    history = fit_autoencoder(model, x, epochs=1, batch_size=32, x_val=x[:16], verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert np.isfinite(history.history["val_loss"]).all()


def test_fit_autoencoder_checks_the_image_shape():
    model = build_conv_autoencoder(code_size=2, **SMALL)
    with pytest.raises(ValueError, match=r"expected \(batch, 8, 12, 1\)"):
        fit_autoencoder(model, np.zeros((4, 8, 12)), epochs=1)


def test_save_and_load_round_trip(tmp_path):
    model = build_conv_autoencoder(code_size=2, **SMALL)
    x = np.random.default_rng(2).uniform(size=(3, 8, 12, 1)).astype("float32")
    path = tmp_path / "conv_ae.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_allclose(restored(x), model(x), rtol=1e-6, atol=1e-7)
    assert restored.get_layer("encoder").output_shape == (None, 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"image_shape": (30, 28, 1)}, "height 30 is not divisible by 2\\*\\*2 = 4"),
        ({"image_shape": (28, 14, 1)}, "width 14 is not divisible by 2\\*\\*2 = 4"),
        ({"image_shape": (28, 28)}, "image_shape must be \\(height, width, channels\\)"),
        ({"image_shape": (28, 0, 1)}, "width must be a positive integer"),
        ({"code_size": 0}, "code_size must be a positive integer"),
        ({"filters": ()}, "at least one"),
        ({"filters": (32, 0)}, "filters\\[1\\] must be a positive integer"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_conv_autoencoder(**kwargs)
