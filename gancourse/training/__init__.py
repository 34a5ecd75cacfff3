"""Training GANs: one trainer, its losses, callbacks and device set-up."""

from .losses import LOSSES, discriminator_loss, generator_loss, gradient_penalty
from .trainer import GAN, METRIC_NAMES

__all__ = [
    "GAN",
    "LOSSES",
    "METRIC_NAMES",
    "discriminator_loss",
    "generator_loss",
    "gradient_penalty",
]
