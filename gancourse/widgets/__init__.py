"""Widgets for JupyterLab: sliders for looking inside a model, and the real-or-fake game.

Each one is live in JupyterLab and also carries a still picture of its state for renderers
that cannot run widgets (:mod:`gancourse.widgets.picture`).

* :mod:`~gancourse.widgets.explorers`: :func:`latent_explorer` (move through a latent space),
  :func:`interpolation_slider` (walk from one code to another), :func:`noise_slider` (a
  denoiser at growing noise levels); lessons 02 and 03.
* :mod:`~gancourse.widgets.real_or_fake`: :class:`RealOrFakeGame`, human evaluation; lesson 10.
"""

from .explorers import (
    InterpolationSlider,
    LatentExplorer,
    NoiseSlider,
    interpolation_slider,
    latent_explorer,
    noise_slider,
)
from .real_or_fake import RealOrFakeGame

__all__ = [
    "InterpolationSlider",
    "LatentExplorer",
    "NoiseSlider",
    "RealOrFakeGame",
    "interpolation_slider",
    "latent_explorer",
    "noise_slider",
]
