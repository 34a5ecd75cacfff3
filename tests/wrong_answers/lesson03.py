"""Plausible wrong answers to lesson 03, each with a phrase its grader's message must contain."""

import numpy as np


def reparameterize_with_variance_as_std(mu, log_var, epsilon):
    return mu + np.exp(log_var) * epsilon


def reparameterize_with_log_var_as_std(mu, log_var, epsilon):
    return mu + log_var * epsilon


def kl_with_wrong_sign(mu, log_var):
    return 0.5 * np.sum(1.0 + log_var - mu**2 - np.exp(log_var), axis=-1)


def kl_averaged_over_dimensions(mu, log_var):
    return -0.5 * np.mean(1.0 + log_var - mu**2 - np.exp(log_var), axis=-1)


def kl_without_the_one(mu, log_var):
    return -0.5 * np.sum(log_var - mu**2 - np.exp(log_var), axis=-1)


def kl_summed_over_the_batch(mu, log_var):
    return -0.5 * np.sum(1.0 + log_var - mu**2 - np.exp(log_var))


def _log_likelihood(x, x_hat, reduce=np.sum):
    x_hat = np.clip(x_hat, 1e-7, 1.0 - 1e-7)
    terms = x * np.log(x_hat) + (1.0 - x) * np.log(1.0 - x_hat)
    return reduce(terms, axis=tuple(range(1, np.ndim(x))))


def _kl(mu, log_var):
    return -0.5 * np.sum(1.0 + log_var - mu**2 - np.exp(log_var), axis=-1)


def elbo_without_kl(x, x_hat, mu, log_var, beta=1.0):
    return _log_likelihood(x, x_hat)


def elbo_adding_kl(x, x_hat, mu, log_var, beta=1.0):
    return _log_likelihood(x, x_hat) + beta * _kl(mu, log_var)


def elbo_ignoring_beta(x, x_hat, mu, log_var, beta=1.0):
    return _log_likelihood(x, x_hat) - _kl(mu, log_var)


def elbo_averaging_pixels(x, x_hat, mu, log_var, beta=1.0):
    return _log_likelihood(x, x_hat, np.mean) - beta * _kl(mu, log_var)


def elbo_without_clipping(x, x_hat, mu, log_var, beta=1.0):
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = x * np.log(x_hat) + (1.0 - x) * np.log(1.0 - x_hat)
    return np.sum(terms, axis=tuple(range(1, np.ndim(x)))) - beta * _kl(mu, log_var)


def elbo_clipping_in_place(x, x_hat, mu, log_var, beta=1.0):
    np.clip(x_hat, 1e-7, 1.0 - 1e-7, out=x_hat)
    return _log_likelihood(x, x_hat) - beta * _kl(mu, log_var)


def reparameterize_in_place(mu, log_var, epsilon):
    mu += np.exp(0.5 * log_var) * epsilon
    return mu


WRONG_ANSWERS = [
    ("reparameterize", reparameterize_with_variance_as_std, "VARIANCE"),
    ("reparameterize", reparameterize_with_log_var_as_std, "VARIANCE"),
    ("gaussian_kl", kl_with_wrong_sign, "gaussian_kl for mu=1"),
    ("gaussian_kl", kl_averaged_over_dimensions, "sum over dimensions"),
    ("gaussian_kl", kl_without_the_one, "the prior itself"),
    ("gaussian_kl", kl_summed_over_the_batch, "shape"),
    ("elbo", elbo_without_kl, "hand-worked"),
    ("elbo", elbo_adding_kl, "hand-worked"),
    ("elbo", elbo_ignoring_beta, "beta=3"),
    ("elbo", elbo_averaging_pixels, "hand-worked"),
    ("elbo", elbo_without_clipping, "clip before the log"),
    ("elbo", elbo_clipping_in_place, "changed its argument number 2 in place"),
    ("reparameterize", reparameterize_in_place, "changed its argument number 1 in place"),
]
