"""A variational autoencoder (VAE) for images in [0, 1], Keras 3 with the TensorFlow backend.

Kingma & Welling, "Auto-Encoding Variational Bayes", 2013 (https://arxiv.org/abs/1312.6114).
The encoder maps an image x to the mean ``mu`` and log-variance ``log_var`` of a diagonal
Gaussian q(z | x); the decoder maps a latent z to Bernoulli pixel probabilities ``x_hat``.
Training maximises the evidence lower bound (ELBO, the paper's eq. 10)::

    ELBO(x) = E_q[log p(x | z)] - beta * KL(q(z | x) || N(0, I))

with one sample of z per image (L = 1, as in the paper's experiments) drawn by the
reparameterisation trick, z = mu + sigma * epsilon. ``beta`` = 1 is the paper's VAE; other
values give the beta-VAE of Higgins et al., ICLR 2017 (https://openreview.net/forum?id=Sy2fzU9gl).
Departures from the paper: convolutional encoder and decoder (the paper used one-hidden-layer
MLPs) and Adam instead of Adagrad, as in the Keras example https://keras.io/examples/generative/vae/.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from ..validation import check_int, check_positive
from .autoencoders import check_training_images
from .conv_autoencoders import build_conv_decoder, check_image_shape, downsample

TensorLike = Any  # a NumPy array or a backend tensor; the functions below return tensors

# ## The loss terms ################################################################################


def reparameterize(mu: TensorLike, log_var: TensorLike, epsilon: TensorLike) -> TensorLike:
    """z = mu + sigma * epsilon with sigma = exp(log_var / 2): a sample of N(mu, sigma**2).

    ``epsilon`` ~ N(0, I) has the shape of ``mu``; the noise sits outside the network, so
    gradients reach ``mu`` and ``log_var`` (the paper's section 2.4).
    """
    return mu + ops.exp(0.5 * log_var) * epsilon


def gaussian_kl(mu: TensorLike, log_var: TensorLike) -> TensorLike:
    """KL(N(mu, diag exp(log_var)) || N(0, I)) per sample, (batch, latent_dim) -> (batch,).

    Closed form from the paper's appendix B:
    ``-0.5 * sum(1 + log_var - mu**2 - exp(log_var))`` over the latent axis; always >= 0.
    """
    _check_same_shape(mu, log_var, "mu", "log_var")
    return -0.5 * ops.sum(1.0 + log_var - ops.square(mu) - ops.exp(log_var), axis=-1)


def bernoulli_log_likelihood(x: TensorLike, x_hat: TensorLike, eps: float = 1e-7) -> TensorLike:
    """log p(x | z) per sample, summed over every non-batch axis: (batch, ...) -> (batch,).

    ``x``: target pixels in [0, 1]; ``x_hat``: predicted probabilities in [0, 1].
    Each pixel adds ``x * log(x_hat) + (1 - x) * log(1 - x_hat)`` (minus the binary
    cross-entropy). ``x_hat`` is clipped to [eps, 1 - eps] first, so a saturated sigmoid gives a
    large finite penalty instead of log(0) = -inf; the clip also zeroes the gradient there.
    """
    _check_same_shape(x, x_hat, "x", "x_hat")
    x_hat = ops.clip(x_hat, eps, 1.0 - eps)
    per_pixel = x * ops.log(x_hat) + (1.0 - x) * ops.log(1.0 - x_hat)
    return ops.sum(per_pixel, axis=tuple(range(1, len(per_pixel.shape))))


def elbo(
    x: TensorLike, x_hat: TensorLike, mu: TensorLike, log_var: TensorLike, beta: float = 1.0
) -> TensorLike:
    """Per-sample ELBO = bernoulli_log_likelihood(x, x_hat) - beta * gaussian_kl(mu, log_var).

    Shape (batch,); the quantity to maximise (the training loss is its negative mean).
    """
    return bernoulli_log_likelihood(x, x_hat) - beta * gaussian_kl(mu, log_var)


def _check_same_shape(a: TensorLike, b: TensorLike, name_a: str, name_b: str) -> None:
    shape_a, shape_b = tuple(ops.shape(a)), tuple(ops.shape(b))
    if len(shape_a) != len(shape_b) or any(
        isinstance(i, int) and isinstance(j, int) and i != j
        for i, j in zip(shape_a, shape_b, strict=True)
    ):
        raise ValueError(f"{name_a} has shape {shape_a} but {name_b} has shape {shape_b}.")


# ## Encoder and decoder ###########################################################################


def build_vae_encoder(
    latent_dim: int = 2,
    image_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (32, 64),
    hidden_units: int = 128,
) -> keras.Model:
    """(batch, H, W, C) images in [0, 1] -> [z_mean, z_log_var], each (batch, latent_dim).

    The conv stack of :func:`build_conv_encoder`, ``Dense(hidden_units, relu)``, and two linear
    heads named "z_mean" and "z_log_var". Model named "vae_encoder".
    """
    check_positive(latent_dim=latent_dim, hidden_units=hidden_units)
    image_shape = check_image_shape(image_shape)
    images = keras.Input(shape=image_shape, name="image")  # (batch, 28, 28, 1)
    h = downsample(images, filters)  # (batch, 7, 7, 64)
    h = keras.layers.Flatten(name="flatten")(h)  # (batch, 3136)
    h = keras.layers.Dense(hidden_units, activation="relu", name="hidden")(h)  # (batch, 128)
    z_mean = keras.layers.Dense(latent_dim, name="z_mean")(h)  # (batch, latent_dim)
    z_log_var = keras.layers.Dense(latent_dim, name="z_log_var")(h)  # (batch, latent_dim)
    return keras.Model(images, [z_mean, z_log_var], name="vae_encoder")


def build_vae_decoder(
    latent_dim: int = 2,
    image_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (64, 32),
) -> keras.Model:
    """(batch, latent_dim) z -> (batch, H, W, C) pixel probabilities in [0, 1] (sigmoid).

    The layers of :func:`build_conv_decoder`; model named "vae_decoder".
    """
    return build_conv_decoder(latent_dim, image_shape, filters, name="vae_decoder", input_name="z")


# ## The trainer ###################################################################################


@keras.saving.register_keras_serializable(package="gancourse")
class VAE(keras.Model):
    """Encoder + decoder trained on the negative ELBO; ``compile(optimizer=...)``, then ``fit(x)``.

    ``fit`` takes images only (no targets), float32 (batch, H, W, C) in [0, 1]; History records
    "loss" (mean of -ELBO), "reconstruction_loss" (mean of -log p(x | z)) and "kl_loss" (mean KL),
    and their "val_" versions. ``seed`` seeds the noise z = mu + sigma * epsilon, so runs repeat.
    Calling the model returns reconstructions: decoded samples of q(z | x) when training, the
    decoded mean otherwise.
    """

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        *,
        beta: float = 1.0,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        _check_parts(encoder, decoder)
        self.beta = _check_beta(beta)
        self.seed = seed
        self.encoder = encoder
        self.decoder = decoder
        self.image_shape = tuple(encoder.input_shape[1:])  # (28, 28, 1)
        self.latent_dim = int(decoder.input_shape[-1])
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")
        self.built = True  # the encoder and decoder are functional models, built already

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        # Listed here so Keras resets them each epoch and fit/evaluate report them.
        return [self.loss_tracker, self.reconstruction_loss_tracker, self.kl_loss_tracker]

    def call(self, x: TensorLike, training: bool = False) -> TensorLike:
        mu, log_var = self.encoder(x, training=training)  # (batch, latent_dim) each
        z = self._sample_z(mu, log_var) if training else mu
        return self.decoder(z, training=training)  # (batch, 28, 28, 1) in [0, 1]

    def _sample_z(self, mu: TensorLike, log_var: TensorLike) -> TensorLike:
        epsilon = keras.random.normal(ops.shape(mu), seed=self.seed_generator)
        return reparameterize(mu, log_var, epsilon)

    def _compute_losses(
        self, x: TensorLike, training: bool
    ) -> tuple[TensorLike, TensorLike, TensorLike]:
        mu, log_var = self.encoder(x, training=training)
        x_hat = self.decoder(self._sample_z(mu, log_var), training=training)
        reconstruction_loss = ops.mean(-bernoulli_log_likelihood(x, x_hat))
        kl_loss = ops.mean(gaussian_kl(mu, log_var))
        loss = reconstruction_loss + self.beta * kl_loss  # = mean of -ELBO
        return loss, reconstruction_loss, kl_loss

    def _update_trackers(self, x: TensorLike, losses: tuple[TensorLike, ...]) -> dict[str, Any]:
        batch_size = ops.shape(x)[0]  # weight by batch size, so a short last batch counts less
        for tracker, value in zip(self.metrics, losses, strict=True):
            tracker.update_state(value, sample_weight=batch_size)
        return {tracker.name: tracker.result() for tracker in self.metrics}

    def train_step(self, data: Any) -> dict[str, TensorLike]:
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            losses = self._compute_losses(x, training=True)
        gradients = tape.gradient(losses[0], self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights, strict=True))
        return self._update_trackers(x, losses)

    def test_step(self, data: Any) -> dict[str, TensorLike]:
        # Also samples z: the validation loss is the same one-sample estimate of -ELBO.
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        return self._update_trackers(x, self._compute_losses(x, training=False))

    def fit(
        self, x: Any = None, y: Any = None, *args: Any, **kwargs: Any
    ) -> keras.callbacks.History:
        """Keras' ``fit``; NumPy images ``x`` (and NumPy ``validation_data``) are checked first.

        ``y`` is ignored: the images are their own targets.
        """
        if isinstance(x, np.ndarray):
            x = check_training_images(x, "x", self.image_shape)
        validation = kwargs.get("validation_data")
        if isinstance(validation, np.ndarray):
            kwargs["validation_data"] = check_training_images(
                validation, "validation_data", self.image_shape
            )
        return super().fit(x, y, *args, **kwargs)

    # ## Using a trained VAE (NumPy in, NumPy out) ################################################

    def encode(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(batch, H, W, C) images in [0, 1] -> (mu, log_var), each float32 (batch, latent_dim)."""
        x = check_training_images(x, "x", self.image_shape)
        parts = [self.encoder(batch, training=False) for batch in _batches(x)]
        mu = np.concatenate([np.asarray(part[0]) for part in parts])
        log_var = np.concatenate([np.asarray(part[1]) for part in parts])
        return mu, log_var

    def decode(self, z: np.ndarray) -> np.ndarray:
        """(batch, latent_dim) latents -> float32 (batch, H, W, C) images in [0, 1]."""
        z = np.asarray(z, dtype=np.float32)
        if z.ndim != 2 or z.shape[1] != self.latent_dim or len(z) == 0:
            raise ValueError(f"z has shape {z.shape}; expected (batch, {self.latent_dim}).")
        if not np.all(np.isfinite(z)):
            raise ValueError("z contains NaN or infinity.")
        return np.concatenate([np.asarray(self.decoder(b, training=False)) for b in _batches(z)])

    def sample(self, n: int, seed: int | None = None) -> np.ndarray:
        """``n`` new images, float32 (n, H, W, C) in [0, 1], decoded from z ~ N(0, I).

        With ``seed`` the same images come back every time; without, the model's own seed
        generator draws (repeatable across runs when the model was built with a seed).
        """
        check_positive(n=n)
        if seed is None:
            z = np.asarray(keras.random.normal((n, self.latent_dim), seed=self.seed_generator))
        else:
            z = np.random.default_rng(seed).standard_normal((n, self.latent_dim))
        return self.decode(z)

    def interpolate(self, a: np.ndarray, b: np.ndarray, steps: int) -> np.ndarray:
        """Decode ``steps`` evenly spaced points on the line from mu(a) to mu(b) in latent space.

        ``a``, ``b``: one image each, (H, W, C) or (1, H, W, C), in [0, 1]. Returns float32
        (steps, H, W, C); the first and last images are ``decode(encode(a)[0])`` and likewise b.
        """
        steps = check_int(steps, "steps", minimum=2)  # both ends are included
        ends = []
        for name, image in (("a", a), ("b", b)):
            image = np.asarray(image, dtype=np.float32)
            if image.shape == self.image_shape:
                image = image[None]
            elif image.shape != (1, *self.image_shape):
                raise ValueError(
                    f"{name} has shape {image.shape}; expected one image, {self.image_shape} "
                    f"or {(1, *self.image_shape)}."
                )
            ends.append(self.encode(image)[0][0])  # (latent_dim,)
        t = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]  # (steps, 1), 0 and 1 exact
        return self.decode((1.0 - t) * ends[0] + t * ends[1])  # (steps, H, W, C)

    # ## Saving ###################################################################################

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "trainable": self.trainable,
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "beta": self.beta,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> VAE:
        config = dict(config)
        encoder = keras.saving.deserialize_keras_object(config.pop("encoder"))
        decoder = keras.saving.deserialize_keras_object(config.pop("decoder"))
        return cls(encoder, decoder, **config)


def build_vae(
    latent_dim: int = 2,
    beta: float = 1.0,
    seed: int | None = None,
    image_shape: Sequence[int] = (28, 28, 1),
) -> VAE:
    """A :class:`VAE` with the default encoder and decoder; ``compile`` it before ``fit``."""
    encoder = build_vae_encoder(latent_dim, image_shape)
    decoder = build_vae_decoder(latent_dim, image_shape)
    return VAE(encoder, decoder, beta=beta, seed=seed, name=f"vae_{latent_dim}")


def _check_beta(beta: float) -> float:
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.number)):
        raise ValueError(f"beta must be a number >= 0, got {beta!r}.")
    if not np.isfinite(beta) or beta < 0:
        raise ValueError(f"beta must be a finite number >= 0, got {beta!r}.")
    return float(beta)


def _check_parts(encoder: keras.Model, decoder: keras.Model) -> None:
    outputs = encoder.output_shape
    if not (isinstance(outputs, list) and len(outputs) == 2 and outputs[0] == outputs[1]):
        raise ValueError(
            "encoder must output [z_mean, z_log_var], two tensors of shape (batch, latent_dim) "
            f"(see build_vae_encoder); its output shape is {outputs}."
        )
    if tuple(decoder.input_shape) != tuple(outputs[0]):
        raise ValueError(
            f"decoder takes {decoder.input_shape} but the encoder gives z of shape {outputs[0]}."
        )
    if tuple(decoder.output_shape) != tuple(encoder.input_shape):
        raise ValueError(
            f"decoder outputs {decoder.output_shape} but the encoder takes {encoder.input_shape}."
        )


def _batches(array: np.ndarray, size: int = 256) -> list[np.ndarray]:
    return [array[start : start + size] for start in range(0, len(array), size)]
