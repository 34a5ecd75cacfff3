"""Tests of gancourse.mixture_runs and gancourse.mixture_plots (lesson 07's experiments)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from matplotlib.figure import Figure

from gancourse import mixture_plots, mixture_runs, toy_data
from gancourse.clusters import Clusters
from gancourse.metrics.mixture import PAPER_SAMPLE_COUNT
from gancourse.training import make_toy_gan

RING = toy_data.PAPER_RING


@pytest.fixture(scope="module")
def run() -> mixture_runs.MixtureRun:
    gan = make_toy_gan(seed=3)
    return mixture_runs.train_on_mixture(gan, RING, steps=12, snapshots=3, seed=3, name="plain")


def test_a_run_stops_at_its_step_budget_and_keeps_evenly_spaced_snapshots(run):
    assert [snapshot.step for snapshot in run.snapshots] == [0, 4, 8, 12]
    assert run.steps == 12 and len(run.d_loss) == len(run.g_loss) == 12
    assert all(s.samples.shape == (PAPER_SAMPLE_COUNT, 2) for s in run.snapshots)
    for snapshot in run.snapshots:  # each score is the mixture's score of its own samples
        assert snapshot.score == RING.score(snapshot.samples)
    times = [snapshot.cpu_seconds for snapshot in run.snapshots]
    assert times == sorted(times) and run.cpu_ms_per_step() > 0


def test_the_generator_step_budget_holds_with_critic_steps_and_packing():
    wgan = make_toy_gan(loss="wasserstein-gp", update="alternating", n_critic=5, seed=0)
    assert mixture_runs.train_on_mixture(wgan, RING, steps=7, snapshots=1, seed=0).steps == 7
    packed = make_toy_gan(pack=4, seed=0)
    assert (
        mixture_runs.train_on_mixture(packed, RING, steps=5, snapshots=1, batch_size=400).steps == 5
    )


def _with_modes(run, modes, seconds):
    """A copy of ``run`` whose snapshots report these modes captured at these CPU seconds."""
    snapshots = tuple(
        dataclasses.replace(
            run.final,
            step=i + 1,
            cpu_seconds=t,
            score=dataclasses.replace(run.final.score, modes_captured=m),
        )
        for i, (m, t) in enumerate(zip(modes, seconds, strict=True))
    )
    return dataclasses.replace(run, snapshots=snapshots)


def test_seconds_to_result_is_when_the_final_mode_count_was_reached_for_good(run):
    hopping = _with_modes(run, [0, 8, 6, 8, 8], [0, 1, 2, 3, 4])
    assert hopping.seconds_to_result() == 3  # reached 8 at 1 s, lost it, back for good at 3 s
    steady = _with_modes(run, [0, 5, 8, 8], [0, 1, 2, 3])
    assert steady.seconds_to_result() == 2
    collapsing = _with_modes(run, [0, 8, 3, 1], [0, 1, 2, 3])
    assert collapsing.seconds_to_result() == 1  # ends with 1 mode, had at least 1 from 1 s on


def test_summary_rows_average_over_seeds_with_the_sample_spread(run):
    runs = {"a": [_with_modes(run, [8], [1.0]), _with_modes(run, [6], [1.0])]}
    (row,) = mixture_runs.summary_rows(runs)
    assert row["configuration"] == "a" and row["seeds"] == 2
    assert row["modes"] == pytest.approx((7.0, np.std([8, 6], ddof=1)))
    (single,) = mixture_runs.summary_rows({"b": [run]})
    assert single["modes"][1] == 0.0


def test_the_table_puts_the_published_rows_beside_the_course_rows(run):
    table = mixture_runs.format_table({"ring": {"plain": [run]}}, mixture_runs.PUBLISHED)
    assert "plain" in table and "PacGAN4 (PacGAN Table 1)" in table and "(published)" in table
    assert "95.9" in table and "93.6" not in table  # the ring's row, not the grid's
    header, row = table.splitlines()[:2]
    assert header.split()[-4:] == ["CPU", "s", "to", "result"]
    assert row.split()[-1] == f"{run.seconds_to_result():.0f}"
    long_name = "a configuration with a long descriptive name"
    header, row = mixture_runs.format_table({"ring": {long_name: [run]}}).splitlines()[:2]
    assert row.startswith(long_name + " ")  # not run into the next column
    assert header.index("seeds") + len("seeds") == row.index(" 1 ") + 2  # columns aligned


def test_every_configuration_builds_a_gan_and_its_batch():
    for name, make in mixture_runs.CONFIGURATIONS.items():
        gan, batch_size = make(0, 500)
        assert batch_size == 100 * gan.pack, name
        rate = gan.generator_optimizer.learning_rate  # a schedule is read at the current step
        assert float(rate) > 0, name
    assert mixture_runs.LESSON_ORDER[0] == "plain GAN"


def test_the_plots_draw_and_refuse_nothing_to_draw(run):
    for fig in (
        mixture_plots.plot_snapshots([run, run], count=2),
        mixture_plots.plot_mode_histogram(run),
        mixture_plots.plot_losses({"plain": run}),
        mixture_plots.plot_samples({"real": (RING, RING.sample(100, np.random.default_rng(0)))}),
        mixture_plots.plot_final_samples({"plain": [run]}, title="t"),
        mixture_plots.plot_cost({"plain": [run]}),
    ):
        assert isinstance(fig, Figure) and fig.axes
    for empty in (
        lambda: mixture_plots.plot_snapshots([]),
        lambda: mixture_plots.plot_losses({}),
        lambda: mixture_plots.plot_samples({}),
        lambda: mixture_plots.plot_final_samples({}),
        lambda: mixture_plots.plot_cost({}),
    ):
        with pytest.raises(ValueError, match="empty"):
            empty()


def test_a_self_conditioned_gan_trains_on_clusters_and_samples_in_their_frequencies(monkeypatch):
    frequencies = np.array([0.7, 0.2, 0.1])  # uneven: uniform labels would be caught
    clustered, asked = [], []

    def fake_clusters(points, count, *, seed):
        clustered.append((points.shape, count, seed))
        labels = np.arange(len(points), dtype=np.int32) % count
        return Clusters(labels, frequencies, np.zeros((count, 2), np.float32))

    monkeypatch.setattr(mixture_runs, "pixel_clusters", fake_clusters)
    gan = make_toy_gan(num_classes=3, seed=0)
    generate = gan.generate

    def spy(*args, **kwargs):
        asked.append(kwargs["labels"])
        return generate(*args, **kwargs)

    monkeypatch.setattr(gan, "generate", spy)
    run = mixture_runs.train_on_mixture(gan, RING, steps=4, snapshots=2, seed=5)
    assert clustered == [((mixture_runs.DATA_SIZE, 2), 3, 5)]  # all the points, k = num_classes
    assert run.steps == 4 and len(asked) == len(run.snapshots) == 3
    shares = np.bincount(asked[-1], minlength=3) / PAPER_SAMPLE_COUNT
    np.testing.assert_allclose(shares, frequencies, atol=0.03)
    assert all(s.samples.shape == (PAPER_SAMPLE_COUNT, 2) for s in run.snapshots)


def test_the_cost_plot_tells_eleven_configurations_apart(run):
    fig = mixture_plots.plot_cost({f"configuration {i}": [run] for i in range(11)})
    looks = {
        (tuple(dots.get_facecolor()[0]), dots.get_paths()[0].vertices.tobytes())
        for dots in fig.axes[0].collections
    }
    assert len(fig.axes[0].collections) == 11 and len(looks) == 11  # colour or marker differs


def test_bad_budgets_are_refused():
    with pytest.raises(ValueError, match="steps"):
        mixture_runs.train_on_mixture(make_toy_gan(), RING, steps=0)
