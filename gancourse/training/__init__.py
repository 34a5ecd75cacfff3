"""Training GANs: one trainer, its losses, callbacks, live view, devices and presets."""

from .budget import Budget, BudgetClock
from .callbacks import (
    GANCheckpoint,
    NonFiniteGuard,
    ProgressBar,
    SampleGrid,
    StepHistory,
    all_finite,
)
from .devices import (
    PRECISIONS,
    cpu_supports_bfloat16,
    default_precision,
    make_strategy,
    split_cpu,
)
from .live import LiveView, in_notebook
from .losses import LOSSES, discriminator_loss, generator_loss, gradient_penalty, r1_penalty
from .presets import (
    DCGAN_RECIPE,
    DCGAN_RECIPE_BATCH_SIZE,
    TOY_BATCH_SIZE,
    make_conditional_dcgan,
    make_dcgan,
    make_mlp_gan,
    make_toy_gan,
)
from .run import TrainingRun, new_run_dir, train
from .trainer import GAN, METRIC_NAMES, UPDATES

__all__ = [
    "DCGAN_RECIPE",
    "DCGAN_RECIPE_BATCH_SIZE",
    "GAN",
    "LOSSES",
    "METRIC_NAMES",
    "PRECISIONS",
    "TOY_BATCH_SIZE",
    "UPDATES",
    "Budget",
    "BudgetClock",
    "GANCheckpoint",
    "LiveView",
    "NonFiniteGuard",
    "ProgressBar",
    "SampleGrid",
    "StepHistory",
    "TrainingRun",
    "all_finite",
    "cpu_supports_bfloat16",
    "default_precision",
    "discriminator_loss",
    "generator_loss",
    "gradient_penalty",
    "in_notebook",
    "make_conditional_dcgan",
    "make_dcgan",
    "make_mlp_gan",
    "make_strategy",
    "make_toy_gan",
    "new_run_dir",
    "r1_penalty",
    "split_cpu",
    "train",
]
