"""GAN losses computed from logits, one value per example.

``real_logits`` and ``fake_logits`` are the discriminator's raw outputs, shape (batch,) or
(batch, 1). Every function returns a per-example loss of shape (batch,) so the trainer can
average it over the *global* batch under ``tf.distribute``. With D(x) = sigmoid(logit):

- minimax (Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661):
  L_D = -log D(x) - log(1 - D(G(z))),  L_G = log(1 - D(G(z)))
- non-saturating (same paper, section 3): L_G = -log D(G(z))
- hinge (Lim & Ye 2017, https://arxiv.org/abs/1705.02894; Miyato et al. 2018):
  L_D = relu(1 - D(x)) + relu(1 + D(G(z))),  L_G = -D(G(z))
- Wasserstein (Arjovsky et al. 2017, https://arxiv.org/abs/1701.07875) with a gradient penalty
  (Gulrajani et al. 2017, https://arxiv.org/abs/1704.00028): L_D = D(G(z)) - D(x) + lambda GP,
  L_G = -D(G(z)); the penalty is added by the trainer, which owns the critic.

-log sigmoid(t) = softplus(-t) and -log(1 - sigmoid(t)) = softplus(t) keep every loss finite
for any logit, which is why discriminators return logits.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf
from keras import ops

LOSSES = ("minimax", "non-saturating", "hinge", "wasserstein-gp")


def check_loss_name(loss: str) -> str:
    """Return ``loss`` if it names a known GAN loss, else raise a ValueError listing them."""
    if loss not in LOSSES:
        raise ValueError(f"unknown GAN loss {loss!r}; choose one of {', '.join(LOSSES)}")
    return loss


def _flat(logits: Any) -> Any:
    logits = ops.convert_to_tensor(logits)
    return ops.reshape(ops.cast(logits, "float32"), (-1,))


def discriminator_loss(real_logits: Any, fake_logits: Any, loss: str = "non-saturating") -> Any:
    """The discriminator's (critic's) loss per example, shape (batch,), float32.

    Minimax and non-saturating GANs share the discriminator loss: binary cross-entropy with
    label 1 for real and 0 for fake. WGAN-GP's penalty term is not included here.
    """
    check_loss_name(loss)
    real, fake = _flat(real_logits), _flat(fake_logits)
    if loss in ("minimax", "non-saturating"):
        return ops.softplus(-real) + ops.softplus(fake)
    if loss == "hinge":
        return ops.relu(1.0 - real) + ops.relu(1.0 + fake)
    return fake - real  # wasserstein-gp


def generator_loss(fake_logits: Any, loss: str = "non-saturating") -> Any:
    """The generator's loss per example, shape (batch,), float32."""
    check_loss_name(loss)
    fake = _flat(fake_logits)
    if loss == "minimax":
        return -ops.softplus(fake)  # log(1 - D(G(z))): saturates when D is confident
    if loss == "non-saturating":
        return ops.softplus(-fake)  # -log D(G(z))
    return -fake  # hinge and wasserstein-gp


def gradient_penalty(critic: Any, real_images: Any, fake_images: Any, seed: Any) -> Any:
    """WGAN-GP's penalty (||grad_x D(x_hat)||_2 - 1)^2 per example, shape (batch,).

    x_hat = eps x + (1 - eps) G(z) with eps ~ U[0, 1] drawn per example, as in Algorithm 1 of
    Gulrajani et al. 2017 (uniform, not normal). ``seed`` is a ``keras.random.SeedGenerator``.
    """
    import keras

    real = ops.cast(real_images, "float32")
    fake = ops.cast(fake_images, "float32")
    rank = len(real.shape)
    eps = keras.random.uniform((ops.shape(real)[0],) + (1,) * (rank - 1), seed=seed)
    x_hat = eps * real + (1.0 - eps) * fake
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat, training=True)
    grads = tape.gradient(scores, x_hat)
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=tuple(range(1, rank))) + 1e-12)
    return ops.square(norms - 1.0)
