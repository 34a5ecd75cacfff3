"""Lesson 07 exercises: WGAN-GP's gradient penalty, the modes a generator covers, and one-sided
label smoothing.

The gradient penalty comes in two parts: `interpolation_weights` draws the random weights eps,
`gradient_penalty` uses them (given, so that it can be checked exactly). Write both with
`keras` / TensorFlow, never NumPy: the penalty is part of the critic's loss, so gradients must
flow through it to the critic's weights. `mixture_modes` is plain NumPy. Check your answers with
`gancourse grade lesson07`.

- WGAN-GP: Gulrajani et al. 2017, https://arxiv.org/abs/1704.00028 (Algorithm 1)
- modes captured and high-quality samples: Srivastava et al. 2017 (VEEGAN),
  https://arxiv.org/abs/1705.07761, section 5.1; Lin et al. 2018 (PacGAN),
  https://arxiv.org/abs/1712.04086
- one-sided label smoothing: Salimans et al. 2016, https://arxiv.org/abs/1606.03498, section 3.4
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops


def interpolation_weights(batch_size, seed):
    """WGAN-GP's interpolation weights: one eps per example, eps ~ U[0, 1].

    Algorithm 1 of Gulrajani et al. draws a new eps from the UNIFORM distribution on [0, 1] for
    every example of the batch, so that x_hat = eps * real + (1 - eps) * fake lies somewhere on
    the segment between a real and a fake sample.
    `seed` is a `keras.random.SeedGenerator`: pass it on to the random function, so that a run
    can be repeated, and each call (each training step) draws new weights.
    Returns a float32 tensor of shape (batch_size,) with values in [0, 1].
    """
    # BEGIN SOLUTION
    # HINT: keras.random has one function per distribution; give it the shape and seed=seed.
    return keras.random.uniform((batch_size,), minval=0.0, maxval=1.0, seed=seed)  # (batch,)
    # END SOLUTION


def gradient_penalty(critic, real, fake, eps):
    """WGAN-GP's gradient penalty, one number:

        mean over the batch of (||grad_x D(x_hat)||_2 - 1)^2,  x_hat = eps * real + (1 - eps) * fake

    `real` and `fake` are float32 tensors of the same shape (batch, ...): points (batch, 2) or
    images (batch, 28, 28, 1). `eps` has shape (batch,): one weight per example, from
    `interpolation_weights`. `critic(x, training=True)` returns one score per example,
    shape (batch, 1). The gradient is taken with respect to x_hat, at x_hat; its L2 norm is
    taken per example, over every axis but the batch axis (all pixels and channels of an
    image). Return the penalty alone: the critic's loss adds lambda * penalty (lambda = 10).
    """
    # BEGIN SOLUTION
    # HINT: reshape eps to (batch, 1, ..., 1), as many 1s as real has axes after the first, so
    # HINT: that it broadcasts against real: ops.reshape(eps, (-1,) + (1,) * (len(real.shape) - 1)).
    # HINT: x_hat is a tensor, not a variable: in `with tf.GradientTape() as tape:` call
    # HINT: tape.watch(x_hat) before the critic, then gradients = tape.gradient(scores, x_hat).
    rank = len(real.shape)
    eps = ops.reshape(ops.cast(eps, "float32"), (-1,) + (1,) * (rank - 1))  # (batch, 1, ..., 1)
    x_hat = eps * real + (1.0 - eps) * fake  # (batch, ...), between fake (eps 0) and real
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat, training=True)  # (batch, 1)
    # Example i's score depends on x_hat[i] only, so this is each score's own gradient.
    gradients = tape.gradient(scores, x_hat)  # (batch, ...)
    norms = ops.sqrt(ops.sum(ops.square(gradients), axis=tuple(range(1, rank))))  # (batch,)
    return ops.mean(ops.square(norms - 1.0))
    # END SOLUTION


def mixture_modes(samples, centres, std):
    """How many modes of a Gaussian mixture the samples capture, and their high-quality share.

    `samples` is a float array (n, dim), `centres` the mixture's mode centres (modes, dim), and
    `std` the standard deviation shared by every mode (a float > 0). As VEEGAN and PacGAN:
    1. each sample belongs to its NEAREST centre (Euclidean distance);
    2. it is of high quality when that distance is less than 3 standard deviations (< 3 * std);
    3. a mode is captured when it is the nearest centre of at least one high-quality sample.
    Returns (modes_captured, high_quality_share): an int in [0, modes], and the share of ALL the
    samples that are of high quality, a float in [0, 1] (a fraction, not a percentage).
    """
    # BEGIN SOLUTION
    # HINT: samples[:, None, :] - centres[None, :, :] holds every difference at once, shape
    # HINT: (n, modes, dim); np.linalg.norm over the last axis gives the (n, modes) distances.
    # HINT: argmin over the modes gives each sample's mode; np.unique counts distinct modes.
    points = np.asarray(samples, dtype=np.float64)  # (n, dim)
    means = np.asarray(centres, dtype=np.float64)  # (modes, dim)
    distances = np.linalg.norm(points[:, None, :] - means[None, :, :], axis=-1)  # (n, modes)
    nearest = distances.argmin(axis=1)  # (n,) each sample's mode
    high_quality = distances.min(axis=1) < 3.0 * std  # (n,) a distance, against 3 std
    modes_captured = len(np.unique(nearest[high_quality]))
    return int(modes_captured), float(np.mean(high_quality))
    # END SOLUTION


def smoothed_discriminator_loss(real_logits, fake_logits, real_label=0.9):
    """The discriminator's loss with ONE-SIDED label smoothing, one number.

    Binary cross-entropy from logits, with target a = `real_label` for real images and 0, as
    before, for fakes (D(x) = sigmoid(t)):

        mean over real of -[a log D(x) + (1 - a) log(1 - D(x))]
      + mean over fake of -log(1 - D(G(z)))

    Only the real labels are smoothed. Salimans et al. (section 3.4) show why: with fake
    targets b > 0 the best discriminator is (a p_data + b p_model) / (p_data + p_model), which
    stays at b where there is no data, so nothing pushes the generator's bad samples away.
    With real_label=1 this is lesson 05's discriminator_loss. Logits have shape (batch,) or
    (batch, 1); the two batches may differ in size. Stay finite for any logits.
    """
    # BEGIN SOLUTION
    # HINT: -log D = softplus(-t) and -log(1 - D) = softplus(t), as in lesson 05.
    # HINT: keras.losses.BinaryCrossentropy(label_smoothing=...) smooths BOTH labels (the fake
    # HINT: target moves off 0 too): write the loss out yourself.
    a = real_label
    real_term = ops.mean(a * ops.softplus(-real_logits) + (1.0 - a) * ops.softplus(real_logits))
    fake_term = ops.mean(ops.softplus(fake_logits))  # fake target stays 0
    return real_term + fake_term
    # END SOLUTION
