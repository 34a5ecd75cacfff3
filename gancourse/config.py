"""Run-wide settings: quick/full budgets, seeding, and where files are cached.

Nothing here runs at import time; every function reads the environment when it is called,
so a notebook or a test can change ``GANCOURSE_QUICK`` or ``GANCOURSE_CACHE`` and see the
effect on the next call.

Environment variables:

``GANCOURSE_QUICK``
    ``1`` (or ``true``/``yes``/``on``) selects quick mode: every lesson shrinks its
    budgets so it runs top to bottom in a minute or two on a laptop CPU. The test suite sets it.
``GANCOURSE_CACHE``
    The folder for downloaded data, weights and training artefacts. Default:
    ``$XDG_CACHE_HOME/gancourse`` or ``~/.cache/gancourse``.
``GANCOURSE_OFFLINE``
    ``1`` means never touch the network: datasets come from the cache or the offline fallback.
    The test suite sets it.
``GANCOURSE_PRECISION``
    ``float32``, ``mixed_bfloat16`` or ``mixed_float16`` overrides the precision that
    ``make_dcgan()`` picks for this machine (unset: the fastest that trains as well as float32).
    ``GANCOURSE_PRECISION=float32`` runs a CPU with AMX as a laptop without it would.
"""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _env_flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name}={os.environ[name]!r} is not understood; use 1 (on) or 0 (off).")


def is_quick() -> bool:
    """True when ``GANCOURSE_QUICK`` asks for quick mode (small budgets, for tests and previews)."""
    return _env_flag("GANCOURSE_QUICK")


def is_offline() -> bool:
    """True when ``GANCOURSE_OFFLINE`` forbids network access (the test suite sets it)."""
    return _env_flag("GANCOURSE_OFFLINE")


def forced_precision() -> str | None:
    """The precision ``GANCOURSE_PRECISION`` asks for, or None when it is unset or empty
    (checked by :func:`gancourse.training.devices.default_precision`)."""
    return os.environ.get("GANCOURSE_PRECISION", "").strip() or None


def mode() -> str:
    """``"quick"`` or ``"full"``, for printing beside results."""
    return "quick" if is_quick() else "full"


def budget(*, quick: T, full: T) -> T:
    """Pick a budget (epochs, samples, steps...) by mode.

    >>> epochs = budget(quick=1, full=30)  # 30 epochs take ~2 min on a 2-core CPU

    Both values are required so that every notebook states its full-mode budget beside
    its quick one.
    """
    return quick if is_quick() else full


def runs_dir() -> Path:
    """Where training runs keep samples, checkpoints and logs: ``./runs`` unless
    ``GANCOURSE_RUNS`` says otherwise (the test suite points it at a temporary folder)."""
    return Path(os.environ.get("GANCOURSE_RUNS") or "runs").expanduser()


def cache_dir() -> Path:
    """The cache folder (created if missing); ``GANCOURSE_CACHE`` overrides the default."""
    override = os.environ.get("GANCOURSE_CACHE")
    if override:
        path = Path(override).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        path = Path(base) / "gancourse"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check_seed(seed: object) -> None:
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")


def set_seed(seed: int = 0, *, deterministic_ops: bool = False) -> None:
    """Seed Python's ``random``, NumPy's global generator and Keras (and so TensorFlow).

    Args:
        seed: a non-negative integer.
        deterministic_ops: also ask TensorFlow for deterministic kernels
            (``tf.config.experimental.enable_op_determinism``). Runs become bit-for-bit
            repeatable on the same machine, at some cost in speed; it cannot be undone
            in the same process.
    """
    _check_seed(seed)
    import keras  # imported here so that `import gancourse` stays free of TensorFlow

    keras.utils.set_random_seed(int(seed))  # seeds Python's random, NumPy and the backend
    if deterministic_ops:
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


@contextlib.contextmanager
def seeded_weights(seed: int) -> Iterator[None]:
    """Networks built inside start from weights that depend on ``seed`` alone.

    Keras gives every initializer built without a seed one drawn from Python's ``random``.
    Inside this block that module is seeded with ``seed``; afterwards the caller's state is put
    back, so the same seed gives the same starting weights in a lesson, after other cells have
    drawn random numbers, as in a script.
    """
    _check_seed(seed)
    state = random.getstate()
    random.seed(int(seed))
    try:
        yield
    finally:
        random.setstate(state)
