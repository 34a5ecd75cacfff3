"""Lesson 02 exercises: the shapes of convolutions, and corrupting images for a denoiser.

Check your answers with `gancourse grade lesson02` (or `gc.grade("lesson02")` in a notebook).
"""

import math

import numpy as np


def conv_output_size(size: int, kernel_size: int, stride: int, padding: str) -> int:
    """Height (or width) of a Keras Conv2D output for an input of height `size`.

    `padding` is "valid" (no padding: the kernel must fit inside the image) or "same"
    (zero padding so that, with stride 1, the size is unchanged).
    """
    # BEGIN SOLUTION
    # HINT: "valid": count the positions where the kernel fits, stepping by `stride`.
    # HINT: "same": every stride-th position of the input gives one output (round up).
    if padding == "valid":
        return (size - kernel_size) // stride + 1
    if padding == "same":
        return math.ceil(size / stride)
    raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    # END SOLUTION


def conv_transpose_output_size(size: int, kernel_size: int, stride: int, padding: str) -> int:
    """Height of a Keras Conv2DTranspose output (no output_padding) for an input of height `size`.

    A transposed convolution runs the shape arithmetic of a convolution backwards: each input
    pixel stamps the kernel onto the output, `stride` pixels apart.
    """
    # BEGIN SOLUTION
    # HINT: the lesson gives "same" and, for kernels at least as long as the stride, "valid".
    # HINT: For a kernel shorter than the stride, build a small keras.layers.Conv2DTranspose and
    # HINT: look at its output shape for a few sizes: what does Keras do with the gaps?
    if padding == "valid":
        return size * stride + max(kernel_size - stride, 0)
    if padding == "same":
        return size * stride
    raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    # END SOLUTION


def add_noise(images: np.ndarray, noise_std: float, rng: np.random.Generator) -> np.ndarray:
    """Corrupt images in [0, 1] with Gaussian noise of standard deviation `noise_std`.

    Draw the noise from `rng` (so results repeat with the same seed), keep the result in
    [0, 1], and leave `images` itself unchanged. Returns an array of the same shape.
    """
    # BEGIN SOLUTION
    # HINT: rng.normal(loc, scale, size) draws the noise; np.clip keeps pixels in range.
    noise = rng.normal(0.0, noise_std, size=np.shape(images))
    return np.clip(images + noise, 0.0, 1.0)
    # END SOLUTION
