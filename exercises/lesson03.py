# Your answers. Generated from solutions/lesson03.py by `gancourse make-exercises`:
# replace each `# YOUR CODE HERE` block, then run `gancourse grade`.
"""Lesson 03 exercises: the pieces of a variational autoencoder's loss.

Shapes: `mu` and `log_var` are (batch, latent_dim); images `x` and `x_hat` are (batch, ...)
with values in [0, 1]. Check your answers with `gancourse grade lesson03`.
"""

import numpy as np


def reparameterize(mu: np.ndarray, log_var: np.ndarray, epsilon: np.ndarray) -> np.ndarray:
    """A sample z ~ N(mu, sigma^2) written as a function of mu, log_var and noise epsilon ~ N(0, 1).

    `log_var` is the log of the variance sigma^2. All three arrays have the same shape.
    """
    # YOUR CODE HERE
    # HINT: sigma = exp(log_var / 2); then shift and scale the noise.
    raise NotImplementedError("reparameterize is not implemented yet: write it in exercises/lesson03.py")


def gaussian_kl(mu: np.ndarray, log_var: np.ndarray) -> np.ndarray:
    """KL( N(mu, diag(exp(log_var))) || N(0, I) ) for each sample: shape (batch,).

    Use the closed form, summed over the latent dimensions.
    """
    # YOUR CODE HERE
    # HINT: per dimension the KL is -1/2 (1 + log_var - mu^2 - exp(log_var)); it is never negative.
    raise NotImplementedError("gaussian_kl is not implemented yet: write it in exercises/lesson03.py")


def elbo(
    x: np.ndarray, x_hat: np.ndarray, mu: np.ndarray, log_var: np.ndarray, beta: float = 1.0
) -> np.ndarray:
    """The evidence lower bound for each sample, shape (batch,): the quantity a VAE maximises.

    ELBO = log p(x | z) - beta * KL, with a Bernoulli likelihood per pixel:
    log p(x | z) = sum over pixels of x log(x_hat) + (1 - x) log(1 - x_hat).
    Clip x_hat to [1e-7, 1 - 1e-7] before taking logs. Reuse your gaussian_kl.
    """
    # YOUR CODE HERE
    # HINT: sum the log-likelihood over every axis except the batch axis.
    raise NotImplementedError("elbo is not implemented yet: write it in exercises/lesson03.py")
