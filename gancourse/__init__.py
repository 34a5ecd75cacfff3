"""gancourse: the helper package of a Jupyter course on generative models.

Importing it is cheap and has no side effects (no TensorFlow, no seeding, no downloads):
submodules load on first use, so ``import gancourse as gc; gc.data.load_mnist()`` works.

Where each lesson's code lives (every lesson also uses ``data``, ``pixels``, ``plotting`` and
``config``; lessons with exercises use ``grading``):

========================================  ==================================================
lesson                                    modules
========================================  ==================================================
00 set-up and tour                        ``doctor``
01 autoencoders                           ``models.autoencoders``, ``metrics.reconstruction``
02 convolutional, denoising autoencoders  ``models.conv_autoencoders``, ``widgets``
03 variational autoencoders               ``models.vae``, ``widgets``
04 a GAN from scratch in NumPy            ``numpy_gan``, ``toy_data``
05 the first GAN in Keras                 ``models.gans``, ``training`` (``GAN.train_step`` in
                                          ``trainer``, ``losses``, ``run.train``)
06 DCGAN                                  ``models.gans``, ``training`` (``presets``,
                                          ``callbacks``, ``devices``), ``metrics.classifier``
07 instability and mode collapse          ``toy_data``, ``training`` (stabilisers),
                                          ``metrics.mixture``, ``mixture_runs``,
                                          ``mixture_plots``, ``stacked_mnist``,
                                          ``metrics.stacked_mnist``
08 conditional GANs                       ``models.conditional_gans``, ``training``
                                          (``num_classes``), ``metrics.conditional``,
                                          ``conditional_scores``, ``clusters``
09 evaluating image generators            ``metrics`` (``fid``, ``kid``, ``inception_score``,
                                          ``manifold``, ``inception``, ``memorisation``,
                                          ``report``), ``recipes``
10 human evaluation                       ``widgets.real_or_fake``, ``human_eval``,
                                          ``metrics.human``
11 evaluating text generation             ``text_generation``, ``toy_grammar``, ``metrics.text``
12 capstone: comparing models             ``leaderboard`` (``board``, ``contenders``),
                                          ``recipes``, ``training.budget``
========================================  ==================================================

Shared plumbing: ``display`` (figures shown once in Jupyter, PNG bytes), ``download`` (mirrors
and checksums), ``validation`` (every input check). Course machinery, not lessons: ``cli``,
``doctor``, ``exercises`` (stubs from the answer key), ``grading`` and its pytest plugin,
``site`` (the course as a static website); the digit classifier that the metrics ship is made
by ``models.digit_classifier``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_SUBMODULES = (
    "cli",
    "clusters",
    "config",
    "data",
    "display",
    "doctor",
    "download",
    "exercises",
    "grading",
    "human_eval",
    "leaderboard",
    "metrics",
    "models",
    "numpy_gan",
    "pixels",
    "plotting",
    "recipes",
    "text_generation",
    "toy_data",
    "toy_grammar",
    "training",
    "validation",
    "widgets",
)
_SHORTCUTS = {
    "budget": "config",
    "cache_dir": "config",
    "is_quick": "config",
    "mode": "config",
    "set_seed": "config",
    "grade": "grading",
}

__all__ = [*_SUBMODULES, *_SHORTCUTS, "__version__"]

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    from . import (  # noqa: F401
        cli,
        clusters,
        config,
        data,
        display,
        doctor,
        download,
        exercises,
        grading,
        human_eval,
        leaderboard,
        metrics,
        models,
        numpy_gan,
        pixels,
        plotting,
        recipes,
        text_generation,
        toy_data,
        toy_grammar,
        training,
        validation,
        widgets,
    )
    from .config import budget, cache_dir, is_quick, mode, set_seed  # noqa: F401
    from .grading import grade  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _SHORTCUTS:
        return getattr(importlib.import_module(f"{__name__}.{_SHORTCUTS[name]}"), name)
    raise AttributeError(f"module 'gancourse' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
