"""Figures for the lessons: image grids, rows of reconstructions, training curves, 2-D latent
maps and simple line plots.

Every function returns a :class:`matplotlib.figure.Figure` and, given ``path=``, also saves it
as a PNG (:func:`save_figure`).

How figures appear in Jupyter (once each, as a PNG, without pyplot) is
:mod:`gancourse.display`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle
from matplotlib.ticker import MaxNLocator, NullLocator
from numpy.typing import ArrayLike

from .display import finish, images_to_uint8, new_figure, show_image
from .validation import check_positive

__all__ = [
    "compare_rows",
    "image_grid",
    "image_mosaic",
    "metric_bars",
    "plot_confusion",
    "plot_conv_arithmetic",
    "plot_curve",
    "plot_history",
    "plot_latent_2d",
    "rank_grid",
    "score_scatter",
]

_INCHES_PER_IMAGE = 1.0
_MAX_GRID_INCHES = 8.0  # a 10 x 10 grid is 8 x 8 inches (800 x 800 pixels): fits a laptop screen
_MAX_CLASSES = 20  # distinct colours available (tab20)


# ## Images


def _cell_inches(nrows: int, ncols: int, height: int, width: int) -> tuple[float, float]:
    """(width, height) in inches of one image, about 1 inch, smaller for big grids."""
    scale = min(_INCHES_PER_IMAGE, _MAX_GRID_INCHES / max(nrows, ncols))
    aspect = width / height
    return scale * min(aspect, 1.0), scale * min(1.0 / aspect, 1.0)


def image_mosaic(
    images: ArrayLike,
    *,
    value_range: tuple[float, float] | None = None,
    ncols: int | None = None,
    padding: int = 2,
    scale: int = 1,
) -> np.ndarray:
    """Tile images into one uint8 picture, fast (no matplotlib): for files, GIFs, live views.

    Takes the same ``images`` and ``value_range`` as :func:`image_grid`. Returns (height, width)
    for single-channel images or (height, width, 3) for colour, with ``padding`` black pixels
    between tiles, each pixel repeated ``scale`` times along both axes.
    """
    pixels = images_to_uint8(images, value_range, name="images")
    count, height, width = pixels.shape[:3]
    ncols = math.ceil(math.sqrt(count)) if ncols is None else min(int(ncols), count)
    nrows = math.ceil(count / ncols)
    if ncols < 1 or padding < 0 or scale < 1:
        raise ValueError("ncols and scale must be >= 1 and padding >= 0")
    step_y, step_x = height + padding, width + padding
    canvas = np.zeros(
        (nrows * step_y + padding, ncols * step_x + padding, *pixels.shape[3:]), np.uint8
    )
    for index, image in enumerate(pixels):
        top, left = padding + (index // ncols) * step_y, padding + (index % ncols) * step_x
        canvas[top : top + height, left : left + width] = image
    return canvas.repeat(scale, axis=0).repeat(scale, axis=1)


def image_grid(
    images: ArrayLike,
    *,
    value_range: tuple[float, float] | None = None,
    ncols: int | None = None,
    titles: Sequence[object] | None = None,
    title: str | None = None,
    cmap: str = "gray",
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Show images in a grid, about 1 inch each (a 10 x 10 grid is 8 x 8 inches).

    Args:
        images: (N, H, W), (N, H, W, 1), (N, H, W, 3), or flat (N, D) with D a perfect
            square (MNIST's (N, 784) becomes (N, 28, 28)); at most 256 images.
        value_range: (low, high), the values shown as black and white: (0, 1) for pixels
            scaled to [0, 1], (-1, 1) for a tanh output. Required unless ``images`` is uint8
            (read as 0..255). Converted by :func:`gancourse.pixels.to_uint8`.
        ncols: images per row; default one row for up to 10 images, else a square-ish grid.
        titles: one short title per image, e.g. the labels.
        title: a title above the grid.
        cmap: colour map for single-channel images (MNIST: white digits on black).
        path: also save the figure there as a PNG.
    """
    pixels = images_to_uint8(images, value_range, name="images")
    count = len(pixels)
    if ncols is None:
        ncols = count if count <= 10 else math.ceil(math.sqrt(count))
    elif isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive int, got {ncols!r}")
    ncols = min(ncols, count)
    nrows = math.ceil(count / ncols)
    if titles is not None and len(titles) != count:
        raise ValueError(f"titles needs one entry per image: {count} images, {len(titles)} titles")

    cell_width, cell_height = _cell_inches(nrows, ncols, *pixels.shape[1:3])
    title_inches = 0.2 if titles is not None else 0.0
    figsize = (ncols * cell_width, nrows * (cell_height + title_inches) + (0.4 if title else 0.0))
    fig = new_figure(figsize, layout="compressed")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for index, ax in enumerate(axes):
        if index >= count:
            ax.remove()
            continue
        show_image(ax, pixels[index], cmap)
        if titles is not None:
            ax.set_title(str(titles[index]), fontsize=8, pad=2)
    if title:
        fig.suptitle(title)
    return finish(fig, path)


def compare_rows(
    rows: Mapping[str, ArrayLike],
    *,
    value_range: tuple[float, float] | None = None,
    title: str | None = None,
    cmap: str = "gray",
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Rows of images with a label on the left, e.g. originals above their reconstructions.

    Args:
        rows: ``{label: images}``, each in a layout :func:`image_grid` accepts, all with the
            same number of images, e.g. ``{"original": x, "reconstruction": x_hat}``.
        value_range: as in :func:`image_grid`, for every row (uint8 rows need none).
        title: a title above the rows.
        cmap: colour map for single-channel images.
        path: also save the figure there as a PNG.
    """
    if not isinstance(rows, Mapping) or not rows:
        raise ValueError(
            "rows must be a non-empty mapping {label: images}, "
            "e.g. {'original': x, 'reconstruction': x_hat}"
        )
    pixels = {
        str(label): images_to_uint8(images, value_range, name=f"rows[{label!r}]")
        for label, images in rows.items()
    }
    counts = {label: len(images) for label, images in pixels.items()}
    if len(set(counts.values())) != 1:
        raise ValueError(f"every row needs the same number of images, got {counts}")
    ncols, nrows = len(next(iter(pixels.values()))), len(pixels)

    cell_width, cell_height = _cell_inches(nrows, ncols, *next(iter(pixels.values())).shape[1:3])
    figsize = (ncols * cell_width + 1.0, nrows * cell_height + (0.4 if title else 0.0))
    fig = new_figure(figsize, layout="compressed")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for row_axes, (label, images) in zip(axes, pixels.items(), strict=True):
        for ax, image in zip(row_axes, images, strict=True):
            show_image(ax, image, cmap)
        row_axes[0].set_ylabel(label, rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title)
    return finish(fig, path)


# ## Curves


def _as_series(values: ArrayLike, name: str) -> np.ndarray:
    try:
        series = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a sequence of numbers: {error}") from None
    if series.ndim != 1 or len(series) == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of numbers, got shape {series.shape}"
        )
    return series


def _check_positive(series: np.ndarray, name: str, option: str) -> None:
    if np.any(series <= 0):
        raise ValueError(
            f"{option}=True needs positive values, but {name} has min {series.min():g}"
        )


def plot_history(
    history: Mapping[str, Sequence[float]] | Any,
    *,
    keys: Sequence[str] | None = None,
    xlabel: str = "epoch",
    logy: bool = False,
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Loss and metric curves, one value per epoch (x starts at 1).

    Args:
        history: ``{name: [value per epoch]}``, or the ``History`` that ``model.fit`` returns.
            ``loss`` and ``val_loss`` share a colour; validation curves are dashed. NaN values
            (a diverged run) leave gaps.
        keys: the curves to draw, in order; default all of them.
        xlabel: ``"epoch"``, or e.g. ``"step"`` for a history recorded per step.
        logy: logarithmic y axis (all values must be positive).
        title: a title above the plot.
        path: also save the figure there as a PNG.
    """
    history = getattr(history, "history", history)  # keras.callbacks.History -> its dict
    if not isinstance(history, Mapping):
        raise ValueError(
            "history must be a dict {name: [value per epoch]} or a Keras History, "
            f"got {type(history).__name__}"
        )
    if not history:
        raise ValueError("history is empty: nothing to plot (was the model trained?)")
    keys = list(history) if keys is None else list(keys)
    missing = [key for key in keys if key not in history]
    if missing or not keys:
        raise ValueError(f"keys {missing or keys} not in history; it has {list(history)}")
    curves = {key: _as_series(history[key], f"history[{key!r}]") for key in keys}
    if logy:
        for key, values in curves.items():
            _check_positive(values[np.isfinite(values)], f"history[{key!r}]", "logy")

    fig = new_figure((6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    colours: dict[str, str] = {}
    for key, values in curves.items():
        colour = colours.setdefault(key.removeprefix("val_"), f"C{len(colours) % 10}")
        ax.plot(
            np.arange(1, len(values) + 1),
            values,
            color=colour,
            linestyle="--" if key.startswith("val_") else "-",
            marker="o" if len(values) <= 30 else None,
            markersize=3,
            label=key,
        )
    ax.set_xlabel(xlabel)
    if all("loss" in key for key in curves):
        ax.set_ylabel("loss")
    if logy:
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    return finish(fig, path)


def plot_curve(
    x: ArrayLike,
    ys: Mapping[str, ArrayLike],
    *,
    xlabel: str,
    ylabel: str,
    logx: bool = False,
    logy: bool = False,
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Lines with markers, e.g. reconstruction error against code size.

    Args:
        x: the x values, shape (K,).
        ys: ``{name: y values of shape (K,)}``; a legend names them.
        xlabel, ylabel: axis labels.
        logx, logy: logarithmic axes (the values must be positive). With ``logx`` and at most
            12 points, the ticks are the x values themselves (2, 4, 8, ...).
        title: a title above the plot.
        path: also save the figure there as a PNG.
    """
    xs = _as_series(x, "x")
    if not isinstance(ys, Mapping) or not ys:
        raise ValueError("ys must be a non-empty mapping {name: y values}")
    series = {str(name): _as_series(values, f"ys[{name!r}]") for name, values in ys.items()}
    for name, values in series.items():
        if len(values) != len(xs):
            raise ValueError(f"ys[{name!r}] has {len(values)} values but x has {len(xs)}")
        if logy:
            _check_positive(values, f"ys[{name!r}]", "logy")
    if logx:
        _check_positive(xs, "x", "logx")

    fig = new_figure((6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    for name, values in series.items():
        ax.plot(xs, values, marker="o", label=name)
    if logx:
        ax.set_xscale("log")
        if len(xs) <= 12:
            ax.set_xticks(xs, [f"{value:g}" for value in xs])
            ax.xaxis.set_minor_locator(NullLocator())
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    return finish(fig, path)


# ## Scores of several models


def _score_table(
    rows: Mapping[str, Mapping[str, float]], name: str = "rows"
) -> tuple[list[str], list[str], np.ndarray]:
    """(labels, metric names, values (labels x metrics)) from ``{label: {metric: value}}``."""
    if not isinstance(rows, Mapping) or not rows:
        raise ValueError(f"{name} must be a non-empty mapping {{label: {{metric: value}}}}")
    labels = [str(label) for label in rows]
    metrics = list(next(iter(rows.values())))
    for label, scores in rows.items():
        if list(scores) != metrics:
            raise ValueError(
                f"every row needs the same metrics in the same order: {name}[{label!r}] has "
                f"{list(scores)}, the first row {metrics}"
            )
    values = np.array([[float(scores[m]) for m in metrics] for scores in rows.values()])
    if not np.isfinite(values).all():
        bad = [f"{labels[i]}: {metrics[j]}" for i, j in np.argwhere(~np.isfinite(values))]
        raise ValueError(f"every score must be finite; NaN or inf at {', '.join(bad)}")
    return labels, metrics, values


_LOWER_IS_BETTER_DEFAULT = ("FID", "KID")


def _lower_is_better(names: Sequence[str] | None, metrics: list[str]) -> set[str]:
    """The metrics ranked lowest first: ``names``, which must all be metrics of the rows, or by
    default FID and KID where present."""
    if names is None:
        return set(_LOWER_IS_BETTER_DEFAULT) & set(metrics)
    unknown = sorted(set(names) - set(metrics))
    if unknown:
        raise ValueError(f"lower_is_better names {unknown}, which are not among {metrics}")
    return set(names)


def metric_bars(
    rows: Mapping[str, Mapping[str, float]],
    *,
    lower_is_better: Sequence[str] | None = None,
    title: str | None = None,
    columns: int = 4,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """One panel per metric, one horizontal bar per label, the first label on top.

    Args:
        rows: ``{label: {metric: value}}``, every row with the same metrics, e.g. the scores of
            several models from :class:`gancourse.metrics.ImageEvaluator`.
        lower_is_better: metrics whose panel title says "lower is better" (others "higher");
            default FID and KID where present.
        title: a title above the panels.
        columns: panels per row.
        path: also save the figure there as a PNG.
    """
    labels, metrics, values = _score_table(rows)
    lower = _lower_is_better(lower_is_better, metrics)
    check_positive(columns=columns)
    nrows, ncols = math.ceil(len(metrics) / columns), min(columns, len(metrics))
    height = max(2.2, 0.3 * len(labels) + 1.0)
    fig = new_figure((3.3 * ncols + 1.5, height * nrows + (0.4 if title else 0.0)), "constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharey=True, squeeze=False)).ravel()
    colours = colormaps["tab10"](np.arange(len(labels)) % 10)
    for ax, name, column in zip(axes, metrics, values.T, strict=False):
        ax.barh(labels, column, color=colours)
        direction = "lower" if name in lower else "higher"
        ax.set_title(f"{name} ({direction} is better)", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    axes[0].invert_yaxis()  # shared y: the first label on top, as in a table
    if title:
        fig.suptitle(title)
    return finish(fig, path)


def rank_grid(
    rows: Mapping[str, Mapping[str, float]],
    *,
    lower_is_better: Sequence[str] | None = None,
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """A labels x metrics grid of ranks (1 = best on that metric), coloured from best to worst.

    Where the metrics agree, a row has one colour; where they disagree, it is striped. Ties
    share the better rank. Arguments as :func:`metric_bars`.
    """
    labels, metrics, values = _score_table(rows)
    lower = _lower_is_better(lower_is_better, metrics)
    better = np.where(np.isin(metrics, list(lower)), values, -values)  # low = good
    ranks = 1 + (better[None, :, :] < better[:, None, :]).sum(axis=1)  # (labels, metrics)
    fig = new_figure((0.9 * len(metrics) + 2.5, 0.45 * len(labels) + 1.4), "constrained")
    ax = fig.add_subplot()
    ax.imshow(ranks, cmap="RdYlGn_r", vmin=1, vmax=max(len(labels), 2), aspect="auto")
    for (i, j), value in np.ndenumerate(ranks):
        ax.text(j, i, str(value), ha="center", va="center", fontsize=10)
    ax.set_xticks(range(len(metrics)), metrics, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_title(title or "rank on each metric (1 = best)")
    return finish(fig, path)


def plot_confusion(
    confusion: ArrayLike,
    *,
    xlabel: str = "class the classifier sees",
    ylabel: str = "class asked for",
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """A confusion matrix as a grid of counts, each row coloured by its share of the row.

    Args:
        confusion: (k, k) non-negative integer counts, row = the true (or asked) class, column
            = the class predicted, e.g. ``gancourse.metrics.class_accuracy(...).confusion``.
        xlabel, ylabel: axis labels.
        title: a title above the grid.
        path: also save the figure there as a PNG.
    """
    counts = np.asarray(confusion)
    if (
        counts.ndim != 2
        or counts.shape[0] != counts.shape[1]
        or counts.shape[0] == 0
        or counts.dtype.kind not in "iu"
        or counts.min() < 0
    ):
        raise ValueError(
            f"confusion must be a square (k, k) matrix of counts >= 0, got {counts.dtype} "
            f"{counts.shape}"
        )
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    k = len(counts)
    fig = new_figure((0.45 * k + 1.8, 0.45 * k + 1.2), "constrained")
    ax = fig.add_subplot()
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for (i, j), value in np.ndenumerate(counts):
        if value:
            colour = "white" if shares[i, j] > 0.5 else "black"
            ax.text(j, i, str(value), ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return finish(fig, path)


def score_scatter(
    rows: Mapping[str, Mapping[str, float]],
    pairs: Sequence[tuple[str, str]],
    *,
    highlight: str | None = None,
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """One point per row in each panel (a legend names them), one panel per (x, y) metric pair.

    Args:
        rows: ``{label: {metric: value}}``, as :func:`metric_bars`.
        pairs: e.g. ``[("precision", "recall"), ("density", "coverage")]``.
        highlight: a label drawn as a large star (e.g. the real data's row).
        title: a title above the panels.
        path: also save the figure there as a PNG.
    """
    labels, metrics, values = _score_table(rows)
    pairs = [tuple(pair) for pair in pairs]
    missing = sorted({name for pair in pairs for name in pair} - set(metrics))
    if not pairs or missing or any(len(pair) != 2 for pair in pairs):
        raise ValueError(
            f"pairs must be (x, y) metric names from {metrics}; missing or malformed: "
            f"{missing or pairs}"
        )
    if highlight is not None and highlight not in labels:
        raise ValueError(f"highlight={highlight!r} is not a label of rows: {labels}")
    fig = new_figure((4.5 * len(pairs) + 2.0, 4.0), "constrained")
    colours = colormaps["tab10"](np.arange(len(labels)) % 10)
    for ax, (x, y) in zip(np.atleast_1d(fig.subplots(1, len(pairs))), pairs, strict=True):
        xs, ys = values[:, metrics.index(x)], values[:, metrics.index(y)]
        for label, colour, px, py in zip(labels, colours, xs, ys, strict=True):
            star = label == highlight
            ax.scatter(
                px, py, s=180 if star else 70, marker="*" if star else "o", color=colour,
                label=label, alpha=0.85, edgecolors="black", linewidths=0.5,
            )  # fmt: skip
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.grid(alpha=0.3)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside right center", fontsize=9)
    if title:
        fig.suptitle(title)
    return finish(fig, path)


# ## Latent codes


def _class_indices(labels: ArrayLike, count: int) -> np.ndarray:
    classes = np.asarray(labels)
    if classes.shape != (count,) or classes.dtype.kind not in "iu":
        raise ValueError(
            f"labels must be {count} integer class indices, shape ({count},), got shape "
            f"{classes.shape} and dtype {classes.dtype} (for one-hot labels use y.argmax(axis=1))"
        )
    if classes.min() < 0:
        raise ValueError(f"labels must be class indices >= 0, got {classes.min()}")
    return classes


def plot_latent_2d(
    codes: ArrayLike,
    labels: ArrayLike | None = None,
    *,
    class_names: Sequence[str] | None = None,
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Scatter 2-D codes, coloured by class, with a legend naming the classes.

    Args:
        codes: shape (N, 2), finite floats, e.g. the encoder's output for a test batch.
        labels: shape (N,), integer class indices 0..K-1 (K <= 20); None draws one colour.
        class_names: K names for the legend; default the indices ("0".."9" for digits).
        title: a title above the plot.
        path: also save the figure there as a PNG.

    Equal scales on both axes, so distances in the picture are distances between codes.
    """
    points = np.asarray(codes)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
        raise ValueError(
            f"codes must have shape (N, 2) with N >= 1, got {points.shape}; "
            "for a longer code, project it to 2-D first (e.g. with PCA)"
        )
    if points.dtype.kind not in "iuf" or not np.all(np.isfinite(points)):
        raise ValueError(f"codes must be finite numbers, got dtype {points.dtype} or NaN/inf")
    size = float(np.clip(20_000 / len(points), 3, 30))  # marker area: smaller when crowded

    if labels is None:
        colours, legend = None, []
    else:
        classes = _class_indices(labels, len(points))
        names = [str(k) for k in range(classes.max() + 1)] if class_names is None else class_names
        names = [str(name) for name in names]
        if classes.max() >= len(names):
            raise ValueError(
                f"labels go up to {classes.max()} but class_names has {len(names)} names"
            )
        if len(names) > _MAX_CLASSES:
            raise ValueError(
                f"plot_latent_2d colours at most {_MAX_CLASSES} classes, got {len(names)}"
            )
        palette = np.asarray(colormaps["tab10" if len(names) <= 10 else "tab20"].colors)
        colours = palette[classes]
        legend = [
            Line2D([], [], linestyle="", marker="o", color=palette[k], label=name)
            for k, name in enumerate(names)
        ]

    fig = new_figure((6.4, 5.2), layout="constrained")
    ax = fig.add_subplot()
    ax.scatter(points[:, 0], points[:, 1], s=size, c=colours, alpha=0.6, linewidths=0)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    if legend:
        ax.legend(handles=legend, title="class", loc="center left", bbox_to_anchor=(1.02, 0.5))
    if title:
        ax.set_title(title)
    return finish(fig, path)


# ## Convolution arithmetic


def _conv_windows(size: int, kernel_size: int, stride: int, padding: str, transposed: bool):
    """Where each kernel position lies, in one dimension, the way Keras computes it.

    Returns ``(input_cells, output_size, spans)``. For a convolution, ``input_cells`` is the
    range of input positions drawn (padding included, below 0 and from ``size`` on) and span j
    is the first input position covered by output j. For a transposed convolution, span i is
    the first output position of input i's stamp (negative, or past the output: cropped).
    """
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    if not transposed:
        out = (size - kernel_size) // stride + 1 if padding == "valid" else -(-size // stride)
        if out < 1:
            raise ValueError(f"a kernel of {kernel_size} does not fit in {size} cells")
        total = max((out - 1) * stride + kernel_size - size, 0) if padding == "same" else 0
        before = total // 2
        cells = range(-before, size + total - before)
        return cells, out, [j * stride - before for j in range(out)]
    if padding == "valid":
        out, before = size * stride + max(kernel_size - stride, 0), 0
    else:
        out, before = size * stride, max(kernel_size - stride, 0) // 2
    return range(size), out, [i * stride - before for i in range(size)]


def plot_conv_arithmetic(
    cases: Sequence[Mapping[str, Any]],
    *,
    ncols: int = 2,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """How a convolution or a transposed convolution maps cells, along one side of an image.

    One panel per case, a dict with keys ``size`` (input cells), ``kernel_size``, ``stride``,
    ``padding`` ("valid" or "same") and optionally ``transposed`` (default False). The input
    is the top row, the output the bottom row; a coloured band joins each kernel position to
    what it touches. For a convolution, the zeros that "same" padding adds are dashed cells,
    and each output cell reads the ``kernel_size`` inputs above it. For a transposed
    convolution, each input cell stamps the kernel onto ``kernel_size`` output cells,
    ``stride`` apart; darker output cells receive several stamps, and hatched ones are cropped
    by "same" padding. The sizes follow Keras (Dumoulin & Visin 2016,
    https://arxiv.org/abs/1603.07285, draw the same in 2-D).
    """
    if not cases:
        raise ValueError("cases must name at least one convolution")
    ncols = min(ncols, len(cases))
    nrows = math.ceil(len(cases) / ncols)
    fig = new_figure((5.6 * ncols, 2.3 * nrows), "constrained")
    colours = colormaps["tab10"].colors
    for index, case in enumerate(cases):
        unknown = set(case) - {"size", "kernel_size", "stride", "padding", "transposed"}
        if unknown:
            raise ValueError(f"unknown keys in case {index}: {sorted(unknown)}")
        size, kernel, stride = case["size"], case["kernel_size"], case["stride"]
        check_positive(size=size, kernel_size=kernel, stride=stride)
        padding, transposed = case["padding"], bool(case.get("transposed", False))
        cells, out, spans = _conv_windows(size, kernel, stride, padding, transposed)
        ax = fig.add_subplot(nrows, ncols, index + 1)
        top, bottom, height = 1.6, 0.0, 0.6
        if transposed:
            left = (out - size) / 2  # the input row, centred over the output
            for i in cells:
                ax.add_patch(Rectangle((left + i, top), 1, height, fc="white", ec="k"))
            cover = np.zeros(out + 2 * kernel, int)
            for i, start in enumerate(spans):
                colour = colours[i % len(colours)]
                corners = [
                    (left + i, top),
                    (left + i + 1, top),
                    (start + kernel, bottom + height),
                    (start, bottom + height),
                ]
                ax.add_patch(Polygon(corners, fc=colour, alpha=0.25, ec="none"))
                cover[start + kernel : start + 2 * kernel] += 1
            for x in range(min(*spans, 0), max(max(spans) + kernel, out)):
                stamps = cover[x + kernel]
                inside = 0 <= x < out
                shade = str(1.0 - 0.25 * min(stamps, 3)) if inside else "white"
                ax.add_patch(
                    Rectangle(
                        (x, bottom),
                        1,
                        height,
                        fc=shade,
                        ec="k" if inside else "0.6",
                        hatch=None if inside else "///",
                        ls="-" if inside else "--",
                    )
                )
            kind = "Conv2DTranspose"
        else:
            left = (len(cells) - out) / 2 + cells.start  # the output row, centred
            for x in cells:
                pad = not 0 <= x < size
                ax.add_patch(
                    Rectangle(
                        (x, top),
                        1,
                        height,
                        fc="0.9" if pad else "white",
                        ec="0.6" if pad else "k",
                        ls="--" if pad else "-",
                    )
                )
                if pad:
                    ax.text(x + 0.5, top + height / 2, "0", ha="center", va="center", fontsize=8)
            for j, start in enumerate(spans):
                colour = colours[j % len(colours)]
                corners = [
                    (start, top),
                    (start + kernel, top),
                    (left + j + 1, bottom + height),
                    (left + j, bottom + height),
                ]
                ax.add_patch(Polygon(corners, fc=colour, alpha=0.25, ec="none"))
                ax.add_patch(Rectangle((left + j, bottom), 1, height, fc="white", ec="k"))
            kind = "Conv2D"
        ax.set_title(
            f"{kind}, kernel {kernel}, stride {stride}, {padding!r}: {size} -> {out}", fontsize=10
        )
        lows = [cells.start, 0, min(spans)]
        highs = [cells.stop, out, max(spans) + kernel]
        ax.set_xlim(min(lows) - 0.5, max(highs) + 0.5)
        ax.set_ylim(-0.2, top + height + 0.2)
        ax.set_aspect("equal")
        ax.axis("off")
    return finish(fig, path)
