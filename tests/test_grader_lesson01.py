"""The lesson 01 graders pass the key, fail the untouched stub, and fail plausible wrong answers."""

from __future__ import annotations

import grade_lesson01 as graders
import keras
import numpy as np
import pytest

from gancourse.grading import GradeFailure, load_answers


def encoder_ignoring_code_size(input_dim=784, code_size=32):
    inputs = keras.Input(shape=(input_dim,))
    h = keras.layers.Dense(256, activation="relu")(inputs)
    h = keras.layers.Dense(128, activation="relu")(h)
    return keras.Model(inputs, keras.layers.Dense(32)(h))


def encoder_with_relu_code(input_dim=784, code_size=32):
    inputs = keras.Input(shape=(input_dim,))
    h = keras.layers.Dense(256, activation="relu")(inputs)
    h = keras.layers.Dense(128, activation="relu")(h)
    return keras.Model(inputs, keras.layers.Dense(code_size, activation="relu")(h))


def encoder_without_hidden_layers(input_dim=784, code_size=32):
    inputs = keras.Input(shape=(input_dim,))
    return keras.Model(inputs, keras.layers.Dense(code_size)(inputs))


def decoder_with_linear_output(code_size=32, output_dim=784):
    codes = keras.Input(shape=(code_size,))
    h = keras.layers.Dense(128, activation="relu")(codes)
    h = keras.layers.Dense(256, activation="relu")(h)
    return keras.Model(codes, keras.layers.Dense(output_dim)(h))


def decoder_with_tanh_output(code_size=32, output_dim=784):
    codes = keras.Input(shape=(code_size,))
    h = keras.layers.Dense(128, activation="relu")(codes)
    h = keras.layers.Dense(256, activation="relu")(h)
    return keras.Model(codes, keras.layers.Dense(output_dim, activation="tanh")(h))


def error_summed(x, x_hat):
    return np.sum((np.asarray(x) - np.asarray(x_hat)) ** 2, axis=tuple(range(1, np.ndim(x))))


def error_one_number(x, x_hat):
    return np.mean((np.asarray(x) - np.asarray(x_hat)) ** 2)


def error_absolute(x, x_hat):
    return np.mean(np.abs(np.asarray(x) - np.asarray(x_hat)), axis=tuple(range(1, np.ndim(x))))


def error_over_batch_axis(x, x_hat):
    return np.mean((np.asarray(x) - np.asarray(x_hat)) ** 2, axis=0)


def error_flat_only(x, x_hat):
    return np.mean((np.asarray(x) - np.asarray(x_hat)) ** 2, axis=1)


WRONG_ANSWERS = [
    (graders.check_build_encoder, encoder_ignoring_code_size, "shape"),
    (graders.check_build_encoder, encoder_with_relu_code, "linear"),
    (graders.check_build_encoder, encoder_without_hidden_layers, "Dense layers"),
    (graders.check_build_decoder, decoder_with_linear_output, "[0, 1]"),
    (graders.check_build_decoder, decoder_with_tanh_output, "[0, 1]"),
    (graders.check_reconstruction_error, error_summed, "hand-worked"),
    (graders.check_reconstruction_error, error_one_number, "shape"),
    (graders.check_reconstruction_error, error_absolute, "hand-worked"),
    (graders.check_reconstruction_error, error_over_batch_axis, "shape"),
    (graders.check_reconstruction_error, error_flat_only, "shape"),
]
CHECKS = {
    "build_encoder": graders.check_build_encoder,
    "build_decoder": graders.check_build_decoder,
    "reconstruction_error": graders.check_reconstruction_error,
}


@pytest.mark.parametrize("name", CHECKS)
def test_solution_passes(name):
    CHECKS[name](getattr(load_answers("lesson01", "solutions"), name))


@pytest.mark.parametrize("name", CHECKS)
def test_stub_fails_as_not_implemented(name, stub_answers):
    with pytest.raises(NotImplementedError, match="not implemented yet"):
        CHECKS[name](getattr(stub_answers("lesson01"), name))


@pytest.mark.parametrize(
    ("check", "wrong", "hint"), WRONG_ANSWERS, ids=[w.__name__ for _, w, _ in WRONG_ANSWERS]
)
def test_wrong_answer_fails_with_a_helpful_message(check, wrong, hint):
    with pytest.raises(GradeFailure) as failure:
        check(wrong)
    assert hint in str(failure.value)
