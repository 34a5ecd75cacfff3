"""Lesson 07's experiments: a GAN trained on a 2-D Gaussian mixture, watched as it trains.

:func:`train_on_mixture` trains one GAN (any configuration of
:func:`gancourse.training.make_toy_gan`) for a fixed number of generator steps and keeps
snapshots: 2,500 samples every few steps, scored against the mixture (modes captured,
high-quality share, reverse KL: :mod:`gancourse.metrics.mixture`), with the CPU and wall time
spent so far. :func:`compare` runs several configurations over several seeds on the same data
and budget; :func:`summary_rows` turns the runs into the closing table (mean and spread over
seeds).

Time is measured two ways: wall seconds, and CPU seconds per core (the process's CPU time
divided by the cores it may use), which a busy shared machine disturbs less.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import keras
import numpy as np

from .clusters import pixel_clusters
from .metrics.mixture import PAPER_SAMPLE_COUNT, MixtureScore
from .toy_data import Mixture
from .training import GAN, TOY_BATCH_SIZE, make_toy_gan, train
from .training.budget import cpu_cores
from .validation import check_int

__all__ = [
    "BEST",
    "CLUSTERS",
    "CONFIGURATIONS",
    "DATA_SIZE",
    "LESSON_ORDER",
    "PACKED_BEST",
    "PUBLISHED",
    "MixtureRun",
    "Snapshot",
    "compare",
    "format_table",
    "summary_rows",
    "train_on_mixture",
]

DATA_SIZE = 100_000  # training points drawn for each run, as PacGAN's 2-D experiments
_SNAPSHOT_SEED = 12345  # the same noise for every snapshot: the picture shows G move


Configuration = Callable[[int, int], tuple[GAN, int]]  # (seed, steps) -> (gan, points per step)


def _configuration(*, decay: bool = False, **switches: object) -> Configuration:
    """``(seed, steps) -> (make_toy_gan(seed=seed, **switches), points per step)``; with
    ``decay``, the learning rates fall to 0 over the run's ``steps``; with ``num_classes``, a
    self-conditioned GAN (:func:`train_on_mixture` clusters the points)."""

    def make(seed: int, steps: int) -> tuple[GAN, int]:
        gan = make_toy_gan(seed=seed, decay_steps=steps if decay else None, **switches)
        return gan, TOY_BATCH_SIZE * gan.pack  # PacGAN: 100 discriminator inputs per step

    return make


#: Lesson 07's configurations: PacGAN's networks and optimiser with one stabiliser switched on
#: (or none), each a function ``(seed, steps) -> (gan, points per step)`` for :func:`compare`,
#: then the course's best combination. Every switch and its source is in
#: :func:`gancourse.training.make_toy_gan`'s docstring.
CLUSTERS = 50  # self-conditioning's k-means clusters: more than either mixture has modes
_FAST = {  # both learning rates 5e-4 (Adam beta_1 = 0.5, as DCGAN), decaying to 0 over the run
    "decay": True,
    "generator_learning_rate": 5e-4,
    "discriminator_learning_rate": 5e-4,
    "beta_1": 0.5,
}
BEST = "best: self-conditioned, decay, 5e-4"
PACKED_BEST = "pack 2, decay, 5e-4"
CONFIGURATIONS: dict[str, Configuration] = {
    "plain GAN": _configuration(),
    "label smoothing 0.9": _configuration(real_label=0.9),
    "TTUR (D 4e-4, G 1e-4)": _configuration(discriminator_learning_rate=4e-4),
    "spectral norm": _configuration(spectral_norm=True),
    "R1 (gamma 0.1)": _configuration(r1_weight=0.1),
    "minibatch std": _configuration(minibatch_std=True),
    "packing (m = 4)": _configuration(pack=4),
    "WGAN-GP": _configuration(
        loss="wasserstein-gp", update="alternating", n_critic=5, beta_1=0.0, beta_2=0.9
    ),  # Gulrajani et al.'s Adam(beta_1=0, beta_2=0.9), 5 critic steps
    "learning-rate decay": _configuration(decay=True),
    f"self-conditioning ({CLUSTERS} clusters)": _configuration(num_classes=CLUSTERS),
    # The course's best combination (bench/README.md): self-conditioning on the 50 clusters,
    # with the faster, decaying learning rates.
    BEST: _configuration(num_classes=CLUSTERS, **_FAST),
    # The best before self-conditioning, kept for bench/bench_mode_collapse.py's comparison.
    PACKED_BEST: _configuration(pack=2, **_FAST),
}
LESSON_ORDER = tuple(name for name in CONFIGURATIONS if name != PACKED_BEST)

#: Published rows (modes captured, high-quality %) on the ring and the grid: VEEGAN Table 1
#: (Srivastava et al. 2017, https://arxiv.org/abs/1705.07761) and PacGAN Table 1 (Lin et al.
#: 2018, https://arxiv.org/abs/1712.04086). Same benchmarks, 400,000 steps on a GPU.
PUBLISHED: dict[str, dict[str, tuple[float, float]]] = {
    "GAN (VEEGAN Table 1)": {"ring": (1.0, 99.3), "grid": (3.3, 0.5)},
    "VEEGAN (VEEGAN Table 1)": {"ring": (8.0, 52.9), "grid": (24.6, 40.0)},
    "GAN (PacGAN Table 1)": {"ring": (6.3, 98.2), "grid": (17.3, 94.8)},
    "PacGAN4 (PacGAN Table 1)": {"ring": (7.8, 95.9), "grid": (24.8, 93.6)},
}


@dataclass(frozen=True)
class Snapshot:
    """The generator after ``step`` generator steps: its samples and their score.

    ``samples``: float32 (n, 2); ``cpu_seconds``: process CPU seconds per core since training
    started; ``wall_seconds``: wall-clock seconds since then.
    """

    step: int
    samples: np.ndarray
    score: MixtureScore
    cpu_seconds: float
    wall_seconds: float


@dataclass(frozen=True)
class MixtureRun:
    """One configuration trained on one mixture with one seed.

    ``d_loss``/``g_loss``: float (steps,) every step's losses; ``snapshots``: in step order, the
    last one after the final step.
    """

    name: str
    mixture: Mixture
    seed: int
    snapshots: tuple[Snapshot, ...]
    d_loss: np.ndarray
    g_loss: np.ndarray

    @property
    def final(self) -> Snapshot:
        return self.snapshots[-1]

    @property
    def steps(self) -> int:
        return self.final.step

    def cpu_ms_per_step(self) -> float:
        """CPU milliseconds per core per generator step, over the whole run (snapshots
        included: they are part of the cost of watching, and the same for every configuration)."""
        return 1000.0 * self.final.cpu_seconds / self.steps

    def seconds_to_result(self) -> float:
        """CPU seconds per core from which the run had at least the mode count it ends with at
        every later snapshot: how long its result took (a run that collapses at the end had its
        final mode count early)."""
        final = self.final.score.modes_captured
        reached = self.final
        for snapshot in reversed(self.snapshots):
            if snapshot.score.modes_captured < final:
                break
            reached = snapshot
        return reached.cpu_seconds


class _Snapshots(keras.callbacks.Callback):
    """Samples ``count`` points from the generator every ``every`` steps, and stops training
    after ``steps`` generator steps."""

    def __init__(self, mixture: Mixture, steps: int, every: int, count: int) -> None:
        super().__init__()
        self.mixture, self.steps, self.every, self.count = mixture, steps, every, count
        self.labels: np.ndarray | None = None  # a self-conditioned GAN's labels to sample
        self.snapshots: list[Snapshot] = []
        self.done = 0
        self._cpu, self._wall = time.process_time(), time.perf_counter()  # the clock starts

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        self._take()  # step 0: the untrained generator

    def on_train_batch_end(self, batch: int, logs: Mapping[str, float] | None = None) -> None:
        self.done += 1
        if self.done % self.every == 0 or self.done == self.steps:
            self._take()
        if self.done >= self.steps:
            self.model.stop_training = True

    def _take(self) -> None:
        cpu = (time.process_time() - self._cpu) / cpu_cores()
        wall = time.perf_counter() - self._wall
        if self.labels is None:
            samples = self.model.generate(self.count, seed=_SNAPSHOT_SEED)
        else:
            samples = self.model.generate(labels=self.labels, seed=_SNAPSHOT_SEED)
        self.snapshots.append(Snapshot(self.done, samples, self.mixture.score(samples), cpu, wall))


def train_on_mixture(
    gan: GAN,
    mixture: Mixture,
    *,
    steps: int,
    snapshots: int = 20,
    batch_size: int = 100,
    seed: int = 0,
    name: str = "",
    progress: bool = False,
) -> MixtureRun:
    """Train ``gan`` for ``steps`` generator steps on :data:`DATA_SIZE` fresh points of
    ``mixture`` (drawn with ``seed``) and keep ``snapshots`` snapshots of 2,500 samples, evenly
    spaced, plus the untrained generator's.

    Args:
        gan: a compiled toy GAN (:func:`gancourse.training.make_toy_gan`), 2-D samples.
        batch_size: points per discriminator step; with packing (``gan.pack = m``) pass
            ``TOY_BATCH_SIZE * m`` for PacGAN's 100 discriminator inputs per step.
        seed: draws the training points (and seeds the k-means of a self-conditioned GAN); the
            GAN's own seed draws its noise.

    A conditional GAN (``make_toy_gan(num_classes=k)``) is self-conditioned: the points are
    split into k clusters by k-means (:func:`gancourse.clusters.pixel_clusters`, on the clock),
    it trains on ``(points, cluster labels)``, and each snapshot asks for labels drawn in the
    clusters' frequencies, so its samples are unconditional ones.
    """
    steps = check_int(steps, "steps", minimum=1)
    snapshots = check_int(snapshots, "snapshots", minimum=1)
    watcher = _Snapshots(mixture, steps, math.ceil(steps / snapshots), PAPER_SAMPLE_COUNT)
    points = mixture.sample(DATA_SIZE, np.random.default_rng(seed))  # (100000, 2)
    data: np.ndarray | tuple[np.ndarray, np.ndarray] = points
    if gan.conditional:
        clusters = pixel_clusters(points, gan.num_classes, seed=seed)
        data = (points, clusters.labels)
        watcher.labels = clusters.sample(PAPER_SAMPLE_COUNT, seed=_SNAPSHOT_SEED)
    steps_per_epoch = DATA_SIZE // gan.batching(batch_size)["batch_size"]  # generator steps
    run = train(
        gan,
        data,
        epochs=math.ceil(steps / steps_per_epoch),
        batch_size=batch_size,
        directory=None,
        live=False,
        progress=progress,
        shuffle_seed=seed,
        callbacks=[watcher],
    )
    return MixtureRun(
        name=name,
        mixture=mixture,
        seed=seed,
        snapshots=tuple(watcher.snapshots),
        d_loss=np.asarray(run.steps.values["d_loss"], dtype=np.float64),
        g_loss=np.asarray(run.steps.values["g_loss"], dtype=np.float64),
    )


def compare(
    configurations: Mapping[str, Configuration],
    mixture: Mixture,
    *,
    seeds: Sequence[int],
    steps: int,
    snapshots: int = 10,
    report: Callable[[MixtureRun], None] | None = print,
) -> dict[str, list[MixtureRun]]:
    """Train every configuration with every seed on ``mixture`` under the same step budget.

    A configuration is a function ``(seed, steps) -> (gan, batch_size)`` (a fresh compiled GAN
    and the points per step it trains on; ``steps`` for a learning rate that decays over the
    run). ``report`` is called with each finished run (a line per run
    by default; None for silence). Returns ``{name: [run per seed]}``.
    """
    runs: dict[str, list[MixtureRun]] = {}
    for name, make in configurations.items():
        for seed in seeds:
            gan, batch_size = make(seed, steps)
            run = train_on_mixture(
                gan,
                mixture,
                steps=steps,
                snapshots=snapshots,
                batch_size=batch_size,
                seed=seed,
                name=name,
            )
            runs.setdefault(name, []).append(run)
            if report is not None:
                report(_describe(run))
    return runs


def _describe(run: MixtureRun) -> str:
    score = run.final.score
    return (
        f"{run.mixture.name} {run.name:<24} seed {run.seed}: {score.modes_captured:>2} modes, "
        f"{score.high_quality_share:6.1%} high quality, KL {score.reverse_kl:.3f}; "
        f"{run.cpu_ms_per_step():.1f} CPU ms/step, {run.final.cpu_seconds:.0f} s"
    )


def summary_rows(runs: Mapping[str, Sequence[MixtureRun]]) -> list[dict[str, object]]:
    """One row per configuration: mean and standard deviation (ddof=1; 0 for one seed) over
    seeds of the modes captured, the high-quality share (%), the reverse KL, CPU ms per step
    and CPU seconds to the result."""
    rows = []
    for name, group in runs.items():
        columns = {
            "modes": [run.final.score.modes_captured for run in group],
            "high quality %": [100 * run.final.score.high_quality_share for run in group],
            "reverse KL": [run.final.score.reverse_kl for run in group],
            "CPU ms/step": [run.cpu_ms_per_step() for run in group],
            "CPU s to result": [run.seconds_to_result() for run in group],
        }
        row: dict[str, object] = {"configuration": name, "seeds": len(group)}
        for column, values in columns.items():
            array = np.asarray(values, dtype=np.float64)
            row[column] = (float(array.mean()), float(array.std(ddof=1)) if len(array) > 1 else 0.0)
        rows.append(row)
    return rows


def format_table(
    runs: Mapping[str, Mapping[str, Sequence[MixtureRun]]],
    published: Mapping[str, Mapping[str, tuple[float, float]]] | None = None,
) -> str:
    """The closing table as text: for each mixture (``runs[mixture][configuration]``), one line
    per configuration (mean +- sd over seeds of modes, high-quality %, reverse KL; the mean CPU
    ms per step and CPU seconds to the result, per core), then the published rows (modes,
    high-quality %) for the same mixture."""
    lines = []
    names = [name for group in runs.values() for name in group] + list(published or {})
    name_width = max(28, *map(len, names))  # the first column fits the longest name
    for mixture, by_configuration in runs.items():
        lines.append(
            f"{mixture:<{name_width}} {'seeds':>5} {'modes':>12} {'high quality %':>15} "
            f"{'reverse KL':>13} {'CPU ms/step':>12} {'CPU s to result':>16}"
        )
        for row in summary_rows(by_configuration):
            cells = [
                f"{row[column][0]:{width}.{digits}f} +- {row[column][1]:<{digits + 3}.{digits}f}"
                for column, width, digits in (
                    ("modes", 5, 1),
                    ("high quality %", 6, 1),
                    ("reverse KL", 5, 2),
                )
            ]
            lines.append(
                f"{row['configuration']:<{name_width}} {row['seeds']:>5} {cells[0]:>12} "
                f"{cells[1]:>15} {cells[2]:>13} {row['CPU ms/step'][0]:>12.1f} "
                f"{row['CPU s to result'][0]:>16.0f}"
            )
        for name, scores in (published or {}).items():
            if mixture in scores:
                modes, share = scores[mixture]
                lines.append(
                    f"{name:<{name_width}} {'':>5} {modes:>12.1f} {share:>15.1f}   (published)"
                )
        lines.append("")
    return "\n".join(lines).rstrip()
