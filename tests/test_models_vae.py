"""Variational autoencoder: loss terms vs references, the trainer, sampling, save/load, errors."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from gancourse.models import (
    VAE,
    bernoulli_log_likelihood,
    build_vae,
    build_vae_decoder,
    build_vae_encoder,
    elbo,
    gaussian_kl,
    reparameterize,
)

IMAGE_SHAPE = (8, 8, 1)  # tiny images keep every model here fast


def tiny_vae(beta: float = 1.0, seed: int | None = 0, latent_dim: int = 2) -> VAE:
    encoder = build_vae_encoder(latent_dim, IMAGE_SHAPE, filters=(4, 8), hidden_units=8)
    decoder = build_vae_decoder(latent_dim, IMAGE_SHAPE, filters=(8, 4))
    return VAE(encoder, decoder, beta=beta, seed=seed)


def images(count: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(size=(count, *IMAGE_SHAPE)).astype("float32") ** 4


@pytest.fixture(scope="module")
def trained() -> tuple[VAE, keras.callbacks.History]:
    keras.utils.set_random_seed(0)
    model = tiny_vae()
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    x = images(64)
    history = model.fit(x, epochs=1, batch_size=32, validation_data=x[:16], verbose=0)
    return model, history


# ## The loss terms ################################################################################


def test_gaussian_kl_matches_the_two_gaussian_formula():
    rng = np.random.default_rng(0)
    mu, log_var = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    # KL(N(m1, s1^2) || N(m2, s2^2)) = log(s2 / s1) + (s1^2 + (m1 - m2)^2) / (2 s2^2) - 1/2
    s1 = np.exp(0.5 * log_var)
    reference = np.sum(-np.log(s1) + (s1**2 + mu**2) / 2.0 - 0.5, axis=-1)
    result = np.asarray(gaussian_kl(mu, log_var))
    assert result.shape == (6,)
    np.testing.assert_allclose(result, reference, rtol=1e-6)
    assert np.all(result >= 0.0)


@pytest.mark.parametrize(
    ("mu", "log_var", "expected"),
    [
        ([[0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]], 0.0),  # q is the prior
        ([[1.0]], [[0.0]], 0.5),  # shifted by one standard deviation
        ([[1.0, 1.0]], [[0.0, 0.0]], 1.0),  # summed over latent dimensions
        ([[0.0]], [[np.log(4.0)]], 0.5 * (4.0 - 1.0 - np.log(4.0))),
    ],
)
def test_gaussian_kl_known_values(mu, log_var, expected):
    result = np.asarray(gaussian_kl(np.array(mu), np.array(log_var)))
    np.testing.assert_allclose(result, [expected], atol=1e-7)


def test_gaussian_kl_agrees_with_a_monte_carlo_estimate():
    mu, log_var = 0.7, np.log(0.5)
    sigma = np.exp(0.5 * log_var)
    z = np.random.default_rng(0).normal(mu, sigma, size=200_000)  # z ~ q
    log_q = -0.5 * ((z - mu) / sigma) ** 2 - np.log(sigma) - 0.5 * np.log(2 * np.pi)
    log_p = -0.5 * z**2 - 0.5 * np.log(2 * np.pi)
    estimate = np.mean(log_q - log_p)  # KL(q || p) = E_q[log q - log p]
    exact = float(np.asarray(gaussian_kl(np.array([[mu]]), np.array([[log_var]])))[0])
    assert exact == pytest.approx(0.5 * (0.5 + 0.49 - 1.0 - np.log(0.5)), rel=1e-6)
    assert estimate == pytest.approx(exact, abs=0.01)


def test_reparameterize_is_exact_for_a_given_epsilon():
    mu, log_var = np.array([[1.0, -2.0]]), np.array([[2 * np.log(3.0), 0.0]])
    z = np.asarray(reparameterize(mu, log_var, np.array([[0.5, -1.0]])))
    np.testing.assert_allclose(z, [[1.0 + 3.0 * 0.5, -2.0 - 1.0]], rtol=1e-6)


def test_reparameterize_has_mean_mu_and_std_sigma():
    mu, log_var = np.array([1.0, -2.0]), np.array([0.0, np.log(4.0)])
    epsilon = np.random.default_rng(1).standard_normal((100_000, 2))
    z = np.asarray(reparameterize(mu, log_var, epsilon))
    np.testing.assert_allclose(z.mean(axis=0), mu, atol=0.03)
    np.testing.assert_allclose(z.std(axis=0), [1.0, 2.0], rtol=0.02)


def test_bernoulli_log_likelihood_matches_numpy():
    rng = np.random.default_rng(2)
    x = rng.uniform(size=(4, 5, 6, 1))
    x[0] = np.round(x[0])  # binary images too
    x_hat = rng.uniform(0.01, 0.99, size=x.shape)
    reference = np.sum(x * np.log(x_hat) + (1 - x) * np.log(1 - x_hat), axis=(1, 2, 3))
    result = np.asarray(bernoulli_log_likelihood(x, x_hat))
    assert result.shape == (4,)
    np.testing.assert_allclose(result, reference, rtol=1e-6)
    assert np.all(result <= 0.0)


def test_bernoulli_log_likelihood_clips_certain_mistakes():
    x, x_hat = np.ones((1, 3), "float32"), np.zeros((1, 3), "float32")  # log(0) without the clip
    result = np.asarray(bernoulli_log_likelihood(x, x_hat, eps=1e-7))
    np.testing.assert_allclose(result, [3 * np.log(1e-7)], rtol=1e-4)


@pytest.mark.parametrize("beta", [0.0, 1.0, 4.0])
def test_elbo_is_log_likelihood_minus_beta_kl(beta):
    rng = np.random.default_rng(3)
    x, x_hat = rng.uniform(size=(5, 4, 4, 1)), rng.uniform(0.05, 0.95, size=(5, 4, 4, 1))
    mu, log_var = rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
    expected = np.asarray(bernoulli_log_likelihood(x, x_hat)) - beta * np.asarray(
        gaussian_kl(mu, log_var)
    )
    np.testing.assert_allclose(np.asarray(elbo(x, x_hat, mu, log_var, beta=beta)), expected)


def test_loss_terms_reject_mismatched_shapes():
    with pytest.raises(ValueError, match="mu has shape"):
        gaussian_kl(np.zeros((4, 2)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="x has shape"):
        bernoulli_log_likelihood(np.zeros((4, 8, 8, 1)), np.zeros((4, 8, 8)))


# ## The model #####################################################################################


def test_default_builders_have_the_documented_shapes():
    model = build_vae()
    assert model.encoder.name == "vae_encoder" and model.decoder.name == "vae_decoder"
    assert model.encoder.output_shape == [(None, 2), (None, 2)]
    assert [layer.name for layer in model.encoder.layers[-2:]] == ["z_mean", "z_log_var"]
    assert model.decoder.output_shape == (None, 28, 28, 1)
    assert model.latent_dim == 2 and model.image_shape == (28, 28, 1)


def test_call_decodes_the_mean_and_samples_when_training():
    model, x = tiny_vae(), images(3)
    mean_reconstruction = np.asarray(model(x))
    assert mean_reconstruction.shape == (3, *IMAGE_SHAPE)
    assert mean_reconstruction.min() >= 0.0 and mean_reconstruction.max() <= 1.0
    np.testing.assert_allclose(mean_reconstruction, model.decode(model.encode(x)[0]), atol=1e-6)
    assert not np.allclose(np.asarray(model(x, training=True)), mean_reconstruction)


def test_the_seed_repeats_the_training_noise():
    model, x = tiny_vae(seed=5), images(3)
    same = VAE(model.encoder, model.decoder, seed=5)
    other = VAE(model.encoder, model.decoder, seed=6)
    first = np.asarray(model(x, training=True))
    np.testing.assert_array_equal(np.asarray(same(x, training=True)), first)
    assert not np.allclose(np.asarray(other(x, training=True)), first)


def test_one_epoch_records_finite_losses(trained):
    _, history = trained
    for name in ("loss", "reconstruction_loss", "kl_loss"):
        for key in (name, f"val_{name}"):
            assert key in history.history, key
            assert np.isfinite(history.history[key]).all(), key
    logs = {key: values[-1] for key, values in history.history.items()}
    assert logs["loss"] == pytest.approx(logs["reconstruction_loss"] + logs["kl_loss"], rel=1e-5)
    assert logs["kl_loss"] >= 0.0 and logs["reconstruction_loss"] > 0.0


@pytest.mark.parametrize("beta", [0.0, 3.0])
def test_beta_weights_the_kl_term(beta):
    model = tiny_vae(beta=beta)
    model.compile(optimizer="adam")
    logs = model.fit(images(32), epochs=1, batch_size=16, verbose=0).history
    loss, reconstruction, kl = logs["loss"][0], logs["reconstruction_loss"][0], logs["kl_loss"][0]
    assert kl > 0.0
    if beta == 0.0:
        assert loss == reconstruction  # the KL term does not enter the loss at all
    else:
        assert loss == pytest.approx(reconstruction + beta * kl, rel=1e-5)


def test_sample_shape_range_and_seed():
    model = tiny_vae()
    samples = model.sample(5, seed=3)
    assert samples.shape == (5, *IMAGE_SHAPE) and samples.dtype == np.float32
    assert samples.min() >= 0.0 and samples.max() <= 1.0
    np.testing.assert_array_equal(model.sample(5, seed=3), samples)
    assert not np.allclose(model.sample(5, seed=4), samples)
    assert model.sample(2).shape == (2, *IMAGE_SHAPE)


def test_interpolate_runs_from_a_to_b():
    model, x = tiny_vae(), images(2, seed=4)
    path = model.interpolate(x[0], x[1:2], steps=5)  # one image with and one without batch axis
    assert path.shape == (5, *IMAGE_SHAPE)
    np.testing.assert_allclose(path[0], model.decode(model.encode(x[:1])[0])[0], atol=1e-6)
    np.testing.assert_allclose(path[-1], model.decode(model.encode(x[1:])[0])[0], atol=1e-6)
    assert not np.allclose(path[2], path[0]) and not np.allclose(path[2], path[-1])


def test_save_and_load_round_trip(trained, tmp_path):
    model, _ = trained
    path = tmp_path / "vae.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert isinstance(restored, VAE)
    assert (restored.beta, restored.seed, restored.latent_dim) == (1.0, 0, 2)
    x, z = images(4, seed=5), np.random.default_rng(6).normal(size=(4, 2))
    for got, want in zip(restored.encode(x), model.encode(x), strict=True):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(restored.decode(z), model.decode(z))


def test_config_round_trip_rebuilds_the_parts():
    model = tiny_vae(beta=0.5, seed=7)
    clone = VAE.from_config(model.get_config())
    assert (clone.beta, clone.seed) == (0.5, 7)
    assert clone.encoder.output_shape == model.encoder.output_shape
    assert clone.decoder.output_shape == model.decoder.output_shape


# ## Errors ########################################################################################


def test_fit_and_encode_reject_bad_images():
    model = tiny_vae()
    model.compile(optimizer="adam")
    with pytest.raises(ValueError, match=r"expected images scaled to \[0, 1\]"):
        model.fit(images(4) * 255, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"expected \(batch, 8, 8, 1\)"):
        model.fit(np.zeros((4, 8, 8)), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="validation_data"):
        model.fit(images(4), epochs=1, validation_data=np.full((2, 8, 8, 1), 2.0), verbose=0)
    with pytest.raises(ValueError, match=r"expected images scaled to \[0, 1\]"):
        model.encode(-images(2))
    with pytest.raises(ValueError, match=r"expected \(batch, 8, 8, 1\)"):
        model.encode(images(1)[0])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m: m.decode(np.zeros((3, 5))), r"expected \(batch, 2\)"),
        (lambda m: m.decode(np.full((1, 2), np.nan)), "NaN"),
        (lambda m: m.sample(0), "n must be a positive integer"),
        (lambda m: m.interpolate(images(1)[0], images(1)[0], steps=1), "steps must be"),
        (lambda m: m.interpolate(images(2), images(1), steps=3), "a has shape"),
        (lambda m: m.interpolate(images(1), 2 * images(1) + 1, steps=3), r"\[0, 1\]"),
    ],
)
def test_methods_reject_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call(tiny_vae())


def test_builders_reject_bad_arguments():
    with pytest.raises(ValueError, match="beta must be a finite number >= 0"):
        build_vae(beta=-1.0)
    with pytest.raises(ValueError, match="latent_dim must be a positive integer"):
        build_vae(latent_dim=0)
    with pytest.raises(ValueError, match="not divisible"):
        build_vae(image_shape=(30, 30, 1))
    encoder = build_vae_encoder(2, IMAGE_SHAPE, filters=(4,), hidden_units=4)
    with pytest.raises(ValueError, match="decoder takes"):
        VAE(encoder, build_vae_decoder(3, IMAGE_SHAPE, filters=(4,)))
    with pytest.raises(ValueError, match=r"must output \[z_mean, z_log_var\]"):
        VAE(build_vae_decoder(2, IMAGE_SHAPE, filters=(4,)), encoder)
