"""Lesson 01 exercises: build a dense autoencoder and measure its reconstruction error.

Images are flat vectors, shape (batch, 784), float32 in [0, 1].
Check your answers with `gancourse grade lesson01` (or `gc.grade("lesson01")` in a notebook).
"""

import keras
import numpy as np


def build_encoder(input_dim: int = 784, code_size: int = 32) -> keras.Model:
    """Encoder: (batch, input_dim) -> (batch, code_size).

    Two hidden Dense layers with ReLU (256 units, then 128), then a Dense layer of
    `code_size` units with no activation (a linear code).
    """
    # BEGIN SOLUTION
    # HINT: start from keras.Input(shape=(input_dim,)) and end with keras.Model(inputs, code).
    inputs = keras.Input(shape=(input_dim,))
    h = keras.layers.Dense(256, activation="relu")(inputs)  # (batch, 256)
    h = keras.layers.Dense(128, activation="relu")(h)  # (batch, 128)
    code = keras.layers.Dense(code_size)(h)  # (batch, code_size), linear
    return keras.Model(inputs, code, name="encoder")
    # END SOLUTION


def build_decoder(code_size: int = 32, output_dim: int = 784) -> keras.Model:
    """Decoder: (batch, code_size) -> (batch, output_dim) with values in [0, 1].

    The mirror image of the encoder: Dense 128 and Dense 256 with ReLU, then a Dense layer
    of `output_dim` units whose activation keeps every pixel in [0, 1].
    """
    # BEGIN SOLUTION
    # HINT: which activation squashes any real number into (0, 1)?
    codes = keras.Input(shape=(code_size,))
    h = keras.layers.Dense(128, activation="relu")(codes)  # (batch, 128)
    h = keras.layers.Dense(256, activation="relu")(h)  # (batch, 256)
    images = keras.layers.Dense(output_dim, activation="sigmoid")(h)  # (batch, output_dim)
    return keras.Model(codes, images, name="decoder")
    # END SOLUTION


def reconstruction_error(x: np.ndarray, x_hat: np.ndarray) -> np.ndarray:
    """Mean squared error of each image: one number per image, shape (batch,).

    `x` and `x_hat` have the same shape (batch, ...): flat (batch, 784) or (batch, 28, 28).
    Average over every axis except the first (the batch axis).
    """
    # BEGIN SOLUTION
    # HINT: one number per image, for flat images (batch, 784) and for (batch, 28, 28) alike:
    # HINT: over which axes must the mean run? (np.mean's axis= also takes a tuple.)
    x = np.asarray(x, dtype=np.float64)
    x_hat = np.asarray(x_hat, dtype=np.float64)
    return np.mean((x - x_hat) ** 2, axis=tuple(range(1, x.ndim)))
    # END SOLUTION
