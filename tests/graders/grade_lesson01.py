"""Graders for lesson 01 (dense autoencoder).

Each ``check_*`` takes the learner's function and raises GradeFailure with a plain-words
message on a wrong answer; the ``test_*`` functions apply them to the chosen target.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import pytest

from gancourse.grading import expect, expect_close, expect_shape
from gancourse.metrics import reconstruction_error as reference_error
from gancourse.models import build_dense_decoder, build_dense_encoder

LESSON = "lesson01"


def _check_model(model: object, name: str, input_dim: int, output_dim: int) -> None:
    expect(
        isinstance(model, keras.Model),
        f"{name} returned {type(model).__name__}, not a keras.Model.",
    )
    expect(
        tuple(model.input_shape) == (None, input_dim),
        f"{name}'s model takes inputs of shape {model.input_shape}; expected (None, {input_dim}).",
    )
    out = model(np.random.default_rng(0).uniform(size=(3, input_dim)).astype("float32"))
    expect_shape(np.asarray(out), (3, output_dim), f"{name}'s output for a batch of 3")


def _dense_layers(model: keras.Model) -> list[tuple[int, str]]:
    """(units, activation name) of each Dense layer, in order."""
    return [
        (layer.units, layer.activation.__name__)
        for layer in model.layers
        if isinstance(layer, keras.layers.Dense)
    ]


def _check_architecture(model: keras.Model, reference: keras.Model, name: str) -> None:
    found, wanted = _dense_layers(model), _dense_layers(reference)
    expect(
        [units for units, _ in found] == [units for units, _ in wanted],
        f"{name} has Dense layers of {[u for u, _ in found]} units; the lesson asks for "
        f"{[u for u, _ in wanted]}.",
    )
    activations = [activation for _, activation in found]
    expected = [activation for _, activation in wanted]
    expect(
        activations == expected,
        f"{name}'s Dense layers use the activations {activations}; the lesson asks for "
        f"{expected} ('linear' means no activation).",
    )
    expect(
        model.count_params() == reference.count_params(),
        f"{name} has {model.count_params()} parameters; expected {reference.count_params()}.",
    )


def check_build_encoder(build_encoder: Callable[..., keras.Model]) -> None:
    for input_dim, code_size in [(784, 32), (64, 3)]:
        name = f"build_encoder({input_dim}, {code_size})"
        encoder = build_encoder(input_dim, code_size)
        _check_model(encoder, name, input_dim, code_size)
        _check_architecture(encoder, build_dense_encoder(input_dim, code_size), name)
    codes = np.asarray(encoder(np.random.default_rng(1).uniform(size=(256, 64)).astype("float32")))
    expect(
        codes.min() < 0.0,
        "every code value is >= 0: the code layer must be linear (no activation). A ReLU "
        "there throws away half of the code space.",
    )


def check_build_decoder(build_decoder: Callable[..., keras.Model]) -> None:
    for code_size, output_dim in [(32, 784), (3, 64)]:
        name = f"build_decoder({code_size}, {output_dim})"
        decoder = build_decoder(code_size, output_dim)
        _check_model(decoder, name, code_size, output_dim)
        _check_architecture(decoder, build_dense_decoder(code_size, output_dim), name)
    big_codes = np.random.default_rng(2).normal(scale=50.0, size=(256, 3)).astype("float32")
    images = np.asarray(decoder(big_codes))
    expect(
        images.min() >= 0.0 and images.max() <= 1.0,
        f"decoded pixels range over [{images.min():.3g}, {images.max():.3g}]; they must stay in "
        "[0, 1] like the input images, whatever the code. Pick the output activation for that.",
    )


def check_reconstruction_error(reconstruction_error: Callable[..., np.ndarray]) -> None:
    x = np.array([[0.0, 0.5, 1.0, 1.0], [0.2, 0.2, 0.2, 0.2]])
    x_hat = np.array([[0.0, 0.0, 1.0, 0.0], [0.2, 0.4, 0.0, 0.2]])
    expect_close(
        reconstruction_error(x, x_hat),
        [0.3125, 0.02],
        "reconstruction_error on a hand-worked case (two images of 4 pixels: "
        "x = [[0, .5, 1, 1], [.2, .2, .2, .2]], x_hat = [[0, 0, 1, 0], [.2, .4, 0, .2]]; "
        "image 0: (0 + .25 + 0 + 1) / 4 = .3125, image 1: (0 + .04 + .04 + 0) / 4 = .02)",
    )
    rng = np.random.default_rng()
    for shape in [(5, 784), (4, 28, 28), (3, 28, 28, 1)]:
        x, x_hat = rng.uniform(size=shape), rng.uniform(size=shape)
        expect_close(
            reconstruction_error(x, x_hat),
            reference_error(x, x_hat),
            f"reconstruction_error for images of shape {shape}",
        )


@pytest.mark.exercise("lesson01.build_encoder")
def test_build_encoder(answers):
    check_build_encoder(answers.build_encoder)


@pytest.mark.exercise("lesson01.build_decoder")
def test_build_decoder(answers):
    check_build_decoder(answers.build_decoder)


@pytest.mark.exercise("lesson01.reconstruction_error")
def test_reconstruction_error(answers):
    check_reconstruction_error(answers.reconstruction_error)
