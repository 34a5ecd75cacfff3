# Your answers. Generated from solutions/lesson06.py by `gancourse make-exercises`:
# replace each `# YOUR CODE HERE` block, then run `gancourse grade`.
"""Lesson 06 exercises: the DCGAN generator, block by block.

Radford, Metz & Chintala 2015, Unsupervised Representation Learning with Deep Convolutional
GANs, https://arxiv.org/abs/1511.06434. The course's generator follows the TensorFlow DCGAN
tutorial, which departs from the paper in one place: leaky ReLU (slope 0.2) in the generator
where the paper uses ReLU. Check your answers with `gancourse grade lesson06`.

Shapes are (batch, height, width, channels); Keras tensors come from `keras.Input`.
"""

import keras
from keras import layers

LEAK = 0.2  # slope of leaky ReLU for negative inputs (Keras' default, 0.3, is not this)


def generator_block(x, filters: int, strides: int, kernel_size: int = 5):
    """One block of the DCGAN generator: a transposed convolution, batch norm, leaky ReLU.

    - `layers.Conv2DTranspose(filters, kernel_size, strides=strides, padding="same")` with
      no bias: batch norm, right after it, subtracts the mean of each channel and adds its own
      learned offset (beta), so a bias there would be cancelled anyway;
    - `layers.BatchNormalization()`;
    - `layers.LeakyReLU` with a slope of 0.2 (`LEAK`) for negative inputs.

    `x` is a Keras tensor of shape (batch, h, w, channels); returns one of shape
    (batch, h * strides, w * strides, filters).
    """
    # YOUR CODE HERE
    # HINT: call each layer on the tensor the previous one returned: h = SomeLayer(...)(x).
    # HINT: which keyword turns off a layer's bias? And which sets LeakyReLU's slope?
    raise NotImplementedError("generator_block is not implemented yet: write it in exercises/lesson06.py")


def build_generator(latent_dim: int = 100, filters: int = 32) -> keras.Model:
    """The DCGAN generator of lesson 06, (batch, latent_dim) -> (batch, 28, 28, 1) in [-1, 1].

    1. `Dense(7 * 7 * 4 * filters)` without bias, batch norm, leaky ReLU (slope 0.2);
       reshaped to a (7, 7, 4 * filters) grid;
    2. `generator_block` with 2 * filters channels and stride 1;
    3. `generator_block` with `filters` channels and stride 2;
    4. a last `Conv2DTranspose` to 1 channel, kernel 5, stride 2, padding "same", no bias, and
       a tanh activation: no batch norm after it.

    Use your `generator_block`. The layers, their order and their sizes must be those of
    `gancourse.models.build_dcgan_generator(latent_dim, filters)`: the grader copies its weights
    into your model and compares the images.
    """
    # YOUR CODE HERE
    # HINT: work out the shape after every step before you write it: 7x7 -> ? -> ? -> 28x28.
    # HINT: only the stride-2 steps double the grid; the stride-1 step changes the channels only.
    raise NotImplementedError("build_generator is not implemented yet: write it in exercises/lesson06.py")
