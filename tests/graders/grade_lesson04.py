"""Graders for lesson 04 (a GAN in NumPy: the discriminator's gradient, one training step).

The reference is always finite differences of the losses (``gan.numerical_gradient``), which
need no calculus; known mistakes are recognised and named, so the message says what to fix.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from gancourse import numpy_gan as gan
from gancourse.grading import expect

LESSON = "lesson04"
TANH_1 = np.tanh(1.0)


def _same(first, second) -> bool:
    """Equal parameter for parameter, to finite-difference precision."""
    return all(
        np.allclose(a, b, rtol=1e-5, atol=1e-8)
        for (_, a), (_, b) in zip(first.items(), second.items(), strict=True)
    )


def _describe(params) -> str:
    return ", ".join(
        f"{name}={np.round(array.ravel(), 4).tolist()}" for name, array in params.items()
    )


def _expect_parameters(value, like, what: str) -> None:
    """``value`` must be of ``like``'s type (gan.MLP or gan.Affine) with the same shapes."""
    kind = type(like)
    fields = ", ".join(name for name, _ in like.items())
    expect(
        isinstance(value, kind),
        f"{what} should be a gan.{kind.__name__}({fields}), got {type(value).__name__}.",
    )
    shapes, expected = [a.shape for _, a in value.items()], [a.shape for _, a in like.items()]
    expect(
        shapes == expected,
        f"{what} has shapes {shapes}; expected those of the parameters, {expected}.",
    )


def _call_keeping_arrays(function: Callable, name: str, *args):
    """Call ``function`` and check the plain arrays among its arguments were not changed."""
    copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else None for a in args]
    result = function(*args)
    for position, (before, after) in enumerate(zip(copies, args, strict=True)):
        expect(
            before is None or np.array_equal(before, after),
            f"{name} changed its argument number {position + 1} in place; compute new arrays.",
        )
    return result


# --------------------------------------------------------------------------- discriminator_gradient


def _d_loss(x_real: np.ndarray, x_fake: np.ndarray) -> Callable[[gan.MLP], float]:
    def loss(discriminator: gan.MLP) -> float:
        real_logits = gan.discriminate(discriminator, x_real)
        return gan.discriminator_loss(real_logits, gan.discriminate(discriminator, x_fake))

    return loss


def _gradient_for(discriminator, x_real, x_fake, real_grad, fake_grad) -> gan.MLP:
    """D's parameter gradient when dL/dlogit is real_grad(p) and fake_grad(p), p = D(x)."""
    x = np.concatenate([x_real, x_fake])
    logits, h = gan.mlp_forward(discriminator, x)
    p, n = gan.sigmoid(logits), len(x_real)
    grad_logits = np.concatenate([real_grad(p[:n]), fake_grad(p[n:])])
    return gan.mlp_backward(discriminator, x, h, grad_logits)[0]


def _discriminator_mistakes(discriminator, x_real, x_fake) -> list[tuple[gan.MLP, str]]:
    """What known mistakes give, each with the advice that fixes it."""
    n_real, n_fake, n_all = len(x_real), len(x_fake), len(x_real) + len(x_fake)

    def gradient(real_grad, fake_grad):
        return _gradient_for(discriminator, x_real, x_fake, real_grad, fake_grad)

    return [
        (
            gradient(lambda p: (1 - p) / n_real, lambda p: -p / n_fake),
            "has the wrong sign: that is the gradient of V, which D maximises. Return the "
            "gradient of the loss -V, which training descends: dL/dlogit = sigmoid(logit) - label.",
        ),
        (
            gradient(lambda p: p / n_real, lambda p: (p - 1) / n_fake),
            "swaps the labels: real samples have label 1 and fakes label 0.",
        ),
        (
            gradient(lambda p: p - 1, lambda p: p),
            "sums over each batch instead of averaging: divide the real part by the number of "
            "real samples and the fake part by the number of fakes.",
        ),
        (
            gradient(lambda p: (p - 1) / n_all, lambda p: p / n_all),
            "averages over all real and fake samples together; the loss is the mean over the "
            "real batch PLUS the mean over the fake batch, each divided by its own size.",
        ),
        (
            gradient(lambda p: -1 / p / n_real, lambda p: 1 / (1 - p) / n_fake),
            "stops at dL/dD: multiply by the sigmoid's derivative D(1 - D) to reach the logit, "
            "which gives dL/dlogit = sigmoid(logit) - label.",
        ),
    ]


def _check_gradient(discriminator_gradient, discriminator, x_real, x_fake, expected, case):
    grads = _call_keeping_arrays(
        discriminator_gradient, "discriminator_gradient", discriminator, x_real, x_fake
    )
    _expect_parameters(grads, discriminator, f"discriminator_gradient's result {case}")
    if _same(grads, expected):
        return
    for mistake, advice in _discriminator_mistakes(discriminator, x_real, x_fake):
        expect(not _same(grads, mistake), f"discriminator_gradient {case} {advice}")
    output_layer_right = all(
        np.allclose(getattr(grads, name), getattr(expected, name), rtol=1e-5, atol=1e-8)
        for name in ("w2", "b2")
    )
    expect(
        not output_layer_right,
        f"discriminator_gradient {case}: the output layer (w2, b2) is right but the hidden "
        "layer (w1, b1) is not. Go back through w2 (g @ w2.T), then through tanh: multiply by "
        "its derivative 1 - h**2, where h = tanh(x @ w1 + b1).",
    )
    expect(
        False,
        f"discriminator_gradient {case} is wrong: got {_describe(grads)}; finite differences "
        f"give {_describe(expected)}.",
    )


def check_discriminator_gradient(discriminator_gradient: Callable[..., gan.MLP]) -> None:
    rng = np.random.default_rng()
    discriminator = gan.init_mlp(rng, hidden=5)
    x_real = rng.normal(3.0, 0.5, size=(6, 1))
    x_fake = rng.normal(0.0, 1.0, size=(4, 1))  # a different size: each half has its own mean
    expected = gan.numerical_gradient(_d_loss(x_real, x_fake), discriminator)
    _check_gradient(
        discriminator_gradient,
        discriminator,
        x_real,
        x_fake,
        expected,
        "(random discriminator, 6 real and 4 fake samples)",
    )
    # By hand: w2 = 0 makes every logit 0, D = 1/2 everywhere. Real x = 1 (twice), fake x = -1:
    # dL/dlogit = (1/2 - 1)/2 for each real sample, (1/2 - 0)/1 for the fake, so
    # dL/dw2 = 2 tanh(1) (-1/4) + tanh(-1) (1/2) = -tanh(1), dL/db2 = -1/2 + 1/2 = 0, and
    # nothing reaches the hidden layer through w2 = 0.
    undecided = gan.MLP(w1=[[1.0]], b1=[0.0], w2=[[0.0]], b2=[0.0])
    by_hand = gan.MLP(w1=[[0.0]], b1=[0.0], w2=[[-TANH_1]], b2=[0.0])
    _check_gradient(
        discriminator_gradient,
        undecided,
        np.array([[1.0], [1.0]]),
        np.array([[-1.0]]),
        by_hand,
        "(hand-worked: w1 = 1, b1 = 0, w2 = 0, b2 = 0, so D = 1/2 everywhere; real x = 1 twice, "
        "fake x = -1; expected dL/dw2 = -tanh(1) = -0.7616, all others 0)",
    )


# --------------------------------------------------------------------------- train_step


def _step_taken(before, after, learning_rate: float):
    """The gradient an SGD step used: (before - after) / learning_rate."""
    pairs = zip(before.items(), after.items(), strict=True)
    return type(before)(*((b - a) / learning_rate for (_, b), (_, a) in pairs))


def _zero_like(params):
    return type(params)(*(np.zeros_like(a) for _, a in params.items()))


def _scaled(params, factor: float):
    return type(params)(*(factor * a for _, a in params.items()))


def _g_loss(discriminator: gan.MLP, z: np.ndarray, loss: str) -> Callable[[gan.Affine], float]:
    def g_loss(generator: gan.Affine) -> float:
        return gan.generator_loss(gan.discriminate(discriminator, gan.generate(generator, z)), loss)

    return g_loss


def check_train_step(train_step: Callable[..., tuple]) -> None:
    rng = np.random.default_rng()
    generator = gan.Affine(w=[[rng.uniform(0.6, 1.4)]], b=[rng.normal()])
    discriminator = gan.init_mlp(rng, hidden=4)
    x_real = rng.normal(3.0, 0.5, size=(8, 1))
    z = rng.normal(size=(8, 1))
    d_rate, g_rate = 0.3, 0.05  # different, so a swap shows

    result = _call_keeping_arrays(
        train_step, "train_step", generator, discriminator, x_real, z, d_rate, g_rate
    )
    expect(
        isinstance(result, tuple) and len(result) == 2,
        f"train_step should return a pair (generator, discriminator), got {type(result).__name__}.",
    )
    expect(
        not (isinstance(result[0], gan.MLP) and isinstance(result[1], gan.Affine)),
        "train_step returned (discriminator, generator); return (generator, discriminator).",
    )
    new_generator, new_discriminator = result
    _expect_parameters(new_generator, generator, "train_step's new generator")
    _expect_parameters(new_discriminator, discriminator, "train_step's new discriminator")

    # 1. The discriminator: one SGD step down its loss, against finite differences.
    x_fake = gan.generate(generator, z)
    d_expected = gan.numerical_gradient(_d_loss(x_real, x_fake), discriminator)
    d_used = _step_taken(discriminator, new_discriminator, d_rate)
    d_mistakes = [
        (_zero_like(d_expected), "did not change the discriminator: update it first."),
        (
            _scaled(d_expected, -1.0),
            "moved the discriminator UP its loss: gradient descent subtracts "
            "d_learning_rate * gradient.",
        ),
        (
            gan.discriminator_gradients(discriminator, x_fake, x_real),
            "trained the discriminator with the labels swapped: real samples are 1, fakes 0 "
            "(pass x_real first, then the fakes).",
        ),
        (
            _scaled(d_expected, g_rate / d_rate),
            "updated the discriminator with g_learning_rate; it takes d_learning_rate.",
        ),
    ]
    for mistake, advice in d_mistakes:
        expect(not _same(d_used, mistake), f"train_step {advice}")
    expect(
        _same(d_used, d_expected),
        "train_step's new discriminator is not one SGD step down the discriminator's loss on "
        "(x_real, G(z)): expected discriminator - d_learning_rate * gradient.",
    )

    # 2. The generator: one SGD step down the non-saturating loss through the UPDATED D.
    updated = gan.sgd_update(discriminator, d_expected, d_rate)
    g_expected = gan.numerical_gradient(_g_loss(updated, z, "non-saturating"), generator)
    g_used = _step_taken(generator, new_generator, g_rate)
    g_mistakes = [
        (
            _zero_like(g_expected),
            "did not change the generator: update it after the discriminator.",
        ),
        (
            _scaled(g_expected, -1.0),
            "moved the generator UP its loss: gradient descent subtracts "
            "g_learning_rate * gradient.",
        ),
        (
            gan.numerical_gradient(_g_loss(discriminator, z, "non-saturating"), generator),
            "computed the generator's gradient through the OLD discriminator; use the "
            "discriminator you have just updated (alternating updates, Algorithm 1 of "
            "Goodfellow et al.).",
        ),
        (
            gan.numerical_gradient(_g_loss(updated, z, "minimax"), generator),
            "used the minimax generator loss mean log(1 - D(G(z))); the NON-SATURATING loss "
            "-mean log D(G(z)) is asked (loss='non-saturating').",
        ),
        (
            _scaled(gan.numerical_gradient(_g_loss(updated, z, "minimax"), generator), -1.0),
            "moved the generator down the DISCRIMINATOR's loss, helping D; the generator "
            "descends its own loss, -mean log D(G(z)).",
        ),
        (
            _scaled(g_expected, d_rate / g_rate),
            "updated the generator with d_learning_rate; it takes g_learning_rate.",
        ),
    ]
    for mistake, advice in g_mistakes:
        expect(not _same(g_used, mistake), f"train_step {advice}")
    expect(
        _same(g_used, g_expected),
        "train_step's new generator is not one SGD step down the non-saturating loss through "
        f"the updated discriminator: it moved by {_describe(_scaled(g_used, -g_rate))}, "
        f"expected {_describe(_scaled(g_expected, -g_rate))}.",
    )


@pytest.mark.exercise("lesson04.discriminator_gradient")
def test_discriminator_gradient(answers):
    check_discriminator_gradient(answers.discriminator_gradient)


@pytest.mark.exercise("lesson04.train_step")
def test_train_step(answers):
    check_train_step(answers.train_step)
