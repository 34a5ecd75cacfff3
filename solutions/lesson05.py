"""Lesson 05 exercises: the two GAN losses from logits, and one alternating training step.

A discriminator returns a logit t for each image (any real number, shape (batch,) or
(batch, 1)); D(x) = sigmoid(t) is its probability that the image is real. Write the losses
with `keras.ops` (or TensorFlow), never NumPy, so that gradients flow through them: the
graders differentiate your functions with `tf.GradientTape`. Check your answers with
`gancourse grade lesson05`.

Goodfellow et al. 2014, Generative Adversarial Nets, https://arxiv.org/abs/1406.2661
"""

import tensorflow as tf
from keras import ops


def discriminator_loss(real_logits, fake_logits):
    """D's loss, one number: binary cross-entropy from logits, real labelled 1, fake 0.

    mean over the real batch of -log D(x)  +  mean over the fake batch of -log(1 - D(G(z))),
    i.e. the negative of the value function V(D, G), estimated on one batch of each.
    Stay finite for any logits, however large (a confident discriminator).
    """
    # BEGIN SOLUTION
    # HINT: -log sigmoid(t) = softplus(-t) and -log(1 - sigmoid(t)) = softplus(t), finite for
    # HINT: any t (log(sigmoid(t)) is not: sigmoid(-200) is 0 in float32). ops.softplus, ops.mean.
    real_term = ops.mean(ops.softplus(-real_logits))  # -log D(x): label 1
    fake_term = ops.mean(ops.softplus(fake_logits))  # -log(1 - D(G(z))): label 0
    return real_term + fake_term
    # END SOLUTION


def generator_loss(fake_logits, loss="non-saturating"):
    """G's loss, one number, from D's logits on generated images.

    loss="minimax": mean of log(1 - D(G(z))), the value function's own term (G minimises it);
    loss="non-saturating": mean of -log D(G(z)), the version used in practice.
    Any other name raises ValueError.
    """
    # BEGIN SOLUTION
    # HINT: the same two softplus identities as in discriminator_loss; watch the signs.
    # HINT: check the name first: raise ValueError(...) for anything but the two losses.
    if loss == "minimax":
        return ops.mean(-ops.softplus(fake_logits))  # log(1 - D(G(z)))
    if loss == "non-saturating":
        return ops.mean(ops.softplus(-fake_logits))  # -log D(G(z))
    raise ValueError(f"loss must be 'minimax' or 'non-saturating', got {loss!r}")
    # END SOLUTION


def train_step(
    generator, discriminator, generator_optimizer, discriminator_optimizer, real_images, z
):
    """One alternating GAN step (Algorithm 1 of Goodfellow et al. with k = 1).

    1. Update D: its loss on `real_images` and on `generator(z)`, gradients with respect to
       the discriminator's variables only, applied with `discriminator_optimizer`.
    2. Then update G: the non-saturating generator loss of the UPDATED discriminator's logits
       on `generator(z)`, gradients with respect to the generator's variables only, applied
       with `generator_optimizer`.

    Use your `discriminator_loss` and `generator_loss`, and call both networks with
    `training=True`. The same noise `z` (batch, latent_dim) serves both updates (Algorithm 1
    draws fresh noise for G; here z is given so the step can be checked exactly).
    `real_images` is (batch, 28, 28, 1) in [-1, 1]. Returns (d_loss, g_loss) as Python
    floats: D's loss before its update and G's loss as computed in step 2.
    """
    # BEGIN SOLUTION
    # HINT: one tf.GradientTape per network: compute the loss inside `with tf.GradientTape() as
    # HINT: tape:`, then tape.gradient(loss, network.trainable_variables) and
    # HINT: optimizer.apply_gradients(zip(gradients, network.trainable_variables)).
    # HINT: call generator(z) again inside the second tape so G's gradients flow through it.
    with tf.GradientTape() as tape:
        fake_images = generator(z, training=True)  # (batch, 28, 28, 1)
        d_loss = discriminator_loss(
            discriminator(real_images, training=True), discriminator(fake_images, training=True)
        )
    gradients = tape.gradient(d_loss, discriminator.trainable_variables)
    discriminator_optimizer.apply_gradients(
        zip(gradients, discriminator.trainable_variables, strict=True)
    )

    with tf.GradientTape() as tape:
        fake_logits = discriminator(generator(z, training=True), training=True)  # updated D
        g_loss = generator_loss(fake_logits)
    gradients = tape.gradient(g_loss, generator.trainable_variables)
    generator_optimizer.apply_gradients(zip(gradients, generator.trainable_variables, strict=True))
    return float(d_loss), float(g_loss)
    # END SOLUTION
