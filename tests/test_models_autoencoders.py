"""Dense autoencoder: shapes, ranges, a training step, save/load, and clear errors."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from gancourse.models import (
    build_dense_autoencoder,
    build_dense_decoder,
    build_dense_encoder,
    fit_autoencoder,
)


def test_shapes_and_output_range():
    encoder = build_dense_encoder(input_dim=64, code_size=5)
    decoder = build_dense_decoder(code_size=5, output_dim=64)
    x = np.random.default_rng(0).uniform(size=(7, 64)).astype("float32")
    codes = np.asarray(encoder(x))
    assert codes.shape == (7, 5)
    images = np.asarray(decoder(100 * codes))
    assert images.shape == (7, 64)
    assert images.min() >= 0.0 and images.max() <= 1.0


def test_autoencoder_exposes_its_parts():
    model = build_dense_autoencoder(input_dim=64, code_size=3)
    assert model.get_layer("encoder").output_shape == (None, 3)
    assert model.get_layer("decoder").output_shape == (None, 64)
    assert model.output_shape == (None, 64)


def test_training_lowers_the_loss_and_stays_finite():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).uniform(size=(256, 16)).astype("float32") ** 4
    model = build_dense_autoencoder(input_dim=16, code_size=4, hidden_units=(32,))
    history = fit_autoencoder(model, x, epochs=5, batch_size=64, x_val=x[:32], verbose=0)
    losses = history.history["loss"]
    assert np.all(np.isfinite(losses)) and np.isfinite(history.history["val_loss"]).all()
    assert losses[-1] < losses[0]


def test_save_and_load_round_trip(tmp_path):
    model = build_dense_autoencoder(input_dim=16, code_size=2, hidden_units=(8,))
    x = np.random.default_rng(1).uniform(size=(4, 16)).astype("float32")
    path = tmp_path / "ae.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6
    )


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (np.full((4, 16), 255.0), r"expected images scaled to \[0, 1\]"),
        (np.zeros((4, 28, 28)), "expected \\(batch, 16\\)"),
        (np.full((4, 16), np.nan), "NaN"),
        (np.zeros((0, 16)), "empty"),
    ],
)
def test_fit_rejects_bad_images(x, message):
    model = build_dense_autoencoder(input_dim=16, code_size=2, hidden_units=(8,))
    with pytest.raises(ValueError, match=message):
        fit_autoencoder(model, x, epochs=1)


@pytest.mark.parametrize(
    "kwargs", [{"code_size": 0}, {"input_dim": 2.5}, {"hidden_units": (8, -1)}]
)
def test_bad_sizes_are_rejected(kwargs):
    with pytest.raises(ValueError, match="positive integer"):
        build_dense_autoencoder(**kwargs)


def test_denoising_targets_differ_from_inputs():
    keras.utils.set_random_seed(0)
    clean = np.random.default_rng(0).uniform(size=(128, 16)).astype("float32") ** 4
    noisy = np.clip(clean + np.random.default_rng(1).normal(0, 0.2, clean.shape), 0, 1)
    model = build_dense_autoencoder(input_dim=16, code_size=8, hidden_units=(32,))
    history = fit_autoencoder(model, noisy, targets=clean, epochs=3, batch_size=32, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    with pytest.raises(ValueError, match="pair them up"):
        fit_autoencoder(model, noisy, targets=clean[:10], epochs=1)
