"""Keras 3 models of the course, built by named functions."""

from .autoencoders import (
    build_dense_autoencoder,
    build_dense_decoder,
    build_dense_encoder,
    fit_autoencoder,
)

__all__ = [
    "build_dense_autoencoder",
    "build_dense_decoder",
    "build_dense_encoder",
    "fit_autoencoder",
]
