"""Widgets for JupyterLab: sliders for looking inside a model, and the real-or-fake game.

Each one is live in JupyterLab and also carries a still picture of its state for renderers
that cannot run widgets (:mod:`gancourse.widgets.picture`).

* :mod:`~gancourse.widgets.explorers`: :func:`latent_explorer` (move through a latent space),
  :func:`interpolation_slider` (walk from one code to another), :func:`noise_slider` (a
  denoiser at growing noise levels); lessons 02 and 03. :func:`class_explorer` (a class
  selector and noise sliders for a conditional generator); lesson 08.
* :mod:`~gancourse.widgets.real_or_fake`: :class:`RealOrFakeGame`, human evaluation; lesson 10.
"""

from .explorers import (
    ClassExplorer,
    InterpolationSlider,
    LatentExplorer,
    NoiseSlider,
    class_explorer,
    interpolation_slider,
    latent_explorer,
    noise_slider,
)
from .real_or_fake import RealOrFakeGame

__all__ = [
    "ClassExplorer",
    "InterpolationSlider",
    "LatentExplorer",
    "NoiseSlider",
    "RealOrFakeGame",
    "class_explorer",
    "interpolation_slider",
    "latent_explorer",
    "noise_slider",
]
