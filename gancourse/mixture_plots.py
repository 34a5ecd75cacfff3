"""Pictures of GANs trained on a 2-D mixture (lesson 07): samples over time, which modes they
fill over time, and the losses step by step; and the same count of modes over time on Stacked
MNIST.

Each function takes runs of :mod:`gancourse.mixture_runs` (or :mod:`gancourse.stacked_mnist`)
and returns a figure shown once in
Jupyter (:mod:`gancourse.display`); ``path=`` also saves it as a PNG.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from .display import finish, new_figure
from .validation import check_int

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    from .metrics.stacked_mnist import StackedModes
    from .mixture_runs import MixtureRun, Snapshot
    from .stacked_mnist import StackedRun
    from .toy_data import Mixture

__all__ = [
    "plot_cost",
    "plot_final_samples",
    "plot_losses",
    "plot_mode_histogram",
    "plot_samples",
    "plot_snapshots",
    "plot_stacked_runs",
]

_MARGIN = 0.25  # of the span of the centres, around them


def _chosen(run: MixtureRun, count: int) -> list[Snapshot]:
    """``count`` snapshots evenly spread over the run, the first and the last included."""
    count = min(check_int(count, "count", minimum=1), len(run.snapshots))
    picks = np.unique(np.linspace(0, len(run.snapshots) - 1, count).round().astype(int))
    return [run.snapshots[index] for index in picks]


def _draw_panel(ax: object, mixture: Mixture, samples: np.ndarray, title: str) -> None:
    """Samples (blue dots) over the mixture's modes (red crosses, with the 3-sigma circle
    inside which a sample counts as high quality)."""
    centres, std = mixture.centres, mixture.std
    low, high = centres.min(axis=0), centres.max(axis=0)
    pad = _MARGIN * float(np.max(high - low))
    ax.scatter(*samples[:, :2].T, s=1, alpha=0.3, color="tab:blue", rasterized=True)
    for centre in centres:
        ax.add_patch(Circle(centre, 3 * std, fill=False, color="tab:red", lw=0.5))
    ax.scatter(*centres.T, marker="x", s=12, color="tab:red", lw=0.8)
    ax.set_xlim(low[0] - pad, high[0] + pad)
    ax.set_ylim(low[1] - pad, high[1] + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=8)


def plot_samples(
    panels: Mapping[str, tuple[Mixture, np.ndarray]],
    *,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """One panel per entry ``{title: (mixture, samples (n, 2))}``, side by side."""
    if not panels:
        raise ValueError("panels is empty: pass {title: (mixture, samples)}")
    fig = new_figure((3.0 * len(panels), 3.2), layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (title, (mixture, samples)) in zip(axes, panels.items(), strict=True):
        score = mixture.score(samples)
        _draw_panel(
            ax,
            mixture,
            np.asarray(samples),
            f"{title}\n{score.modes_captured}/{mixture.modes} modes, "
            f"{score.high_quality_share:.1%} HQ",
        )
    return finish(fig, path)


def plot_final_samples(
    runs: Mapping[str, Sequence[MixtureRun]],
    *,
    title: str = "",
    ncols: int = 4,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """The last snapshot of the first run of each configuration ``{name: [runs]}``, in a grid
    of ``ncols`` columns."""
    if not runs:
        raise ValueError("runs is empty: pass {configuration: [MixtureRun, ...]}")
    ncols = min(check_int(ncols, "ncols", minimum=1), len(runs))
    nrows = -(-len(runs) // ncols)
    fig = new_figure((2.6 * ncols, 2.7 * nrows + 0.3), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[len(runs) :]:
        ax.set_visible(False)
    for ax, (name, group) in zip(axes, runs.items(), strict=False):
        run = group[0]
        score = run.final.score
        _draw_panel(
            ax,
            run.mixture,
            run.final.samples,
            f"{name} (seed {run.seed})\n{score.modes_captured}/{run.mixture.modes} modes, "
            f"{score.high_quality_share:.0%} HQ",
        )
    if title:
        fig.suptitle(title)
    return finish(fig, path)


def plot_cost(
    runs: Mapping[str, Sequence[MixtureRun]],
    *,
    title: str = "",
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """What each configuration costs and buys, one dot per run: left, modes captured against
    CPU ms per generator step; right, high-quality share against CPU seconds to the result."""
    if not runs:
        raise ValueError("runs is empty: pass {configuration: [MixtureRun, ...]}")
    fig = new_figure((10.0, 4.0), layout="constrained")
    per_step, to_result = fig.subplots(1, 2)
    for index, (name, group) in enumerate(runs.items()):
        # 10 colours, then the same colours with another marker: no two configurations alike
        style = {"color": f"C{index % 10}", "marker": "osD^v"[index // 10 % 5]}
        modes = [run.final.score.modes_captured for run in group]
        quality = [100 * run.final.score.high_quality_share for run in group]
        per_step.scatter([run.cpu_ms_per_step() for run in group], modes, label=name, **style)
        to_result.scatter([run.seconds_to_result() for run in group], quality, **style)
    per_step.set_xlabel("CPU ms per generator step (per core)")
    per_step.set_ylabel("modes captured")
    to_result.set_xlabel("CPU seconds to the result (per core)")
    to_result.set_ylabel("high-quality share (%)")
    for ax in (per_step, to_result):
        ax.grid(alpha=0.3)
    fig.legend(loc="outside right center", fontsize=8)
    if title:
        fig.suptitle(title)
    return finish(fig, path)


def plot_snapshots(
    runs: Sequence[MixtureRun],
    *,
    count: int = 6,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """One row per run, ``count`` snapshots across: the samples (dots) over the mixture's modes
    (crosses, with the 3-standard-deviation circle that counts a sample as high quality).
    Each panel's title gives the step, the modes captured and the high-quality share."""
    if not runs:
        raise ValueError("runs is empty: pass at least one MixtureRun")
    rows = [_chosen(run, count) for run in runs]
    ncols = max(len(row) for row in rows)
    fig = new_figure((2.0 * ncols, 2.15 * len(rows) + 0.3), layout="constrained")
    axes = fig.subplots(len(rows), ncols, squeeze=False)
    for run, row, row_axes in zip(runs, rows, axes, strict=True):
        for ax in row_axes[len(row) :]:
            ax.set_visible(False)
        for ax, snapshot in zip(row_axes, row, strict=False):
            score = snapshot.score
            title = (
                f"step {snapshot.step:,}\n{score.modes_captured}/{run.mixture.modes} modes, "
                f"{score.high_quality_share:.0%} HQ"
            )
            _draw_panel(ax, run.mixture, snapshot.samples, title)
        label = f"{run.name}\nseed {run.seed}" if run.name else f"seed {run.seed}"
        row_axes[0].set_ylabel(label, fontsize=8)
    return finish(fig, path)


def plot_mode_histogram(run: MixtureRun, *, path: str | os.PathLike[str] | None = None) -> Figure:
    """Which modes the generator fills, over time: a heat map of the histogram p of the
    high-quality samples over the modes (rows) at each snapshot (columns; all zero when no
    sample is of high quality). A collapsed generator is one bright row; a generator hopping
    between modes is a bright cell that moves."""
    steps = [snapshot.step for snapshot in run.snapshots]
    counts = np.array([snapshot.score.counts_per_mode for snapshot in run.snapshots], float)
    totals = counts.sum(axis=1, keepdims=True)  # (snapshots, 1)
    shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0).T
    fig = new_figure((7.0, 0.9 + 0.13 * run.mixture.modes + 1.2), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(shares, aspect="auto", cmap="magma", interpolation="nearest", vmin=0)
    ax.set_yticks(range(run.mixture.modes)[:: max(1, run.mixture.modes // 8)])
    ticks = np.unique(np.linspace(0, len(steps) - 1, min(6, len(steps))).round().astype(int))
    ax.set_xticks(ticks, [f"{steps[i]:,}" for i in ticks])
    ax.set_xlabel("generator step")
    ax.set_ylabel(f"mode (of {run.mixture.modes})")
    fig.colorbar(image, ax=ax, label="share of the high-quality samples")
    ax.set_title(f"{run.name or 'GAN'} on the {run.mixture.name}: samples per mode over time")
    return finish(fig, path)


def plot_losses(
    runs: Mapping[str, MixtureRun],
    *,
    window: int = 50,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """D's and G's loss at every step (faint) and their moving average over ``window`` steps,
    one panel per run: oscillation shows as waves that do not settle."""
    if not runs:
        raise ValueError("runs is empty: pass at least one MixtureRun")
    window = check_int(window, "window", minimum=1)
    fig = new_figure((7.0, 2.3 * len(runs)), layout="constrained")
    axes = fig.subplots(len(runs), 1, squeeze=False)[:, 0]
    for ax, (label, run) in zip(axes, runs.items(), strict=True):
        for values, name, colour in (
            (run.d_loss, "D loss", "tab:red"),
            (run.g_loss, "G loss", "tab:blue"),
        ):
            steps = np.arange(1, len(values) + 1)
            smoothed = len(values) >= window  # else the raw curve carries the label
            ax.plot(
                steps,
                values,
                color=colour,
                alpha=0.15 if smoothed else 1.0,
                lw=0.5,
                label=None if smoothed else name,
            )
            if smoothed:
                smooth = np.convolve(values, np.ones(window) / window, mode="valid")
                ax.plot(steps[window - 1 :], smooth, color=colour, label=name)
        ax.set_title(label, fontsize=9)
        ax.set_ylabel("loss")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper right")
    axes[-1].set_xlabel("generator step")
    return finish(fig, path)


def plot_stacked_runs(
    runs: Mapping[str, StackedRun],
    real: StackedModes,
    *,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Stacked MNIST over training, one line per model: left, the modes captured (of 1,000);
    right, KL(p || uniform) on a log scale; both against CPU seconds per core of training, with
    real stacked digits scored the same way as a dashed line (the ceiling)."""
    if not runs:
        raise ValueError("runs is empty: pass {name: StackedRun}")
    fig = new_figure((10.0, 3.6), layout="constrained")
    modes_ax, kl_ax = fig.subplots(1, 2)
    for index, (name, run) in enumerate(runs.items()):
        seconds = [point.cpu_seconds for point in run.points]
        colour = f"C{index % 10}"
        modes_ax.plot(seconds, [p.score.modes_captured for p in run.points], "o-", color=colour)
        kl_ax.plot(
            seconds, [p.score.reverse_kl for p in run.points], "o-", color=colour, label=name
        )
    modes_ax.axhline(real.modes_captured, color="k", ls="--", lw=1)
    kl_ax.axhline(real.reverse_kl, color="k", ls="--", lw=1, label="real stacked digits")
    modes_ax.set_ylim(0, 1050)
    modes_ax.set_ylabel("modes captured (of 1,000)")
    kl_ax.set_yscale("log")
    kl_ax.set_ylabel("KL(p || uniform), nats")
    for ax in (modes_ax, kl_ax):
        ax.set_xlabel("CPU seconds of training (per core)")
        ax.grid(alpha=0.3)
    kl_ax.legend(fontsize=8)
    return finish(fig, path)
