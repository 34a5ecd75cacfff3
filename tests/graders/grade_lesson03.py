"""Graders for lesson 03 (the variational autoencoder's reparameterisation, KL term and ELBO)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from gancourse.grading import expect, expect_close
from gancourse.models import vae as reference

LESSON = "lesson03"


def _call_without_changing_inputs(function: Callable[..., np.ndarray], name: str, *arrays):
    """Call ``function`` and check it left its array arguments as they were."""
    copies = [np.array(a, copy=True) for a in arrays]
    result = function(*arrays)
    for position, (before, after) in enumerate(zip(copies, arrays, strict=True)):
        expect(
            np.array_equal(before, after),
            f"{name} changed its argument number {position + 1} in place; compute new arrays "
            "instead (for example np.clip(x, lo, hi) without out=).",
        )
    return result


def check_reparameterize(reparameterize: Callable[..., np.ndarray]) -> None:
    mu = np.array([[1.0, 2.0]])
    log_var = np.array([[0.0, 2.0 * np.log(2.0)]])  # sigma = (1, 2)
    epsilon = np.array([[0.5, -1.0]])
    # by hand: 1 + 1 * 0.5 = 1.5 and 2 + 2 * (-1) = 0
    expect_close(
        reparameterize(mu, log_var, epsilon),
        [[1.5, 0.0]],
        "reparameterize with mu=(1, 2), sigma=(1, 2), epsilon=(0.5, -1) "
        "(remember log_var is the log of the VARIANCE)",
    )
    rng = np.random.default_rng()
    mu, log_var, epsilon = rng.normal(size=(3, 6, 4))
    expect_close(
        _call_without_changing_inputs(reparameterize, "reparameterize", mu, log_var, epsilon),
        np.asarray(reference.reparameterize(mu, log_var, epsilon)),
        "reparameterize on random inputs",
        rtol=1e-5,
        atol=1e-6,
    )


def check_gaussian_kl(gaussian_kl: Callable[..., np.ndarray]) -> None:
    cases = [
        (np.zeros((1, 3)), np.zeros((1, 3)), 0.0, "mu=0, log_var=0 (the prior itself)"),
        (np.ones((1, 1)), np.zeros((1, 1)), 0.5, "mu=1, log_var=0"),
        (np.ones((1, 2)), np.zeros((1, 2)), 1.0, "mu=(1, 1), log_var=0 (sum over dimensions)"),
        (np.zeros((1, 1)), np.log([[4.0]]), 0.5 * (3.0 - np.log(4.0)), "mu=0, sigma^2=4"),
    ]
    for mu, log_var, expected, what in cases:
        expect_close(gaussian_kl(mu, log_var), [expected], f"gaussian_kl for {what}")
    rng = np.random.default_rng()
    mu, log_var = rng.normal(size=(2, 5, 3))
    kl = _call_without_changing_inputs(gaussian_kl, "gaussian_kl", mu, log_var)
    kl = np.asarray(kl, dtype=np.float64)
    expect(
        kl.shape == (5,),
        f"gaussian_kl returned shape {kl.shape}; expected one value per sample (5,).",
    )
    expect(
        bool(np.all(kl >= 0)), "gaussian_kl returned a negative value; a KL divergence never is."
    )
    expect_close(
        kl,
        np.asarray(reference.gaussian_kl(mu, log_var)),
        "gaussian_kl on random inputs",
        rtol=1e-5,
        atol=1e-6,
    )


def check_elbo(elbo: Callable[..., np.ndarray]) -> None:
    x = np.array([[1.0, 0.0]])
    x_hat = np.array([[0.5, 0.5]])
    mu, log_var = np.ones((1, 1)), np.zeros((1, 1))  # KL = 0.5
    expected = 2 * np.log(0.5) - 0.5  # log-likelihood 2 log(1/2), minus the KL
    expect_close(
        elbo(x, x_hat, mu, log_var),
        [expected],
        "elbo on a hand-worked case (x = (1, 0), x_hat = (1/2, 1/2), mu = 1, log_var = 0: "
        "log-likelihood summed over the 2 pixels = 2 log(1/2), minus KL = 0.5, gives -1.886)",
    )
    expect_close(
        elbo(x, x_hat, mu, log_var, beta=3.0),
        [2 * np.log(0.5) - 1.5],
        "elbo with beta=3 (the KL term is weighted by beta)",
    )
    confident = np.array([[1.0, 0.0]])  # x_hat exactly 0 and 1: the logs need the clipping
    expect_close(
        _call_without_changing_inputs(elbo, "elbo", x, confident, mu, log_var),
        np.asarray(reference.elbo(x, np.array([[1.0, 0.0]]), mu, log_var)),
        "elbo when x_hat is exactly 0 or 1 (clip before the log)",
        rtol=1e-4,
    )
    rng = np.random.default_rng()
    images = rng.uniform(size=(4, 28, 28, 1)).round()
    x_hat = rng.uniform(0.01, 0.99, size=(4, 28, 28, 1))
    mu, log_var = rng.normal(size=(2, 4, 2))
    expect_close(
        _call_without_changing_inputs(elbo, "elbo", images, x_hat, mu, log_var),
        np.asarray(reference.elbo(images, x_hat, mu, log_var)),
        "elbo on random 28x28 images",
        rtol=1e-4,
    )


@pytest.mark.exercise("lesson03.reparameterize")
def test_reparameterize(answers):
    check_reparameterize(answers.reparameterize)


@pytest.mark.exercise("lesson03.gaussian_kl")
def test_gaussian_kl(answers):
    check_gaussian_kl(answers.gaussian_kl)


@pytest.mark.exercise("lesson03.elbo")
def test_elbo(answers):
    check_elbo(answers.elbo)
