# Your answers. Generated from solutions/lesson01.py by `gancourse make-exercises`:
# replace each `# YOUR CODE HERE` block, then run `gancourse grade`.
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
    # YOUR CODE HERE
    # HINT: start from keras.Input(shape=(input_dim,)) and end with keras.Model(inputs, code).
    raise NotImplementedError("build_encoder is not implemented yet: write it in exercises/lesson01.py")


def build_decoder(code_size: int = 32, output_dim: int = 784) -> keras.Model:
    """Decoder: (batch, code_size) -> (batch, output_dim) with values in [0, 1].

    The mirror image of the encoder: Dense 128 and Dense 256 with ReLU, then a Dense layer
    of `output_dim` units whose activation keeps every pixel in [0, 1].
    """
    # YOUR CODE HERE
    # HINT: which activation squashes any real number into (0, 1)?
    raise NotImplementedError("build_decoder is not implemented yet: write it in exercises/lesson01.py")


def reconstruction_error(x: np.ndarray, x_hat: np.ndarray) -> np.ndarray:
    """Mean squared error of each image: one number per image, shape (batch,).

    `x` and `x_hat` have the same shape (batch, ...): flat (batch, 784) or (batch, 28, 28).
    Average over every axis except the first (the batch axis).
    """
    # YOUR CODE HERE
    # HINT: subtract, square, then np.mean over axis=tuple(range(1, x.ndim)).
    raise NotImplementedError("reconstruction_error is not implemented yet: write it in exercises/lesson01.py")
