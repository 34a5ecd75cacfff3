"""gancourse: the helper package of a Jupyter course on generative models.

Importing it is cheap and has no side effects (no TensorFlow, no seeding, no downloads):
submodules load on first use, so ``import gancourse as gc; gc.data.load_mnist()`` works.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_SUBMODULES = (
    "cli",
    "config",
    "data",
    "doctor",
    "exercises",
    "grading",
    "human_eval",
    "leaderboard",
    "metrics",
    "models",
    "numpy_gan",
    "plotting",
    "real_or_fake",
    "text_generation",
    "toy_data",
    "toy_grammar",
    "training",
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
        config,
        data,
        doctor,
        exercises,
        grading,
        human_eval,
        leaderboard,
        metrics,
        models,
        numpy_gan,
        plotting,
        real_or_fake,
        text_generation,
        toy_data,
        toy_grammar,
        training,
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
