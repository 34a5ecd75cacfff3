"""Where training runs: the numeric precision to use and ``tf.distribute`` strategies.

Nothing here is needed on a single CPU or GPU: Keras places work on a GPU when there is one.
"""

from __future__ import annotations

from pathlib import Path

import tensorflow as tf

from .. import config

PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16")
_BF16_CPU_FLAGS = ("amx_bf16", "avx512_bf16")


def cpu_supports_bfloat16() -> bool:
    """True when this CPU has bfloat16 instructions (AMX or AVX-512 BF16; Linux only)."""
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False
    return any(flag in flags for flag in _BF16_CPU_FLAGS)


def default_precision() -> str:
    """The fastest precision that keeps the course's GANs training as well as float32.

    "mixed_float16" on a GPU with tensor cores (compute capability 7.0 or newer; the trainer
    adds loss scaling), "mixed_bfloat16" on a CPU with bfloat16 instructions, else "float32".
    Mixed precision computes in 16 bits and keeps the weights in float32 (Micikevicius et al.
    2017, https://arxiv.org/abs/1710.03740); models keep their last layer in float32.
    ``GANCOURSE_PRECISION`` (e.g. ``float32``), when set, is returned instead.
    """
    forced = config.forced_precision()
    if forced is not None:
        if forced not in PRECISIONS:
            raise ValueError(
                f"GANCOURSE_PRECISION={forced!r} is not a precision; use one of "
                f"{', '.join(PRECISIONS)}, or unset it to let the machine decide."
            )
        return forced
    for gpu in tf.config.list_physical_devices("GPU"):
        capability = tf.config.experimental.get_device_details(gpu).get("compute_capability")
        if capability and capability >= (7, 0):
            return "mixed_float16"
    if not tf.config.list_physical_devices("GPU") and cpu_supports_bfloat16():
        return "mixed_bfloat16"
    return "float32"


def check_precision(precision: str) -> str:
    """Return ``precision`` if it is one of PRECISIONS, else raise a ValueError."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    return precision


def split_cpu(devices: int) -> list[str]:
    """Split the CPU into ``devices`` logical devices (to try ``MirroredStrategy`` on a laptop).

    Must run before TensorFlow first uses a device (at the top of a script or notebook).
    Returns the logical device names.
    """
    if devices < 1:
        raise ValueError(f"devices must be >= 1, got {devices}")
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(devices)]
        )
    except RuntimeError as error:
        raise RuntimeError(
            "split_cpu must run before TensorFlow initialises its devices: call it first "
            "thing, before building any model (restart the kernel)"
        ) from error
    return [device.name for device in tf.config.list_logical_devices("CPU")]


def make_strategy(kind: str = "auto") -> tf.distribute.Strategy:
    """A ``tf.distribute`` strategy; build models, the GAN and ``compile`` inside its scope.

    - "auto": mirrored over all GPUs when there are two or more, else the default (one device);
    - "mirrored": ``MirroredStrategy`` over the GPUs, or over the logical CPUs of
      :func:`split_cpu` when there is no GPU;
    - "multi-worker": ``MultiWorkerMirroredStrategy`` across machines (each reads ``TF_CONFIG``);
    - "default": no distribution.
    """
    if kind == "auto":
        kind = "mirrored" if len(tf.config.list_logical_devices("GPU")) > 1 else "default"
    if kind == "default":
        return tf.distribute.get_strategy()
    if kind == "mirrored":
        gpus = tf.config.list_logical_devices("GPU")
        devices = [d.name for d in gpus] or [d.name for d in tf.config.list_logical_devices("CPU")]
        return tf.distribute.MirroredStrategy(devices)
    if kind == "multi-worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"kind must be auto, mirrored, multi-worker or default, got {kind!r}")
