"""Pictures of GANs trained on a 2-D mixture (lesson 07): samples over time, which modes they
fill over time, and the losses step by step.

Each function takes runs of :mod:`gancourse.mixture_runs` and returns a figure shown once in
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
    from .mixture_runs import MixtureRun, Snapshot

__all__ = ["plot_losses", "plot_mode_histogram", "plot_snapshots"]

_MARGIN = 0.25  # of the span of the centres, around them


def _chosen(run: MixtureRun, count: int) -> list[Snapshot]:
    """``count`` snapshots evenly spread over the run, the first and the last included."""
    count = min(check_int(count, "count", minimum=1), len(run.snapshots))
    picks = np.unique(np.linspace(0, len(run.snapshots) - 1, count).round().astype(int))
    return [run.snapshots[index] for index in picks]


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
        centres, std = run.mixture.centres, run.mixture.std
        low, high = centres.min(axis=0), centres.max(axis=0)
        pad = _MARGIN * float(np.max(high - low))
        for ax in row_axes[len(row) :]:
            ax.set_visible(False)
        for ax, snapshot in zip(row_axes, row, strict=False):
            ax.scatter(
                *snapshot.samples[:, :2].T, s=1, alpha=0.3, color="tab:blue", rasterized=True
            )
            for centre in centres:
                ax.add_patch(Circle(centre, 3 * std, fill=False, color="tab:red", lw=0.5))
            ax.scatter(*centres.T, marker="x", s=12, color="tab:red", lw=0.8)
            ax.set_xlim(low[0] - pad, high[0] + pad)
            ax.set_ylim(low[1] - pad, high[1] + pad)
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            score = snapshot.score
            ax.set_title(
                f"step {snapshot.step:,}\n{score.modes_captured}/{run.mixture.modes} modes, "
                f"{score.high_quality_share:.0%} HQ",
                fontsize=8,
            )
        label = f"{run.name}\nseed {run.seed}" if run.name else f"seed {run.seed}"
        row_axes[0].set_ylabel(label, fontsize=8)
    return finish(fig, path)


def plot_mode_histogram(run: MixtureRun, *, path: str | os.PathLike[str] | None = None) -> Figure:
    """Which modes the generator fills, over time: a heat map of the share of high-quality
    samples at each mode (rows) at each snapshot (columns). A collapsed generator is one
    bright row; a generator hopping between modes is a bright cell that moves."""
    steps = [snapshot.step for snapshot in run.snapshots]
    counts = np.array([snapshot.score.counts_per_mode for snapshot in run.snapshots], float)
    shares = counts.T / len(run.snapshots[0].samples)  # (modes, snapshots)
    fig = new_figure((7.0, 0.9 + 0.13 * run.mixture.modes + 1.2), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(shares, aspect="auto", cmap="magma", interpolation="nearest", vmin=0)
    ax.set_yticks(range(run.mixture.modes)[:: max(1, run.mixture.modes // 8)])
    ticks = np.unique(np.linspace(0, len(steps) - 1, min(8, len(steps))).round().astype(int))
    ax.set_xticks(ticks, [f"{steps[i]:,}" for i in ticks])
    ax.set_xlabel("generator step")
    ax.set_ylabel(f"mode (of {run.mixture.modes})")
    fig.colorbar(image, ax=ax, label="share of all samples")
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
            ax.plot(steps, values, color=colour, alpha=0.15, lw=0.5)
            if len(values) >= window:
                smooth = np.convolve(values, np.ones(window) / window, mode="valid")
                ax.plot(steps[window - 1 :], smooth, color=colour, label=name)
        ax.set_title(label, fontsize=9)
        ax.set_ylabel("loss")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper right")
    axes[-1].set_xlabel("generator step")
    return finish(fig, path)
