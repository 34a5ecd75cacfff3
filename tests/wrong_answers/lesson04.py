"""Plausible wrong answers to lesson 04, each with a phrase its grader's message must contain."""

import numpy as np

from gancourse import numpy_gan as gan


def _gradient(discriminator, x_real, x_fake, real_grad, fake_grad, tanh_derivative=True):
    """A hand-written D gradient; dL/dlogit per sample is real_grad(D(x)) or fake_grad(D(x))."""
    x = np.concatenate([x_real, x_fake])
    h = np.tanh(x @ discriminator.w1 + discriminator.b1)
    p = gan.sigmoid(h @ discriminator.w2 + discriminator.b2)
    n = len(x_real)
    grad_logits = np.concatenate([real_grad(p[:n]), fake_grad(p[n:])])
    grad_pre = grad_logits @ discriminator.w2.T
    if tanh_derivative:
        grad_pre = grad_pre * (1.0 - h**2)
    return gan.MLP(
        w1=x.T @ grad_pre, b1=grad_pre.sum(0), w2=h.T @ grad_logits, b2=grad_logits.sum(0)
    )


def gradient_of_v_instead_of_the_loss(discriminator, x_real, x_fake):
    n_real, n_fake = len(x_real), len(x_fake)
    return _gradient(
        discriminator, x_real, x_fake, lambda p: (1 - p) / n_real, lambda p: -p / n_fake
    )


def gradient_with_labels_swapped(discriminator, x_real, x_fake):
    n_real, n_fake = len(x_real), len(x_fake)
    return _gradient(
        discriminator, x_real, x_fake, lambda p: p / n_real, lambda p: (p - 1) / n_fake
    )


def gradient_summed_over_the_batch(discriminator, x_real, x_fake):
    return _gradient(discriminator, x_real, x_fake, lambda p: p - 1, lambda p: p)


def gradient_averaged_over_both_batches_together(discriminator, x_real, x_fake):
    n = len(x_real) + len(x_fake)
    return _gradient(discriminator, x_real, x_fake, lambda p: (p - 1) / n, lambda p: p / n)


def gradient_without_the_sigmoid_derivative(discriminator, x_real, x_fake):
    n_real, n_fake = len(x_real), len(x_fake)  # dL/dD used as if it were dL/dlogit
    return _gradient(
        discriminator, x_real, x_fake, lambda p: -1 / p / n_real, lambda p: 1 / (1 - p) / n_fake
    )


def gradient_without_the_tanh_derivative(discriminator, x_real, x_fake):
    n_real, n_fake = len(x_real), len(x_fake)
    return _gradient(
        discriminator,
        x_real,
        x_fake,
        lambda p: (p - 1) / n_real,
        lambda p: p / n_fake,
        tanh_derivative=False,
    )


def _step(params, grads, learning_rate):
    return type(params)(
        *(
            a - learning_rate * g
            for (_, a), (_, g) in zip(params.items(), grads.items(), strict=True)
        )
    )


def _train_step(
    generator,
    discriminator,
    x_real,
    z,
    d_learning_rate,
    g_learning_rate,
    *,
    d_sign=1.0,
    g_sign=1.0,
    loss="non-saturating",
    swap_labels=False,
    through_old_discriminator=False,
):
    x_fake = gan.generate(generator, z)
    first, second = (x_fake, x_real) if swap_labels else (x_real, x_fake)
    d_grads = gan.discriminator_gradients(discriminator, first, second)
    new_discriminator = _step(discriminator, d_grads, d_sign * d_learning_rate)
    critic = discriminator if through_old_discriminator else new_discriminator
    g_grads = gan.generator_gradients(generator, critic, z, loss)
    return _step(generator, g_grads, g_sign * g_learning_rate), new_discriminator


def step_ascending_the_discriminator_loss(generator, discriminator, x_real, z, d_rate, g_rate):
    return _train_step(generator, discriminator, x_real, z, d_rate, g_rate, d_sign=-1.0)


def step_ascending_the_generator_loss(generator, discriminator, x_real, z, d_rate, g_rate):
    return _train_step(generator, discriminator, x_real, z, d_rate, g_rate, g_sign=-1.0)


def step_with_labels_swapped(generator, discriminator, x_real, z, d_rate, g_rate):
    return _train_step(generator, discriminator, x_real, z, d_rate, g_rate, swap_labels=True)


def step_with_the_minimax_generator_loss(generator, discriminator, x_real, z, d_rate, g_rate):
    return _train_step(generator, discriminator, x_real, z, d_rate, g_rate, loss="minimax")


def step_through_the_old_discriminator(generator, discriminator, x_real, z, d_rate, g_rate):
    return _train_step(
        generator, discriminator, x_real, z, d_rate, g_rate, through_old_discriminator=True
    )


def step_updating_the_generator_with_the_discriminator_loss(
    generator, discriminator, x_real, z, d_rate, g_rate
):
    """Back-propagates D's loss on the fakes, mean -log(1 - D(G(z))), into the generator."""
    x_fake = gan.generate(generator, z)
    d_grads = gan.discriminator_gradients(discriminator, x_real, x_fake)
    discriminator = _step(discriminator, d_grads, d_rate)
    x_fake = gan.generate(generator, z)
    logits, h = gan.mlp_forward(discriminator, x_fake)
    _, grad_x = gan.mlp_backward(discriminator, x_fake, h, gan.sigmoid(logits) / len(z))
    g_grads = gan.Affine(w=z.T @ grad_x, b=grad_x.sum(0))
    return _step(generator, g_grads, g_rate), discriminator


def step_with_learning_rates_swapped(generator, discriminator, x_real, z, d_rate, g_rate):
    return _train_step(generator, discriminator, x_real, z, g_rate, d_rate)


def step_returning_discriminator_first(generator, discriminator, x_real, z, d_rate, g_rate):
    new_generator, new_discriminator = _train_step(
        generator, discriminator, x_real, z, d_rate, g_rate
    )
    return new_discriminator, new_generator


WRONG_ANSWERS = [
    ("discriminator_gradient", gradient_of_v_instead_of_the_loss, "wrong sign"),
    ("discriminator_gradient", gradient_with_labels_swapped, "swaps the labels"),
    ("discriminator_gradient", gradient_summed_over_the_batch, "instead of averaging"),
    ("discriminator_gradient", gradient_averaged_over_both_batches_together, "its own size"),
    ("discriminator_gradient", gradient_without_the_sigmoid_derivative, "sigmoid's derivative"),
    ("discriminator_gradient", gradient_without_the_tanh_derivative, "1 - h**2"),
    ("train_step", step_ascending_the_discriminator_loss, "discriminator UP its loss"),
    ("train_step", step_ascending_the_generator_loss, "generator UP its loss"),
    ("train_step", step_with_labels_swapped, "labels swapped"),
    ("train_step", step_with_the_minimax_generator_loss, "NON-SATURATING"),
    ("train_step", step_through_the_old_discriminator, "OLD discriminator"),
    ("train_step", step_updating_the_generator_with_the_discriminator_loss, "DISCRIMINATOR's loss"),
    ("train_step", step_with_learning_rates_swapped, "g_learning_rate; it takes d_learning_rate"),
    ("train_step", step_returning_discriminator_first, "return (generator, discriminator)"),
]
