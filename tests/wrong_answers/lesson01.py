"""Plausible wrong answers to lesson 01, each with a phrase its grader's message must contain."""

import keras
import numpy as np


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


def encoder_without_hidden_relu(input_dim=784, code_size=32):
    inputs = keras.Input(shape=(input_dim,))
    h = keras.layers.Dense(256)(inputs)
    h = keras.layers.Dense(128)(h)
    return keras.Model(inputs, keras.layers.Dense(code_size)(h))


def encoder_with_tanh_code(input_dim=784, code_size=32):
    inputs = keras.Input(shape=(input_dim,))
    h = keras.layers.Dense(256, activation="relu")(inputs)
    h = keras.layers.Dense(128, activation="relu")(h)
    return keras.Model(inputs, keras.layers.Dense(code_size, activation="tanh")(h))


def decoder_with_softmax_output(code_size=32, output_dim=784):
    codes = keras.Input(shape=(code_size,))
    h = keras.layers.Dense(128, activation="relu")(codes)
    h = keras.layers.Dense(256, activation="relu")(h)
    return keras.Model(codes, keras.layers.Dense(output_dim, activation="softmax")(h))


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
    ("build_encoder", encoder_ignoring_code_size, "shape"),
    ("build_encoder", encoder_with_relu_code, "linear"),
    ("build_encoder", encoder_without_hidden_relu, "activations ['linear', 'linear', 'linear']"),
    ("build_encoder", encoder_with_tanh_code, "activations ['relu', 'relu', 'tanh']"),
    ("build_decoder", decoder_with_softmax_output, "'softmax'"),
    ("build_encoder", encoder_without_hidden_layers, "Dense layers"),
    ("build_decoder", decoder_with_linear_output, "activations"),
    ("build_decoder", decoder_with_tanh_output, "tanh"),
    ("reconstruction_error", error_summed, "hand-worked"),
    ("reconstruction_error", error_one_number, "shape"),
    ("reconstruction_error", error_absolute, "hand-worked"),
    ("reconstruction_error", error_over_batch_axis, "shape"),
    ("reconstruction_error", error_flat_only, "shape"),
]
