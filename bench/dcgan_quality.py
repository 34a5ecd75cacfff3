"""How good are lesson 06's DCGAN samples after N minutes of training on this machine?

Trains ``gancourse.training.make_dcgan(filters=...)`` (default precision) with the width and
batch size lesson 06 uses and, every ``--every`` seconds of training (evaluation excluded),
scores 1,000 samples with the shipped digit classifier: the share it labels with confidence
above 0.9, an FID on its 128-d features against the 1,000 held-out real digits, and how many of
the ten digits appear. Prints the curve and saves the final samples as a PNG.

    .venv/bin/python bench/dcgan_quality.py --minutes 3          # lesson 06's claim
    .venv/bin/python bench/dcgan_quality.py --minutes 0.3 --every 5  # a smoke run

Offline this trains on the 4,000 training digits of the 5,000-digit fallback. The clock is wall
time, so run it on an otherwise idle machine; on a shared one, ``--clock cpu`` counts this
process's CPU seconds divided by the number of cores instead (what an idle machine would give).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import gancourse as gc
from gancourse.metrics import DigitFeatures, confident_share, frechet_distance

BATCH_SIZE = 64  # lesson 06's batch size
FILTERS = 32  # lesson 06's width (64 is the TensorFlow tutorial's)


@dataclass
class Point:
    seconds: float
    epochs: int
    steps: int
    confident_share: float
    fid: float
    digits_drawn: int


def _cpu_seconds() -> float:
    """This process's CPU time spread over the machine's cores: wall time on an idle machine."""
    times = os.times()
    return (times.user + times.system) / (os.cpu_count() or 1)


CLOCKS = {"wall": time.perf_counter, "cpu": _cpu_seconds}


def measure(
    minutes: float, every: float, seed: int = 0, clock: str = "wall", filters: int = FILTERS
) -> tuple[list[Point], np.ndarray]:
    """Train for ``minutes`` on ``clock``, scoring every ``every`` seconds; (curve, samples)."""
    now = CLOCKS[clock]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gc.data.OfflineFallbackWarning)
        mnist = gc.data.load_mnist()
    x_train = gc.pixels.to_float(mnist.x_train)[..., None]
    digits = DigitFeatures()
    real = digits.features(gc.pixels.to_float(mnist.x_test)[..., None], value_range=(-1, 1))
    gc.set_seed(seed)
    gan = gc.training.make_dcgan(filters=filters, seed=seed)
    data = gc.data.make_pipeline(x_train, batch_size=BATCH_SIZE, seed=seed)
    curve: list[Point] = []
    trained, epochs, next_score = 0.0, 0, every
    while trained < minutes * 60:
        start = now()
        gan.fit(data, epochs=1, verbose=0, shuffle=False)
        trained += now() - start
        epochs += 1
        if trained >= next_score or trained >= minutes * 60:
            next_score += every
            samples = gan.generate(1000, seed=seed + 1)
            features, probabilities = digits.features_and_probabilities(
                samples, value_range=(-1, 1)
            )
            curve.append(
                Point(
                    seconds=trained,
                    epochs=epochs,
                    steps=int(gan.generator_optimizer.iterations),
                    confident_share=confident_share(probabilities),
                    fid=frechet_distance(real, features),
                    digits_drawn=int(np.unique(probabilities.argmax(axis=1)).size),
                )
            )
            print(_row(curve[-1]), flush=True)
    return curve, gan.generate(64, seed=seed + 2)


def _row(point: Point) -> str:
    return (
        f"{point.seconds:7.0f} s  epoch {point.epochs:3d}  step {point.steps:5d}  "
        f"confident {point.confident_share:5.2f}  FID {point.fid:7.1f}  "
        f"digits drawn {point.digits_drawn}/10"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="training time (wall clock)")
    parser.add_argument("--every", type=float, default=30.0, help="seconds between scores")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    parser.add_argument("--filters", type=int, default=FILTERS, help="network width")
    parser.add_argument("--png", type=Path, default=Path("dcgan_quality.png"))
    args = parser.parse_args(argv)
    precision = gc.training.default_precision()
    print(f"DCGAN, filters {args.filters}, {precision}, batch {BATCH_SIZE}, {args.clock} clock")
    curve, samples = measure(args.minutes, args.every, clock=args.clock, filters=args.filters)
    title = f"after {curve[-1].seconds:.0f} s: confident share {curve[-1].confident_share:.2f}"
    gc.plotting.image_grid(samples, value_range=(-1, 1), ncols=8, title=title, path=args.png)
    print(f"samples saved to {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
