"""Lesson 06's DCGAN against the strongest simple recipe: sample quality per CPU minute, two judges.

For each of ``--seeds``, three contenders train for ``--minutes`` of CPU time per core (this
process's CPU seconds divided by its cores, training only; ``--clock wall`` for the wall clock):

- the anchor: the TensorFlow DCGAN tutorial's networks and ``@tf.function`` train_step
  (re-typed in ``bench_dcgan.py``) with the DCGAN paper's optimiser, Adam(2e-4, beta_1=0.5) for
  both networks, at batch 64, in float32: the strongest simple recipe a learner would find;
- lesson 06: lesson 06's recipe, ``make_dcgan(**DCGAN_RECIPE)`` trained at batch
  ``DCGAN_RECIPE_BATCH_SIZE`` (``gancourse.training``), in the machine's default precision
  (``--precision`` to force one);
- self-conditioned: the same recipe made conditional (``make_conditional_dcgan``) on 50 k-means
  clusters of the training pixels instead of labels (``gancourse.clusters``, lesson 08), the
  clustering on the clock; it samples clusters in their training frequencies, so it draws
  digits unconditionally, without ever seeing a label.

Every ``--every`` seconds, and at the end, each is scored on ``--samples`` samples from one
fixed noise batch (the same for all), against the held-out real digits, by two judges:

- the shipped digit classifier (``gancourse.metrics.DigitFeatures``): FID on its 128-d
  features, the confident share (its top class above 0.9) and how many of the ten digits its
  labels cover;
- an independent judge: a plain CNN of another architecture (two 5x5 convolution and max-pool
  blocks, a 128-unit layer; no outlier training), trained inside the benchmark on the training
  split only: FID on its 128-d features and its confident share.

It prints each score as it comes, then the curves side by side (mean over the seeds), the CPU,
and the verdict on issue 16's targets for each of the course's contenders; it saves each
contender's last samples (first seed) as a PNG. Exit status 1 when no contender of the course
meets every target. The targets are for a CPU without AMX (float32);
the report says which kind this one is.

    .venv/bin/python bench/dcgan_quality.py                  # 3 minutes, every minute, 3 seeds
    .venv/bin/python bench/dcgan_quality.py --minutes 0.2 --every 6 --seeds 0 --samples 200

Offline this trains on the 4,000 training digits of the 5,000-digit fallback and scores
against its 1,000 held-out digits.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow is imported

import argparse
import statistics
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from bench_dcgan import NOISE_DIM, TutorialDCGAN
from machine import cpu_model, has_amx

import gancourse as gc
from gancourse.metrics import DigitFeatures, confident_share, frechet_distance
from gancourse.training.budget import cpu_cores

ANCHOR_BATCH_SIZE = 64  # issue 16 defines the anchor at batch 64
#: Issue 16's targets for lesson 06 at the last minute, mean over the seeds (shipped judge).
TARGET_CONFIDENT, TARGET_FID = 0.80, 20.0
ANCHOR, LESSON, SELF = "anchor", "lesson 06", "self-conditioned"
CLUSTERS = 50  # k-means clusters of the self-conditioned contender


def _cpu_seconds() -> float:
    """This process's CPU seconds per core: about wall seconds on an idle machine."""
    return time.process_time() / cpu_cores()


CLOCKS: dict[str, Callable[[], float]] = {"cpu": _cpu_seconds, "wall": time.perf_counter}


# ## The contenders ###############################################################################


class Contender:
    """Trains on ``images`` (N, 28, 28, 1) in [-1, 1] until told to stop; generates from z."""

    name: str
    precision: str
    steps: int = 0

    def train_until(self, done: Callable[[], bool]) -> None:
        """Take generator steps until ``done()`` is true (checked after every step)."""
        raise NotImplementedError

    def generate(self, z: np.ndarray) -> np.ndarray:
        """Samples (n, 28, 28, 1) in [-1, 1] for latent codes z (n, 100), inference mode."""
        raise NotImplementedError


class Anchor(Contender):
    name, precision = ANCHOR, "float32"

    def __init__(self, images: np.ndarray, seed: int) -> None:
        keras.utils.set_random_seed(seed)
        self.dcgan = TutorialDCGAN(learning_rate=2e-4, beta_1=0.5)
        dataset = tf.data.Dataset.from_tensor_slices(images).shuffle(len(images), seed=seed)
        self.batches = iter(dataset.batch(ANCHOR_BATCH_SIZE).repeat())

    def train_until(self, done: Callable[[], bool]) -> None:
        while True:
            self.dcgan.train_step(next(self.batches))
            self.steps += 1
            if done():
                return

    def generate(self, z: np.ndarray) -> np.ndarray:
        return self.dcgan.generator.predict(z, batch_size=250, verbose=0)


class _StopWhen(keras.callbacks.Callback):
    def __init__(self, done: Callable[[], bool]) -> None:
        super().__init__()
        self.done = done

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.done():
            self.model.stop_training = True


class Lesson06(Contender):
    name = LESSON

    def __init__(self, images: np.ndarray, seed: int, precision: str) -> None:
        gc.set_seed(seed)
        recipe = gc.training.DCGAN_RECIPE
        self.gan = gc.training.make_dcgan(**recipe, precision=precision, seed=seed)
        self.precision = self.gan.generator.layers[1].dtype_policy.name
        self.data = self._pipeline(images, None, seed)

    def _pipeline(
        self, images: np.ndarray, labels: np.ndarray | None, seed: int
    ) -> tf.data.Dataset:
        batching = self.gan.batching(gc.training.DCGAN_RECIPE_BATCH_SIZE)
        return gc.data.make_pipeline(images, labels, seed=seed, **batching).repeat()

    @property
    def steps(self) -> int:  # type: ignore[override]
        return int(self.gan.generator_optimizer.iterations)

    def train_until(self, done: Callable[[], bool]) -> None:
        self.gan.fit(
            self.data,
            epochs=1,
            steps_per_epoch=10**9,
            verbose=0,
            shuffle=False,
            callbacks=[_StopWhen(done)],
        )

    def generate(self, z: np.ndarray) -> np.ndarray:
        return self.gan.generate(z=z)


class SelfConditioned(Lesson06):
    name = SELF

    def __init__(self, images: np.ndarray, seed: int, precision: str) -> None:
        gc.set_seed(seed)
        recipe = gc.training.DCGAN_RECIPE
        self.gan = gc.training.make_conditional_dcgan(
            num_classes=CLUSTERS, **recipe, precision=precision, seed=seed
        )
        self.precision = self.gan.generator.layers[1].dtype_policy.name
        self.images, self.seed, self.clusters = images, seed, None

    def train_until(self, done: Callable[[], bool]) -> None:
        if self.clusters is None:  # on the clock: clustering is part of this recipe's cost
            self.clusters = gc.clusters.pixel_clusters(self.images, CLUSTERS, seed=self.seed)
            self.data = self._pipeline(self.images, self.clusters.labels, self.seed)
        super().train_until(done)

    def generate(self, z: np.ndarray) -> np.ndarray:
        labels = self.clusters.sample(len(z), seed=self.seed)
        return self.gan.generate(z=z, labels=labels)


COURSE: dict[str, type[Lesson06]] = {LESSON: Lesson06, SELF: SelfConditioned}


# ## The judges ###################################################################################


def build_independent_cnn() -> keras.Model:
    """A plain CNN unlike the shipped classifier: 5x5 convolutions (32, 64), each with a 2x2
    max-pool, a 128-unit ReLU layer named "features", dropout 0.5 and 10 logits."""
    layers = keras.layers
    images = keras.Input((28, 28, 1))
    h = layers.MaxPooling2D()(layers.Conv2D(32, 5, padding="same", activation="relu")(images))
    h = layers.MaxPooling2D()(layers.Conv2D(64, 5, padding="same", activation="relu")(h))
    h = layers.Dense(128, activation="relu", name="features")(layers.Flatten()(h))
    logits = layers.Dense(10, name="logits")(layers.Dropout(0.5)(h))
    return keras.Model(images, logits, name="independent_cnn")


def train_independent_judge(
    images: np.ndarray, labels: np.ndarray, *, epochs: int = 8, seed: int = 0
) -> DigitFeatures:
    """The independent CNN trained on uint8 digits (N, 28, 28) and their labels, as a judge."""
    keras.utils.set_random_seed(seed)
    cnn = build_independent_cnn()
    cnn.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    cnn.fit(images[..., None] / 255.0, labels, epochs=epochs, batch_size=64, verbose=0)
    return DigitFeatures(cnn)


@dataclass
class Judge:
    """A digit classifier and the held-out digits' features it compares samples with."""

    name: str
    features: DigitFeatures
    real: np.ndarray  # features of the held-out digits

    def score(self, samples: np.ndarray) -> Score:
        features, probabilities = self.features.features_and_probabilities(
            samples, value_range=(-1, 1)
        )
        return Score(
            fid=frechet_distance(self.real, features),
            confident=confident_share(probabilities),
            drawn=int(np.unique(probabilities.argmax(axis=1)).size),
        )


@dataclass(frozen=True)
class Score:
    fid: float
    confident: float  # the share with top class probability > 0.9
    drawn: int  # how many of the ten digits the judge's labels cover


@dataclass
class Point:
    seconds: float
    steps: int
    scores: dict[str, Score]


@dataclass
class Run:
    contender: str
    precision: str
    seed: int
    points: list[Point] = field(default_factory=list)
    samples: np.ndarray | None = None  # 64 last samples


# ## Training on the clock, scoring off it ########################################################


def measure(
    contender: Contender,
    judges: Sequence[Judge],
    z: np.ndarray,
    *,
    seconds: float,
    every: float,
    clock: str,
    seed: int,
    out: Callable[[str], None] = print,
) -> Run:
    """Train ``contender`` for ``seconds`` on ``clock``, scoring every ``every`` seconds."""
    now = CLOCKS[clock]
    run = Run(contender.name, contender.precision, seed)
    trained = 0.0
    for target in _score_times(seconds, every):
        start, remaining = now(), target - trained
        contender.train_until(lambda start=start, remaining=remaining: now() - start >= remaining)
        trained += now() - start
        samples = contender.generate(z)
        point = Point(trained, contender.steps, {j.name: j.score(samples) for j in judges})
        run.points.append(point)
        out(f"{contender.name:9} seed {seed}  {_point_text(point)}")
    run.samples = samples[:64]
    return run


def _score_times(seconds: float, every: float) -> list[float]:
    times = list(np.arange(every, seconds, every))
    return [float(t) for t in times if seconds - t > 1e-6] + [seconds]


def _point_text(point: Point) -> str:
    scores = "  ".join(
        f"{name}: FID {s.fid:6.1f} confident {s.confident:4.2f} digits {s.drawn:2d}"
        for name, s in point.scores.items()
    )
    return f"{point.seconds:6.1f} s  step {point.steps:5d}  {scores}"


# ## The report ###################################################################################


def mean_curve(runs: Sequence[Run]) -> list[Point]:
    """The runs' points averaged over seeds, time by time (digits drawn: the fewest)."""
    curve = []
    for points in zip(*(run.points for run in runs), strict=True):
        judges = points[0].scores
        curve.append(
            Point(
                seconds=statistics.fmean(p.seconds for p in points),
                steps=round(statistics.fmean(p.steps for p in points)),
                scores={
                    name: Score(
                        fid=statistics.fmean(p.scores[name].fid for p in points),
                        confident=statistics.fmean(p.scores[name].confident for p in points),
                        drawn=min(p.scores[name].drawn for p in points),
                    )
                    for name in judges
                },
            )
        )
    return curve


def side_by_side(anchor: Sequence[Point], lesson: Sequence[Point], name: str = LESSON) -> str:
    """A markdown table: per scoring time, the anchor's and the course contender ``name``'s
    steps and both judges' scores."""
    judges = list(anchor[0].scores)
    head = ["CPU s per core", f"steps: anchor / {name}"]
    head += [f"{judge}: FID anchor / {name}" for judge in judges]
    head += [f"{judge}: confident anchor / {name}" for judge in judges]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for a, b in zip(anchor, lesson, strict=True):
        cells = [f"{(a.seconds + b.seconds) / 2:.0f}", f"{a.steps:,} / {b.steps:,}"]
        cells += [f"{a.scores[j].fid:.1f} / {b.scores[j].fid:.1f}" for j in judges]
        cells += [f"{a.scores[j].confident:.2f} / {b.scores[j].confident:.2f}" for j in judges]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def verdict(anchor: Sequence[Point], lesson: Sequence[Point]) -> dict[str, bool]:
    """Issue 16's targets, each met or not (means over the seeds)."""
    last = lesson[-1].scores["shipped"]
    ahead = all(
        b.scores[j].fid < a.scores[j].fid and b.scores[j].confident > a.scores[j].confident
        for a, b in zip(anchor, lesson, strict=True)
        for j in a.scores
    )
    return {
        f"confident share >= {TARGET_CONFIDENT:.2f} (shipped judge)": (
            last.confident >= TARGET_CONFIDENT
        ),
        f"FID <= {TARGET_FID:g} (shipped judge)": last.fid <= TARGET_FID,
        "all ten digits drawn (every seed)": last.drawn == 10,
        "ahead of the anchor at every scoring time, both judges": ahead,
    }


def reference_rows(judges: Sequence[Judge], real_train: np.ndarray) -> str:
    """What real training digits score against the held-out ones: each judge's ceiling."""
    parts = []
    for judge in judges:
        score = judge.score(real_train)
        parts.append(f"{judge.name}: FID {score.fid:.1f}, confident {score.confident:.2f}")
    return "real training digits against the held-out ones: " + "; ".join(parts)


# ## Main #########################################################################################


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="training time per run")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between scores")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--samples", type=int, default=1000, help="samples scored per point")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    parser.add_argument("--precision", default="auto", help="the course's contenders' precision")
    parser.add_argument(
        "--contenders",
        nargs="+",
        choices=list(COURSE),
        default=list(COURSE),
        help="besides the anchor",
    )
    parser.add_argument("--judge-epochs", type=int, default=8, help="independent CNN's epochs")
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for the PNGs")
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gc.data.OfflineFallbackWarning)
        mnist = gc.data.load_mnist()
    held_out = gc.pixels.to_float(mnist.x_test[: args.samples])[..., None]
    images = gc.pixels.to_float(mnist.x_train)[..., None]
    print(
        f"{cpu_model()}, {args.clock} clock; {len(images):,} training "
        f"digits, {len(held_out):,} held out; {args.samples:,} samples per score"
    )
    shipped = DigitFeatures()
    independent = train_independent_judge(mnist.x_train, mnist.y_train, epochs=args.judge_epochs)
    judges = [
        Judge(name, features, features.features(held_out, value_range=(-1, 1)))
        for name, features in (("shipped", shipped), ("independent", independent))
    ]
    print(reference_rows(judges, images[: args.samples]))
    z = np.random.default_rng(12345).standard_normal((args.samples, NOISE_DIM)).astype("float32")
    runs: dict[str, list[Run]] = {name: [] for name in [ANCHOR, *args.contenders]}
    for seed in args.seeds:
        course = [COURSE[name](images, seed, args.precision) for name in args.contenders]
        for contender in [Anchor(images, seed), *course]:
            run = measure(
                contender,
                judges,
                z,
                seconds=args.minutes * 60,
                every=args.every,
                clock=args.clock,
                seed=seed,
            )
            runs[contender.name].append(run)
    curves = {name: mean_curve(group) for name, group in runs.items()}
    precisions = {name: group[0].precision for name, group in runs.items()}
    print(
        f"\nMean over seeds {args.seeds}; anchor {precisions[ANCHOR]}; the course's contenders "
        f"{precisions[args.contenders[0]]}, lesson 06's recipe "
        f"(make_dcgan({_arguments(gc.training.DCGAN_RECIPE)}), batch "
        f"{gc.training.DCGAN_RECIPE_BATCH_SIZE}), self-conditioned on {CLUSTERS} clusters"
    )
    for name in args.contenders:
        print(f"\n{side_by_side(curves[ANCHOR], curves[name], name)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, group in runs.items():
        path = args.out / f"dcgan_quality_{name.replace(' ', '_')}.png"
        last = group[0].points[-1]
        title = (
            f"{name}, seed {group[0].seed}, {last.seconds:.0f} {args.clock} s, "
            f"confident {last.scores['shipped'].confident:.2f}"
        )
        gc.plotting.image_grid(
            group[0].samples, value_range=(-1, 1), ncols=8, title=title, path=path
        )
        print(f"{name}: samples saved to {path}")
    kind = "with AMX" if has_amx() else "without AMX"
    met_by = []
    for name in args.contenders:
        checks = verdict(curves[ANCHOR], curves[name])
        print(f"\nIssue 16's targets for {name} (set for a CPU without AMX; this CPU is {kind}):")
        for check, met in checks.items():
            print(f"  {'met   ' if met else 'MISSED'}  {check}")
        if all(checks.values()):
            met_by.append(name)
    print(f"\nEvery target met by: {', '.join(met_by) if met_by else 'none'}")
    return 0 if met_by else 1


def _arguments(arguments: Mapping[str, object]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in arguments.items())


if __name__ == "__main__":
    raise SystemExit(main())
