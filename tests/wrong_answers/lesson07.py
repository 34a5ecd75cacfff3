"""Plausible wrong answers to lesson 07, each with a phrase its grader's message must contain."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

# ----------------------------------------------------------------------- interpolation_weights


def eps_normal(batch_size, seed):
    # The trap named in STYLE.md: weights from a normal distribution.
    return keras.random.normal((batch_size,), seed=seed)


def eps_sigmoid_of_normal(batch_size, seed):
    # In [0, 1], but bunched around 1/2.
    return ops.sigmoid(keras.random.normal((batch_size,), seed=seed))


def eps_one_for_the_batch(batch_size, seed):
    return ops.repeat(keras.random.uniform((1,), seed=seed), batch_size)


def eps_one_number(batch_size, seed):
    return keras.random.uniform((1,), seed=seed)


def eps_with_numpy(batch_size, seed):
    return np.random.default_rng().uniform(0.0, 1.0, size=batch_size).astype("float32")


def eps_with_a_fixed_seed(batch_size, seed):
    return keras.random.uniform((batch_size,), seed=0)


def eps_as_a_column(batch_size, seed):
    return keras.random.uniform((batch_size, 1), seed=seed)


# --------------------------------------------------------------------------- gradient_penalty


def _x_hat(real, fake, eps):
    eps = ops.reshape(eps, (-1,) + (1,) * (len(real.shape) - 1))
    return eps * real + (1.0 - eps) * fake


def _gradients_at(critic, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = critic(x, training=True)
    return tape.gradient(scores, x)


def _norms(gradients):
    return ops.sqrt(ops.sum(ops.square(gradients), axis=tuple(range(1, len(gradients.shape)))))


def gp_norm_squared(critic, real, fake, eps):
    gradients = _gradients_at(critic, _x_hat(real, fake, eps))
    return ops.mean(ops.sum(ops.square(gradients), axis=tuple(range(1, len(real.shape)))))


def gp_not_squared(critic, real, fake, eps):
    return ops.mean(_norms(_gradients_at(critic, _x_hat(real, fake, eps))) - 1.0)


def gp_mean_of_norms_first(critic, real, fake, eps):
    return ops.square(ops.mean(_norms(_gradients_at(critic, _x_hat(real, fake, eps)))) - 1.0)


def gp_l1_norm(critic, real, fake, eps):
    gradients = _gradients_at(critic, _x_hat(real, fake, eps))
    norms = ops.sum(ops.abs(gradients), axis=tuple(range(1, len(real.shape))))
    return ops.mean(ops.square(norms - 1.0))


def gp_gradient_at_real(critic, real, fake, eps):
    return ops.mean(ops.square(_norms(_gradients_at(critic, real)) - 1.0))


def gp_gradient_at_fake(critic, real, fake, eps):
    return ops.mean(ops.square(_norms(_gradients_at(critic, fake)) - 1.0))


def gp_gradient_with_respect_to_real(critic, real, fake, eps):
    with tf.GradientTape() as tape:
        tape.watch(real)
        scores = critic(_x_hat(real, fake, eps), training=True)
    gradients = tape.gradient(scores, real)  # eps times the gradient at x_hat
    return ops.mean(ops.square(_norms(gradients) - 1.0))


def gp_weights_swapped(critic, real, fake, eps):
    return ops.mean(ops.square(_norms(_gradients_at(critic, _x_hat(fake, real, eps))) - 1.0))


def gp_first_eps_for_all(critic, real, fake, eps):
    x_hat = eps[0] * real + (1.0 - eps[0]) * fake
    return ops.mean(ops.square(_norms(_gradients_at(critic, x_hat)) - 1.0))


def gp_times_lambda(critic, real, fake, eps):
    return 10.0 * ops.mean(ops.square(_norms(_gradients_at(critic, _x_hat(real, fake, eps))) - 1))


def gp_summed(critic, real, fake, eps):
    return ops.sum(ops.square(_norms(_gradients_at(critic, _x_hat(real, fake, eps))) - 1.0))


def gp_one_sided(critic, real, fake, eps):
    norms = _norms(_gradients_at(critic, _x_hat(real, fake, eps)))
    return ops.mean(ops.square(ops.relu(norms - 1.0)))


def gp_one_norm_for_the_batch(critic, real, fake, eps):
    gradients = _gradients_at(critic, _x_hat(real, fake, eps))
    return ops.square(tf.norm(gradients) - 1.0)


def gp_norm_over_last_axis(critic, real, fake, eps):
    gradients = _gradients_at(critic, _x_hat(real, fake, eps))
    return ops.mean(ops.square(ops.sqrt(ops.sum(ops.square(gradients), axis=-1)) - 1.0))


def gp_eps_shaped_for_points(critic, real, fake, eps):
    eps = eps[:, None]  # (batch, 1): right for points, a broadcasting error for images
    x_hat = eps * real + (1.0 - eps) * fake
    return ops.mean(ops.square(_norms(_gradients_at(critic, x_hat)) - 1.0))


def gp_without_watch(critic, real, fake, eps):
    x_hat = _x_hat(real, fake, eps)
    with tf.GradientTape() as tape:
        scores = critic(x_hat, training=True)
    gradients = tape.gradient(scores, x_hat)  # None: a tensor is not watched by default
    return ops.mean(ops.square(_norms(gradients) - 1.0))


def gp_in_numpy(critic, real, fake, eps):
    gradients = np.asarray(_gradients_at(critic, _x_hat(real, fake, eps)))
    norms = np.linalg.norm(gradients.reshape(len(gradients), -1), axis=1)
    return np.mean((norms - 1.0) ** 2)


# --------------------------------------------------------------------------- mixture_modes


def _distances(samples, centres):
    return np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)  # (n, modes)


def modes_variance_threshold(samples, centres, std):
    distances = _distances(samples, centres)
    good = distances.min(axis=1) < 3 * std**2
    return len(np.unique(distances.argmin(axis=1)[good])), float(np.mean(good))


def modes_squared_distance(samples, centres, std):
    squared = ((samples[:, None, :] - centres[None, :, :]) ** 2).sum(axis=-1)
    good = squared.min(axis=1) < 3 * std
    return len(np.unique(squared.argmin(axis=1)[good])), float(np.mean(good))


def modes_box(samples, centres, std):
    nearest = _distances(samples, centres).argmin(axis=1)
    good = np.all(np.abs(samples - centres[nearest]) < 3 * std, axis=1)
    return len(np.unique(nearest[good])), float(np.mean(good))


def modes_without_quality_filter(samples, centres, std):
    distances = _distances(samples, centres)
    good = distances.min(axis=1) < 3 * std
    return len(np.unique(distances.argmin(axis=1))), float(np.mean(good))


def modes_share_per_mode(samples, centres, std):
    distances = _distances(samples, centres)
    good = distances.min(axis=1) < 3 * std
    return len(np.unique(distances.argmin(axis=1)[good])), float(np.sum(good) / len(centres))


def modes_share_in_percent(samples, centres, std):
    distances = _distances(samples, centres)
    good = distances.min(axis=1) < 3 * std
    return len(np.unique(distances.argmin(axis=1)[good])), 100.0 * float(np.mean(good))


def modes_any_centre_within(samples, centres, std):
    near = _distances(samples, centres) < 3 * std  # (n, modes)
    return int(np.sum(near.any(axis=0))), float(np.mean(near.any(axis=1)))


def modes_count_not_share(samples, centres, std):
    distances = _distances(samples, centres)
    good = distances.min(axis=1) < 3 * std
    return len(np.unique(distances.argmin(axis=1)[good])), float(np.sum(good))


def modes_first_two_coordinates(samples, centres, std):
    # Written for the 2-D ring and grid only.
    distances = _distances(samples[:, :2], centres[:, :2])
    good = distances.min(axis=1) < 3 * std
    return len(np.unique(distances.argmin(axis=1)[good])), float(np.mean(good))


# ----------------------------------------------------------------- smoothed_discriminator_loss


def _bce(logits, target):
    return target * ops.softplus(-logits) + (1.0 - target) * ops.softplus(logits)


def smooth_two_sided(real_logits, fake_logits, real_label=0.9):
    return ops.mean(_bce(real_logits, real_label)) + ops.mean(_bce(fake_logits, 1.0 - real_label))


def smooth_with_keras_label_smoothing(real_logits, fake_logits, real_label=0.9):
    smoothing = 1.0 - real_label
    real = keras.losses.binary_crossentropy(
        ops.ones_like(real_logits), real_logits, from_logits=True, label_smoothing=smoothing
    )
    fake = keras.losses.binary_crossentropy(
        ops.zeros_like(fake_logits), fake_logits, from_logits=True, label_smoothing=smoothing
    )
    return ops.mean(real) + ops.mean(fake)


def smooth_label_flipped(real_logits, fake_logits, real_label=0.9):
    return ops.mean(_bce(real_logits, 1.0 - real_label)) + ops.mean(_bce(fake_logits, 0.0))


def smooth_fake_only(real_logits, fake_logits, real_label=0.9):
    return ops.mean(_bce(real_logits, 1.0)) + ops.mean(_bce(fake_logits, 1.0 - real_label))


def smooth_half_term(real_logits, fake_logits, real_label=0.9):
    return ops.mean(real_label * ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))


def smooth_scaled_logits(real_logits, fake_logits, real_label=0.9):
    return ops.mean(ops.softplus(-real_label * real_logits)) + ops.mean(ops.softplus(fake_logits))


def smooth_sigmoid_twice(real_logits, fake_logits, real_label=0.9):
    real, fake = ops.sigmoid(real_logits), ops.sigmoid(fake_logits)
    return ops.mean(_bce(real, real_label)) + ops.mean(_bce(fake, 0.0))


def smooth_ignores_real_label(real_logits, fake_logits, real_label=0.9):
    return ops.mean(_bce(real_logits, 0.9)) + ops.mean(_bce(fake_logits, 0.0))


def smooth_not_at_all(real_logits, fake_logits, real_label=0.9):
    return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))


def smooth_summed(real_logits, fake_logits, real_label=0.9):
    return ops.sum(_bce(real_logits, real_label)) + ops.sum(_bce(fake_logits, 0.0))


def smooth_unstable(real_logits, fake_logits, real_label=0.9):
    real, fake = ops.sigmoid(real_logits), ops.sigmoid(fake_logits)
    real_term = -(real_label * ops.log(real) + (1.0 - real_label) * ops.log(1.0 - real))
    return ops.mean(real_term) - ops.mean(ops.log(1.0 - fake))


def smooth_in_numpy(real_logits, fake_logits, real_label=0.9):
    real, fake = np.asarray(real_logits), np.asarray(fake_logits)
    real_term = real_label * np.logaddexp(0.0, -real) + (1.0 - real_label) * np.logaddexp(0.0, real)
    return np.mean(real_term) + np.mean(np.logaddexp(0.0, fake))


def smooth_one_mean_over_both(real_logits, fake_logits, real_label=0.9):
    terms = ops.concatenate([_bce(real_logits, real_label), _bce(fake_logits, 0.0)], axis=0)
    return ops.mean(terms)


def smooth_elementwise(real_logits, fake_logits, real_label=0.9):
    # Right when both batches have the same size, a shape error otherwise.
    return ops.mean(_bce(real_logits, real_label) + _bce(fake_logits, 0.0))


WRONG_ANSWERS = [
    ("interpolation_weights", eps_normal, "not from a normal distribution"),
    ("interpolation_weights", eps_sigmoid_of_normal, "not uniform on [0, 1]"),
    ("interpolation_weights", eps_one_for_the_batch, "every example got the same eps"),
    ("interpolation_weights", eps_one_number, "every example got the same eps"),
    ("interpolation_weights", eps_with_numpy, "different weights for the same seed"),
    ("interpolation_weights", eps_with_a_fixed_seed, "not a fixed number"),
    ("interpolation_weights", eps_as_a_column, "one weight per example"),
    ("gradient_penalty", gp_norm_squared, "mean of ||gradient||^2"),
    ("gradient_penalty", gp_not_squared, "square each example's (norm - 1)"),
    ("gradient_penalty", gp_mean_of_norms_first, "squares the mean norm"),
    ("gradient_penalty", gp_l1_norm, "L1 norm"),
    ("gradient_penalty", gp_gradient_at_real, "taken at the real samples"),
    ("gradient_penalty", gp_gradient_at_fake, "taken at the fake samples"),
    ("gradient_penalty", gp_gradient_with_respect_to_real, "with respect to real, through x_hat"),
    ("gradient_penalty", gp_weights_swapped, "(1 - eps) * real + eps * fake"),
    ("gradient_penalty", gp_first_eps_for_all, "first eps was used for every example"),
    ("gradient_penalty", gp_times_lambda, "times lambda"),
    ("gradient_penalty", gp_summed, "summed over the batch"),
    ("gradient_penalty", gp_one_sided, "one-sided penalty"),
    ("gradient_penalty", gp_one_norm_for_the_batch, "one norm over the whole batch"),
    ("gradient_penalty", gp_norm_over_last_axis, "over the last axis only"),
    ("gradient_penalty", gp_eps_shaped_for_points, "(batch, 1, 1, 1)"),
    ("gradient_penalty", gp_without_watch, "tape.watch(x_hat)"),
    ("gradient_penalty", gp_in_numpy, "gradients do not flow"),
    ("mixture_modes", modes_variance_threshold, "3 * std**2"),
    ("mixture_modes", modes_squared_distance, "SQUARED distance"),
    ("mixture_modes", modes_box, "a square, not a disc"),
    ("mixture_modes", modes_without_quality_filter, "HIGH-QUALITY sample"),
    ("mixture_modes", modes_share_per_mode, "divided by the number of modes"),
    ("mixture_modes", modes_share_in_percent, "percentage"),
    ("mixture_modes", modes_any_centre_within, "NEAREST centre"),
    ("mixture_modes", modes_count_not_share, "not their share"),
    ("mixture_modes", modes_first_two_coordinates, "nearest centre (Euclidean distance)"),
    ("smoothed_discriminator_loss", smooth_two_sided, "ONE-sided"),
    ("smoothed_discriminator_loss", smooth_with_keras_label_smoothing, "smooths BOTH labels"),
    ("smoothed_discriminator_loss", smooth_label_flipped, "target was 1 - real_label"),
    ("smoothed_discriminator_loss", smooth_fake_only, "only the fake target was smoothed"),
    ("smoothed_discriminator_loss", smooth_half_term, "misses its second half"),
    ("smoothed_discriminator_loss", smooth_scaled_logits, "not the logits"),
    ("smoothed_discriminator_loss", smooth_sigmoid_twice, "sigmoid twice"),
    ("smoothed_discriminator_loss", smooth_ignores_real_label, "real_label was ignored"),
    ("smoothed_discriminator_loss", smooth_not_at_all, "not smoothed"),
    ("smoothed_discriminator_loss", smooth_summed, "summed over the batch"),
    ("smoothed_discriminator_loss", smooth_unstable, "very large logits"),
    ("smoothed_discriminator_loss", smooth_in_numpy, "gradients do not flow"),
    ("smoothed_discriminator_loss", smooth_one_mean_over_both, "taken together"),
    ("smoothed_discriminator_loss", smooth_elementwise, "8 real and 5 fake"),
]
