"""gancourse.numpy_gan: gradients against finite differences, losses and D* against closed forms,
a short training run on 1-D data, bad input."""

from __future__ import annotations

import functools
import subprocess
import sys

import numpy as np
import pytest
from scipy import integrate, stats

from gancourse import numpy_gan as gan
from gancourse import toy_data

LOG4 = np.log(4.0)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def game(rng):
    """A random generator and discriminator, a real batch and noise (real and fake sizes differ)."""
    generator = gan.Affine(w=[[0.8]], b=[0.5])
    discriminator = gan.init_mlp(rng, hidden=7)
    return generator, discriminator, toy_data.gaussian_1d(9, rng), rng.normal(size=(5, 1))


def _d_loss(x_real, x_fake):
    def loss(discriminator):
        real = gan.discriminate(discriminator, x_real)
        return gan.discriminator_loss(real, gan.discriminate(discriminator, x_fake))

    return loss


# ## Parameters ###################################################################################


def test_parameters_are_read_only_float64_copies(rng):
    w1 = np.ones((1, 3), dtype=np.float32)
    mlp = gan.MLP(w1=w1, b1=np.zeros(3), w2=np.ones((3, 1)), b2=[0.0])
    w1[0, 0] = 5.0  # the caller's array is not shared
    assert mlp.w1[0, 0] == 1.0 and mlp.w1.dtype == np.float64
    with pytest.raises(ValueError, match="read-only"):
        mlp.w1[0, 0] = 2.0
    assert mlp.in_dim == 1 and [name for name, _ in mlp.items()] == ["w1", "b1", "w2", "b2"]
    affine = gan.Affine(w=[[2.0]], b=[1.0])
    np.testing.assert_array_equal(gan.generate(affine, [[0.0], [1.0]]), [[1.0], [3.0]])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: gan.MLP(w1=np.ones((1, 3)), b1=np.ones(2), w2=np.ones((3, 1)), b2=[0]), "b1"),
        (lambda: gan.MLP(w1=np.ones(3), b1=np.ones(3), w2=np.ones((3, 1)), b2=[0]), "in_dim"),
        (lambda: gan.MLP(w1=np.ones((1, 3)), b1=np.ones(3), w2=np.ones((2, 1)), b2=[0]), "w2"),
        (lambda: gan.Affine(w=[[1.0]], b=[0.0, 1.0]), "out_dim"),
        (lambda: gan.Affine(w=[[np.nan]], b=[0.0]), "NaN"),
    ],
)
def test_bad_parameter_shapes_or_values_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_init_mlp_has_the_documented_shapes_and_scales():
    mlp = gan.init_mlp(np.random.default_rng(0), hidden=4000, in_dim=2, out_dim=3)
    assert mlp.w1.shape == (2, 4000) and mlp.b1.shape == (4000,)
    assert mlp.w2.shape == (4000, 3) and np.all(mlp.b2 == 0)
    assert mlp.w1.std() == pytest.approx(1 / np.sqrt(2), rel=0.05)
    assert mlp.w2.std() == pytest.approx(1 / np.sqrt(4000), rel=0.05)


# ## Losses #######################################################################################


def test_bce_with_logits_matches_the_textbook_formula_and_stays_finite():
    logits = np.linspace(-8, 8, 17)
    labels = np.linspace(0, 1, 17)
    p = 1 / (1 + np.exp(-logits))
    naive = -(labels * np.log(p) + (1 - labels) * np.log(1 - p))
    np.testing.assert_allclose(gan.bce_with_logits(logits, labels), naive, rtol=1e-12)
    extreme = gan.bce_with_logits([1000.0, -1000.0, 1000.0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(extreme, [0.0, 0.0, 1000.0])


def test_losses_at_an_undecided_discriminator():
    undecided = np.zeros((4, 1))  # logit 0: D = 1/2 for every sample
    assert gan.value_function(undecided, undecided) == pytest.approx(-LOG4)
    assert gan.discriminator_loss(undecided, undecided) == pytest.approx(LOG4)
    assert gan.generator_loss(undecided) == pytest.approx(np.log(2))
    assert gan.generator_loss(undecided, "minimax") == pytest.approx(-np.log(2))


def test_losses_are_batch_means_of_each_half():
    real, fake = np.array([[2.0], [-1.0]]), np.array([[0.5], [0.0], [3.0]])
    log_d_real = np.log(gan.sigmoid(real)).mean()
    log_one_minus_d_fake = np.log(1 - gan.sigmoid(fake)).mean()
    assert gan.value_function(real, fake) == pytest.approx(log_d_real + log_one_minus_d_fake)
    assert gan.generator_loss(fake) == pytest.approx(-np.log(gan.sigmoid(fake)).mean())
    assert gan.generator_loss(fake, "minimax") == pytest.approx(log_one_minus_d_fake)


def test_optimal_discriminator_cases():
    np.testing.assert_allclose(
        gan.optimal_discriminator([0.2, 0.3, 0.0, 3.0], [0.2, 0.0, 0.5, 1.0]), [0.5, 1.0, 0.0, 0.75]
    )
    assert np.isnan(gan.optimal_discriminator([0.0], [0.0])[0])  # undefined where neither lives


def test_the_optimal_discriminator_maximises_the_value_function():
    """p_data = N(0, 1), p_g = N(1, 1): D* has logit log p_data - log p_g = 1/2 - x, and
    V(D*, G) = -log 4 + 2 JSD(p_data, p_g) (Goodfellow et al., Theorem 1)."""
    rng = np.random.default_rng(0)
    x_real, x_fake = rng.normal(0, 1, (400_000, 1)), rng.normal(1, 1, (400_000, 1))
    grid = np.linspace(-3, 3, 13)
    d_star = gan.optimal_discriminator(stats.norm(0, 1).pdf(grid), stats.norm(1, 1).pdf(grid))
    np.testing.assert_allclose(d_star, gan.sigmoid(0.5 - grid), rtol=1e-12)

    def value(logit_of):
        return gan.value_function(logit_of(x_real), logit_of(x_fake))

    def jsd_integrand(t):
        p, q = stats.norm(0, 1).pdf(t), stats.norm(1, 1).pdf(t)
        m = (p + q) / 2
        return 0.5 * (p * np.log(p / m) + q * np.log(q / m))

    jsd, _ = integrate.quad(jsd_integrand, -12, 13)
    best = value(lambda x: 0.5 - x)
    assert best == pytest.approx(-LOG4 + 2 * jsd, abs=3e-3)  # Monte Carlo error ~1e-3
    for worse in (lambda x: 0.9 - x, lambda x: 0.5 - 1.3 * x, lambda x: 0.0 * x):
        assert value(worse) < best


# ## Gradients against finite differences #########################################################


def test_discriminator_gradients_match_finite_differences(game):
    generator, discriminator, x_real, z = game
    x_fake = gan.generate(generator, z)
    analytic = gan.discriminator_gradients(discriminator, x_real, x_fake)
    numeric = gan.numerical_gradient(_d_loss(x_real, x_fake), discriminator)
    assert isinstance(analytic, gan.MLP)
    assert gan.relative_error(analytic, numeric) < 1e-6


@pytest.mark.parametrize("loss", gan.GENERATOR_LOSSES)
def test_generator_gradients_match_finite_differences(game, loss):
    generator, discriminator, _, z = game

    def g_loss(params):
        return gan.generator_loss(gan.discriminate(discriminator, gan.generate(params, z)), loss)

    analytic = gan.generator_gradients(generator, discriminator, z, loss)
    assert isinstance(analytic, gan.Affine)
    assert gan.relative_error(analytic, gan.numerical_gradient(g_loss, generator)) < 1e-6


def test_mlp_backward_gives_the_input_gradient(rng):
    mlp = gan.init_mlp(rng, hidden=5, in_dim=2, out_dim=3)
    x, upstream = rng.normal(size=(4, 2)), rng.normal(size=(4, 3))
    out, h = gan.mlp_forward(mlp, x)
    _, grad_x = gan.mlp_backward(mlp, x, h, upstream)
    eps = 1e-6
    numeric = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        up = np.sum(upstream * gan.mlp_forward(mlp, x + step)[0])
        down = np.sum(upstream * gan.mlp_forward(mlp, x - step)[0])
        numeric[index] = (up - down) / (2 * eps)
    np.testing.assert_allclose(grad_x, numeric, rtol=1e-6, atol=1e-9)
    assert out.shape == (4, 3)


def test_the_minimax_loss_saturates_when_the_discriminator_wins(game):
    """D rejects the fakes (logit -6): the minimax gradient nearly vanishes, the other does not."""
    generator, _, _, z = game
    confident = gan.MLP(w1=[[1.0]], b1=[0.0], w2=[[0.0]], b2=[-6.0])  # D(x) = 0.0025 everywhere
    sharp = gan.MLP(w1=[[1.0]], b1=[0.0], w2=[[1e-3]], b2=[-6.0])  # a small slope to follow
    minimax = gan.generator_gradients(generator, sharp, z, "minimax")
    non_saturating = gan.generator_gradients(generator, sharp, z, "non-saturating")
    ratio = np.abs(non_saturating.b) / np.abs(minimax.b)
    assert ratio == pytest.approx((1 - gan.sigmoid(-6.0)) / gan.sigmoid(-6.0), rel=1e-3)
    flat = gan.generator_gradients(generator, confident, z)
    assert np.all(flat.w == 0) and np.all(flat.b == 0)  # nothing to follow on a flat D


def test_numerical_gradient_and_relative_error_on_a_known_function():
    params = gan.Affine(w=[[2.0]], b=[-1.0])
    numeric = gan.numerical_gradient(lambda p: float(p.w[0, 0] ** 3 + 5 * p.b[0]), params)
    np.testing.assert_allclose(numeric.w, [[12.0]], rtol=1e-8)
    np.testing.assert_allclose(numeric.b, [5.0], rtol=1e-8)
    assert gan.relative_error(numeric, numeric) == 0.0
    opposite = gan.Affine(w=-numeric.w, b=-numeric.b)
    assert gan.relative_error(numeric, opposite) == pytest.approx(1.0)


# ## Training #####################################################################################


def test_sgd_update_descends():
    params = gan.Affine(w=[[1.0]], b=[2.0])
    updated = gan.sgd_update(params, gan.Affine(w=[[10.0]], b=[-4.0]), 0.1)
    np.testing.assert_allclose(updated.w, [[0.0]])
    np.testing.assert_allclose(updated.b, [2.4])
    np.testing.assert_array_equal(params.w, [[1.0]])  # a new object; the old one is unchanged


def test_train_step_descends_both_losses_and_keeps_its_inputs(game):
    generator, discriminator, x_real, z = game
    x_fake = gan.generate(generator, z)
    new_generator, new_discriminator = gan.train_step(
        generator, discriminator, x_real, z, 0.01, 0.01
    )
    assert _d_loss(x_real, x_fake)(new_discriminator) < _d_loss(x_real, x_fake)(discriminator)

    def g_loss(params):
        return gan.generator_loss(gan.discriminate(new_discriminator, gan.generate(params, z)))

    assert g_loss(new_generator) < g_loss(generator)  # through the updated discriminator
    expected_d = gan.sgd_update(
        discriminator, gan.discriminator_gradients(discriminator, x_real, x_fake), 0.01
    )
    assert gan.relative_error(new_discriminator, expected_d) < 1e-12
    assert np.array_equal(generator.b, [0.5])


def test_training_moves_the_generator_to_the_data():
    rng = np.random.default_rng(1)
    start = gan.Affine(w=[[1.0]], b=[0.0])  # p_g = N(0, 1); the data are N(3, 0.5^2)
    run = gan.train(
        start,
        gan.init_mlp(rng),
        toy_data.gaussian_1d,
        steps=3000,
        rng=rng,
        eval_size=500,
        snapshot_steps=[0, 3000],
    )
    history = run.history
    assert set(history) == {"step", *gan.evaluate(start, run.discriminator, [[0.0]], [[0.0]])}
    assert history["step"][0] == 0 and history["step"][-1] == 3000 and len(history["step"]) == 301
    # Across 8 seeds, 3,000 steps took the mean within 0.06 of 3 and the spread to 0.40..0.54.
    assert abs(run.generator.b[0] - toy_data.GAUSSIAN_MEAN) < 0.1
    assert 0.35 < abs(run.generator.w[0, 0]) < 0.65
    assert history["wasserstein"][0] > 2.5 and history["wasserstein"][-20:].mean() < 0.15
    assert abs(history["value"][-20:].mean() + LOG4) < 0.01  # the game's optimum, -log 4
    assert abs(history["d_real"][-1] - 0.5) < 0.05 and abs(history["d_fake"][-1] - 0.5) < 0.05
    assert sorted(run.snapshots) == [0, 3000] and run.snapshots[0][0] is start
    same = gan.train(
        start,
        gan.init_mlp(np.random.default_rng(5)),
        toy_data.gaussian_1d,
        steps=20,
        rng=np.random.default_rng(1),
    )
    repeat = gan.train(
        start,
        gan.init_mlp(np.random.default_rng(5)),
        toy_data.gaussian_1d,
        steps=20,
        rng=np.random.default_rng(1),
    )
    np.testing.assert_array_equal(same.history["value"], repeat.history["value"])


# ## Densities and distances ######################################################################


def test_kde_density_recovers_a_gaussian_widened_by_scotts_bandwidth():
    n = 100_000
    samples = np.random.default_rng(0).normal(3.0, 0.5, size=(n, 1))
    points = np.linspace(1, 5, 41)
    estimate = gan.kde_density(samples, points)
    bandwidth = samples.std(ddof=1) * n ** (-1 / 5)  # Scott's rule in 1-D
    expected = toy_data.gaussian_1d_density(points, std=np.sqrt(0.25 + bandwidth**2))
    assert estimate.shape == (41,)
    assert np.max(np.abs(estimate - expected)) < 0.025  # ~3 standard errors at the peak
    fine = np.linspace(-2, 8, 4001)
    assert np.trapezoid(gan.kde_density(samples[:500], fine), fine) == pytest.approx(1.0, abs=1e-6)


def test_wasserstein_1d_closed_forms_and_an_independent_reference():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=1000), rng.normal(size=(1000, 1)) * 2
    assert gan.wasserstein_1d(a, a) == 0.0
    assert gan.wasserstein_1d(a, a + 1.5) == pytest.approx(1.5)  # a shift moves all mass by 1.5
    sorted_pairs = np.mean(np.abs(np.sort(a) - np.sort(b.ravel())))  # equal sizes: match quantiles
    assert gan.wasserstein_1d(a, b) == pytest.approx(sorted_pairs)
    assert gan.wasserstein_1d([0.0, 1.0], [0.0]) == pytest.approx(0.5)  # sizes may differ


def test_no_tensorflow_is_imported():
    code = (
        "import sys, gancourse.numpy_gan, gancourse.toy_data; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))"
    )
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "[]"


# ## Bad input ####################################################################################


def _train(**overrides):
    arguments = {
        "generator": gan.Affine(w=[[1.0]], b=[0.0]),
        "discriminator": gan.init_mlp(np.random.default_rng(0)),
        "sample_data": toy_data.gaussian_1d,
        "steps": 2,
        "rng": np.random.default_rng(0),
    }
    return gan.train(**{**arguments, **overrides})


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: gan.discriminate(gan.init_mlp(np.random.default_rng()), np.ones(3)),
            ValueError,
            r"\[:, None\]",
        ),
        (
            lambda: gan.generate(gan.Affine(w=[[1.0]], b=[0.0]), np.ones((0, 1))),
            ValueError,
            "batch >= 1",
        ),
        (lambda: gan.generate(gan.Affine(w=[[1.0]], b=[0.0]), [[np.nan]]), ValueError, "NaN"),
        (lambda: gan.bce_with_logits([0.0], [2.0]), ValueError, "labels must lie in"),
        (lambda: gan.generator_loss([[0.0]], "wasserstein"), ValueError, "non-saturating"),
        (lambda: gan.optimal_discriminator([0.1, 0.2], [0.1]), ValueError, "must match"),
        (lambda: gan.optimal_discriminator([-0.1], [0.1]), ValueError, "negative"),
        (lambda: gan.kde_density(np.full(10, 3.0), [3.0]), ValueError, "collapsed"),
        (lambda: gan.wasserstein_1d([], [1.0]), ValueError, "at least one sample"),
        (
            lambda: gan.sgd_update(
                gan.Affine(w=[[1.0]], b=[0.0]), gan.init_mlp(np.random.default_rng()), 0.1
            ),
            TypeError,
            "cannot pair",
        ),
        (
            lambda: gan.sgd_update(
                gan.Affine(w=[[1.0]], b=[0.0]), gan.Affine(w=[[1.0]], b=[0.0]), -0.1
            ),
            ValueError,
            "learning_rate",
        ),
        (
            lambda: gan.numerical_gradient(lambda p: 0.0, gan.Affine(w=[[1.0]], b=[0.0]), eps=0),
            ValueError,
            "eps",
        ),
        (lambda: gan.init_mlp(0), TypeError, "numpy.random.Generator"),
        (lambda: _train(rng=0), TypeError, "numpy.random.Generator"),
        (lambda: _train(steps=0), ValueError, "steps"),
        (lambda: _train(snapshot_steps=[3]), ValueError, "snapshot_steps"),
        (lambda: _train(loss="hinge"), ValueError, "loss must be one of"),
        (lambda: _train(d_learning_rate=0), ValueError, "learning_rate"),
        (
            lambda: _train(sample_data=functools.partial(toy_data.gaussian_1d, std=0)),
            ValueError,
            "std",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()
