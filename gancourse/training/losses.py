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

Two stabilisers of lesson 07 live here too: one-sided label smoothing (Salimans et al. 2016,
https://arxiv.org/abs/1606.03498), the ``real_label`` argument of :func:`discriminator_loss`,
and the R1 penalty (Mescheder et al. 2018, https://arxiv.org/abs/1801.04406),
:func:`r1_penalty`, which the trainer adds to D's loss.

-log sigmoid(t) = softplus(-t) and -log(1 - sigmoid(t)) = softplus(t) keep every loss finite
for any logit, which is why discriminators return logits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
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


def check_real_label(real_label: Any, loss: str) -> float:
    """``real_label`` as a float in (0.5, 1], or a ValueError; only the cross-entropy losses
    (minimax, non-saturating) have labels to smooth."""
    number = isinstance(real_label, int | float | np.integer | np.floating)
    if isinstance(real_label, bool) or not number or not 0.5 < real_label <= 1.0:
        raise ValueError(
            f"real_label must be in (0.5, 1] (1: no smoothing; 0.9: one-sided label smoothing), "
            f"got {real_label!r}"
        )
    if real_label != 1.0 and loss not in ("minimax", "non-saturating"):
        raise ValueError(
            f"real_label applies to the cross-entropy losses (minimax, non-saturating); "
            f"the {loss} loss has no labels to smooth"
        )
    return float(real_label)


def discriminator_loss(
    real_logits: Any,
    fake_logits: Any,
    loss: str = "non-saturating",
    real_label: float = 1.0,
) -> Any:
    """The discriminator's (critic's) loss per example, shape (batch,), float32.

    Minimax and non-saturating GANs share the discriminator loss: binary cross-entropy with
    label 1 for real and 0 for fake. WGAN-GP's penalty term is not included here.

    ``real_label`` = a < 1 is *one-sided* label smoothing (Salimans et al. 2016, section 3.4,
    https://arxiv.org/abs/1606.03498; they use a = 0.9): the real target becomes a and the fake
    target stays 0, so the real term is a softplus(-D(x)) + (1 - a) softplus(D(x)) and the fake
    term is unchanged. (Keras' ``label_smoothing=s`` differs: it moves both targets towards 0.5,
    real to 1 - s / 2 and fake to s / 2.) Only for the minimax and non-saturating losses.
    """
    check_loss_name(loss)
    real_label = check_real_label(real_label, loss)
    real, fake = _flat(real_logits), _flat(fake_logits)
    if loss in ("minimax", "non-saturating"):
        a = real_label  # one-sided: the real target only
        real_term = a * ops.softplus(-real) + (1.0 - a) * ops.softplus(real)
        return real_term + ops.softplus(fake)
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


def _squared_gradient_norms(critic: Any, samples: Any) -> Any:
    """||grad_x D(x)||_2^2 for each sample x of ``samples`` (batch, ...): shape (batch,)."""
    x = ops.cast(samples, "float32")
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = critic(x, training=True)
    grads = tape.gradient(scores, x)
    return ops.sum(ops.square(grads), axis=tuple(range(1, len(x.shape))))


def gradient_penalty(critic: Any, real_images: Any, fake_images: Any, seed: Any) -> Any:
    """WGAN-GP's penalty (||grad_x D(x_hat)||_2 - 1)^2 per example, shape (batch,).

    x_hat = eps x + (1 - eps) G(z) with eps ~ U[0, 1] drawn per example, as in Algorithm 1 of
    Gulrajani et al. 2017 (uniform, not normal). ``seed`` is a ``keras.random.SeedGenerator``.
    """
    import keras

    real = ops.cast(real_images, "float32")
    fake = ops.cast(fake_images, "float32")
    eps = keras.random.uniform((ops.shape(real)[0],) + (1,) * (len(real.shape) - 1), seed=seed)
    x_hat = eps * real + (1.0 - eps) * fake
    norms = ops.sqrt(_squared_gradient_norms(critic, x_hat) + 1e-12)
    return ops.square(norms - 1.0)


def r1_penalty(critic: Any, real_samples: Any) -> Any:
    """The R1 penalty ||grad_x D(x)||_2^2 on real samples x, per example, shape (batch,).

    Mescheder et al. 2018, https://arxiv.org/abs/1801.04406, section 4.1: the regulariser
    R1 = gamma / 2 * E_x~p_data ||grad_x D(x)||^2 (the trainer multiplies by gamma / 2). It
    pushes D's gradient to 0 on the data, where an ideal D is flat, instead of to 1 between
    data and fakes as WGAN-GP does. For a linear D(x) = w.x + b it is ||w||^2 everywhere.
    """
    return _squared_gradient_norms(critic, real_samples)
