"""Mode collapse at image scale: how many of Stacked MNIST's 1,000 modes does a DCGAN cover in a
CPU budget, with and without packing?

Stacked MNIST (``gancourse.stacked_mnist``): three random digits as the three channels of one
image, 1,000 equally likely digit triples. Trains, one after the other and under the same budget
of CPU seconds per core (scoring excluded), lesson 06's DCGAN made for three channels
with its earlier settings (``make_dcgan(channels=3, filters=32)``, default precision, batch 64),
the same DCGAN with PacGAN's packing (``pack=2``, ``pack=4``: the discriminator judges 2 or 4
images at once), and lesson 06's recipe for a CPU (``DCGAN_RECIPE`` at batch 32: batch norm in
D, Adam 5e-4, samples from a moving average of G) with and without packing. Every
``--every`` seconds it draws 26,000 samples (PacGAN's count), reads each channel with the shipped
digit classifier and prints the modes captured and KL(p || uniform)
(``gancourse.metrics.stacked_mnist``). Then the table: each model's final figures (mean +- sd
over seeds), real stacked digits scored the same way (the ceiling: the classifier's own mistakes
are in it), and PacGAN's Table 2 for scale (GPU, many epochs over 25,600 images from all 70,000
MNIST digits). It saves the last samples of each model as a PNG, and exits with status 1 when no
model meets issue 12's target (at least 990 modes and KL at most 0.1, every seed).

    .venv/bin/python bench/bench_stacked_mnist.py                       # 300 CPU s per model
    .venv/bin/python bench/bench_stacked_mnist.py --seconds 20 --every 10 --samples 2000  # smoke

Offline the training images are stacked from the 4,000 training digits of the 5,000-digit
fallback, the real ceiling from the 1,000 held-out ones.
"""

from __future__ import annotations

import argparse
import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from machine import cpu_model

import gancourse as gc
from gancourse import stacked_mnist
from gancourse.metrics import DigitFeatures
from gancourse.metrics.stacked_mnist import (
    PAPER_SAMPLE_COUNT,
    StackedModes,
    stacked_channel_labels,
    stacked_mode_score,
)
from gancourse.training import (
    DCGAN_RECIPE,
    DCGAN_RECIPE_BATCH_SIZE,
    GAN,
    default_precision,
    make_dcgan,
)

BATCH_SIZE = 64  # lesson 06's earlier batch size (packs of 2 and 4 divide it)
FILTERS = 32  # lesson 06's width


@dataclass(frozen=True)
class Model:
    """A contender: PacGAN's pack size, and lesson 06's recipe or its earlier settings."""

    pack: int
    recipe: bool = False

    @property
    def batch_size(self) -> int:
        return DCGAN_RECIPE_BATCH_SIZE if self.recipe else BATCH_SIZE

    def build(self, seed: int) -> GAN:
        settings = dict(DCGAN_RECIPE) if self.recipe else {"filters": FILTERS}
        return make_dcgan(channels=3, pack=self.pack, **settings, seed=seed)


MODELS = {
    "DCGAN": Model(pack=1),
    "PacDCGAN2": Model(pack=2),
    "PacDCGAN4": Model(pack=4),
    "recipe": Model(pack=1, recipe=True),
    "recipe-pack2": Model(pack=2, recipe=True),
}
TARGET_MODES, TARGET_KL = 990, 0.1  # issue 12: the best model, every seed


def real_ceiling(
    mnist: gc.data.ImageDataset, count: int, classifier: DigitFeatures
) -> StackedModes:
    """Real stacked digits (held-out ones) scored like a generator's samples."""
    images, _ = stacked_mnist.stack_digits(
        mnist.x_test, mnist.y_test, count, np.random.default_rng(2026)
    )
    return stacked_mode_score(stacked_channel_labels(images, classifier=classifier))


def _mean_sd(values: Sequence[float]) -> str:
    array = np.asarray(values, dtype=np.float64)
    sd = array.std(ddof=1) if len(array) > 1 else 0.0
    return f"{array.mean():7.1f} +- {sd:<6.1f}"


def table(
    runs: dict[str, list[stacked_mnist.StackedRun]], real: StackedModes, seconds: float
) -> str:
    """The closing table as text: each model (mean +- sd over seeds), the real data, PacGAN."""
    lines = [f"{'model':<28} {'seeds':>5} {'modes':>16} {'KL':>16} {'steps':>7}"]
    for name, group in runs.items():
        modes = [run.final.score.modes_captured for run in group]
        kls = [run.final.score.reverse_kl for run in group]
        kl_sd = np.std(kls, ddof=1) if len(kls) > 1 else 0.0
        steps = np.mean([run.final.steps for run in group])
        lines.append(
            f"{name + f' ({seconds:.0f} CPU s)':<28} {len(group):>5} {_mean_sd(modes):>16} "
            f"{np.mean(kls):7.3f} +- {kl_sd:<6.3f} {steps:>7.0f}"
        )
    lines.append(
        f"{'real stacked digits':<28} {'':>5} {real.modes_captured:>16} {real.reverse_kl:>16.3f}"
    )
    for name, (modes, kl) in stacked_mnist.PUBLISHED.items():
        lines.append(f"{name:<28} {'':>5} {modes:>16.1f} {kl:>16.2f}   (published)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="CPU s per core per model")
    parser.add_argument("--every", type=float, default=60.0, help="CPU s between scores")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=list(MODELS))
    parser.add_argument("--samples", type=int, default=PAPER_SAMPLE_COUNT, help="scored samples")
    parser.add_argument("--png", type=Path, default=Path("stacked_mnist"), help="PNG prefix")
    parser.add_argument("--json", type=Path, help="also write the curves here")
    args = parser.parse_args(argv)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gc.data.OfflineFallbackWarning)
        mnist = gc.data.load_mnist()
    classifier = DigitFeatures()
    training, _ = stacked_mnist.stack_digits(
        mnist.x_train, mnist.y_train, stacked_mnist.TRAINING_SIZE, np.random.default_rng(0)
    )
    real = real_ceiling(mnist, args.samples, classifier)
    precision = default_precision()
    print(
        f"Stacked MNIST: {len(training):,} training images from {len(mnist.x_train):,} digits; "
        f"DCGAN filters {FILTERS}, {precision}, {args.seconds:g} CPU s per "
        f"core per model, {args.samples:,} samples scored; {cpu_model()}"
    )
    print(f"real stacked digits: {real.modes_captured} modes, KL {real.reverse_kl:.3f}")
    runs: dict[str, list[stacked_mnist.StackedRun]] = {}
    for name in args.models:
        for seed in args.seeds:
            gc.set_seed(seed)
            model = MODELS[name]
            run = stacked_mnist.train_on_stacked_mnist(
                model.build(seed),
                training,
                cpu_seconds=args.seconds,
                every=args.every,
                batch_size=model.batch_size,
                samples=args.samples,
                classifier=classifier,
                name=name,
                seed=seed,
                progress=False,
            )
            runs.setdefault(name, []).append(run)
            for point in run.points:
                print(
                    f"{name:<12} seed {seed}  {point.cpu_seconds:6.0f} CPU s  "
                    f"{point.wall_seconds:6.0f} wall s  step {point.steps:5d}  "
                    f"{point.score.modes_captured:4d} modes  KL {point.score.reverse_kl:.3f}",
                    flush=True,
                )
            path = args.png.with_name(f"{args.png.name}_{name}_seed{seed}.png")
            gc.plotting.image_grid(
                run.samples, value_range=(-1, 1), ncols=8, title=f"{name}", path=path
            )
    print()
    print(table(runs, real, args.seconds))
    met = [
        name
        for name, group in runs.items()
        if all(
            run.final.score.modes_captured >= TARGET_MODES
            and run.final.score.reverse_kl <= TARGET_KL
            for run in group
        )
    ]
    verdict = f"MET by {', '.join(met)}" if met else "MISSED"
    print(f"\ntarget (>= {TARGET_MODES} modes and KL <= {TARGET_KL}, every seed): {verdict}")
    if args.json:
        curves = {
            name: [
                [
                    {
                        "cpu_seconds": p.cpu_seconds,
                        "wall_seconds": p.wall_seconds,
                        "steps": p.steps,
                        "modes": p.score.modes_captured,
                        "kl": p.score.reverse_kl,
                    }
                    for p in run.points
                ]
                for run in group
            ]
            for name, group in runs.items()
        }
        real_row = {"modes": real.modes_captured, "kl": real.reverse_kl}
        args.json.write_text(json.dumps({"curves": curves, "real": real_row}, indent=1))
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
