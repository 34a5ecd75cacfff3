"""reconstruction_error: hand-worked values, shapes, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse.metrics import reconstruction_error


def test_hand_worked_case():
    x = np.array([[0.0, 1.0], [0.5, 0.5]])
    x_hat = np.array([[0.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(reconstruction_error(x, x_hat), [0.5, 0.25])


def test_any_image_shape_gives_one_number_per_image():
    rng = np.random.default_rng(0)
    x, x_hat = rng.uniform(size=(3, 28, 28, 1)), rng.uniform(size=(3, 28, 28, 1))
    errors = reconstruction_error(x, x_hat)
    assert errors.shape == (3,)
    np.testing.assert_allclose(errors, reconstruction_error(x.reshape(3, -1), x_hat.reshape(3, -1)))
    assert np.all(reconstruction_error(x, x) == 0)


@pytest.mark.parametrize(
    ("x", "x_hat", "message"),
    [
        (np.zeros((2, 4)), np.zeros((2, 5)), "must match"),
        (np.zeros(4), np.zeros(4), "batch"),
        (np.zeros((2, 4)), np.full((2, 4), np.nan), "NaN"),
    ],
)
def test_bad_input(x, x_hat, message):
    with pytest.raises(ValueError, match=message):
        reconstruction_error(x, x_hat)
