"""Lesson 07's stabilisers, each tested for what it does: one-sided label smoothing, TTUR,
spectral normalisation, the R1 penalty, minibatch standard deviation and packing (PacGAN)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gancourse.data import make_pipeline
from gancourse.models import gans
from gancourse.models.layers import STD_EPSILON, MinibatchStdDev
from gancourse.training import GAN, losses, make_toy_gan, train

LATENT = 2


def _softplus(t):
    return np.logaddexp(0.0, t)


def _np(value):
    return np.asarray(value, dtype=np.float64)


def _toy_gan(units=16, *, pack=1, **kwargs):
    """A small toy GAN (PacGAN's architecture, narrower) with fixed initial weights."""
    keras.utils.set_random_seed(0)
    gan = GAN(
        gans.build_toy_generator(LATENT, units, hidden_layers=2),
        gans.build_toy_discriminator(units, hidden_layers=2, pack=pack),
        pack=pack,
        **kwargs,
    )
    gan.compile()
    return gan


def _ring(count=200, seed=0):
    return np.random.default_rng(seed).normal(size=(count, 2)).astype("float32")


def _linear_model(weights, bias=0.0):
    """x -> weights . x + bias as a Keras model: a critic whose input gradient is ``weights``."""
    inputs = keras.Input((len(weights),))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.set_weights([np.reshape(weights, (-1, 1)).astype("f4"), np.array([bias], "f4")])
    return model


def _constant_generator(point):
    """z -> ``point`` for every z: fakes known in advance."""
    z = keras.Input((LATENT,))
    dense = keras.layers.Dense(len(point), kernel_initializer="zeros")
    model = keras.Model(z, dense(z))
    dense.bias.assign(np.asarray(point, "float32"))
    return model


def _first_step(gan, points, batch_size):
    """The values ``fit`` reports for the first step (before any update, in a simultaneous
    step), in data order."""
    return gan.fit(points, batch_size=batch_size, epochs=1, shuffle=False, verbose=0).history


# -- one-sided label smoothing (Salimans et al. 2016) ---------------------------------------


def test_one_sided_label_smoothing_changes_the_real_target_in_the_real_term_only():
    real, fake = np.array([2.0, -1.0, 0.5]), np.array([0.5, -3.0, 4.0])
    sigmoid = 1 / (1 + np.exp(-real))
    # binary cross-entropy with target 0.9 for real, 0 (unchanged) for fake
    expected = -(0.9 * np.log(sigmoid) + 0.1 * np.log(1 - sigmoid)) + _softplus(fake)
    smoothed = _np(losses.discriminator_loss(real, fake, "non-saturating", real_label=0.9))
    np.testing.assert_allclose(smoothed, expected, rtol=1e-6)
    # The fake term is untouched: changing the fakes changes both losses alike.
    other = np.array([-2.0, 1.0, 0.0])
    for a in (1.0, 0.9):
        change = _np(losses.discriminator_loss(real, other, "minimax", a)) - _np(
            losses.discriminator_loss(real, fake, "minimax", a)
        )
        np.testing.assert_allclose(change, _softplus(other) - _softplus(fake), atol=1e-6)


def test_label_smoothing_leaves_the_generators_loss_alone():
    # Simultaneous step: both losses come from one pass before any update, so the two runs
    # differ only by the smoothing: d_loss by 0.1 mean(D(x)) (the closed form), g_loss not at all.
    points = _ring(100)
    plain = _first_step(_toy_gan(update="simultaneous"), points, 100)
    gan = _toy_gan(update="simultaneous", real_label=0.9)
    real_logits = _np(gan.discriminator(points, training=True))  # no randomness in this D
    smoothed = _first_step(gan, points, 100)
    assert smoothed["g_loss"] == plain["g_loss"]
    # (0.9 softplus(-t) + 0.1 softplus(t)) - softplus(-t) = 0.1 t
    shift = smoothed["d_loss"][0] - plain["d_loss"][0]
    assert shift == pytest.approx(0.1 * real_logits.mean(), abs=1e-6)


def test_label_smoothing_is_refused_where_there_are_no_labels_or_out_of_range():
    with pytest.raises(ValueError, match="no labels to smooth"):
        _toy_gan(loss="hinge", real_label=0.9)
    for wrong in (0.1, 0.5, 1.1, True):  # 0.1: Keras' label_smoothing amount, not a target
        with pytest.raises(ValueError, match=r"real_label must be in \(0.5, 1\]"):
            _toy_gan(real_label=wrong)
    with pytest.raises(ValueError, match="no labels to smooth"):
        losses.discriminator_loss(np.zeros(2), np.zeros(2), "wasserstein-gp", 0.9)


# -- TTUR (Heusel et al. 2017) ----------------------------------------------------------


def test_ttur_gives_each_network_its_own_learning_rate():
    gan = make_toy_gan(discriminator_learning_rate=4e-4, generator_learning_rate=1e-4)
    assert float(gan.discriminator_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(gan.generator_optimizer.learning_rate) == pytest.approx(1e-4)
    before = [
        [np.array(v) for v in net.trainable_variables] for net in (gan.discriminator, gan.generator)
    ]
    for optimizer in (gan.discriminator_optimizer, gan.generator_optimizer):
        optimizer.epsilon = 1e-15  # below every gradient, whatever the starting weights
    _first_step(gan, _ring(100), 100)
    # Adam's first step moves each weight by lr * |g| / (|g| + eps / sqrt(1 - beta_2)): by the
    # learning rate wherever |g| >> eps, so the largest move of each network is its rate.
    for network, old, rate in zip(
        (gan.discriminator, gan.generator), before, (4e-4, 1e-4), strict=True
    ):
        moves = [
            np.abs(np.array(v) - w).max()
            for v, w in zip(network.trainable_variables, old, strict=True)
        ]
        assert max(moves) == pytest.approx(rate, rel=0.02)


# -- learning-rate decay (cosine, Loshchilov & Hutter 2017) -------------------------------


@pytest.mark.parametrize("n_critic", [1, 3])
def test_decay_takes_both_learning_rates_to_zero_along_a_half_cosine(n_critic):
    update = "alternating" if n_critic > 1 else "simultaneous"
    gan = make_toy_gan(
        generator_learning_rate=2e-4,
        discriminator_learning_rate=6e-4,
        decay_steps=100,
        n_critic=n_critic,
        update=update,
    )
    for optimizer, rate, steps in (
        (gan.generator_optimizer, 2e-4, 100),
        (gan.discriminator_optimizer, 6e-4, 100 * n_critic),  # D takes n_critic steps per G step
    ):
        for done, share in ((0, 1.0), (steps // 4, (1 + np.cos(np.pi / 4)) / 2), (steps, 0.0)):
            optimizer.iterations.assign(done)  # the rate is read at the optimizer's step
            assert float(optimizer.learning_rate) == pytest.approx(rate * share, rel=1e-5)


def test_decay_slows_the_steps_taken_late_in_the_run():
    gan = make_toy_gan(decay_steps=4, generator_learning_rate=1e-3)
    data = make_pipeline(_ring(400), batch_size=100, seed=0)
    moves = []
    for _ in range(4):  # one step at a time: the generator's largest weight change
        before = [np.array(v) for v in gan.generator.trainable_variables]
        gan.fit(data.take(1), epochs=1, verbose=0, shuffle=False)
        moves.append(
            max(
                np.abs(np.array(v) - w).max()
                for v, w in zip(gan.generator.trainable_variables, before, strict=True)
            )
        )
    assert moves[0] > moves[1] > moves[2] > moves[3] > 0  # lr 1e-3, 8.5e-4, 5e-4, 1.5e-4
    assert moves[0] == pytest.approx(1e-3, rel=0.05)  # Adam's first step: about the rate


def test_decay_steps_are_checked():
    for wrong in (0, -5, 2.5, True):
        with pytest.raises((TypeError, ValueError), match="decay_steps"):
            make_toy_gan(decay_steps=wrong)


# -- spectral normalisation (Miyato et al. 2018) ------------------------------------------


def _largest_singular_values(discriminator):
    return [
        float(np.linalg.svd(np.asarray(layer.layer.kernel), compute_uv=False)[0])
        for layer in discriminator.layers
        if isinstance(layer, keras.layers.SpectralNormalization)
    ]


def test_spectral_norm_brings_each_kernels_largest_singular_value_to_one():
    keras.utils.set_random_seed(0)
    discriminator = gans.build_toy_discriminator(16, spectral_norm=True)
    discriminator.set_weights([5.0 * w for w in discriminator.get_weights()])  # sigma far from 1
    assert all(abs(sigma - 1.0) > 0.1 for sigma in _largest_singular_values(discriminator))
    points = _ring(64)
    discriminator(points)  # inference mode leaves the kernels alone
    assert all(abs(sigma - 1.0) > 0.1 for sigma in _largest_singular_values(discriminator))
    for _ in range(200):  # one power iteration per training call
        discriminator(points, training=True)
    np.testing.assert_allclose(_largest_singular_values(discriminator), 1.0, atol=1e-3)
    # Each layer 1-Lipschitz (maxout too), so is D: ||grad_x D(x)|| <= 1 everywhere.
    assert _np(losses.r1_penalty(discriminator, 3.0 * points)).max() <= 1.0 + 1e-3


def test_make_toy_gan_trains_a_spectrally_normalised_discriminator():
    gan = make_toy_gan(spectral_norm=True)
    train(gan, _ring(1000), epochs=1, batch_size=100, live=False, progress=False)
    # Renormalised at every call, then moved by one Adam step of 1e-4: sigma stays ~1.
    np.testing.assert_allclose(_largest_singular_values(gan.discriminator), 1.0, atol=0.05)


def _all_weights(gan):
    return np.concatenate(
        [v.numpy().ravel() for v in gan.generator.weights + gan.discriminator.weights]
    )


def test_make_toy_gan_starts_from_the_weights_its_seed_gives_wherever_it_is_called():
    first = _all_weights(make_toy_gan(seed=3, num_classes=4, spectral_norm=True))
    keras.random.normal((2,)), np.random.rand(), make_toy_gan(seed=0)  # noqa: NPY002
    again = _all_weights(make_toy_gan(seed=3, num_classes=4, spectral_norm=True))
    other = _all_weights(make_toy_gan(seed=4, num_classes=4, spectral_norm=True))
    assert np.array_equal(again, first)
    assert not np.allclose(other, first)


def test_make_toy_gan_samples_from_the_average_of_g_when_asked():
    gan = make_toy_gan(ema_decay=0.999)
    train(gan, _ring(1000), epochs=1, batch_size=100, live=False, progress=False)
    z = gan.sample_noise(8, seed=0)
    assert gan.ema_decay == 0.999
    np.testing.assert_allclose(gan.generate(z=z), gan.generator_average(z), atol=1e-6)
    assert not np.allclose(gan.generate(z=z), gan.generator(z), atol=1e-4)


# -- the R1 penalty (Mescheder et al. 2018) -------------------------------------------------


def test_r1_penalty_of_a_linear_critic_is_its_squared_slope():
    weights = np.array([3.0, 4.0], "float32")
    penalty = _np(losses.r1_penalty(_linear_model(weights), _ring(5)))
    np.testing.assert_allclose(penalty, 25.0, rtol=1e-6)  # ||w||^2 at every real point


def test_the_trainer_adds_gamma_over_two_times_the_r1_penalty_to_ds_loss():
    def first_step(r1_weight):
        keras.utils.set_random_seed(0)
        gan = GAN(
            gans.build_toy_generator(LATENT, 8, hidden_layers=1),
            _linear_model([3.0, 4.0]),
            update="simultaneous",
            r1_weight=r1_weight,
        )
        gan.compile()
        return _first_step(gan, _ring(50), 50)

    plain, penalised = first_step(0.0), first_step(10.0)
    assert penalised["gradient_penalty"][0] == pytest.approx(25.0)  # ||w||^2, before its weight
    assert penalised["d_loss"][0] - plain["d_loss"][0] == pytest.approx(10.0 / 2 * 25.0)
    assert plain["gradient_penalty"][0] == 0.0 and penalised["g_loss"] == plain["g_loss"]


def test_r1_weight_is_checked():
    with pytest.raises(ValueError, match="r1_weight must be a finite number >= 0"):
        _toy_gan(r1_weight=-1.0)
    with pytest.raises(ValueError, match="one gradient penalty"):
        _toy_gan(loss="wasserstein-gp", update="alternating", r1_weight=1.0)


# -- minibatch standard deviation (Karras et al. 2018) --------------------------------------


def test_minibatch_std_of_identical_samples_is_zero_up_to_the_epsilon():
    rows = np.tile(np.array([[1.5, -2.0, 7.0]], "float32"), (8, 1))
    out = np.asarray(MinibatchStdDev(group_size=4)(rows))
    assert out.shape == (8, 4)  # one extra feature
    np.testing.assert_array_equal(out[:, :3], rows)  # the features pass unchanged
    np.testing.assert_allclose(out[:, 3], np.sqrt(STD_EPSILON), rtol=1e-5)  # 1e-4: "zero"


def test_minibatch_std_matches_a_hand_computed_batch_group_by_group():
    batch = np.array([[0, 0], [2, 0], [1, 1], [1, 5], [7, 7]], "float32")
    out = np.asarray(MinibatchStdDev(group_size=2)(batch))[:, 2]
    # Groups of 2 consecutive samples, std dividing by the group size:
    # {(0,0), (2,0)}: stds (1, 0) -> 0.5; {(1,1), (1,5)}: (0, 2) -> 1; {(7,7)} alone: 0.
    eps = np.sqrt(STD_EPSILON)
    expected = [(1 + eps) / 2] * 2 + [(eps + 2) / 2] * 2 + [eps]
    np.testing.assert_allclose(out, expected, rtol=1e-5)
    whole = np.asarray(MinibatchStdDev(group_size=None)(batch))[:, 2]
    np.testing.assert_allclose(whole, np.std(batch, axis=0).mean(), rtol=1e-5)


def test_minibatch_std_appends_a_constant_channel_to_images():
    images = np.random.default_rng(0).normal(size=(4, 5, 5, 3)).astype("float32")
    out = np.asarray(MinibatchStdDev(group_size=None)(images))
    assert out.shape == (4, 5, 5, 4)
    np.testing.assert_allclose(out[..., 3], np.std(images, axis=0).mean(), rtol=1e-5)


def test_minibatch_std_group_size_is_checked():
    with pytest.raises(ValueError, match="group_size must be an integer >= 1"):
        MinibatchStdDev(group_size=0)


# -- packing (PacGAN, Lin et al. 2018) -------------------------------------------------------


class _Seen(keras.layers.Layer):
    """Identity layer that keeps every batch it sees (run eagerly)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, x):
        if x.shape[0] is not None:  # not while Keras builds the model symbolically
            self.seen.append(np.asarray(x))
        return x


def test_packed_discriminator_sees_m_consecutive_samples_side_by_side():
    seen = _Seen()
    inputs = keras.Input((6,))
    discriminator = keras.Model(inputs, gans.build_toy_discriminator(8, pack=3)(seen(inputs)))
    gan = GAN(gans.build_toy_generator(LATENT, 8), discriminator, pack=3)
    gan.compile(run_eagerly=True)
    points = np.arange(24, dtype="float32").reshape(12, 2)  # points 0..11: (2i, 2i + 1)
    gan.fit(points, batch_size=6, epochs=1, shuffle=False, verbose=0)
    real = seen.seen[0]  # per step: real packs, fake packs, fake packs again (G's step)
    np.testing.assert_array_equal(real, points[:6].reshape(2, 6))  # (0, 1, 2 | 3, 4, 5)
    assert all(batch.shape == (2, 6) for batch in seen.seen)  # 6 samples -> 2 packs of 3 x 2
    np.testing.assert_array_equal(seen.seen[3], points[6:].reshape(2, 6))  # second step


def test_packed_losses_are_per_pack():
    # A linear D on packs of 2 points and fakes that are all (1, -1): D's loss is the mean
    # over the 2 packs of softplus(-w.pack) + softplus(w.fake pack). An asymmetric w also checks
    # which points share a pack.
    w = np.array([1.0, 2.0, -1.0, 0.5])
    gan = GAN(_constant_generator([1.0, -1.0]), _linear_model(w), pack=2, update="simultaneous")
    gan.compile()
    points = np.array([[0.5, 0], [1, 1], [-1, 0.5], [2, 0]], "float32")
    history = _first_step(gan, points, 4)
    real_scores = points.reshape(2, 4) @ w  # packs (points 0, 1) and (points 2, 3)
    fake_score = np.array([1.0, -1.0, 1.0, -1.0]) @ w
    expected = np.mean(_softplus(-real_scores) + _softplus(fake_score))
    assert history["d_loss"][0] == pytest.approx(expected, rel=1e-6)
    assert history["g_loss"][0] == pytest.approx(_softplus(-fake_score), rel=1e-6)
    assert history["d_real"][0] == pytest.approx(np.mean(1 / (1 + np.exp(-real_scores))))


def test_packing_images_stacks_the_samples_along_the_channels():
    seen = _Seen()
    images = keras.Input((4, 4, 2))
    flat = keras.layers.Flatten()(seen(images))
    discriminator = keras.Model(images, keras.layers.Dense(1)(flat))
    z = keras.Input((LATENT,))
    generator = keras.Model(z, keras.layers.Reshape((4, 4, 1))(keras.layers.Dense(16)(z)))
    gan = GAN(generator, discriminator, pack=2)
    gan.compile(run_eagerly=True)
    batch = np.random.default_rng(0).uniform(-1, 1, (4, 4, 4, 1)).astype("float32")
    gan.fit(batch, batch_size=4, epochs=1, shuffle=False, verbose=0)
    real = seen.seen[0]
    assert real.shape == (2, 4, 4, 2)
    np.testing.assert_array_equal(real[1, ..., 0], batch[2, ..., 0])  # pack 1 = samples 2, 3
    np.testing.assert_array_equal(real[1, ..., 1], batch[3, ..., 0])


def test_batching_wants_whole_packs_and_drops_the_short_last_batch():
    gan = _toy_gan(pack=4, n_critic=2, loss="wasserstein-gp", update="alternating")
    assert gan.batching(100) == {"batch_size": 200, "drop_remainder": True}
    assert _toy_gan().batching(100) == {"batch_size": 100, "drop_remainder": False}
    with pytest.raises(ValueError, match="batch_size must be a multiple of pack=4"):
        gan.batching(50)
    with pytest.raises(ValueError, match="multiple of pack=4"):
        train(gan, _ring(400), epochs=1, batch_size=10, live=False, progress=False)
    # 450 points in batches of 2 x 100: 2 steps, the last 50 points wait for the next epoch.
    run = train(gan, _ring(450), epochs=1, batch_size=100, live=False, progress=False)
    assert len(run.steps.values["g_loss"]) == 2
    assert int(gan.discriminator_optimizer.iterations) == 4


def test_a_batch_that_is_not_whole_packs_is_refused_with_a_message():
    gan = _toy_gan(pack=2)
    with pytest.raises(ValueError, match="whole packs of 2 samples"):  # size known when traced
        gan.fit(_ring(10), batch_size=5, epochs=1, verbose=0)
    batches = make_pipeline(_ring(10), batch_size=3, shuffle=False)  # size known when run
    with pytest.raises(tf.errors.InvalidArgumentError, match="whole packs of 2 samples"):
        gan.fit(batches, epochs=1, shuffle=False, verbose=0)


def test_the_discriminator_must_take_packed_inputs():
    generator = gans.build_toy_generator(LATENT, 8)
    with pytest.raises(ValueError, match=r"with pack=2 .* must take inputs of shape \(4,\)"):
        GAN(generator, gans.build_toy_discriminator(8), pack=2)
    with pytest.raises(ValueError, match=r"must take inputs of shape \(28, 28, 1\)"):
        GAN(gans.build_mlp_generator(LATENT, 8), gans.build_toy_discriminator(8))
    with pytest.raises(ValueError, match="pack must be an integer >= 1"):
        GAN(generator, gans.build_toy_discriminator(8), pack=0)


def test_stabiliser_settings_survive_a_config_round_trip():
    gan = _toy_gan(pack=2, real_label=0.9, r1_weight=5.0)
    copy = GAN.from_config(gan.get_config())
    assert (copy.pack, copy.real_label, copy.r1_weight) == (2, 0.9, 5.0)
    assert copy.discriminator.input_shape == (None, 4)
