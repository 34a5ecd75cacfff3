"""GAN losses from logits: closed forms, stability, and why the non-saturating loss is used."""

import numpy as np
import pytest
import tensorflow as tf

from gancourse.training import losses


def _np(value):
    return np.asarray(value, dtype=np.float64)


def _bce(probability, label):
    return -(label * np.log(probability) + (1 - label) * np.log(1 - probability))


def test_discriminator_loss_is_binary_cross_entropy_with_real_one_and_fake_zero():
    real, fake = np.array([2.0, -1.0]), np.array([0.5, -3.0])
    sigmoid = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    expected = _bce(sigmoid(real), 1) + _bce(sigmoid(fake), 0)
    for name in ("minimax", "non-saturating"):
        np.testing.assert_allclose(_np(losses.discriminator_loss(real, fake, name)), expected, 1e-6)


def test_generator_losses_match_their_definitions():
    fake = np.array([[1.5], [-2.0], [0.0]])
    d = 1 / (1 + np.exp(-fake[:, 0]))
    np.testing.assert_allclose(_np(losses.generator_loss(fake, "minimax")), np.log(1 - d), 1e-6)
    np.testing.assert_allclose(_np(losses.generator_loss(fake, "non-saturating")), -np.log(d), 1e-6)
    np.testing.assert_allclose(_np(losses.generator_loss(fake, "hinge")), -fake[:, 0], 1e-6)
    np.testing.assert_allclose(_np(losses.generator_loss(fake, "wasserstein-gp")), -fake[:, 0])


def test_hinge_and_wasserstein_discriminator_losses():
    real, fake = np.array([2.0, 0.5]), np.array([-0.5, 1.0])
    np.testing.assert_allclose(
        _np(losses.discriminator_loss(real, fake, "hinge")), [0.0 + 0.5, 0.5 + 2.0], 1e-6
    )
    np.testing.assert_allclose(
        _np(losses.discriminator_loss(real, fake, "wasserstein-gp")), [-2.5, 0.5]
    )


def test_losses_stay_finite_for_huge_logits():
    huge = np.array([1e4, -1e4], dtype="float32")
    for name in losses.LOSSES:
        assert np.isfinite(_np(losses.discriminator_loss(huge, -huge, name))).all()
        assert np.isfinite(_np(losses.generator_loss(huge, name))).all()


def test_minimax_generator_gradient_vanishes_when_d_is_confident_and_non_saturating_does_not():
    # D confidently rejects the fakes: logit -8, D(G(z)) ~ 0.0003.
    logits = tf.Variable([-8.0])
    gradients = {}
    for name in ("minimax", "non-saturating"):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(losses.generator_loss(logits, name))
        gradients[name] = abs(float(tape.gradient(loss, logits)[0]))
    assert gradients["minimax"] < 1e-3  # sigmoid(-8)
    assert gradients["non-saturating"] > 0.99  # 1 - sigmoid(-8)


def test_gradient_penalty_of_a_linear_critic_is_its_slope_minus_one_squared():
    weights = np.array([3.0, 4.0], dtype="float32")  # gradient norm 5 everywhere

    def critic(x, training=False):
        return tf.reduce_sum(x * weights, axis=1, keepdims=True)

    real = np.zeros((4, 2), "float32")
    fake = np.ones((4, 2), "float32")
    penalty = _np(losses.gradient_penalty(critic, real, fake, seed=1))
    np.testing.assert_allclose(penalty, 16.0, rtol=1e-5)


def test_gradient_penalty_interpolates_with_uniform_weights():
    # Critic 0.5 x^2 on 1-D points: the gradient at x_hat is x_hat itself, so with real = 1 and
    # fake = 0 the penalty (|x_hat| - 1)^2 reveals the interpolation weight eps = x_hat.
    def critic(x, training=False):
        return 0.5 * tf.square(x)

    count = 4000
    penalty = _np(
        losses.gradient_penalty(critic, np.ones((count, 1), "f4"), np.zeros((count, 1), "f4"), 7)
    )
    eps = 1.0 - np.sqrt(penalty)
    assert eps.min() >= 0.0 and eps.max() <= 1.0
    assert abs(eps.mean() - 0.5) < 0.03 and abs(eps.var() - 1 / 12) < 0.01  # U[0, 1]


def test_unknown_loss_names_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="non-saturating"):
        losses.generator_loss(np.zeros(2), "wgan")
