"""What every course widget shares: pictures of uint8 images as PNG bytes, and a still picture
of the widget's state for renderers that cannot run widgets (nbval, nbconvert, GitHub)."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import PIL.Image
from matplotlib.figure import Figure

from ..display import png_bytes, show_image

__all__ = ["MAIN_PIXELS", "SMALL_PIXELS", "WidgetWithPicture", "figure_png", "png", "row_png"]

MAIN_PIXELS = 200  # the image being explored is shown about this big: a 28 x 28 digit at 7x
SMALL_PIXELS = 84  # reference images and rows of images: a 28 x 28 digit at 3x


def png(image: np.ndarray, size: int) -> bytes:
    """uint8 (H, W) or (H, W, 3) -> PNG, its longer side upscaled to about ``size`` pixels."""
    return upscaled_png(image, _scale(image.shape, size))


def row_png(images: np.ndarray, size: int) -> bytes:
    """uint8 (N, H, W[, 3]) -> one PNG of the images side by side, a white line between them,
    each upscaled to about ``size`` pixels."""
    gap = np.full((images.shape[1], 1, *images.shape[3:]), 255, np.uint8)
    row = np.concatenate([part for image in images for part in (gap, image)][1:], axis=1)
    return upscaled_png(row, _scale(images.shape[1:], size))


def _scale(shape: tuple[int, ...], size: int) -> int:
    return max(1, round(size / max(shape[:2])))


def upscaled_png(image: np.ndarray, scale: int) -> bytes:
    """Each pixel becomes a scale x scale square (nearest neighbour: no blur)."""
    buffer = io.BytesIO()
    PIL.Image.fromarray(image.repeat(scale, axis=0).repeat(scale, axis=1)).save(buffer, "PNG")
    return buffer.getvalue()


def figure_png(
    rows: Sequence[Sequence[np.ndarray]],
    caption: str,
    *,
    titles: Sequence[str] | None = None,
    row_labels: Sequence[str] | None = None,
) -> bytes:
    """Rows of uint8 images drawn with matplotlib: the static picture of a widget's state."""
    nrows, ncols = len(rows), len(rows[0])
    cell = min(2.0, 8.0 / ncols)  # inches per image
    fig = Figure(figsize=(ncols * cell, nrows * cell + 0.8), layout="compressed")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for row_axes, images in zip(axes, rows, strict=True):
        for ax, image in zip(row_axes, images, strict=True):
            show_image(ax, image, "gray")
    for ax, title in zip(axes[0], titles or [], strict=False):
        ax.set_title(title, fontsize=9)
    for ax, label in zip(axes[:, 0], row_labels or [], strict=False):
        ax.set_ylabel(label, rotation=0, ha="right", va="center")
    fig.suptitle(
        f"{caption}\n(a still picture of the widget: open the notebook in JupyterLab to use it)",
        fontsize=9,
    )
    return png_bytes(fig)


class WidgetWithPicture(widgets.VBox):
    """A VBox whose output also holds a PNG of its current state and a one-line description,
    for renderers that cannot show widgets (JupyterLab picks the widget view)."""

    png: bytes  # the static picture, a property of each subclass

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle
