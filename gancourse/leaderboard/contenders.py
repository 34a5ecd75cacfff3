"""The models of the capstone, each one entry in a registry.

A contender is a function that trains one model under a :class:`BudgetClock` and returns a
sampler (the course's own five are the recipes of :mod:`gancourse.recipes`). Adding a model to
the leaderboard means adding one such function with :func:`register`; nothing else changes::

    @register("my GAN", family="GAN", description="one sentence about it")
    def train_my_gan(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
        model = ...  # build it; data.labels are there for conditional models
        model.fit(..., epochs=clock.max_epochs, callbacks=[clock])  # the clock enforces the budget
        return Trained(sample=lambda count, seed: ..., network=generator)

``sample(count, seed)`` returns ``count`` images shaped (count, 28, 28) or (count, 28, 28, 1),
floats in [0, 1], the same for the same seed. A GAN contender's whole body can be
:func:`~gancourse.recipes.fit_gan`, as the capstone's are: ``return fit_gan(data, clock, gan)``
for any compiled :class:`~gancourse.training.GAN`, conditional ones included (the "cGAN" below).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import recipes
from ..recipes import Trained, TrainingData
from ..training.budget import BudgetClock

__all__ = ["CONTENDERS", "Contender", "register"]


Trainer = Callable[[TrainingData, BudgetClock, int], Trained]


@dataclass(frozen=True)
class Contender:
    """A registered model: its name, its family, one sentence about it, and how to train it."""

    name: str
    family: str
    description: str
    train: Trainer


CONTENDERS: dict[str, Contender] = {}
"""Every registered contender by name, in the order they were registered."""


def register(name: str, *, family: str, description: str) -> Callable[[Trainer], Trainer]:
    """Decorator: add a trainer ``(data, clock, seed) -> Trained`` to :data:`CONTENDERS`.

    Registering a name again replaces the entry (so a notebook cell can be run twice).
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty string, got {name!r}.")

    def add(trainer: Trainer) -> Trainer:
        if not callable(trainer):
            raise TypeError(f"register({name!r}) decorates a function, got {trainer!r}.")
        CONTENDERS[name] = Contender(name, family, description, trainer)
        return trainer

    return add


# ## The five models of the capstone (gancourse.recipes)

register(
    "autoencoder",
    family="autoencoder",
    description="lesson 01's dense autoencoder (16-d code); samples decode codes drawn from a "
    "Gaussian fitted to the training codes",
)(recipes.train_autoencoder)

register(
    "VAE",
    family="autoencoder",
    description="lesson 03's convolutional VAE (8-d latent); samples decode z ~ N(0, I)",
)(recipes.train_vae)

register(
    "DCGAN",
    family="GAN",
    description="lesson 06's recipe for a CPU (32 filters, batch norm in D, non-saturating "
    "loss, Adam 5e-4, batch 32, samples from a moving average of G)",
)(recipes.train_dcgan)

register(
    "WGAN-GP",
    family="GAN",
    description="lesson 06's networks (32 filters, the tutorial's critic with dropout) as a "
    "Wasserstein GAN with gradient penalty (5 critic steps per generator step, Adam 1e-4 with "
    "betas 0 and 0.9, lambda 10, batch 64: Gulrajani et al. 2017)",
)(recipes.train_wgan_gp)

register(
    "cGAN",
    family="GAN",
    description="lesson 08's class-conditional DCGAN (the DCGAN's recipe given the digit "
    "class, projection discriminator); samples ask for every class equally often",
)(recipes.train_conditional_dcgan)
