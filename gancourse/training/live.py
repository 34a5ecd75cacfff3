"""A live view of GAN training: loss curves, D's outputs and the newest samples, redrawn in
place in a Jupyter notebook; one printed line per epoch anywhere else."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import keras
import numpy as np
from matplotlib.figure import Figure

from ..display import png_bytes
from .callbacks import SampleGrid, StepHistory

_CURVES = (("d_loss", "g_loss"), ("d_real", "d_fake"))
_LABELS = {
    "d_loss": "discriminator loss",
    "g_loss": "generator loss",
    "d_real": "D(x), real",
    "d_fake": "D(G(z)), fake",
}


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where a display can be updated in place)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


class LiveView(keras.callbacks.Callback):
    """Redraw the training curves and the newest sample grid after every epoch.

    It draws what ``history`` (a :class:`StepHistory` in the same ``fit``, before the view)
    recorded: each step faintly, with a moving average on top. ``samples`` is a
    :class:`SampleGrid` in the same ``fit``: its newest grid is shown beside the curves
    (without one, that panel is left out). Outside Jupyter (or with ``notebook=False``) it
    prints one line per epoch instead.
    """

    def __init__(
        self,
        history: StepHistory,
        samples: SampleGrid | None = None,
        *,
        notebook: bool | None = None,
        smoothing: int = 25,
    ) -> None:
        super().__init__()
        if not isinstance(history, StepHistory):
            raise TypeError(f"history must be a StepHistory, got {type(history).__name__}")
        self.history, self.samples = history, samples
        self.notebook = in_notebook() if notebook is None else notebook
        self.smoothing = smoothing
        self._handle: Any = None
        self._epoch_start = 0.0

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        seconds = time.perf_counter() - self._epoch_start
        if not self.notebook:
            values = "  ".join(f"{k} {float(v):.4f}" for k, v in (logs or {}).items())
            from tqdm.auto import tqdm

            tqdm.write(
                f"epoch {epoch + 1}/{self.params.get('epochs')}  {values}  ({seconds:.1f} s)"
            )
            return
        from IPython.display import Image, display

        picture = Image(png_bytes(self.figure(title=f"after epoch {epoch + 1}")))
        if self._handle is None:
            self._handle = display(picture, display_id=True)
        else:
            self._handle.update(picture)

    def figure(self, title: str = "") -> Figure:
        """The current view as a matplotlib Figure (also usable after training)."""
        samples = self.samples.latest if self.samples is not None else None
        panels = len(_CURVES) + (samples is not None)
        fig = Figure(figsize=(4.2 * panels, 3.6), layout="constrained")
        axes = fig.subplots(1, panels, squeeze=False)[0]
        for ax, names in zip(axes, _CURVES, strict=False):
            for name in names:
                values = np.asarray(self.history.values.get(name, []), dtype=float)
                if values.size == 0:
                    continue
                steps = np.arange(len(values))[:: _stride(len(values))]  # <= ~1,000 points
                smooth = _moving_average(values, self.smoothing)[steps]
                line = ax.plot(steps, values[steps], alpha=0.25, linewidth=0.8)[0]
                ax.plot(steps, smooth, color=line.get_color(), label=_LABELS[name])
            ax.set_xlabel("step")
            ax.legend(loc="best", fontsize=8)
        if samples is not None:
            axes[-1].imshow(samples, cmap="gray", vmin=0, vmax=255)
            axes[-1].set_axis_off()
            axes[-1].set_title("fixed-noise samples", fontsize=9)
        if title:
            fig.suptitle(title)
        return fig


def _stride(count: int, most: int = 1000) -> int:
    """Step between drawn points so a long run keeps redrawing fast (at most ~``most`` points)."""
    return max(1, count // most)


def _moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over up to ``window`` values (NaN stays NaN); same length as ``values``."""
    cumulative = np.cumsum(np.insert(values, 0, 0.0))
    counts = np.minimum(np.arange(1, len(values) + 1), window)
    ends = np.arange(1, len(values) + 1)
    return (cumulative[ends] - cumulative[ends - counts]) / counts
