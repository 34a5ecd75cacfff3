# Your answers. Generated from solutions/lesson05.py by `gancourse make-exercises`:
# replace each `# YOUR CODE HERE` block, then run `gancourse grade`.
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
    # YOUR CODE HERE
    # HINT: -log sigmoid(t) = softplus(-t) and -log(1 - sigmoid(t)) = softplus(t), finite for
    # HINT: any t (log(sigmoid(t)) is not: sigmoid(-200) is 0 in float32). ops.softplus, ops.mean.
    raise NotImplementedError("discriminator_loss is not implemented yet: write it in exercises/lesson05.py")


def generator_loss(fake_logits, loss="non-saturating"):
    """G's loss, one number, from D's logits on generated images.

    loss="minimax": mean of log(1 - D(G(z))), the value function's own term (G minimises it);
    loss="non-saturating": mean of -log D(G(z)), the version used in practice.
    Any other name raises ValueError.
    """
    # YOUR CODE HERE
    # HINT: the same two softplus identities as in discriminator_loss; watch the signs.
    # HINT: check the name first: raise ValueError(...) for anything but the two losses.
    raise NotImplementedError("generator_loss is not implemented yet: write it in exercises/lesson05.py")


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
    # YOUR CODE HERE
    # HINT: one tf.GradientTape per network: compute the loss inside `with tf.GradientTape() as
    # HINT: tape:`, then tape.gradient(loss, network.trainable_variables) and
    # HINT: optimizer.apply_gradients(zip(gradients, network.trainable_variables)).
    # HINT: call generator(z) again inside the second tape so G's gradients flow through it.
    raise NotImplementedError("train_step is not implemented yet: write it in exercises/lesson05.py")
