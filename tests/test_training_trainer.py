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
