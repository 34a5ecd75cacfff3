"""``train``: fit a GAN with the course's standard callbacks, in one call."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ..config import runs_dir
from ..data import make_pipeline
from ..validation import as_labels
from .callbacks import GANCheckpoint, NonFiniteGuard, ProgressBar, SampleGrid, StepHistory
from .live import LiveView
from .trainer import GAN


@dataclass
class TrainingRun:
    """What :func:`train` returns: the per-epoch history (Keras'), the value of every step
    (``steps.values["g_loss"]``) and the callbacks that hold its files."""

    history: keras.callbacks.History
    steps: StepHistory
    guard: NonFiniteGuard
    samples: SampleGrid | None
    checkpoint: GANCheckpoint | None
    live: LiveView | None

    @property
    def diverged(self) -> bool:
        """True when a loss became NaN or inf and training was stopped."""
        return self.guard.stopped is not None


def new_run_dir(name: str) -> Path:
    """A fresh folder for one training run: ``runs/<name>/<date>_<time>`` (see
    :func:`gancourse.config.runs_dir`). Give it to :func:`train` again to resume that run."""
    stamp = time.strftime("%Y-%m-%d_%H-%M-%S")
    path = runs_dir() / name / stamp
    suffix = 1
    while path.exists():  # two runs in the same second
        suffix += 1
        path = runs_dir() / name / f"{stamp}_{suffix}"
    path.mkdir(parents=True)
    return path


def train(
    gan: GAN,
    data: np.ndarray | tuple[np.ndarray, np.ndarray] | tf.data.Dataset,
    *,
    epochs: int,
    batch_size: int = 64,
    directory: str | os.PathLike[str] | None = None,
    live: bool = True,
    progress: bool = True,
    tensorboard: bool = True,
    shuffle_seed: int | None = 0,
    callbacks: list[keras.callbacks.Callback] | tuple[()] = (),
) -> TrainingRun:
    """Train ``gan`` for ``epochs`` with a NaN guard, a live view and a progress bar.

    Raises:
        ValueError: images that are not floats in [-1, 1] (uint8 pixels: convert them with
            :func:`gancourse.pixels.to_float`), or no images. NaN is let through on purpose: the
            NaN guard stops such a run and keeps its last good checkpoint (lesson 06).
            Also samples not shaped like the generator's, points (N, d) that are not floats,
            and a ``batch_size`` that is not a multiple of ``gan.pack``; for a conditional
            GAN, missing labels or labels that are not class indices, one per sample.

    Args:
        gan: a compiled :class:`GAN`.
        data: samples shaped like the generator's, as a NumPy array: images (N, 28, 28, 1),
            floats in [-1, 1] (the range of a tanh generator), or points (N, d), floats of any
            range (lesson 07's ring and grid, for generators with a linear output). For a
            conditional GAN (lesson 08), a pair ``(samples, labels)``, labels ints (N,) in
            [0, gan.num_classes). Or a ``tf.data.Dataset`` of batches (of pairs for a
            conditional GAN) (then ``batch_size`` and ``shuffle_seed`` are
            unused; batch it as ``gan.batching(batch_size)`` says).
        batch_size: real samples per discriminator step. :meth:`GAN.batching` turns it into
            the batches the trainer wants (``batch_size * gan.n_critic`` samples each; with
            ``gan.pack=m``, a multiple of m and no short last batch).
        directory: where to keep the run: ``samples/`` (a PNG per epoch, ``progress.gif``;
            image generators only),
            ``checkpoints/`` (resumed automatically by the next ``train`` with the same
            directory) and ``logs/`` (TensorBoard: ``tensorboard --logdir DIRECTORY/logs``).
            None keeps nothing on disk (no samples, no checkpoints, no logs).
        live: redraw curves and samples after every epoch (printed lines outside Jupyter).
        progress: a progress bar over the steps.
        callbacks: more Keras callbacks, run after these.
    """
    if not isinstance(data, tf.data.Dataset):
        samples, labels = _samples_and_labels(data, gan)
        _check_data(samples, gan)
        data = make_pipeline(samples, labels, **gan.batching(batch_size), seed=shuffle_seed)
    guard, steps = NonFiniteGuard(), StepHistory()
    samples = checkpoint = None
    chosen: list[keras.callbacks.Callback] = [guard, steps]
    if directory is not None:
        directory = Path(directory)
        checkpoint = GANCheckpoint(directory / "checkpoints")
        chosen.append(checkpoint)
        if len(gan.generator.output_shape) == 4:  # a grid of pictures: for images only
            samples = SampleGrid(directory / "samples")
            chosen.append(samples)
        if tensorboard:
            chosen.append(keras.callbacks.TensorBoard(str(directory / "logs"), write_graph=False))
    view = LiveView(steps, samples) if live else None
    chosen += [c for c in (view, ProgressBar() if progress else None) if c is not None]
    history = gan.fit(
        data, epochs=epochs, verbose=0, shuffle=False, callbacks=[*chosen, *callbacks]
    )
    return TrainingRun(history, steps, guard, samples, checkpoint, view)


def _samples_and_labels(data: object, gan: GAN) -> tuple[np.ndarray, np.ndarray | None]:
    """``data`` as (samples, labels), labels int32 (N,) for a conditional GAN, else None."""
    if isinstance(data, np.ndarray) and not gan.conditional:
        return data, None
    if not gan.conditional:
        raise TypeError(f"data must be a NumPy array or a tf.data.Dataset, got {type(data)}")
    if not (isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], np.ndarray)):
        raise ValueError(
            f"a conditional GAN (num_classes={gan.num_classes}) trains on a pair (samples, "
            f"labels) of NumPy arrays: train(gan, (images, labels)); got {type(data).__name__}"
        )
    samples, labels = data
    labels = as_labels(labels, "labels", len(samples), classes=gan.num_classes)
    return samples, labels.astype(np.int32)


def _check_data(data: np.ndarray, gan: GAN) -> None:
    """Samples must be shaped like the generator's: images (N, h, w, c) floats in [-1, 1];
    points (N, d) floats in any range (the toy generators have no output activation)."""
    sample_shape = tuple(gan.generator.output_shape[1:])
    if data.shape[1:] != sample_shape:
        raise ValueError(
            f"train() got data of shape {data.shape}, samples of shape {data.shape[1:]}, but "
            f"the generator makes samples of shape {sample_shape}."
        )
    if data.ndim > 2:
        _check_images(data)
    elif data.dtype.kind != "f":
        raise ValueError(
            f"train() wants float points, got dtype {data.dtype}; convert them with "
            "points.astype('float32')."
        )
    elif data.size == 0 or np.all(np.isnan(data)):
        raise ValueError(f"train() got no points to train on (shape {data.shape}).")


def _check_images(images: np.ndarray) -> None:
    """Training images must be floats in [-1, 1], the range of the generators' tanh output."""
    if images.dtype.kind != "f":
        raise ValueError(
            f"train() wants float images in [-1, 1], got dtype {images.dtype}; convert pixels "
            "with gc.pixels.to_float(images) (uint8 0..255 -> float32 -1..1)."
        )
    if images.size == 0 or np.all(np.isnan(images)):
        raise ValueError(f"train() got no images to train on (shape {images.shape}).")
    low, high = float(np.nanmin(images)), float(np.nanmax(images))
    if low < -1.0 or high > 1.0:
        raise ValueError(
            f"train() wants images in [-1, 1], got values in [{low:g}, {high:g}]; convert uint8 "
            "pixels with gc.pixels.to_float(images), or rescale floats (0..255: x / 127.5 - 1)."
        )
