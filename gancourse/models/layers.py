"""Layers Keras does not ship, for the GAN discriminators: maxout, minibatch std and the
projection discriminator's class term (with the ``labels`` input of conditional networks).

The layers are registered for saving (``package="gancourse"``), so a model that uses them saves and
loads like any other Keras model.
"""

from __future__ import annotations

from typing import Any

import keras
from keras import layers, ops

from ..validation import check_int

#: Added to each variance before its square root, as in Karras et al.'s released code: it keeps
#: the gradient finite when a group's samples are identical (their "std" is then sqrt(1e-8)).
STD_EPSILON = 1e-8


@keras.saving.register_keras_serializable(package="gancourse")
class Maxout(layers.Layer):
    """Maxout units (Goodfellow et al. 2013, https://arxiv.org/abs/1302.4389): each output is
    the largest of ``pieces`` linear features.

    Put it after a ``Dense(units * pieces)``: input (batch, units * pieces), output
    (batch, units); output unit u is the max of input features u * pieces ... u * pieces +
    pieces - 1. Any other fixed grouping would learn the same functions.
    """

    def __init__(self, pieces: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pieces = check_int(pieces, "pieces", 1)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        if len(input_shape) != 2 or input_shape[-1] is None or input_shape[-1] % self.pieces:
            raise ValueError(
                f"Maxout({self.pieces}) takes inputs of shape (batch, units * {self.pieces}), "
                f"got {input_shape}."
            )

    def call(self, inputs: Any) -> Any:
        units = inputs.shape[-1] // self.pieces
        grouped = ops.reshape(inputs, (-1, units, self.pieces))  # (batch, units, pieces)
        return ops.max(grouped, axis=-1)  # (batch, units)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return (*input_shape[:-1], input_shape[-1] // self.pieces)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "pieces": self.pieces}


@keras.saving.register_keras_serializable(package="gancourse")
class MinibatchStdDev(layers.Layer):
    """Minibatch standard deviation (Karras et al. 2018, https://arxiv.org/abs/1710.10196,
    section 3): one extra feature that tells the discriminator how varied the batch is.

    For each group of ``group_size`` samples: the standard deviation of every feature (every
    pixel and channel of an image) over the group's samples, averaged over the features, gives
    one number s >= 0; it is appended to each of the group's samples as an extra feature
    (vectors: (batch, d) -> (batch, d + 1)) or an extra constant channel (images:
    (batch, h, w, c) -> (batch, h, w, c + 1)). A collapsed generator makes near-identical
    samples, whose s is near 0, and real batches do not: the discriminator can see collapse,
    which one sample at a time it cannot.

    Args:
        group_size: samples per group (4 in Karras et al.'s released code), or None for the
            whole batch as one group (the paper's section 3 text).

    The standard deviation divides by the group's size (not size - 1) and is
    sqrt(variance + :data:`STD_EPSILON`), as in the released code; computed in float32.
    Departures: groups are *consecutive* samples (0..g-1, g..2g-1, ...; the released code
    takes every (batch/g)-th sample, which is the same for a shuffled batch), and a batch that
    is not a multiple of ``group_size`` is allowed: its last group is smaller (the released code
    refuses it). A group of one sample gets s = sqrt(epsilon) ~ 0.
    """

    def __init__(self, group_size: int | None = 4, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.group_size = None if group_size is None else check_int(group_size, "group_size", 1)

    def call(self, inputs: Any) -> Any:
        x = ops.cast(inputs, "float32")
        batch = ops.shape(x)[0]
        size = batch if self.group_size is None else self.group_size
        group = ops.arange(batch) // size  # (batch,): the group of each sample
        groups = (batch + size - 1) // size
        count = ops.segment_sum(ops.ones_like(group, "float32"), group, groups)  # (groups,)

        def group_mean(values: Any) -> Any:  # (batch, ...) -> each sample's group mean
            shape = (-1,) + (1,) * (len(values.shape) - 1)
            sums = ops.segment_sum(values, group, groups)
            return ops.take(sums / ops.reshape(count, shape), group, axis=0)

        variance = group_mean(ops.square(x - group_mean(x)))  # (batch, ...) per feature
        std = ops.sqrt(variance + STD_EPSILON)
        s = ops.mean(std, axis=tuple(range(1, len(x.shape))), keepdims=True)  # (batch, 1, ...)
        extra = ops.broadcast_to(s, (*ops.shape(x)[:-1], 1))  # one more feature / channel
        return ops.concatenate([inputs, ops.cast(extra, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        last = None if input_shape[-1] is None else input_shape[-1] + 1
        return (*input_shape[:-1], last)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "group_size": self.group_size}


def label_input() -> keras.KerasTensor:
    """The ``labels`` input of a conditional network: int32 class indices, shape (batch,)."""
    return keras.Input(shape=(), dtype="int32", name="labels")


@keras.saving.register_keras_serializable(package="gancourse")
class Projection(layers.Layer):
    """The projection discriminator's class term: logit + e(y) . phi(x), shape (batch, 1).

    Inputs ``[logits (batch, 1), class_vectors (batch, F), features (batch, F)]``; computed in
    float32 whatever the features' precision.
    """

    def call(self, inputs: list[keras.KerasTensor]) -> keras.KerasTensor:
        logits, class_vectors, features = inputs
        features = ops.cast(features, "float32")
        inner = ops.sum(class_vectors * features, axis=-1, keepdims=True)  # (batch, 1)
        return ops.cast(logits, "float32") + inner

    def compute_output_shape(self, input_shape: list[tuple[int | None, ...]]) -> tuple:
        return input_shape[0]
