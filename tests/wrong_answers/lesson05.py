"""Plausible wrong answers to lesson 05, each with a phrase its grader's message must contain."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

# --------------------------------------------------------------------------- discriminator_loss


def d_loss_sigmoid_twice(real_logits, fake_logits):
    # The TF1-era snippet: a sigmoid output layer, then a from-logits cross-entropy.
    real, fake = ops.sigmoid(real_logits), ops.sigmoid(fake_logits)
    return ops.mean(ops.softplus(-real)) + ops.mean(ops.softplus(fake))


def d_loss_labels_swapped(real_logits, fake_logits):
    return ops.mean(ops.softplus(real_logits)) + ops.mean(ops.softplus(-fake_logits))


def d_loss_summed(real_logits, fake_logits):
    return ops.sum(ops.softplus(-real_logits)) + ops.sum(ops.softplus(fake_logits))


def d_loss_unstable(real_logits, fake_logits):
    real, fake = ops.sigmoid(real_logits), ops.sigmoid(fake_logits)
    return -ops.mean(ops.log(real)) - ops.mean(ops.log(1.0 - fake))


def d_loss_clipped(real_logits, fake_logits):
    real = ops.clip(ops.sigmoid(real_logits), 1e-7, 1.0 - 1e-7)
    fake = ops.clip(ops.sigmoid(fake_logits), 1e-7, 1.0 - 1e-7)
    return -ops.mean(ops.log(real)) - ops.mean(ops.log(1.0 - fake))


def d_loss_in_numpy(real_logits, fake_logits):
    real, fake = np.asarray(real_logits), np.asarray(fake_logits)
    return np.mean(np.logaddexp(0.0, -real)) + np.mean(np.logaddexp(0.0, fake))


def d_loss_per_example(real_logits, fake_logits):
    return ops.softplus(-real_logits) + ops.softplus(fake_logits)


def d_loss_one_mean_over_both(real_logits, fake_logits):
    logits = ops.concatenate([real_logits, fake_logits], axis=0)
    labels = ops.concatenate([ops.ones_like(real_logits), ops.zeros_like(fake_logits)], axis=0)
    return ops.mean(keras.losses.binary_crossentropy(labels, logits, from_logits=True))


def d_loss_from_probabilities(real_logits, fake_logits):
    real = keras.losses.binary_crossentropy(ops.ones_like(real_logits), real_logits)
    fake = keras.losses.binary_crossentropy(ops.zeros_like(fake_logits), fake_logits)
    return ops.mean(real) + ops.mean(fake)


def d_loss_elementwise(real_logits, fake_logits):
    # Right when both batches have the same size, a shape error otherwise.
    return ops.mean(ops.softplus(-real_logits) + ops.softplus(fake_logits))


# --------------------------------------------------------------------------- generator_loss


def _generator_loss(fake_logits, loss="non-saturating"):
    if loss == "minimax":
        return ops.mean(-ops.softplus(fake_logits))
    if loss == "non-saturating":
        return ops.mean(ops.softplus(-fake_logits))
    raise ValueError(loss)


def g_loss_always_minimax(fake_logits, loss="non-saturating"):
    return ops.mean(-ops.softplus(fake_logits))


def g_loss_always_non_saturating(fake_logits, loss="non-saturating"):
    return ops.mean(ops.softplus(-fake_logits))


def g_loss_names_swapped(fake_logits, loss="non-saturating"):
    return _generator_loss(fake_logits, "minimax" if loss == "non-saturating" else loss)


def g_loss_fake_labelled_zero(fake_logits, loss="non-saturating"):
    # -log(1 - D(G(z))) for the non-saturating loss: D's fake term, not G's.
    if loss == "minimax":
        return ops.mean(-ops.softplus(fake_logits))
    return ops.mean(ops.softplus(fake_logits))


def g_loss_sigmoid_twice(fake_logits, loss="non-saturating"):
    return _generator_loss(ops.sigmoid(fake_logits), loss)


def g_loss_unstable(fake_logits, loss="non-saturating"):
    probability = ops.sigmoid(fake_logits)
    if loss == "minimax":
        return ops.mean(ops.log(1.0 - probability))
    if loss == "non-saturating":
        return -ops.mean(ops.log(probability))
    raise ValueError(loss)


def g_loss_summed(fake_logits, loss="non-saturating"):
    return _generator_loss(fake_logits, loss) * ops.cast(ops.shape(fake_logits)[0], "float32")


def g_loss_in_numpy(fake_logits, loss="non-saturating"):
    logits = np.asarray(fake_logits)
    if loss == "minimax":
        return np.mean(-np.logaddexp(0.0, logits))
    if loss == "non-saturating":
        return np.mean(np.logaddexp(0.0, -logits))
    raise ValueError(loss)


def g_loss_accepts_any_name(fake_logits, loss="non-saturating"):
    return _generator_loss(fake_logits, "minimax" if loss == "minimax" else "non-saturating")


# --------------------------------------------------------------------------- train_step


def _discriminator_loss(real_logits, fake_logits):
    return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))


def _update(tape, loss, network, optimizer):
    gradients = tape.gradient(loss, network.trainable_variables)
    optimizer.apply_gradients(zip(gradients, network.trainable_variables, strict=True))


def _discriminator_step(generator, discriminator, optimizer, real_images, z):
    with tf.GradientTape() as tape:
        d_loss = _discriminator_loss(
            discriminator(real_images, training=True),
            discriminator(generator(z, training=True), training=True),
        )
    _update(tape, d_loss, discriminator, optimizer)
    return d_loss


def step_generator_with_discriminator_loss(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    d_loss = _discriminator_step(generator, discriminator, discriminator_optimizer, real_images, z)
    with tf.GradientTape() as tape:
        g_loss = _discriminator_loss(
            discriminator(real_images, training=True),
            discriminator(generator(z, training=True), training=True),
        )
    _update(tape, g_loss, generator, generator_optimizer)
    return float(d_loss), float(g_loss)


def step_updating_both_in_generator_step(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    d_loss = _discriminator_step(generator, discriminator, discriminator_optimizer, real_images, z)
    with tf.GradientTape(persistent=True) as tape:
        g_loss = _generator_loss(discriminator(generator(z, training=True), training=True))
    _update(tape, g_loss, generator, generator_optimizer)
    _update(tape, g_loss, discriminator, discriminator_optimizer)
    return float(d_loss), float(g_loss)


def step_with_one_optimizer_for_both(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    d_loss = _discriminator_step(generator, discriminator, discriminator_optimizer, real_images, z)
    variables = generator.trainable_variables + discriminator.trainable_variables
    with tf.GradientTape() as tape:
        g_loss = _generator_loss(discriminator(generator(z, training=True), training=True))
    gradients = tape.gradient(g_loss, variables)
    generator_optimizer.apply_gradients(zip(gradients, variables, strict=True))
    return float(d_loss), float(g_loss)


def step_simultaneous(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fake_logits = discriminator(generator(z, training=True), training=True)
        d_loss = _discriminator_loss(discriminator(real_images, training=True), fake_logits)
        g_loss = _generator_loss(fake_logits)
    _update(d_tape, d_loss, discriminator, discriminator_optimizer)
    _update(g_tape, g_loss, generator, generator_optimizer)
    return float(d_loss), float(g_loss)


def step_minimax_generator(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    d_loss = _discriminator_step(generator, discriminator, discriminator_optimizer, real_images, z)
    with tf.GradientTape() as tape:
        g_loss = _generator_loss(
            discriminator(generator(z, training=True), training=True), "minimax"
        )
    _update(tape, g_loss, generator, generator_optimizer)
    return float(d_loss), float(g_loss)


def step_generator_first(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    with tf.GradientTape() as tape:
        g_loss = _generator_loss(discriminator(generator(z, training=True), training=True))
    _update(tape, g_loss, generator, generator_optimizer)
    d_loss = _discriminator_step(generator, discriminator, discriminator_optimizer, real_images, z)
    return float(d_loss), float(g_loss)


def step_optimizers_swapped(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    d_loss = _discriminator_step(generator, discriminator, generator_optimizer, real_images, z)
    with tf.GradientTape() as tape:
        g_loss = _generator_loss(discriminator(generator(z, training=True), training=True))
    _update(tape, g_loss, generator, discriminator_optimizer)
    return float(d_loss), float(g_loss)


def step_with_fresh_noise(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    z = tf.random.normal(tf.shape(z))
    return step_reporting_loss_after_update(
        generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
    )


def step_without_generator_update(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    d_loss = _discriminator_step(generator, discriminator, discriminator_optimizer, real_images, z)
    g_loss = _generator_loss(discriminator(generator(z, training=True), training=True))
    generator_optimizer.apply_gradients(
        (tf.zeros_like(v), v) for v in generator.trainable_variables
    )
    return float(d_loss), float(g_loss)


def step_reporting_loss_after_update(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    _discriminator_step(generator, discriminator, discriminator_optimizer, real_images, z)
    d_loss = _discriminator_loss(
        discriminator(real_images, training=True),
        discriminator(generator(z, training=True), training=True),
    )
    with tf.GradientTape() as tape:
        g_loss = _generator_loss(discriminator(generator(z, training=True), training=True))
    _update(tape, g_loss, generator, generator_optimizer)
    return float(d_loss), float(g_loss)


WRONG_ANSWERS = [
    ("discriminator_loss", d_loss_sigmoid_twice, "sigmoid twice"),
    ("discriminator_loss", d_loss_labels_swapped, "labels are swapped"),
    ("discriminator_loss", d_loss_summed, "summed over the batch"),
    ("discriminator_loss", d_loss_unstable, "very large logits"),
    ("discriminator_loss", d_loss_clipped, "very large logits"),
    ("discriminator_loss", d_loss_in_numpy, "gradients do not flow"),
    ("discriminator_loss", d_loss_per_example, "one number"),
    ("discriminator_loss", d_loss_one_mean_over_both, "sum of the two means"),
    ("discriminator_loss", d_loss_from_probabilities, "from_logits=False"),
    ("discriminator_loss", d_loss_elementwise, "8 real and 5 fake"),
    ("generator_loss", g_loss_always_minimax, "the minimax loss"),
    ("generator_loss", g_loss_always_non_saturating, "the non-saturating loss"),
    ("generator_loss", g_loss_names_swapped, "the minimax loss"),
    ("generator_loss", g_loss_fake_labelled_zero, "fake half of the discriminator's loss"),
    ("generator_loss", g_loss_sigmoid_twice, "sigmoid twice"),
    ("generator_loss", g_loss_unstable, "very large logits"),
    ("generator_loss", g_loss_summed, "summed over the batch"),
    ("generator_loss", g_loss_in_numpy, "gradients do not flow"),
    ("generator_loss", g_loss_accepts_any_name, "should raise ValueError"),
    ("train_step", step_generator_with_discriminator_loss, "with the discriminator's loss"),
    ("train_step", step_updating_both_in_generator_step, "also changed during the generator"),
    ("train_step", step_with_one_optimizer_for_both, "also changed during the generator"),
    ("train_step", step_simultaneous, "simultaneous"),
    ("train_step", step_minimax_generator, "minimax"),
    ("train_step", step_generator_first, "updates D first"),
    ("train_step", step_optimizers_swapped, "each optimizer updates its own network"),
    ("train_step", step_with_fresh_noise, "Use the z given"),
    ("train_step", step_without_generator_update, "generator's weights did not change"),
    ("train_step", step_reporting_loss_after_update, "before its update"),
]
