"""Keras 3 models of the course, built by named functions."""

from .autoencoders import (
    build_dense_autoencoder,
    build_dense_decoder,
    build_dense_encoder,
    fit_autoencoder,
)
from .conditional_gans import (
    CONDITIONINGS,
    NUM_DIGITS,
    build_conditional_dcgan_discriminator,
    build_conditional_dcgan_generator,
)
from .conv_autoencoders import (
    build_conv_autoencoder,
    build_conv_decoder,
    build_conv_encoder,
    conv_output_size,
    conv_transpose_output_size,
    describe_shapes,
)
from .gans import (
    DEFAULT_LATENT_DIM,
    TOY_LATENT_DIM,
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_mlp_discriminator,
    build_mlp_generator,
    build_toy_discriminator,
    build_toy_generator,
)
from .layers import Maxout, MinibatchStdDev
from .vae import (
    VAE,
    bernoulli_log_likelihood,
    build_vae,
    build_vae_decoder,
    build_vae_encoder,
    elbo,
    gaussian_kl,
    reparameterize,
)

__all__ = [
    "CONDITIONINGS",
    "DEFAULT_LATENT_DIM",
    "NUM_DIGITS",
    "TOY_LATENT_DIM",
    "VAE",
    "Maxout",
    "MinibatchStdDev",
    "bernoulli_log_likelihood",
    "build_conditional_dcgan_discriminator",
    "build_conditional_dcgan_generator",
    "build_conv_autoencoder",
    "build_conv_decoder",
    "build_conv_encoder",
    "build_dcgan_discriminator",
    "build_dcgan_generator",
    "build_dense_autoencoder",
    "build_dense_decoder",
    "build_dense_encoder",
    "build_mlp_discriminator",
    "build_mlp_generator",
    "build_toy_discriminator",
    "build_toy_generator",
    "build_vae",
    "build_vae_decoder",
    "build_vae_encoder",
    "conv_output_size",
    "conv_transpose_output_size",
    "describe_shapes",
    "elbo",
    "fit_autoencoder",
    "gaussian_kl",
    "reparameterize",
]
