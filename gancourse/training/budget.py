"""One training budget for every model: seconds of training, epochs, or both.

A :class:`Budget` says how much each model may train (the capstone gives every model the same
one); a :class:`BudgetClock` is the Keras callback that enforces it inside ``fit``: it stops
training at the end of the step in which the time runs out, counts the steps and epochs done,
and shows a progress bar over the budget.
"""

from __future__ import annotations

import math
import numbers
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import keras

from ..validation import check_int

__all__ = ["Budget", "BudgetClock", "cpu_cores"]

_NO_EPOCH_LIMIT = 1_000_000  # what fit gets as ``epochs`` when only time limits training


def cpu_cores() -> int:
    """The cores this process may run on: what "CPU seconds per core" divides the process's CPU
    time by (on an idle machine, CPU seconds per core are about wall seconds)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


@dataclass(frozen=True)
class Budget:
    """How long each model may train.

    Args:
        seconds: wall-clock seconds of training per model (``fit`` time: graph tracing
            included, data loading and sampling afterwards not); None for no time limit.
        epochs: at most this many passes over the training data; None for no limit.

    Training stops at whichever limit comes first; at least one must be given.
    """

    seconds: float | None = None
    epochs: int | None = None

    def __post_init__(self) -> None:
        if self.seconds is None and self.epochs is None:
            raise ValueError("a Budget needs seconds=, epochs= or both, e.g. Budget(seconds=60).")
        if self.seconds is not None and (
            isinstance(self.seconds, bool)
            or not isinstance(self.seconds, numbers.Real)
            or not (math.isfinite(self.seconds) and self.seconds > 0)
        ):
            raise ValueError(f"seconds must be a number > 0, got {self.seconds!r}.")
        if self.seconds is not None:
            object.__setattr__(self, "seconds", float(self.seconds))  # e.g. from np.float32
        if self.epochs is not None:
            object.__setattr__(self, "epochs", check_int(self.epochs, "epochs", 1))

    def describe(self) -> str:
        """E.g. "60 s of training" or "at most 5 epochs, 60 s"."""
        parts = [f"at most {self.epochs} epochs"] if self.epochs is not None else []
        parts += [f"{self.seconds:g} s"] if self.seconds is not None else []
        return ", ".join(parts) + " of training per model"


class BudgetClock(keras.callbacks.Callback):
    """Stops ``fit`` when the :class:`Budget` is spent and records what was done.

    Pass it to ``fit(..., epochs=clock.max_epochs, callbacks=[clock])``. Several ``fit`` calls
    may share one clock: the time adds up (a ``fit`` started after the time is spent still runs
    one step: Keras checks for a stop after each step).

    Attributes:
        steps: training steps taken (batches; for a GAN, generator updates).
        epochs: passes over the data, fractional when the last one was cut short.
        seconds: training time used so far.
    """

    def __init__(self, budget: Budget, name: str = "training", *, progress: bool = True) -> None:
        super().__init__()
        if not isinstance(budget, Budget):
            raise TypeError(f"budget must be a Budget, got {type(budget).__name__}.")
        self.budget, self.name, self.progress = budget, name, progress
        self.steps, self.epochs, self.seconds = 0, 0.0, 0.0
        self._started: float | None = None
        self._epoch_steps = 0
        self._bar: Any = None

    @property
    def max_epochs(self) -> int:
        """The ``epochs`` to give ``fit``: the budget's epochs, else effectively no limit."""
        return self.budget.epochs if self.budget.epochs is not None else _NO_EPOCH_LIMIT

    @property
    def spent(self) -> bool:
        """True once the budget's time is used up."""
        return self.budget.seconds is not None and self._elapsed() >= self.budget.seconds

    def _elapsed(self) -> float:
        running = time.perf_counter() - self._started if self._started is not None else 0.0
        return self.seconds + running

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        self._started = time.perf_counter()
        if self.progress and self._bar is None:
            from tqdm.auto import tqdm

            if self.budget.seconds is not None:
                self._bar = tqdm(
                    total=round(self.budget.seconds),
                    desc=self.name,
                    bar_format="{desc}: {bar} {n:.0f}/{total} s {postfix}",
                )
            else:
                self._bar = tqdm(total=self.budget.epochs, desc=self.name, unit="epoch")

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        self._epoch_steps = 0

    def on_train_batch_end(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        self.steps += 1
        self._epoch_steps += 1
        if self._bar is not None and self.budget.seconds is not None:
            elapsed = min(self._elapsed(), self.budget.seconds)
            self._bar.update(elapsed - self._bar.n)
            self._bar.set_postfix_str(f"{self.steps} steps", refresh=False)
        if self.spent:
            self.model.stop_training = True

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        per_epoch = self.params.get("steps") or self._epoch_steps or 1
        self.epochs += min(self._epoch_steps / per_epoch, 1.0)
        if self._bar is not None and self.budget.seconds is None:
            self._bar.update(1)

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        self.seconds = self._elapsed()
        self._started = None

    def close(self) -> None:
        """Close the progress bar (call it when the model's training is over)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
