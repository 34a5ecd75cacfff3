"""Graders for lesson 02 (convolution shapes, corrupting images for a denoising autoencoder)."""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import pytest

from gancourse.grading import expect, expect_close, expect_shape

LESSON = "lesson02"


def _random_configs(rng: np.random.Generator, count: int = 40):
    for _ in range(count):
        size = int(rng.integers(1, 40))
        kernel = int(rng.integers(1, min(size, 7) + 1))
        stride = int(rng.integers(1, 5))
        yield size, kernel, stride, str(rng.choice(["valid", "same"]))


def _check_against_keras(function: Callable[..., int], layer_class: type, name: str) -> None:
    for size, kernel, stride, padding in _random_configs(np.random.default_rng()):
        layer = layer_class(1, kernel, strides=stride, padding=padding)
        expected = layer.compute_output_shape((1, size, size, 1))[1]
        got = function(size, kernel, stride, padding)
        expect(
            got == expected,
            f"{name}(size={size}, kernel_size={kernel}, stride={stride}, padding={padding!r}) "
            f"returned {got}; Keras' {layer_class.__name__} gives {expected}.",
        )


def _check_known(function: Callable[..., int], name: str, cases) -> None:
    for (size, kernel, stride, padding), expected in cases:
        got = function(size, kernel, stride, padding)
        whole = isinstance(got, (int, np.integer))
        expect(
            whole and got == expected,
            f"{name}({size}, {kernel}, {stride}, {padding!r}) returned {got!r}; expected "
            f"{expected}" + ("." if whole else " (a whole number: use // or math.ceil)."),
        )


def check_conv_output_size(conv_output_size: Callable[..., int]) -> None:
    _check_known(
        conv_output_size,
        "conv_output_size",
        [((28, 3, 2, "same"), 14), ((28, 3, 1, "valid"), 26), ((7, 3, 2, "valid"), 3),
         ((5, 2, 2, "same"), 3), ((14, 3, 2, "same"), 7)],
    )  # fmt: skip
    _check_against_keras(conv_output_size, keras.layers.Conv2D, "conv_output_size")


def check_conv_transpose_output_size(conv_transpose_output_size: Callable[..., int]) -> None:
    _check_known(
        conv_transpose_output_size,
        "conv_transpose_output_size",
        [((7, 3, 2, "same"), 14), ((14, 3, 2, "same"), 28), ((7, 3, 2, "valid"), 15),
         ((5, 4, 1, "valid"), 8), ((13, 3, 4, "valid"), 52)],
    )  # fmt: skip
    _check_against_keras(
        conv_transpose_output_size, keras.layers.Conv2DTranspose, "conv_transpose_output_size"
    )


def check_add_noise(add_noise: Callable[..., np.ndarray]) -> None:
    images = np.full((200, 28, 28), 0.5)
    images[:, :4, :] = 0.0  # a blank band, as around a digit: noise goes there too
    original = images.copy()
    noisy = add_noise(images, 0.05, np.random.default_rng(0))
    expect(
        isinstance(noisy, np.ndarray),
        f"add_noise returned a {type(noisy).__name__}; return a NumPy array.",
    )
    expect_shape(noisy, images.shape, "add_noise's output")
    expect(np.array_equal(images, original), "add_noise changed its input; return a new array.")
    noise = (noisy - images)[:, 4:, :]  # where clipping cannot have touched it
    within_image = float(noise.reshape(len(noise), -1).std(axis=1).mean())
    across_images = float(noise.std(axis=0).mean())
    variance_hint = (
        " noise_std is the standard deviation, not the variance."
        if abs(within_image - 0.05**2) < 0.001
        else ""
    )
    expect(
        abs(within_image - 0.05) < 0.003,
        f"with noise_std=0.05 the noise inside one image has standard deviation "
        f"{within_image:.4f}; expected 0.05: every pixel gets its own Gaussian draw."
        + variance_hint,
    )
    expect(
        abs(across_images - 0.05) < 0.003,
        f"with noise_std=0.05 a given pixel varies by {across_images:.4f} from image to image; "
        "expected 0.05: every image needs its own noise, not one shared pattern.",
    )
    expect(abs(float(noise.mean())) < 0.002, "the noise should have mean 0.")
    beyond = float(np.mean(np.abs(noise) > 2 * 0.05))
    expect(
        0.035 < beyond < 0.056,
        f"{beyond:.1%} of the noise lies beyond two standard deviations; Gaussian noise has "
        "4.6% there. Draw it with rng.normal.",
    )
    blank = (noisy - images)[:, :4, :]
    expect(
        float(blank.max()) > 0.0,
        "pixels that were 0 stayed 0: add the noise to every pixel (clipping then keeps the "
        "positive half).",
    )
    again = add_noise(images, 0.05, np.random.default_rng(0))
    other = add_noise(images, 0.05, np.random.default_rng(1))
    expect(
        np.array_equal(noisy, again) and not np.array_equal(noisy, other),
        "the noise does not follow `rng` (same seed: same noise, other seed: other noise); "
        "draw it from the `rng` argument.",
    )
    strong = np.asarray(add_noise(images, 2.0, np.random.default_rng(1)))
    expect(
        strong.min() >= 0.0 and strong.max() <= 1.0,
        f"with strong noise the pixels range over [{strong.min():.3g}, {strong.max():.3g}]; "
        "keep them in [0, 1] like the images the model was trained on.",
    )
    expect_close(add_noise(images, 0.0, np.random.default_rng(2)), images, "add_noise with std 0")


@pytest.mark.exercise("lesson02.conv_output_size")
def test_conv_output_size(answers):
    check_conv_output_size(answers.conv_output_size)


@pytest.mark.exercise("lesson02.conv_transpose_output_size")
def test_conv_transpose_output_size(answers):
    check_conv_transpose_output_size(answers.conv_transpose_output_size)


@pytest.mark.exercise("lesson02.add_noise")
def test_add_noise(answers):
    check_add_noise(answers.add_noise)
