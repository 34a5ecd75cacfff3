"""The leaderboard: train contenders under one budget, score them the same way, compare.

>>> board = Leaderboard(TrainingData.from_uint8(x_train, y_train), x_test, Budget(seconds=120))
>>> for name in CONTENDERS:
...     board.run(name)
>>> board                      # a table in Jupyter; print(board.table()) elsewhere
>>> board.plot_samples(); board.plot_metrics(); board.plot_tradeoffs(); board.plot_ranks()
>>> board.save(directory)      # scores and samples; Leaderboard.load(directory, ...) later

Every entry gets the same budget, the same training data, the same number of samples and the
same evaluator (:class:`gancourse.metrics.ImageEvaluator` against the held-out images), plus
a check for copied training images, ``copies`` (:func:`gancourse.metrics.copy_share`). A row
"real (training split)" scores real training digits the same way: for FID and KID, the best a
model can hope for at this sample size.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from .. import plotting
from ..metrics.memorisation import copy_share
from ..metrics.report import LOWER_IS_BETTER, METRICS, ImageEvaluator
from ..recipes import Trained, TrainingData
from ..training.budget import Budget, BudgetClock
from ..validation import check_int
from .contenders import CONTENDERS, Contender

__all__ = ["REAL", "Entry", "Leaderboard"]

REAL = "real (training split)"
_RESULTS, _SAMPLES = "leaderboard.json", "samples.npz"


@dataclass
class Entry:
    """One model's result: its scores and what its budget bought (``train_seconds``: the whole
    training call, building the model and fitting its sampler included; ``steps`` and
    ``epochs``: what the budget clock counted)."""

    name: str
    family: str
    description: str
    scores: dict[str, float]  # METRICS, then "copies"
    train_seconds: float
    steps: int
    epochs: float
    parameters: int


class Leaderboard:
    """Contenders trained under one :class:`Budget` and scored on the same held-out images.

    Args:
        data: the training data every contender gets.
        held_out: real images no contender trains on (uint8 (n, 28, 28)), the reference of
            every metric.
        budget: the training budget of each contender.
        samples: images drawn from each model and scored (at most ``len(held_out)``, so that
            every FID uses the same number of samples on both sides).
        evaluator: default ``ImageEvaluator(held_out)`` (digit-classifier features).
        seed: seeds the training of every model and its samples.
    """

    def __init__(
        self,
        data: TrainingData,
        held_out: np.ndarray,
        budget: Budget,
        *,
        samples: int = 1000,
        evaluator: ImageEvaluator | None = None,
        seed: int = 0,
    ) -> None:
        if not isinstance(data, TrainingData):
            raise TypeError("data must be a TrainingData, e.g. TrainingData.from_uint8(x, y).")
        if not isinstance(budget, Budget):
            raise TypeError(f"budget must be a Budget, got {type(budget).__name__}.")
        held_out = np.asarray(held_out)
        if held_out.dtype != np.uint8 or held_out.ndim != 3:
            raise ValueError(
                f"held_out must be uint8 digits (n, 28, 28), got {held_out.dtype} {held_out.shape}."
            )
        check_int(samples, "samples", 10)
        if samples > len(held_out) or samples > len(data.images):
            raise ValueError(
                f"samples={samples} needs as many held-out images ({len(held_out)}) and training "
                "images (the real row) to compare with; lower samples."
            )
        self.data, self.held_out, self.budget = data, held_out[:samples], budget
        self.sample_count, self.seed = samples, check_int(seed, "seed", 0)
        self.evaluator = ImageEvaluator(self.held_out) if evaluator is None else evaluator
        self.entries: dict[str, Entry] = {}
        self.samples: dict[str, np.ndarray] = {}
        self._samplers: dict[str, Callable[[int, int], np.ndarray]] = {}
        real = data.images[:samples, ..., 0]  # the noise floor: real digits, scored the same way
        self.samples[REAL] = real
        self.baseline = self._scores(real)

    # ## Running

    def run(self, contender: str | Contender, *, progress: bool = True) -> Entry:
        """Train one contender (a name in :data:`CONTENDERS` or a :class:`Contender`) under the
        budget, draw and score its samples, and add (or replace) its row."""
        if isinstance(contender, str):
            if contender not in CONTENDERS:
                known = ", ".join(CONTENDERS) or "none"
                raise KeyError(f"no contender named {contender!r}; registered: {known}.")
            contender = CONTENDERS[contender]
        clock = BudgetClock(self.budget, contender.name, progress=progress)
        start = time.perf_counter()
        try:
            trained = contender.train(self.data, clock, self.seed)
        finally:
            clock.close()
        train_seconds = time.perf_counter() - start
        if clock.steps == 0:
            raise RuntimeError(
                f"contender {contender.name!r} trained without its budget clock: pass it to fit "
                "as fit(..., epochs=clock.max_epochs, callbacks=[clock])."
            )
        if not isinstance(trained, Trained):
            raise TypeError(
                f"contender {contender.name!r} must return Trained(sample, network), got "
                f"{type(trained).__name__}."
            )
        images = np.asarray(trained.sample(self.sample_count, self.seed + 1))
        images = _check_samples(images, self.sample_count, contender.name)
        entry = Entry(
            name=contender.name,
            family=contender.family,
            description=contender.description,
            scores=self._scores(images),
            train_seconds=train_seconds,
            steps=clock.steps,
            epochs=clock.epochs,
            parameters=int(trained.network.count_params()),
        )
        self.entries[entry.name], self.samples[entry.name] = entry, images
        self._samplers[entry.name] = trained.sample
        return entry

    def rescore(self, name: str, seed: int) -> dict[str, float]:
        """The scores of a fresh set of samples (drawn with ``seed``) from a model trained in
        this session, not added to the board: how much the numbers move with the samples
        alone."""
        if name not in self._samplers:
            where = "loaded from disk (its model was not saved)" if name in self.entries else (
                "not on the board"
            )  # fmt: skip
            raise KeyError(f"cannot draw new samples from {name!r}: it is {where}.")
        images = np.asarray(self._samplers[name](self.sample_count, seed))
        return self._scores(_check_samples(images, self.sample_count, name))

    def _scores(self, images: np.ndarray) -> dict[str, float]:
        scores = self.evaluator.evaluate(images, value_range=(0, 1))
        scores["copies"] = copy_share(
            images, self.data.images[..., 0], self.held_out,
            value_range=(0, 1), training_range=(0, 1),
        )  # fmt: skip
        return scores

    # ## Reading

    def rows(self, sort_by: str = "FID") -> dict[str, dict[str, float]]:
        """``{label: scores}``: the real row first, then the models, best ``sort_by`` first."""
        if sort_by not in self.baseline:
            raise KeyError(f"sort_by must be one of {', '.join(self.baseline)}, got {sort_by!r}.")
        sign = 1.0 if sort_by in LOWER_IS_BETTER else -1.0
        ordered = sorted(self.entries.values(), key=lambda e: sign * e.scores[sort_by])
        return {REAL: self.baseline} | {entry.name: entry.scores for entry in ordered}

    def table(self, sort_by: str = "FID") -> str:
        """The leaderboard as text: scores, then what each model's budget bought."""
        rows = self.rows(sort_by)
        names = list(self.baseline)
        lines = [f"{'':22}" + "".join(f"{name:>11}" for name in names)]
        lines += [
            f"{label:22}" + "".join(f"{scores[name]:11.3f}" for name in names)
            for label, scores in rows.items()
        ]
        lines += ["", f"{'':22}{'train s':>11}{'steps':>11}{'epochs':>11}{'params':>11}"]
        for label in rows:
            if label in self.entries:
                e = self.entries[label]
                lines.append(
                    f"{label:22}{e.train_seconds:11.1f}{e.steps:11,}{e.epochs:11.2f}"
                    f"{e.parameters:11,}"
                )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = self.rows()
        names = list(self.baseline)
        models = [label for label in rows if label != REAL]
        best = {}
        for name in names:
            values = [rows[label][name] for label in models]
            if values and name in METRICS:
                best[name] = min(values) if name in LOWER_IS_BETTER else max(values)
        head = "".join(f"<th>{html.escape(name)}</th>" for name in names)
        head += "<th>train s</th><th>steps</th><th>epochs</th><th>params</th>"
        body = []
        for label, scores in rows.items():
            cells = "".join(
                f"<td><b>{scores[n]:.3f}</b></td>" if best.get(n) == scores[n] and label != REAL
                else f"<td>{scores[n]:.3f}</td>"
                for n in names
            )  # fmt: skip
            e = self.entries.get(label)
            cells += (
                f"<td>{e.train_seconds:.0f}</td><td>{e.steps:,}</td><td>{e.epochs:.1f}</td>"
                f"<td>{e.parameters:,}</td>"
                if e
                else "<td></td>" * 4
            )
            body.append(f"<tr><th style='text-align:left'>{html.escape(label)}</th>{cells}</tr>")
        caption = (
            f"{self.budget.describe()}; {self.sample_count} samples per model against "
            f"{len(self.held_out)} held-out digits; sorted by FID; best model per metric in bold"
        )
        return (
            f"<table><caption>{html.escape(caption)}</caption><tr><th></th>{head}</tr>"
            + "".join(body)
            + "</table>"
        )

    # ## Pictures

    def plot_samples(self, count: int = 10, *, path: str | os.PathLike[str] | None = None
                     ) -> Figure:  # fmt: skip
        """The first ``count`` samples of every model under ``count`` real training digits."""
        check_int(count, "count", 1)
        rows = {label: self.samples[label][:count] for label in self.rows()}
        return plotting.compare_rows(rows, value_range=(0, 1), path=path)

    def plot_metrics(self, *, path: str | os.PathLike[str] | None = None) -> Figure:
        """One bar panel per metric, one bar per row (the real row first)."""
        return plotting.metric_bars(
            self._metric_rows(include_real=True), lower_is_better=tuple(LOWER_IS_BETTER),
            title=f"{self.sample_count} samples per model; {self.budget.describe()}", path=path,
        )  # fmt: skip

    def plot_tradeoffs(self, *, path: str | os.PathLike[str] | None = None) -> Figure:
        """Quality against diversity: precision vs recall and density vs coverage."""
        return plotting.score_scatter(
            self.rows(), [("precision", "recall"), ("density", "coverage")], highlight=REAL,
            title="quality (x) against diversity (y): the top right is best", path=path,
        )  # fmt: skip

    def plot_ranks(self, *, path: str | os.PathLike[str] | None = None) -> Figure:
        """Each model's rank on each metric: where the metrics agree and where they do not."""
        models = self._metric_rows(include_real=False)
        if not models:
            raise ValueError("no models on the leaderboard yet: run(...) one first.")
        return plotting.rank_grid(models, lower_is_better=tuple(LOWER_IS_BETTER), path=path)

    def _metric_rows(self, *, include_real: bool) -> dict[str, dict[str, float]]:
        return {
            label: {name: scores[name] for name in METRICS}
            for label, scores in self.rows().items()
            if include_real or label != REAL
        }

    # ## Keeping results

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write the scores (``leaderboard.json``) and samples (``samples.npz``) to
        ``directory``; returns it."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        results = {
            "budget": asdict(self.budget),
            "samples": self.sample_count,
            "seed": self.seed,
            "reference": _fingerprint(self.held_out),
            "training": _fingerprint(self.data.images),
            "baseline": self.baseline,
            "entries": [asdict(entry) for entry in self.entries.values()],
        }
        (directory / _RESULTS).write_text(json.dumps(results, indent=1))
        arrays = {f"entry_{i}": self.samples[name] for i, name in enumerate(self.entries)}
        np.savez_compressed(directory / _SAMPLES, **arrays)
        return directory

    @classmethod
    def load(
        cls,
        directory: str | os.PathLike[str],
        data: TrainingData,
        held_out: np.ndarray,
        *,
        evaluator: ImageEvaluator | None = None,
    ) -> Leaderboard:
        """A leaderboard saved by :meth:`save`, ready to show or to :meth:`run` more contenders.

        ``data`` and ``held_out`` must be those it was made with (checked on the held-out
        images), so that a new entry is scored against the same reference.
        """
        directory = Path(directory)
        path = directory / _RESULTS
        if not path.is_file():
            raise FileNotFoundError(f"no {_RESULTS} in {directory}: save(...) writes one.")
        try:
            results = json.loads(path.read_text())
            budget = Budget(**results["budget"])
            board = cls(data, held_out, budget, samples=results["samples"],
                        evaluator=evaluator, seed=results["seed"])  # fmt: skip
            if (_fingerprint(board.held_out), _fingerprint(data.images)) != (
                results["reference"],
                results["training"],
            ):
                raise ValueError(
                    f"{directory} was made with other held-out or training images; load it "
                    "with the same data it was made with."
                )
            if not _same_scores(board.baseline, results["baseline"]):
                raise ValueError(
                    f"{directory} was scored by another evaluator (the real row differs: "
                    f"{results['baseline']} saved, {board.baseline} now); pass the evaluator "
                    "it was made with."
                )
            with np.load(directory / _SAMPLES) as samples:
                for i, fields in enumerate(results["entries"]):
                    entry = Entry(**fields)
                    board.entries[entry.name] = entry
                    board.samples[entry.name] = samples[f"entry_{i}"]
        except (KeyError, TypeError, json.JSONDecodeError, OSError) as error:
            raise ValueError(f"{directory} does not hold a readable leaderboard: {error}") from None
        return board


def _same_scores(a: dict[str, float], b: dict[str, float]) -> bool:
    return a.keys() == b.keys() and all(np.isclose(a[k], b[k], rtol=1e-6) for k in a)


def _fingerprint(images: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(images).tobytes()).hexdigest()[:16]


def _check_samples(images: np.ndarray, count: int, name: str) -> np.ndarray:
    """(count, 28, 28) float32 in [0, 1] from a sampler's output, or a clear error."""
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.shape != (count, 28, 28) or images.dtype.kind != "f":
        raise ValueError(
            f"{name}'s sample({count}, seed) must return floats shaped ({count}, 28, 28) or "
            f"({count}, 28, 28, 1), got {images.dtype} {images.shape}."
        )
    return images.astype(np.float32)
