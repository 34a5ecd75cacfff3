# Your answers. Generated from solutions/lesson02.py by `gancourse make-exercises`:
# replace each `# YOUR CODE HERE` block, then run `gancourse grade`.
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
    # YOUR CODE HERE
    # HINT: "valid": count the positions where the kernel fits, stepping by `stride`.
    # HINT: "same": every stride-th position of the input gives one output (round up).
    raise NotImplementedError("conv_output_size is not implemented yet: write it in exercises/lesson02.py")


def conv_transpose_output_size(size: int, kernel_size: int, stride: int, padding: str) -> int:
    """Height of a Keras Conv2DTranspose output (no output_padding) for an input of height `size`.

    A transposed convolution runs the shape arithmetic of a convolution backwards: each input
    pixel stamps the kernel onto the output, `stride` pixels apart.
    """
    # YOUR CODE HERE
    # HINT: "same" multiplies the size by the stride; "valid" adds what the last kernel stamp
    # HINT: overhangs beyond size * stride (nothing when the kernel is smaller than the stride).
    raise NotImplementedError("conv_transpose_output_size is not implemented yet: write it in exercises/lesson02.py")


def add_noise(images: np.ndarray, noise_std: float, rng: np.random.Generator) -> np.ndarray:
    """Corrupt images in [0, 1] with Gaussian noise of standard deviation `noise_std`.

    Draw the noise from `rng` (so results repeat with the same seed), keep the result in
    [0, 1], and leave `images` itself unchanged. Returns an array of the same shape.
    """
    # YOUR CODE HERE
    # HINT: rng.normal(loc, scale, size) draws the noise; np.clip keeps pixels in range.
    raise NotImplementedError("add_noise is not implemented yet: write it in exercises/lesson02.py")
