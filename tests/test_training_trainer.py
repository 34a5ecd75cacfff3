"""The GAN trainer: every loss trains, batch sizes, n_critic, seeding, precision, config."""

import keras
import numpy as np
import pytest

from gancourse.models import gans
from gancourse.training import GAN, LOSSES, METRIC_NAMES, make_dcgan, make_mlp_gan, train

LATENT = 8


def _data(count=96, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (count, 28, 28, 1)).astype("float32")


def _gan(**kwargs):
    gan = GAN(gans.build_mlp_generator(LATENT, 16), gans.build_mlp_discriminator(16), **kwargs)
    gan.compile()
    return gan


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_each_loss_trains_with_finite_metrics(loss, update):
    gan = _gan(loss=loss, update=update)
    history = gan.fit(_data(), batch_size=32, epochs=1, verbose=0).history
    assert set(history) == set(METRIC_NAMES)
    assert all(np.isfinite(values[-1]) for values in history.values())
    assert (history["gradient_penalty"][-1] > 0) == (loss == "wasserstein-gp")
    assert 0.0 < history["d_real"][-1] < 1.0


class _BatchSizes(keras.layers.Layer):
    """Identity layer that records the batch size of every call (run eagerly)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, x):
        if x.shape[0] is not None:  # not while Keras builds the model symbolically
            self.seen.append(int(x.shape[0]))
        return x


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_fake_batches_have_the_real_batch_size_including_the_short_last_one(update):
    recorder = _BatchSizes()
    images = keras.Input((28, 28, 1))
    discriminator = keras.Model(images, gans.build_mlp_discriminator(8)(recorder(images)))
    gan = GAN(gans.build_mlp_generator(LATENT, 8), discriminator, update=update)
    gan.compile(run_eagerly=True)
    gan.fit(_data(70), batch_size=32, epochs=1, shuffle=False, verbose=0)
    # D sees real then fake each step (alternating: then fake again for G's step).
    per_step = 3 if update == "alternating" else 2
    assert recorder.seen == [32] * per_step + [32] * per_step + [6] * per_step


def test_n_critic_splits_each_batch_into_critic_steps():
    gan = _gan(loss="wasserstein-gp", n_critic=3)
    gan.fit(_data(90), batch_size=45, epochs=1, verbose=0)  # 2 batches of 45 = 6 critic batches
    assert int(gan.discriminator_optimizer.iterations) == 6
    assert int(gan.generator_optimizer.iterations) == 2


def test_the_same_seed_gives_the_same_training_and_another_seed_does_not():
    def first_losses(seed):
        keras.utils.set_random_seed(1)  # same initial weights
        gan = _gan(seed=seed)
        return gan.fit(_data(), batch_size=32, epochs=1, shuffle=False, verbose=0).history

    same, again, other = first_losses(5), first_losses(5), first_losses(6)
    assert same == again
    assert same["g_loss"] != other["g_loss"]


def test_generate_and_sample_noise():
    gan = _gan()
    assert gan.generate(4).shape == (4, 28, 28, 1)
    np.testing.assert_array_equal(gan.generate(3, seed=2), gan.generate(3, seed=2))
    assert gan.sample_noise(5, seed=0).shape == (5, LATENT)
    with pytest.raises(ValueError, match="either count or z"):
        gan.generate()
    with pytest.raises(ValueError, match=r"shape \(batch, 8\)"):
        gan.generate(z=np.zeros((2, 3)))


def test_bad_arguments_are_refused():
    generator, discriminator = gans.build_mlp_generator(LATENT, 8), gans.build_mlp_discriminator(8)
    with pytest.raises(ValueError, match="unknown GAN loss"):
        GAN(generator, discriminator, loss="lsgan")
    with pytest.raises(ValueError, match="n_critic=1"):
        GAN(generator, discriminator, n_critic=2, update="simultaneous")
    with pytest.raises(ValueError, match="n_critic must be an integer >= 1"):
        GAN(generator, discriminator, n_critic=0)
    with pytest.raises(TypeError, match="keras optimizer"):
        GAN(generator, discriminator).compile(generator_optimizer="adam")
    with pytest.raises(TypeError, match="positional"):
        GAN(generator, discriminator).compile(keras.optimizers.Adam(), keras.optimizers.Adam())


def test_float16_networks_get_loss_scaling_and_bfloat16_trains():
    gan = GAN(
        gans.build_dcgan_generator(LATENT, 4, dtype="mixed_float16"),
        gans.build_dcgan_discriminator(4, dtype="mixed_float16"),
    )
    gan.compile()
    assert isinstance(gan.generator_optimizer, keras.optimizers.LossScaleOptimizer)
    bf16 = make_dcgan(latent_dim=LATENT, filters=4, precision="mixed_bfloat16")
    history = bf16.fit(_data(32), batch_size=16, epochs=1, verbose=0).history
    assert np.isfinite(history["d_loss"][-1]) and np.isfinite(history["g_grad_norm"][-1])
    with pytest.raises(ValueError, match="precision must be one of"):
        make_dcgan(precision="float8")


def test_make_dcgan_takes_the_wgan_gp_settings():
    gan = make_dcgan(
        latent_dim=LATENT, filters=4, loss="wasserstein-gp", update="alternating", n_critic=5,
        learning_rate=1e-4, beta_1=0.0, beta_2=0.9, precision="float32",
    )  # fmt: skip
    assert (gan.loss_name, gan.n_critic, gan.update) == ("wasserstein-gp", 5, "alternating")
    for optimizer in (gan.generator_optimizer, gan.discriminator_optimizer):
        assert (optimizer.beta_1, optimizer.beta_2) == (0.0, 0.9)
        assert float(optimizer.learning_rate) == pytest.approx(1e-4)
    history = gan.fit(_data(40), batch_size=40, epochs=1, verbose=0).history  # 5 x 8 images
    assert np.isfinite(history["gradient_penalty"][-1]) and history["gradient_penalty"][-1] > 0


def test_config_round_trip():
    gan = make_mlp_gan(latent_dim=LATENT, hidden_units=8, loss="hinge", seed=3)
    copy = GAN.from_config(gan.get_config())
    assert (copy.loss_name, copy.seed, copy.latent_dim, copy.update) == (
        "hinge",
        3,
        LATENT,
        "alternating",
    )


def test_the_gan_step_fits_on_one_screen():
    # Lessons 05 and 06 print GAN.train_step for learners to read: it must stay the idea, not
    # the plumbing (about 60 lines at most, issue 11).
    import inspect

    assert len(inspect.getsource(GAN.train_step).splitlines()) <= 60


def test_train_batches_for_n_critic_through_the_trainer_alone():
    # GAN.batching owns the arithmetic: batch_size real images per critic step, n_critic of
    # them per fit batch; train() only asks.
    gan = _gan(loss="wasserstein-gp", n_critic=3)
    assert gan.batching(10) == {"batch_size": 30, "drop_remainder": False}
    recorder = _BatchSizes()
    images = keras.Input((28, 28, 1))
    critic = keras.Model(images, gans.build_mlp_discriminator(8)(recorder(images)))
    gan = GAN(gans.build_mlp_generator(LATENT, 8), critic, loss="wasserstein-gp", n_critic=3)
    gan.compile(run_eagerly=True)
    train(gan, _data(70), epochs=1, batch_size=10, live=False, progress=False)
    assert int(gan.generator_optimizer.iterations) == 3  # 30 + 30 + 10 images
    assert int(gan.discriminator_optimizer.iterations) == 9
    # Each critic step: D sees real, fake, then x_hat (the penalty); then fakes for G's step.
    # The last fit batch (10 images) splits into critic batches of 4, 3 and 3.
    full = [10] * 9 + [10]
    assert recorder.seen == full + full + [4] * 3 + [3] * 6 + [4]


def _weights(network):
    return [np.array(w) for w in network.get_weights()]


def test_the_generator_average_follows_the_formula_and_generate_uses_it():
    # A DCGAN generator (batch norm: statistics to copy) and a large learning rate, so that
    # each step moves G far and a wrong decay (no warm-up, or the decay and 1 - decay swapped)
    # lands far from the average the formula gives.
    gan = GAN(
        gans.build_dcgan_generator(LATENT, 4), gans.build_dcgan_discriminator(4), ema_decay=0.3
    )
    gan.compile(generator_optimizer=keras.optimizers.Adam(0.05))
    assert gan.sampler is gan.generator_average and gan.generator_average is not gan.generator
    expected = _weights(gan.generator)
    trainable = [w.trainable for w in gan.generator.weights]
    assert not all(trainable)  # batch norm's moving statistics are among them
    # d = min(0.3, (1 + t) / (10 + t)) at steps t = 1, 2, 3 (t counted after G's update)
    for decay in (2 / 11, 3 / 12, 0.3):
        gan.fit(_data(32), batch_size=32, epochs=1, verbose=0)  # one step
        current = _weights(gan.generator)
        expected = [
            e + (1 - decay) * (c - e) if learns else c  # batch norm's statistics: copied
            for e, c, learns in zip(expected, current, trainable, strict=True)
        ]
    for average, wanted in zip(_weights(gan.generator_average), expected, strict=True):
        np.testing.assert_allclose(average, wanted, rtol=1e-5, atol=1e-6)
    assert not all(np.allclose(a, c) for a, c in zip(expected, current, strict=True))
    # samples come from the average: the same noise through G gives other images
    z = gan.sample_noise(4, seed=1)
    np.testing.assert_allclose(gan.generate(z=z), gan.generator_average(z), atol=1e-6)
    assert not np.allclose(gan.generate(z=z), gan.generator(z), atol=1e-3)
    np.testing.assert_allclose(gan(z), gan.generate(z=z), atol=1e-6)
    assert gan.generator_average.trainable_weights == []  # no optimizer ever moves it


def test_without_ema_decay_samples_come_from_the_generator_itself():
    gan = _gan()
    gan.fit(_data(32), batch_size=32, epochs=1, verbose=0)
    assert gan.generator_average is None and gan.sampler is gan.generator
    z = gan.sample_noise(4, seed=1)
    np.testing.assert_allclose(gan.generate(z=z), gan.generator(z), atol=1e-6)


@pytest.mark.parametrize("bad", [0.0, 1.0, 1.5, -0.1, 1, True, "0.999", float("nan")])
def test_ema_decay_outside_0_1_is_refused(bad):
    with pytest.raises(ValueError, match="ema_decay must be None or a float in \\(0, 1\\)"):
        _gan(ema_decay=bad)


def test_the_generator_average_survives_saving_and_loading(tmp_path):
    gan = _gan(ema_decay=0.9)
    gan.fit(_data(64), batch_size=32, epochs=1, verbose=0)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras", compile=False)
    assert loaded.ema_decay == 0.9
    for a, b in zip(_weights(loaded.sampler), _weights(gan.sampler), strict=True):
        np.testing.assert_array_equal(a, b)


def test_lesson_06_recipe_builds_its_choices_and_cannot_be_changed_by_accident():
    from gancourse.training import DCGAN_RECIPE, DCGAN_RECIPE_BATCH_SIZE

    gan = make_dcgan(**DCGAN_RECIPE, precision="float32")
    kinds = {type(layer).__name__ for layer in gan.discriminator.layers}
    assert "BatchNormalization" in kinds and "Dropout" not in kinds
    assert gan.ema_decay == 0.999 and gan.generator_average is not None
    assert float(gan.generator_optimizer.learning_rate) == pytest.approx(5e-4)
    assert gan.generator.get_layer(index=-1).input.shape[-1] == 32  # width 32 before 28x28x1
    assert DCGAN_RECIPE_BATCH_SIZE == 32
    with pytest.raises(TypeError):
        DCGAN_RECIPE["learning_rate"] = 1.0
