"""Lesson 03 exercises: the pieces of a variational autoencoder's loss.

Shapes: `mu` and `log_var` are (batch, latent_dim); images `x` and `x_hat` are (batch, ...)
with values in [0, 1]. Check your answers with `gancourse grade lesson03`.
"""

import numpy as np


def reparameterize(mu: np.ndarray, log_var: np.ndarray, epsilon: np.ndarray) -> np.ndarray:
    """A sample z ~ N(mu, sigma^2) written as a function of mu, log_var and noise epsilon ~ N(0, 1).

    `log_var` is the log of the variance sigma^2. All three arrays have the same shape.
    """
    # BEGIN SOLUTION
    # HINT: log_var is the log of the VARIANCE: what gives sigma from it? Then: if epsilon
    # HINT: ~ N(0, 1), which two operations on it give a draw with mean mu and spread sigma?
    return mu + np.exp(0.5 * log_var) * epsilon
    # END SOLUTION


def gaussian_kl(mu: np.ndarray, log_var: np.ndarray) -> np.ndarray:
    """KL( N(mu, diag(exp(log_var))) || N(0, I) ) for each sample: shape (batch,).

    Use the closed form, summed over the latent dimensions.
    """
    # BEGIN SOLUTION
    # HINT: per dimension the KL is -1/2 (1 + log_var - mu^2 - exp(log_var)); it is never negative.
    return -0.5 * np.sum(1.0 + log_var - mu**2 - np.exp(log_var), axis=-1)
    # END SOLUTION


def elbo(
    x: np.ndarray, x_hat: np.ndarray, mu: np.ndarray, log_var: np.ndarray, beta: float = 1.0
) -> np.ndarray:
    """The evidence lower bound for each sample, shape (batch,): the quantity a VAE maximises.

    ELBO = log p(x | z) - beta * KL, with a Bernoulli likelihood per pixel:
    log p(x | z) = sum over pixels of x log(x_hat) + (1 - x) log(1 - x_hat).
    Clip x_hat to [1e-7, 1 - 1e-7] before taking logs. Reuse your gaussian_kl.
    """
    # BEGIN SOLUTION
    # HINT: sum the log-likelihood over every axis except the batch axis.
    x_hat = np.clip(x_hat, 1e-7, 1.0 - 1e-7)
    pixel_axes = tuple(range(1, np.ndim(x)))
    log_likelihood = np.sum(x * np.log(x_hat) + (1.0 - x) * np.log(1.0 - x_hat), axis=pixel_axes)
    return log_likelihood - beta * gaussian_kl(mu, log_var)
    # END SOLUTION
