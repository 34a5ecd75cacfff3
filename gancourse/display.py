"""Showing pictures: figures that appear once in Jupyter, PNG bytes, and images as uint8.

The shared machinery under :mod:`gancourse.plotting`, :mod:`gancourse.widgets` and the live view
of training. Figures are built with ``Figure`` directly, not through pyplot, so they are never
registered with pyplot: a script or a test gets no window and no pile of open figures. In a
Jupyter kernel every figure made by :func:`new_figure` and passed to :func:`finish` is shown
exactly once, as a PNG, whether the call is the last line of the cell, assigned
(``fig = ...``) or followed by more code:

* a figure that the cell displays itself (last expression, or ``display(fig)``) is shown then;
* the others are shown when the cell finishes, like ``%matplotlib inline`` does, so changes
  made to ``fig`` later in the same cell are in the picture;
* in a later cell, a bare ``fig`` shows it again, as you asked for it.

Importing this module changes nothing: no pyplot, no rcParams, no IPython hooks (the hook is
registered by the first figure finished inside a kernel).
"""

from __future__ import annotations

import io
import math
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .pixels import to_uint8

__all__ = [
    "MAX_IMAGES",
    "NotebookFigure",
    "finish",
    "images_to_uint8",
    "new_figure",
    "png_bytes",
    "save_figure",
    "show_image",
]

_SAVE_OPTIONS: dict[str, Any] = {"format": "png", "dpi": 100, "bbox_inches": "tight"}
MAX_IMAGES = 256  # 100 images take ~1 s to draw, 256 ~5 s; more are too small to see


_pending: list[NotebookFigure] = []  # made during the running cell and not shown yet


class NotebookFigure(Figure):
    """A Figure that shows itself as a PNG in Jupyter and remembers that it was shown."""

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if self in _pending:
            _pending.remove(self)
        display({"image/png": png_bytes(self), "text/plain": repr(self)}, raw=True)


def _show_pending() -> None:
    """IPython ``post_execute`` hook: show the figures the cell made but did not display."""
    from IPython.display import display

    figures = list(_pending)
    _pending.clear()
    for fig in figures:
        display(fig)


def _show_when_cell_ends(fig: NotebookFigure) -> None:
    ipython = sys.modules.get("IPython")  # not imported means not running under IPython
    shell = ipython.get_ipython() if ipython is not None else None
    if getattr(shell, "kernel", None) is None:
        return  # plain Python, a terminal or a test: the caller decides what to do with fig
    if _show_pending not in shell.events.callbacks["post_execute"]:
        shell.events.register("post_execute", _show_pending)
    _pending.append(fig)


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, **_SAVE_OPTIONS)
    return buffer.getvalue()


def new_figure(figsize: tuple[float, float], layout: str) -> NotebookFigure:
    fig = NotebookFigure(figsize=figsize, layout=layout)
    FigureCanvasAgg(fig)  # so fig.canvas.draw() and buffer_rgba() work, e.g. for GIF frames
    return fig


def finish(fig: NotebookFigure, path: str | os.PathLike[str] | None) -> NotebookFigure:
    if path is not None:
        save_figure(fig, path)
    _show_when_cell_ends(fig)
    return fig


def save_figure(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Save ``fig`` as a PNG at ``path`` (100 dpi, tight bounding box), creating parent folders.

    Returns the path as a :class:`~pathlib.Path`.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"save_figure expects a matplotlib Figure, got {type(fig).__name__}")
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise ValueError(f"save_figure writes PNG files; give a path ending in .png, got {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, **_SAVE_OPTIONS)
    return path


def images_to_uint8(
    images: ArrayLike, value_range: tuple[float, float] | None, name: str
) -> np.ndarray:
    """Any accepted image layout -> uint8 of shape (N, H, W) or (N, H, W, 3)."""
    array = np.asarray(images)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a numeric array, got dtype {array.dtype}")
    shape = array.shape
    if array.ndim == 2:
        side = math.isqrt(shape[1])
        if side == 0 or side * side != shape[1]:
            raise ValueError(
                f"{name} of shape {shape} is read as N flat images of D={shape[1]} pixels, "
                "but D is not a perfect square; pass (N, H, W) images "
                "(for a single image, add a batch axis: image[None])"
            )
        array = array.reshape(shape[0], side, side)
    elif array.ndim == 4 and shape[-1] == 1:
        array = array[..., 0]
    elif not (array.ndim == 3 or (array.ndim == 4 and shape[-1] == 3)):
        raise ValueError(
            f"{name} must have shape (N, H, W), (N, H, W, 1), (N, H, W, 3) or flat (N, H*W), "
            f"got {shape}"
        )
    if len(array) == 0:
        raise ValueError(f"{name} holds no images (shape {shape})")
    if len(array) > MAX_IMAGES:
        raise ValueError(
            f"{name} holds {len(array)} images; show at most {MAX_IMAGES}, e.g. {name}[:100]"
        )
    if value_range is None:
        if array.dtype != np.uint8:
            raise ValueError(
                f"{name} has dtype {array.dtype}: pass value_range=(low, high), the values "
                "shown as black and white, e.g. (0, 1), or (-1, 1) for a tanh output "
                "(only uint8 images, read as 0..255, need none)"
            )
        return array
    if array.dtype == bool:
        array = array.astype(np.uint8)  # e.g. binarised digits, shown with value_range=(0, 1)
    return to_uint8(array, value_range, name)


def show_image(ax: Any, image: np.ndarray, cmap: str) -> None:
    """Draw one uint8 image at fixed scale (0 is black, 255 white), without ticks or frame."""
    ax.imshow(image, cmap=cmap, vmin=0, vmax=255, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
