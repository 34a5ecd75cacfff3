"""Training a DCGAN on Stacked MNIST under a CPU budget: three-channel and packed DCGANs, the
clock, the scored points, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse import mixture_plots, stacked_mnist
from gancourse.metrics.stacked_mnist import stacked_mode_score
from gancourse.training import make_dcgan


@pytest.fixture(scope="module")
def stacked(mnist):
    images, _ = stacked_mnist.stack_digits(
        mnist.x_train, mnist.y_train, 256, np.random.default_rng(0)
    )
    return images


@pytest.mark.parametrize("pack", [1, 2])
def test_a_three_channel_dcgan_packs_along_the_channels(pack):
    gan = make_dcgan(channels=3, pack=pack, filters=4, precision="float32")
    assert gan.generator.output_shape == (None, 28, 28, 3)
    assert gan.discriminator.input_shape == (None, 28, 28, 3 * pack)
    assert gan.pack == pack


def test_training_on_the_clock_scores_and_stops(stacked):
    gan = make_dcgan(channels=3, pack=2, filters=4, precision="float32", seed=1)
    run = stacked_mnist.train_on_stacked_mnist(
        gan, stacked, cpu_seconds=3.0, every=1.0, samples=40, progress=False
    )
    seconds = [point.cpu_seconds for point in run.points]
    steps = [point.steps for point in run.points]
    assert len(run.points) >= 2
    assert seconds == sorted(seconds) and steps == sorted(steps) and steps[0] >= 1
    assert seconds[-1] >= 3.0 and seconds[-2] < 3.0  # scored at the end, and not after
    assert all(point.score.samples == 40 for point in run.points)
    assert run.samples.shape == (64, 28, 28, 3) and run.samples.dtype == np.float32
    assert np.abs(run.samples).max() <= 1.0
    real = stacked_mode_score(np.tile([1, 2, 3], (5, 1)))
    figure = mixture_plots.plot_stacked_runs({"PacDCGAN2": run}, real)
    assert len(figure.axes) == 2 and len(figure.axes[0].lines) == 2  # the run and the ceiling
    with pytest.raises(ValueError, match="empty"):
        mixture_plots.plot_stacked_runs({}, real)


@pytest.mark.parametrize(
    "images",
    [
        np.zeros((8, 28, 28, 3), np.float32),
        np.zeros((8, 28, 28), np.uint8),
        np.zeros((8, 28, 28, 1), np.uint8),
    ],
)
def test_training_refuses_images_that_are_not_stacked_digits(images):
    gan = make_dcgan(channels=3, filters=4, precision="float32")
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 3\)"):
        stacked_mnist.train_on_stacked_mnist(gan, images, cpu_seconds=1, every=1, progress=False)


@pytest.mark.parametrize(("budget", "every"), [(0, 1), (1, 0), (-1, 1), (float("nan"), 1)])
def test_the_budget_and_the_interval_must_be_positive(stacked, budget, every):
    gan = make_dcgan(channels=3, filters=4, precision="float32")
    with pytest.raises(ValueError, match="> 0"):
        stacked_mnist.train_on_stacked_mnist(
            gan, stacked, cpu_seconds=budget, every=every, progress=False
        )
