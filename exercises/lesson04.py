# Your answers. Generated from solutions/lesson04.py by `gancourse make-exercises`:
# replace each `# YOUR CODE HERE` block, then run `gancourse grade`.
"""Lesson 04 exercises: a GAN's gradients and one training step, in NumPy.

The networks are those of `gancourse.numpy_gan` (imported as `gan`):

- the discriminator is a `gan.MLP`: logit = tanh(x @ w1 + b1) @ w2 + b2, D(x) = sigmoid(logit);
- the generator is a `gan.Affine`: G(z) = z @ w + b.

Batches are float64 arrays of shape (batch, 1). Parameters are read-only: build new ones,
e.g. `gan.MLP(w1=..., b1=..., w2=..., b2=...)`. Check your answers with
`gancourse grade lesson04`.
"""

import numpy as np

from gancourse import numpy_gan as gan


def discriminator_gradient(
    discriminator: gan.MLP, x_real: np.ndarray, x_fake: np.ndarray
) -> gan.MLP:
    """The gradient of the discriminator's loss w.r.t. its parameters, as a `gan.MLP`.

    The loss is -V(D, G), the binary cross-entropy with real samples labelled 1 and fakes 0:

        loss = mean over x_real of -log D(x)  +  mean over x_fake of -log(1 - D(x))

    Each half is averaged over its own batch (x_real and x_fake may differ in size). For one
    logit l with label y, d(cross-entropy)/dl = sigmoid(l) - y. Write the backward pass with
    NumPy (`gan.sigmoid` is there for you); do not call `gan.discriminator_gradients`.
    """
    # YOUR CODE HERE
    # HINT: forward pass, keeping h: h = tanh(x @ w1 + b1), logits = h @ w2 + b2.
    # HINT: dL/dlogit = (sigmoid(logit) - label) / (the size of that sample's own batch).
    # HINT: with g = dL/dlogit, shape (batch, 1): dw2 = h.T @ g and db2 = g summed over the
    # HINT: batch; then go back through w2 (g @ w2.T) and tanh (times 1 - h**2) to get dw1, db1.
    raise NotImplementedError("discriminator_gradient is not implemented yet: write it in exercises/lesson04.py")


def train_step(
    generator: gan.Affine,
    discriminator: gan.MLP,
    x_real: np.ndarray,
    z: np.ndarray,
    d_learning_rate: float,
    g_learning_rate: float,
) -> tuple[gan.Affine, gan.MLP]:
    """One round of the game with plain SGD; returns the new `(generator, discriminator)`.

    1. Make the fakes G(z); take one gradient-descent step of the discriminator on its loss
       (real batch against fakes), with `d_learning_rate`.
    2. Take one gradient-descent step of the generator on the NON-SATURATING loss
       -mean log D(G(z)), through the discriminator you have just updated and the same z,
       with `g_learning_rate`.

    Use `gan.generate`, `gan.discriminator_gradients` (or your `discriminator_gradient`) and
    `gan.generator_gradients(generator, discriminator, z, loss)`. Write the updates yourself
    (not `gan.train_step` or `gan.sgd_update`).
    """
    # YOUR CODE HERE
    # HINT: gradient DESCENT: new value = old value - learning_rate * gradient, for every array.
    # HINT: `params.items()` lists (name, array) pairs; `gan.MLP(**{name: ...})` builds a new one.
    # HINT: the generator's gradient must go through the UPDATED discriminator.
    raise NotImplementedError("train_step is not implemented yet: write it in exercises/lesson04.py")
