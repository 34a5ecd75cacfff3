"""Callbacks for the GAN trainer: the value of every step, sample grids and a GIF, exact-resume
checkpoints, a guard against NaN/inf losses, and a progress bar.

They work with :class:`gancourse.training.GAN` (``model.generate``, the two networks and the
two optimizers); TensorBoard comes from Keras unchanged (:func:`gancourse.training.train`).
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from PIL import Image

from ..plotting import image_mosaic


def all_finite(logs: Mapping[str, Any] | None) -> bool:
    """True when every number in ``logs`` is finite (no NaN, no inf)."""
    return all(math.isfinite(float(value)) for value in (logs or {}).values())


class StepHistory(keras.callbacks.Callback):
    """The value of every step: ``values["d_loss"]`` is a list with one float per step.

    Keras reports running means over the epoch after each step; mean m_b after step b (from 0)
    and m_(b-1) before it give that step's own value (b + 1) m_b - b m_(b-1). Keras' History
    keeps one value per epoch; this keeps them all (for curves, and for comparing runs).
    """

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[float]] = defaultdict(list)
        self._previous: dict[str, float] = {}

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        self._previous = {}

    def on_train_batch_end(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        for name, running_mean in (logs or {}).items():
            running_mean = float(running_mean)
            before = self._previous.get(name, 0.0)
            self.values[name].append((batch + 1) * running_mean - batch * before)
            self._previous[name] = running_mean


class SampleGrid(keras.callbacks.Callback):
    """After every epoch, save a grid of samples from the same fixed latent codes as a PNG
    (for a conditional GAN, one row per class, the same codes in each column);
    at the end of training, join the grids of the folder into an animated GIF (at most
    ``gif_max_frames`` of them, evenly spaced, so a long run gives a small file).

    Files: ``directory/epoch_0001.png``, ... and ``directory/progress.gif``. A resumed run
    adds its epochs to the same folder, so the GIF shows the whole history. ``latest`` holds
    the newest grid as a uint8 array (for live views).
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        count: int = 64,
        seed: int = 1234,
        value_range: tuple[float, float] = (-1.0, 1.0),
        scale: int = 2,
        gif_seconds_per_frame: float = 0.2,
        gif_max_frames: int = 60,
    ) -> None:
        super().__init__()
        self.directory = Path(directory)
        self.count, self.seed, self.value_range, self.scale = count, seed, value_range, scale
        self.gif_seconds_per_frame = gif_seconds_per_frame
        self.gif_max_frames = gif_max_frames
        self.latest: np.ndarray | None = None
        self._inputs: dict[str, np.ndarray] = {}
        self._columns: int | None = None

    @property
    def gif_path(self) -> Path:
        return self.directory / "progress.gif"

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        classes = self.model.num_classes
        if classes is None:
            self._inputs = {"z": self.model.sample_noise(self.count, seed=self.seed)}
            return
        self._columns = max(1, self.count // classes)  # one row per class
        z = self.model.sample_noise(self._columns, seed=self.seed)
        self._inputs = {
            "z": np.tile(z, (classes, 1)),
            "labels": np.repeat(np.arange(classes), self._columns),
        }

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        if not all_finite(logs):
            return  # a diverged generator draws NaN; the guard explains
        images = self.model.generate(**self._inputs)
        self.latest = image_mosaic(
            images, value_range=self.value_range, ncols=self._columns, scale=self.scale
        )
        Image.fromarray(self.latest).save(self.directory / f"epoch_{epoch + 1:04d}.png")

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        self.write_gif()

    def write_gif(self) -> Path | None:
        """Write ``progress.gif`` from the saved grids, in epoch order; None if there are none."""
        paths = sorted(self.directory.glob("epoch_*.png"))
        if len(paths) > self.gif_max_frames:  # evenly spaced, always ending with the newest
            keep = np.linspace(0, len(paths) - 1, self.gif_max_frames).round().astype(int)
            paths = [paths[i] for i in np.unique(keep)]
        frames = []
        for path in paths:
            with Image.open(path) as frame:
                frames.append(frame.copy())
        if not frames:
            return None
        frames[0].save(
            self.gif_path,
            save_all=True,
            append_images=frames[1:],
            duration=int(self.gif_seconds_per_frame * 1000),
            loop=0,
        )
        return self.gif_path


class GANCheckpoint(keras.callbacks.Callback):
    """Save both networks, both optimizers (moments and step counts), the noise seed state and
    the generator's average (with ``ema_decay``) after every epoch; on the next ``fit`` with
    the same folder, resume from the newest save.

    Keras' ``BackupAndRestore`` restores the weights and the epoch but not the optimizers of a
    trainer that keeps two of them, so this uses a ``tf.train.Checkpoint`` over everything that
    a step changes. Resuming continues with the same step count; the epoch counter continues
    too, so ``fit(epochs=10)`` after a stop in epoch 4 runs epochs 5-10 (4 if it stopped
    mid-epoch: the unfinished epoch is run again from its start). A save is skipped when the
    epoch's losses are not finite, so the last good checkpoint survives a divergence.
    """

    def __init__(self, directory: str | os.PathLike[str], *, max_to_keep: int = 2) -> None:
        super().__init__()
        self.directory = Path(directory)
        self.max_to_keep = max_to_keep
        self._manager: tf.train.CheckpointManager | None = None
        self._epoch: tf.Variable | None = None
        self.resumed_from: int | None = None

    def _make_manager(self) -> tf.train.CheckpointManager:
        gan = self.model
        self._epoch = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
        saved = {
            "generator": gan.generator,
            "discriminator": gan.discriminator,
            "generator_optimizer": gan.generator_optimizer,
            "discriminator_optimizer": gan.discriminator_optimizer,
            "noise_seed": gan.seed_generator.state.value,
            "epoch": self._epoch,
        }
        if gan.generator_average is not None:  # ema_decay: the average of G's weights too
            saved["generator_average"] = gan.generator_average
        checkpoint = tf.train.Checkpoint(**saved)
        return tf.train.CheckpointManager(checkpoint, str(self.directory), self.max_to_keep)

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        self._manager = self._make_manager()
        latest = self._manager.latest_checkpoint
        if latest is None:
            return
        self._manager.checkpoint.restore(latest).assert_existing_objects_matched()
        self.resumed_from = int(self._epoch.numpy())
        self.model._initial_epoch = self.resumed_from  # Keras' fit starts from this epoch
        print(
            f"Resumed from {latest}: epoch {self.resumed_from}, "
            f"generator step {int(self.model.generator_optimizer.iterations.numpy())}."
        )

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        if not all_finite(logs):
            return
        self._epoch.assign(epoch + 1)
        self._manager.save(checkpoint_number=epoch + 1)

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        self.model._initial_epoch = None  # a later fit without this callback starts afresh

    @property
    def latest(self) -> str | None:
        """Path prefix of the newest checkpoint, or None."""
        return tf.train.latest_checkpoint(str(self.directory))


class NonFiniteGuard(keras.callbacks.TerminateOnNaN):
    """Stop training, with a message that says what to do, when any loss becomes NaN or inf.

    Keras' ``TerminateOnNaN`` watches only ``loss``; a GAN has two. ``stopped`` holds
    ``(epoch, step, name, value)`` of the first bad value, or None.
    """

    def __init__(self) -> None:
        super().__init__()
        self.stopped: tuple[int, int, str, float] | None = None
        self._epoch = 0

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        self._epoch = epoch

    def on_batch_end(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        losses_first = sorted((logs or {}).items(), key=lambda item: "loss" not in item[0])
        for name, value in losses_first:
            if not math.isfinite(float(value)):
                self.stopped = (self._epoch + 1, batch + 1, name, float(value))
                self.model.stop_training = True
                print(self.message())
                return

    def message(self) -> str:
        if self.stopped is None:
            return "training ran with finite losses"
        epoch, step, name, value = self.stopped
        return (
            f"Training stopped: {name} became {value} in epoch {epoch}, step {step}. "
            "Nothing from this epoch was saved; the last good checkpoint is kept. Check the "
            "data for NaN or inf (np.isfinite(x).all()), then lower the learning rates or "
            "try another loss before resuming."
        )


class ProgressBar(keras.callbacks.Callback):
    """One progress bar over all the steps of ``fit`` (tqdm: a widget in Jupyter, text in a
    terminal) with the current losses beside it. A resumed run counts the whole run: resumed
    after 2 of 5 epochs, the bar starts at 2/5 of the way."""

    def __init__(self, show: tuple[str, ...] = ("d_loss", "g_loss", "d_real", "d_fake")) -> None:
        super().__init__()
        self.show = show
        self._bar: Any = None

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        from tqdm.auto import tqdm

        epochs, steps = self.params.get("epochs") or 0, self.params.get("steps") or 0
        # Epochs already done: set on a resume by GANCheckpoint, which comes earlier in the list.
        done = min(getattr(self.model, "_initial_epoch", None) or 0, epochs)
        total = epochs * steps or None
        self._bar = tqdm(total=total, initial=done * steps, unit="step", leave=True)

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        self._bar.set_description(f"epoch {epoch + 1}/{self.params.get('epochs')}")

    def on_train_batch_end(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        logs = logs or {}
        self._bar.set_postfix(
            {name: f"{float(logs[name]):.3f}" for name in self.show if name in logs},
            refresh=False,
        )
        self._bar.update(1)

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        self._bar.close()
