"""The capstone's leaderboard: budgets, the registry, scoring, saving, and the five models."""

from __future__ import annotations

import dataclasses
import json
import time

import keras
import numpy as np
import pytest

import gancourse as gc
from gancourse.leaderboard import (
    CONTENDERS,
    REAL,
    Budget,
    BudgetClock,
    Leaderboard,
    Trained,
    TrainingData,
    fit_gan,
    register,
)
from gancourse.recipes import balanced_labels

SAMPLES = 200


@pytest.fixture(scope="module")
def data(mnist) -> TrainingData:
    return TrainingData.from_uint8(mnist.x_train[:600], mnist.y_train[:600])


@pytest.fixture(scope="module")
def evaluator(mnist):
    return gc.metrics.ImageEvaluator(mnist.x_test[:SAMPLES], kid_subsets=10)


@pytest.fixture
def registry():
    """Contenders registered inside a test are gone after it."""
    saved = dict(CONTENDERS)
    yield CONTENDERS
    CONTENDERS.clear()
    CONTENDERS.update(saved)


def _board(data, mnist, evaluator, budget=None) -> Leaderboard:
    budget = budget or Budget(epochs=1)
    return Leaderboard(data, mnist.x_test, budget, samples=SAMPLES, evaluator=evaluator)


@pytest.fixture
def copier_and_means(data, mnist, evaluator, registry):
    """A board with two cheap entries: real training digits (copier) and class means."""
    board = _board(data, mnist, evaluator)
    _register_copier()
    _register_class_means()
    return board, board.run("copier", progress=False), board.run("class means", progress=False)


def _tiny_fit(data: TrainingData, clock: BudgetClock) -> keras.Model:
    """A one-weight Keras model fitted under the clock: the least a contender must do."""
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.zeros((len(data.images), 1), np.float32)
    model.fit(x, x, batch_size=100, epochs=clock.max_epochs, verbose=0, callbacks=[clock])
    return model


def _register_copier(name: str = "copier") -> None:
    @register(name, family="baseline", description="returns training digits")
    def copier(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
        model = _tiny_fit(data, clock)
        return Trained(lambda count, seed: data.images[:count], model)


def _register_class_means(name: str = "class means") -> None:
    """A model that uses the labels, as a conditional model would: the mean image of each class,
    for a class drawn at random."""

    @register(name, family="class-aware", description="mean digit of a random class")
    def class_means(data: TrainingData, clock: BudgetClock, seed: int) -> Trained:
        model = _tiny_fit(data, clock)
        means = np.stack([data.images[data.labels == k].mean(axis=0) for k in range(10)])

        def sample(count: int, seed: int) -> np.ndarray:
            return means[np.random.default_rng(seed).integers(0, 10, size=count)]

        return Trained(sample, model)


# ## Budget and clock


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "needs seconds="),
        ({"seconds": 0}, "seconds must be a number > 0"),
        ({"seconds": float("nan")}, "seconds must be a number > 0"),
        ({"seconds": True}, "seconds must be a number > 0"),
        ({"epochs": 0}, "epochs must be an integer >= 1"),
        ({"epochs": 1.5}, "epochs must be an integer >= 1"),
    ],
)
def test_budget_rejects_bad_limits(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        Budget(**kwargs)


def test_budget_takes_numpy_numbers_and_saves_them_as_plain_ones() -> None:
    budget = Budget(seconds=np.float32(2.5), epochs=np.int64(3))
    assert (budget.seconds, budget.epochs) == (2.5, 3)
    assert type(budget.seconds) is float and type(budget.epochs) is int
    json.dumps(dataclasses.asdict(budget))  # what Leaderboard.save writes


def test_budget_describes_itself() -> None:
    assert Budget(seconds=60).describe() == "60 s of training per model"
    assert (
        Budget(epochs=3, seconds=2.5).describe() == "at most 3 epochs, 2.5 s of training per model"
    )


class _SlowStep(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None) -> None:
        time.sleep(0.02)


def _fit_under(budget: Budget) -> tuple[BudgetClock, keras.callbacks.History]:
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.zeros((100, 1), np.float32)
    clock = BudgetClock(budget, progress=False)
    history = model.fit(
        x, x, batch_size=10, epochs=clock.max_epochs, verbose=0, callbacks=[_SlowStep(), clock]
    )
    return clock, history


def test_clock_stops_fit_when_the_time_is_spent_and_counts_the_work() -> None:
    clock, history = _fit_under(Budget(seconds=0.5))
    assert clock.seconds >= 0.5
    assert clock.spent
    # 10 steps per epoch, each >= 20 ms: at most 25 steps fit in 0.5 s, so about 2-3 epochs
    # instead of the unlimited epochs fit was given.
    assert 1 <= clock.steps <= 25
    assert len(history.epoch) == int(np.ceil(clock.epochs))
    assert clock.epochs == pytest.approx(clock.steps / 10)


def test_clock_with_an_epoch_budget_lets_every_epoch_finish() -> None:
    clock, history = _fit_under(Budget(epochs=2))
    assert (clock.steps, clock.epochs, len(history.epoch)) == (20, 2.0, 2)
    assert not clock.spent


def test_clock_wants_a_budget() -> None:
    with pytest.raises(TypeError, match="budget must be a Budget"):
        BudgetClock(60)


# ## The registry and the board


def test_a_model_using_the_labels_joins_the_leaderboard_with_one_registered_function(
    data, mnist, evaluator, registry
) -> None:
    board = _board(data, mnist, evaluator)
    _register_class_means()
    entry = board.run("class means", progress=False)
    assert entry.family == "class-aware"
    assert entry.steps == 6 and entry.epochs == 1.0  # 600 images / batch 100, one epoch
    assert list(board.rows()) == [REAL, "class means"]
    assert "class means" in board.table() and "class means" in board._repr_html_()
    # Ten class means: every sample is one of ten images, so recall is tiny.
    assert entry.scores["recall"] < 0.1


def test_rows_are_sorted_by_the_chosen_metric_with_the_real_row_first(copier_and_means) -> None:
    board, copier, means = copier_and_means
    # Real training digits score as well as the real row, the class means far worse.
    assert copier.scores["FID"] < 0.2 * means.scores["FID"]
    assert list(board.rows("FID")) == [REAL, "copier", "class means"]
    assert list(board.rows("recall")) == [REAL, "copier", "class means"]
    assert list(board.rows("density")) == [REAL, "class means", "copier"]  # higher first
    with pytest.raises(KeyError, match="sort_by must be one of"):
        board.rows("sharpness")


def test_copying_the_training_set_is_flagged_in_the_copies_column(
    data, mnist, evaluator, registry
) -> None:
    board = _board(data, mnist, evaluator)
    _register_copier()
    _register_class_means()
    entry = board.run("copier", progress=False)
    assert entry.scores["copies"] == 1.0
    assert board.baseline["copies"] == 1.0  # the real row is training digits too
    assert board.run("class means", progress=False).scores["copies"] == 0.0
    assert entry.scores["FID"] == pytest.approx(board.baseline["FID"])


def test_unknown_contenders_and_a_forgotten_clock_get_clear_errors(
    data, mnist, evaluator, registry
) -> None:
    board = _board(data, mnist, evaluator)
    with pytest.raises(KeyError, match="no contender named 'GAN'; registered: autoencoder"):
        board.run("GAN")

    @register("no clock", family="bug", description="trains without the budget")
    def no_clock(data, clock, seed):
        return Trained(lambda count, seed: data.images[:count], keras.layers.Dense(1))

    with pytest.raises(RuntimeError, match="trained without its budget clock"):
        board.run("no clock", progress=False)


@pytest.mark.parametrize(
    "sample, error, message",
    [
        (lambda count, seed: np.zeros((count, 14, 14), np.float32), ValueError, "28, 28"),
        (lambda count, seed: np.zeros((count - 1, 28, 28), np.float32), ValueError, "28, 28"),
        (lambda count, seed: np.zeros((count, 28, 28), np.uint8), ValueError, "floats"),
        (lambda count, seed: np.full((count, 28, 28), 255.0), ValueError, "value_range=.0, 1"),
        (lambda count, seed: np.full((count, 28, 28), np.nan), ValueError, "NaN"),
    ],
)
def test_bad_samples_are_refused_not_repaired(
    data, mnist, evaluator, registry, sample, error, message
) -> None:
    @register("broken", family="bug", description="draws bad samples")
    def broken(data, clock, seed):
        return Trained(sample, _tiny_fit(data, clock))

    with pytest.raises(error, match=message):
        _board(data, mnist, evaluator).run("broken", progress=False)


def test_rescore_draws_fresh_samples_from_a_trained_model(data, mnist, evaluator, registry) -> None:
    board = _board(data, mnist, evaluator)
    _register_class_means()
    entry = board.run("class means", progress=False)
    assert board.rescore("class means", board.seed + 1) == entry.scores  # the board's own seed
    other = board.rescore("class means", 99)
    assert other["FID"] != entry.scores["FID"]
    assert other["FID"] == pytest.approx(entry.scores["FID"], rel=0.2)
    with pytest.raises(KeyError, match="it is not on the board"):
        board.rescore("copier", 1)


def test_registering_needs_a_name_and_a_function(registry) -> None:
    with pytest.raises(ValueError, match="non-empty string"):
        register(" ", family="x", description="y")
    with pytest.raises(TypeError, match="decorates a function"):
        register("x", family="x", description="y")(42)


def test_board_checks_its_inputs(data, mnist, evaluator) -> None:
    with pytest.raises(ValueError, match="needs as many held-out images"):
        Leaderboard(data, mnist.x_test[:50], Budget(epochs=1), samples=100, evaluator=evaluator)
    with pytest.raises(ValueError, match="held_out must be uint8"):
        Leaderboard(data, mnist.x_test / 255.0, Budget(epochs=1), evaluator=evaluator)
    with pytest.raises(TypeError, match="TrainingData"):
        Leaderboard(mnist.x_train, mnist.x_test, Budget(epochs=1), evaluator=evaluator)
    with pytest.raises(ValueError, match="labels must be 10 integers"):
        TrainingData.from_uint8(mnist.x_train[:10], mnist.y_train[:9])
    with pytest.raises(ValueError, match="uint8 digits"):
        TrainingData.from_uint8(mnist.x_train[:10] / 255.0, mnist.y_train[:10])
    with pytest.raises(ValueError, match=r"uint8 digits shaped \(n, 28, 28\)"):
        TrainingData.from_uint8(np.zeros((10, 32, 32), np.uint8), mnist.y_train[:10])
    with pytest.raises(ValueError, match="float32 digits shaped"):
        TrainingData(mnist.x_train[:10, ..., None] / 255.0, mnist.y_train[:10])  # float64
    with pytest.raises(ValueError, match="float32 digits shaped"):
        TrainingData(np.zeros((10, 28, 28), np.float32), mnist.y_train[:10])
    with pytest.raises(ValueError, match=r"finite pixel values in \[0, 1\]"):
        TrainingData(np.full((10, 28, 28, 1), 255.0, np.float32), mnist.y_train[:10])
    with pytest.raises(ValueError, match="labels must be 10 integers"):
        TrainingData(np.zeros((10, 28, 28, 1), np.float32), np.zeros(10))


def test_a_contender_must_return_trained(data, mnist, evaluator, registry) -> None:
    @register("bare sampler", family="bug", description="returns a function, not Trained")
    def bare(data, clock, seed):
        _tiny_fit(data, clock)
        return lambda count, seed: data.images[:count]

    with pytest.raises(TypeError, match=r"must return Trained\(sample, network\), got function"):
        _board(data, mnist, evaluator).run("bare sampler", progress=False)


def test_the_html_table_bolds_the_best_model_per_metric_in_its_direction(copier_and_means) -> None:
    board, copier, means = copier_and_means
    table = board._repr_html_()
    assert f"<b>{copier.scores['FID']:.3f}</b>" in table  # lowest FID
    assert f"<b>{copier.scores['recall']:.3f}</b>" in table  # highest recall
    assert f"<b>{means.scores['FID']:.3f}</b>" not in table
    real_row = next(row for row in table.split("<tr>") if REAL in row)
    assert "<b>" not in real_row  # the real row is the reference, not a contestant


# ## Saving and loading


def test_save_and_load_keep_every_score_and_sample(
    data, mnist, evaluator, registry, tmp_path
) -> None:
    board = _board(data, mnist, evaluator)
    _register_copier()
    _register_class_means("class means / v2")  # a name that is no valid file name
    board.run("copier", progress=False)
    board.run("class means / v2", progress=False)
    board.save(tmp_path / "run")
    loaded = Leaderboard.load(tmp_path / "run", data, mnist.x_test, evaluator=evaluator)
    assert loaded.table() == board.table()
    assert loaded.budget == board.budget
    for name in ("copier", "class means / v2"):
        np.testing.assert_array_equal(loaded.samples[name], board.samples[name])
    with pytest.raises(KeyError, match="loaded from disk"):
        loaded.rescore("copier", 1)
    loaded.run("copier", progress=False)  # a loaded board takes new entries
    assert list(loaded.entries) == ["copier", "class means / v2"]


def test_load_refuses_other_data_and_broken_files(data, mnist, evaluator, tmp_path) -> None:
    board = _board(data, mnist, evaluator)
    board.save(tmp_path / "run")
    other = mnist.x_test[::-1].copy()
    with pytest.raises(ValueError, match="made with other held-out or training images"):
        Leaderboard.load(tmp_path / "run", data, other, evaluator=evaluator)
    shuffled = TrainingData(data.images[::-1].copy(), data.labels[::-1].copy())
    with pytest.raises(ValueError, match="made with other held-out or training images"):
        Leaderboard.load(tmp_path / "run", shuffled, mnist.x_test, evaluator=evaluator)
    other_kid = gc.metrics.ImageEvaluator(mnist.x_test[:SAMPLES], kid_subsets=10, seed=7)
    with pytest.raises(ValueError, match="scored by another evaluator"):
        Leaderboard.load(tmp_path / "run", data, mnist.x_test, evaluator=other_kid)
    with pytest.raises(FileNotFoundError, match=r"no leaderboard\.json"):
        Leaderboard.load(tmp_path / "nowhere", data, mnist.x_test, evaluator=evaluator)
    results = tmp_path / "run" / "leaderboard.json"
    results.write_text(json.dumps({"budget": {"seconds": 1}}))
    with pytest.raises(ValueError, match="does not hold a readable leaderboard"):
        Leaderboard.load(tmp_path / "run", data, mnist.x_test, evaluator=evaluator)


# ## Pictures


def test_ranks_need_a_model(data, mnist, evaluator) -> None:
    with pytest.raises(ValueError, match="no models on the leaderboard yet"):
        _board(data, mnist, evaluator).plot_ranks()


def test_every_plot_draws_and_saves(copier_and_means, tmp_path) -> None:
    board = copier_and_means[0]
    samples = board.plot_samples(count=5, path=tmp_path / "samples.png")
    assert len(samples.axes) == 3 * 5  # the real row and two models
    assert len(board.plot_metrics(path=tmp_path / "metrics.png").axes) >= 8
    board.plot_tradeoffs(path=tmp_path / "tradeoffs.png")
    ranks = board.plot_ranks(path=tmp_path / "ranks.png")
    cells = [text.get_text() for text in ranks.axes[0].texts]
    # copier first on FID (column 2 of 8), class means second.
    assert cells[1] == "1" and cells[8 + 1] == "2"
    for name in ("samples", "metrics", "tradeoffs", "ranks"):
        assert (tmp_path / f"{name}.png").stat().st_size > 1000


# ## The five models of the capstone

CAPSTONE = ["autoencoder", "VAE", "DCGAN", "WGAN-GP", "cGAN"]


def test_the_capstone_registers_its_five_models_in_order() -> None:
    assert list(CONTENDERS)[:5] == CAPSTONE
    assert [CONTENDERS[name].family for name in CAPSTONE] == [
        "autoencoder",
        "autoencoder",
        "GAN",
        "GAN",
        "GAN",
    ]
    assert "conditional" in CONTENDERS["cGAN"].description


@pytest.mark.parametrize("name", CAPSTONE)
def test_each_capstone_model_trains_under_the_budget_and_samples_repeatably(
    name, data, mnist, evaluator
) -> None:
    clock = BudgetClock(Budget(epochs=1), name, progress=False)
    small = TrainingData(data.images[:320], data.labels[:320])
    trained = CONTENDERS[name].train(small, clock, 0)
    assert clock.epochs == 1.0 and clock.steps >= 1
    first, again = trained.sample(16, 3), trained.sample(16, 3)
    other = trained.sample(16, 4)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    images = np.asarray(first).reshape(16, 28, 28)
    assert images.dtype == np.float32 and images.min() >= 0.0 and images.max() <= 1.0
    assert trained.network.count_params() > 1000


def test_balanced_labels_ask_for_every_class_equally_often_in_a_seeded_order() -> None:
    labels = balanced_labels(25, 10, seed=3)
    assert labels.shape == (25,) and labels.dtype.kind == "i"
    assert np.bincount(labels, minlength=10).tolist() == [3] * 5 + [2] * 5
    np.testing.assert_array_equal(labels, balanced_labels(25, 10, seed=3))
    assert not np.array_equal(labels, balanced_labels(25, 10, seed=4))
    assert np.bincount(balanced_labels(1000, 10, seed=0)).tolist() == [100] * 10


def test_a_conditional_gan_trains_on_the_labels_and_samples_every_class_equally(data) -> None:
    """fit_gan, the body of the cGAN contender: the labels go to the trainer (which refuses a
    conditional GAN without them), and the sampler asks for balanced classes."""
    gan = gc.training.make_conditional_dcgan(filters=8, precision="float32", seed=0)
    clock = BudgetClock(Budget(epochs=1), "cGAN", progress=False)
    small = TrainingData(data.images[:128], data.labels[:128])
    trained = fit_gan(small, clock, gan)
    assert (clock.steps, clock.epochs) == (2, 1.0)  # 128 images / batch 64
    images = trained.sample(20, 5)
    assert images.shape == (20, 28, 28, 1) and 0.0 <= images.min() <= images.max() <= 1.0
    asked = (gan.generate(20, seed=5, labels=balanced_labels(20, 10, 5)) + 1.0) / 2.0
    np.testing.assert_array_equal(images, asked)
    other_classes = (gan.generate(20, seed=5, labels=np.zeros(20, int)) + 1.0) / 2.0
    assert not np.array_equal(images, other_classes)  # the labels reach the generator
