"""Graders for lesson 07 (WGAN-GP's gradient penalty, modes of a Gaussian mixture, one-sided
label smoothing).

- ``interpolation_weights``: statistics of 20,000 draws (range, one weight per example, a
  Kolmogorov-Smirnov test against U[0, 1]) and the use of the seed generator.
- ``gradient_penalty``: eps is given, so the value is exact. A quadratic critic, whose gradient
  a x + w is known in closed form, makes every known mistake give its own value (the message
  names it), on points and on images; then a small Keras critic against a nested-tape
  reference and ``gancourse.training.losses.gradient_penalty``, with the gradients that reach
  the critic's weights.
- ``mixture_modes``: hand-made sample sets where each known mistake changes the answer, then
  ``gancourse.metrics.mixture_score`` on fresh random mixtures.
- ``smoothed_discriminator_loss``: hand-worked values with the known mistakes as suspects, very
  large logits, the gradient (zero where D(x) = real_label), and lesson 05's loss at
  real_label = 1.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable

import keras
import numpy as np
import pytest
import scipy.stats
import tensorflow as tf

from gancourse import toy_data
from gancourse.grading import GradeFailure, expect, expect_close, expect_number, expect_value
from gancourse.metrics import mixture_score
from gancourse.training import losses as reference

LESSON = "lesson07"

NO_GRADIENT = (
    "gradients do not flow: use keras.ops (or TensorFlow) functions, not NumPy, so that "
    "tf.GradientTape can differentiate your result"
)
SUMMED = "summed over the batch instead of averaged (take the mean over the examples)"


def _softplus(t: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, t)  # log(1 + e^t), exact for any t


def _sigmoid(t: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-t))


def _float32(values) -> tf.Tensor:
    return tf.constant(np.asarray(values, dtype="float32"))


def _as_array(value: object, what: str) -> np.ndarray:
    expect(value is not None, f"{what} returned None; return the result.")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise GradeFailure(f"{what} returned {type(value).__name__}, not an array.") from None


_number = functools.partial(expect_number, hint=", the mean over the batch")
_expect_value = functools.partial(  # float32 answers: looser than the default tolerances
    expect_value, rtol=1e-5, atol=1e-6, suspect_rtol=1e-4, suspect_atol=1e-6
)


# ----------------------------------------------------------------------- interpolation_weights

DRAWS = 20_000
NORMAL = (
    "Gulrajani et al. draw eps from the UNIFORM distribution U[0, 1] (keras.random.uniform), "
    "not from a normal distribution: x_hat = eps * real + (1 - eps) * fake must lie on the "
    "segment between the real and the fake sample"
)
ONE_EPS = (
    "every example got the same eps: draw one weight per example, shape (batch_size,), not one "
    "for the whole batch"
)


def check_interpolation_weights(interpolation_weights: Callable[..., object]) -> None:
    seed = int(np.random.default_rng().integers(1_000_000))
    what = f"interpolation_weights({DRAWS}, keras.random.SeedGenerator({seed}))"
    eps = _as_array(interpolation_weights(DRAWS, keras.random.SeedGenerator(seed)), what)
    expect(eps.shape not in ((), (1,), (1, 1)), f"{what} has shape {eps.shape}: {ONE_EPS}.")
    expect(
        eps.shape == (DRAWS,),
        f"{what} has shape {eps.shape}; expected ({DRAWS},), one weight per example.",
    )
    expect(bool(np.all(np.isfinite(eps))), f"{what} contains NaN or infinity.")
    low, high = float(eps.min()), float(eps.max())
    expect(
        low >= 0.0 and high <= 1.0,
        f"{what} has values from {low:.3g} to {high:.3g}, outside [0, 1]: {NORMAL}.",
    )
    expect(len(np.unique(eps)) > 1, f"{what}: {ONE_EPS}.")
    p_value = scipy.stats.kstest(eps, "uniform").pvalue  # about 1e-6 by chance for a right answer
    expect(
        p_value > 1e-6,
        f"{what} is not uniform on [0, 1]: mean {eps.mean():.4f} and variance {eps.var():.4f}, "
        f"where U[0, 1] has 0.5 and 1/12 = 0.0833 (Kolmogorov-Smirnov p = {p_value:.2g}). "
        + NORMAL
        + ".",
    )
    again = _as_array(interpolation_weights(DRAWS, keras.random.SeedGenerator(seed)), what)
    expect(
        np.array_equal(again, eps),
        f"{what} gave different weights for the same seed: pass seed=seed to the keras.random "
        "function (NumPy's and TensorFlow's global random generators ignore the seed given), "
        "so that a run can be repeated.",
    )
    generator = keras.random.SeedGenerator(seed + 1)
    first = _as_array(interpolation_weights(64, generator), "interpolation_weights(64, seed)")
    second = _as_array(interpolation_weights(64, generator), "interpolation_weights(64, seed)")
    expect(
        not np.array_equal(first, second),
        "two calls with the same SeedGenerator gave the same weights: pass the generator itself "
        "(seed=seed), not a fixed number, so that each training step draws new weights.",
    )
    one = _as_array(interpolation_weights(1, generator), "interpolation_weights(1, seed)")
    expect(one.shape == (1,), f"interpolation_weights(1, seed) has shape {one.shape}; want (1,).")


# --------------------------------------------------------------------------- gradient_penalty

PENALTY_WEIGHT = 10.0  # lambda in Gulrajani et al.; not part of the answer
NORM_SQUARED = (
    "this is the mean of ||gradient||^2: the penalty is (||gradient||_2 - 1)^2, the norm's "
    "distance from 1 squared (take the square root of the sum of squares, subtract 1, square)"
)
NOT_SQUARED = "this is the mean of ||gradient|| - 1: square each example's (norm - 1)"
MEAN_FIRST = (
    "this squares the mean norm minus 1, (mean ||gradient|| - 1)^2: square each example's "
    "(norm - 1) first, then average over the batch"
)
L1_NORM = (
    "this uses the L1 norm (sum of absolute values); the penalty uses the L2 norm, "
    "sqrt(sum of squares)"
)
AT_REAL = (
    "the gradient was taken at the real samples: take it with respect to x_hat, at x_hat = "
    "eps * real + (1 - eps) * fake (call the critic on x_hat)"
)
AT_FAKE = (
    "the gradient was taken at the fake samples: take it with respect to x_hat, at x_hat = "
    "eps * real + (1 - eps) * fake (call the critic on x_hat)"
)
THROUGH_X_HAT = (
    "the gradient was taken with respect to real, through x_hat (eps times the right "
    "gradient): watch x_hat itself and take tape.gradient(scores, x_hat)"
)
SWAPPED = (
    "x_hat was built as (1 - eps) * real + eps * fake: the formula is eps * real + "
    "(1 - eps) * fake (with eps ~ U[0, 1] the swap changes nothing on average, but here eps is "
    "given, so the weights must go where the docstring puts them)"
)
ONE_EPS_USED = (
    "the first eps was used for every example: reshape eps to (batch, 1, ..., 1) so that each "
    "example gets its own weight"
)
WEIGHTED = (
    f"this is the penalty times lambda = {PENALTY_WEIGHT:g}: return the penalty alone; the "
    "critic's loss multiplies it by lambda"
)
ONE_SIDED = (
    "this is the one-sided penalty max(0, norm - 1)^2; WGAN-GP's penalty (norm - 1)^2 also "
    "penalises norms below 1"
)
WHOLE_BATCH_NORM = (
    "this takes one norm over the whole batch's gradient: take one norm per example, over "
    "every axis but the first"
)
LAST_AXIS = (
    "this takes the norm over the last axis only (for an image, over its one channel): take "
    "each example's norm over every axis but the first, e.g. axis=(1, 2, 3) for images"
)


class _QuadraticCritic:
    """D(x) = sum over each example's entries of a x^2 / 2 + w x: its gradient is a x + w.

    ``a`` and ``w`` are float64 arrays of one example's shape; the critic runs in float32.
    """

    def __init__(self, a: np.ndarray, w: np.ndarray) -> None:
        self.a, self.w = a, w
        self._a, self._w = _float32(a), _float32(w)

    def __call__(self, x, training: bool = False):
        x = tf.convert_to_tensor(x)
        axes = list(range(1, len(x.shape)))
        return tf.reduce_sum(0.5 * self._a * x * x + self._w * x, axis=axes)[:, None]  # (b, 1)

    def gradient(self, x: np.ndarray) -> np.ndarray:
        return self.a * x + self.w  # (batch, ...)


def _mix(real: np.ndarray, fake: np.ndarray, eps: np.ndarray) -> np.ndarray:
    eps = eps.reshape((-1,) + (1,) * (real.ndim - 1))
    return eps * real + (1.0 - eps) * fake


def _norms(gradients: np.ndarray, order: int = 2) -> np.ndarray:
    flat = gradients.reshape(len(gradients), -1)
    return np.linalg.norm(flat, ord=order, axis=1)  # (batch,)


def _penalty(gradients: np.ndarray) -> float:
    return float(np.mean((_norms(gradients) - 1.0) ** 2))


def _penalty_suspects(
    critic: _QuadraticCritic, real: np.ndarray, fake: np.ndarray, eps: np.ndarray
) -> dict[str, float]:
    gradients = critic.gradient(_mix(real, fake, eps))
    norms = _norms(gradients)
    expected = _penalty(gradients)
    suspects = {
        NORM_SQUARED: float(np.mean(norms**2)),
        NOT_SQUARED: float(np.mean(norms - 1.0)),
        MEAN_FIRST: float((norms.mean() - 1.0) ** 2),
        L1_NORM: float(np.mean((_norms(gradients, 1) - 1.0) ** 2)),
        AT_REAL: _penalty(critic.gradient(real)),
        AT_FAKE: _penalty(critic.gradient(fake)),
        THROUGH_X_HAT: _penalty(eps.reshape((-1,) + (1,) * (real.ndim - 1)) * gradients),
        SWAPPED: _penalty(critic.gradient(_mix(real, fake, 1.0 - eps))),
        ONE_EPS_USED: _penalty(critic.gradient(_mix(real, fake, np.full_like(eps, eps[0])))),
        WEIGHTED: PENALTY_WEIGHT * expected,
        SUMMED: len(real) * expected,
        ONE_SIDED: float(np.mean(np.maximum(norms - 1.0, 0.0) ** 2)),
        WHOLE_BATCH_NORM: float((np.linalg.norm(gradients) - 1.0) ** 2),
    }
    if real.ndim > 2:
        suspects[LAST_AXIS] = float(np.mean((np.abs(gradients) - 1.0) ** 2))
    return suspects


def _call_penalty(gradient_penalty, critic, real, fake, eps, what: str):
    """The learner's penalty, with the usual crashes explained."""
    try:
        return gradient_penalty(critic, _float32(real), _float32(fake), _float32(eps))
    except (ValueError, TypeError, AttributeError, tf.errors.InvalidArgumentError) as error:
        text = str(error)
        if "None" in text:
            raise GradeFailure(
                f"{what} failed ({type(error).__name__}: {text[:120]}): tape.gradient returned "
                "None. x_hat is a plain tensor, not a variable, so the tape does not record it "
                "unless you call tape.watch(x_hat) inside the tape, before calling the critic."
            ) from None
        if real.ndim > 2:
            raise GradeFailure(
                f"{what} raised {type(error).__name__}: {text[:160]}. For images eps must be "
                "reshaped to (batch, 1, 1, 1) to broadcast against them: (batch, 1) only fits "
                "points; use (-1,) + (1,) * (len(real.shape) - 1)."
            ) from None
        raise


def _check_quadratic_case(gradient_penalty, critic, real, fake, eps, what: str) -> None:
    value = _number(_call_penalty(gradient_penalty, critic, real, fake, eps, what), what)
    expected = _penalty(critic.gradient(_mix(real, fake, eps)))
    _expect_value(value, expected, what, _penalty_suspects(critic, real, fake, eps))


def _keras_critic(rng: np.random.Generator, features: int) -> keras.Model:
    """A small tanh critic with weights from ``rng`` (tanh: the penalty depends on the input)."""
    critic = keras.Sequential(
        [keras.Input((features,)), keras.layers.Dense(8, "tanh"), keras.layers.Dense(1)]
    )
    critic.set_weights(
        [rng.normal(0.0, 0.8, w.shape).astype("float32") for w in critic.get_weights()]
    )
    return critic


def _reference_penalty(critic, real, fake, eps) -> tf.Tensor:
    x_hat = _float32(_mix(real, fake, eps))
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat, training=True)
    norms = tf.norm(tape.gradient(scores, x_hat), axis=1)
    return tf.reduce_mean(tf.square(norms - 1.0))


def check_gradient_penalty(gradient_penalty: Callable[..., object]) -> None:
    # Points, worked in closed form: D(x) = sum(a x^2 / 2 + w x), gradient a x + w. The norms
    # at x_hat are about 0.62, 0.71, 2.02, 1.37: two below 1, two above, all different.
    critic = _QuadraticCritic(np.array([0.5, 1.5]), np.array([-0.5, 0.5]))
    real = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]])
    fake = np.array([[0.0, 0.0], [0.0, -1.0], [-1.0, 1.0], [0.5, 0.5]])
    eps = np.array([0.25, 0.5, 0.75, 0.4])
    what = "gradient_penalty of the critic sum(a x^2 / 2 + w x) on 4 points, eps given"
    _check_quadratic_case(gradient_penalty, critic, real, fake, eps, what)

    # Images (batch, 4, 4, 1) on fresh random values, the critic scaled so that the norms
    # average 1.2 (near 1, but not so that (mean norm - 1)^2 or mean norm - 1 vanish).
    rng = np.random.default_rng()
    shape = (3, 4, 4, 1)
    real, fake = rng.uniform(-1.0, 1.0, size=(2, *shape))
    eps = rng.uniform(0.1, 0.9, size=3)
    a, w = rng.uniform(0.5, 2.0, size=shape[1:]), rng.normal(0.0, 1.0, size=shape[1:])
    scale = 1.2 / np.mean(_norms(_QuadraticCritic(a, w).gradient(_mix(real, fake, eps))))
    critic = _QuadraticCritic(a * scale, w * scale)
    what = "gradient_penalty on images of shape (3, 4, 4, 1) (a quadratic critic, eps given)"
    _check_quadratic_case(gradient_penalty, critic, real, fake, eps, what)

    # A Keras critic: the value, then the gradients that reach the critic's weights.
    critic = _keras_critic(rng, 3)
    real, fake = rng.normal(0.0, 1.0, size=(2, 6, 3))
    eps = rng.uniform(0.0, 1.0, size=6)
    what = "gradient_penalty of a small Keras critic (Dense 8 tanh, Dense 1) on 6 points"
    with tf.GradientTape() as tape:
        value = _call_penalty(gradient_penalty, critic, real, fake, eps, what)
    expect(tf.is_tensor(value), f"{what}: {NO_GRADIENT} (it returned a {type(value).__name__}).")
    with tf.GradientTape() as reference_tape:
        expected = _reference_penalty(critic, real, fake, eps)
    expect_close(_number(value, what), float(expected), what, rtol=1e-4, atol=1e-6)
    # The last layer's bias moves every score alike, so the penalty does not depend on it: its
    # gradient is None in the reference too. Every other weight must receive one.
    variables = critic.trainable_variables
    wanted = reference_tape.gradient(expected, variables)
    for got, want, variable in zip(tape.gradient(value, variables), wanted, variables, strict=True):
        if want is None:
            continue
        expect(
            got is not None,
            f"{what}: no gradient reaches the critic's {variable.path}. The penalty is part of "
            "the critic's loss, so compute it with TensorFlow / keras.ops from the tape's "
            "gradient (no NumPy, no .numpy(), no tf.stop_gradient).",
        )
        expect_close(
            np.asarray(got),
            np.asarray(want),
            f"the gradient of {what} with respect to the critic's {variable.path}",
            rtol=1e-3,
            atol=1e-5,
        )

    # gancourse's own penalty, on real == fake (then x_hat = real, whatever eps is).
    what = "gradient_penalty with fake = real (then x_hat = real for any eps)"
    value = _number(_call_penalty(gradient_penalty, critic, real, real, eps, what), what)
    per_example = reference.gradient_penalty(critic, _float32(real), _float32(real), seed=0)
    expect_close(value, float(np.mean(per_example)), what, rtol=1e-4, atol=1e-6)


# --------------------------------------------------------------------------- mixture_modes

VARIANCE = (
    "the threshold was 3 * std**2 (3 variances): a sample is of high quality within 3 standard "
    "deviations, distance < 3 * std"
)
SQUARED_DISTANCE = (
    "the SQUARED distance was compared with 3 * std: compare the distance itself, "
    "sqrt(sum of squared differences), with 3 * std"
)
BOX = (
    "each coordinate was checked on its own (|dx| < 3 std and |dy| < 3 std: a square, not a "
    "disc): use the Euclidean distance, np.linalg.norm over the coordinates"
)
NO_FILTER = (
    "modes were counted over all the samples: a mode is captured only when it is the nearest "
    "centre of at least one HIGH-QUALITY sample (distance < 3 * std)"
)
PER_MODE = (
    "the share was divided by the number of modes: it is the share of the SAMPLES that are of "
    "high quality, (high-quality samples) / (all samples)"
)
PERCENT = "the share was given as a percentage: return a fraction in [0, 1]"
ANY_CENTRE = (
    "a sample was counted for every centre within 3 std, not only its nearest: each sample "
    "belongs to its NEAREST centre (argmin of the distances)"
)
HIGH_QUALITY_COUNT = (
    "this is the number of high-quality samples, not their share: divide by the number of samples"
)

SQUARE = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]])


def _modes_and_share(
    samples: np.ndarray, centres: np.ndarray, std: float, *, rule: str = "key"
) -> tuple[int, float]:
    """The answer under the key's rule or one of the known mistakes (``rule``)."""
    offsets = samples[:, None, :] - centres[None, :, :]  # (n, modes, dim)
    distances = np.linalg.norm(offsets, axis=-1)  # (n, modes)
    nearest = distances.argmin(axis=1)
    closest = distances.min(axis=1)
    good = {
        "variance": closest < 3 * std**2,
        "squared distance": closest**2 < 3 * std,
        "box": np.all(np.abs(offsets[np.arange(len(samples)), nearest]) < 3 * std, axis=1),
    }.get(rule, closest < 3 * std)
    captured = len(np.unique(nearest[good]))
    if rule == "no filter":
        captured = len(np.unique(nearest))
    if rule == "any centre":
        captured = int(np.sum(np.any(distances < 3 * std, axis=0)))
    share = float(np.mean(good))
    if rule == "per mode":
        share = float(np.sum(good)) / len(centres)
    if rule == "percent":
        share *= 100
    if rule == "count":
        share = float(np.sum(good))
    return captured, share


MODE_MISTAKES = {
    "variance": VARIANCE,
    "squared distance": SQUARED_DISTANCE,
    "box": BOX,
    "no filter": NO_FILTER,
    "per mode": PER_MODE,
    "percent": PERCENT,
    "any centre": ANY_CENTRE,
    "count": HIGH_QUALITY_COUNT,
}


def _pair(value: object, what: str) -> tuple[int, float]:
    expect(
        isinstance(value, tuple | list) and len(value) == 2,
        f"{what} returned {type(value).__name__} {value!r}; return a pair "
        "(modes_captured, high_quality_share).",
    )
    modes, share = value
    modes = expect_number(modes, f"{what}[0] (modes captured)", finite=True)
    expect(
        float(modes).is_integer(), f"{what}[0] (modes captured) is {modes}; return a whole number."
    )
    share = expect_number(share, f"{what}[1] (the high-quality share)", finite=True)
    return int(modes), share


def _check_modes_case(mixture_modes, samples, centres, std, what: str) -> None:
    before = samples.copy()
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        answer = _pair(mixture_modes(samples, centres, std), what)
    expect(
        np.array_equal(samples, before), f"{what} changed the samples in place; make new arrays."
    )
    expected = _modes_and_share(samples, centres, std)
    if answer[0] == expected[0] and np.isclose(answer[1], expected[1], rtol=1e-9, atol=1e-12):
        return
    mistakes = [
        mistake
        for rule, mistake in MODE_MISTAKES.items()
        if (wrong := _modes_and_share(samples, centres, std, rule=rule)) != expected
        and answer[0] == wrong[0]
        and np.isclose(answer[1], wrong[1], rtol=1e-9, atol=1e-12)
    ]
    wanted = (
        f"{what} should give {expected[0]} mode{'s' if expected[0] != 1 else ''} captured and a "
        f"high-quality share of {expected[1]:.6g}"
    )
    got = f"got ({answer[0]}, {answer[1]:.6g})"
    if mistakes:
        raise GradeFailure(f"{wanted}, {got}: {'; or: '.join(mistakes)}.")
    if not 0.0 <= answer[1] <= 1.0:
        raise GradeFailure(f"{wanted}, {got}: {PERCENT}.")
    raise GradeFailure(
        f"{wanted}, {got}. Assign each sample to its nearest centre (Euclidean distance), keep "
        "those closer than 3 * std, and count the distinct modes they belong to."
    )


def check_mixture_modes(mixture_modes: Callable[..., object]) -> None:
    # Four modes on a square, std 0.1 (3 std = 0.3). Two samples per line are of high quality
    # only under the right rule; the last two are near mode 3, which no good sample reaches.
    samples = np.array(
        [
            [0.02, 0.0],  # mode 0, distance 0.02: of high quality
            [2.2, 0.0],  # mode 1, 0.2: high quality (but 0.2 > 3 std^2 = 0.03)
            [0.0, 2.25],  # mode 2, 0.25: high quality
            [0.0, 2.25],
            [0.0, 0.5],  # mode 0, 0.5: too far (but 0.5^2 = 0.25 < 0.3)
            [2.25, 2.25],  # mode 3, 0.35: too far (but each coordinate is within 0.3)
            [2.9, 2.8],  # mode 3, 1.2: far
        ]
    )
    what = "mixture_modes on 7 hand-placed samples around 4 modes on a square (std 0.1)"
    _check_modes_case(mixture_modes, samples, SQUARE, 0.1, what)

    # Two centres 1 apart with std 0.5: the 3-std discs overlap. Both samples lie within 1.5 of
    # both centres, but their nearest centre is the second one: one mode captured.
    centres = np.array([[1.0, 0.0], [0.0, 0.0]])
    samples = np.array([[0.2, 0.0], [0.3, 0.1]])
    what = "mixture_modes with centres (1, 0) and (0, 0), std 0.5, samples (0.2, 0), (0.3, 0.1)"
    _check_modes_case(mixture_modes, samples, centres, 0.5, what)

    # Fresh random data against gancourse.metrics: a ring (radius 1, std 0.01) and a grid (std
    # 0.05) where the generator missed some modes and scattered some samples, then 3-D.
    rng = np.random.default_rng()
    ring, grid = toy_data.ring_centers(8, radius=1.0), toy_data.grid_centers()
    centres_3d = rng.uniform(-4.0, 4.0, size=(6, 3))
    for name, centres, std in [
        ("an 8-mode ring (radius 1, std 0.01)", ring, 0.01),
        ("a 25-mode grid (std 0.05)", grid, 0.05),
        ("6 modes in 3-D (std 0.2)", centres_3d, 0.2),
    ]:
        if name.startswith("6"):
            gaps = np.linalg.norm(centres[:, None] - centres[None], axis=-1)
            centres = centres * max(1.0, 1.2 / np.min(gaps[gaps > 0]))  # keep the modes apart
        kept = rng.choice(len(centres), size=max(2, len(centres) * 2 // 3), replace=False)
        n = 600
        samples = centres[rng.choice(kept, size=n)]  # (n, dim)
        samples = samples + rng.normal(0.0, 1.5 * std, samples.shape)  # 87% within 3 std in 2-D
        samples[: n // 10] = rng.uniform(-5.0, 5.0, size=(n // 10, centres.shape[1]))
        score = mixture_score(samples, centres, std)
        expected = (score.modes_captured, score.high_quality_share)
        assert expected == _modes_and_share(samples, centres, std)  # the grader's own check
        _check_modes_case(
            mixture_modes, samples, centres, std, f"mixture_modes on {n} samples of {name}"
        )


# ----------------------------------------------------------------- smoothed_discriminator_loss

HUGE = 1e4  # logits of a very confident discriminator: sigmoid(-1e4) is exactly 0 in float32


def _bce(logits: np.ndarray, target: float) -> np.ndarray:
    """Binary cross-entropy of sigmoid(logits) against ``target``, per example."""
    return target * _softplus(-logits) + (1.0 - target) * _softplus(logits)


def _smoothed(real: np.ndarray, fake: np.ndarray, real_target: float, fake_target: float = 0.0):
    return float(np.mean(_bce(real, real_target)) + np.mean(_bce(fake, fake_target)))


TWO_SIDED = (
    "the fake labels were smoothed too (fake target 1 - real_label): smoothing is ONE-sided, "
    "fakes keep the target 0 (Salimans et al. section 3.4)"
)
KERAS_SMOOTHING = (
    "keras' BinaryCrossentropy(label_smoothing=...) smooths BOTH labels towards 1/2 (here real "
    "{real:g}, fake {fake:g}): smoothing is one-sided, so write the loss out with the target "
    "real_label for real images and 0 for fakes"
)
LABEL_FLIPPED = (
    "the real target was 1 - real_label: real images have the target real_label itself ({a:g})"
)
FAKE_ONLY = (
    "only the fake target was smoothed (real 1, fake 1 - real_label): smooth the REAL target to "
    "real_label, keep the fake target at 0"
)
HALF_TERM = (
    "the real term misses its second half: with target a the cross-entropy is "
    "-[a log D(x) + (1 - a) log(1 - D(x))] = a softplus(-t) + (1 - a) softplus(t)"
)
SCALED_LOGITS = (
    "the logits were multiplied by real_label: smoothing changes the TARGET, not the logits"
)
SMOOTH_SIGMOID_TWICE = (
    "sigmoid applied to the logits before a from-logits loss (sigmoid twice): the "
    "discriminator's outputs are already logits"
)
UNSMOOTHED = "the labels were not smoothed (real target 1), or real_label was ignored"
BOTH_TOGETHER = (
    "this is the mean over the real and fake logits taken together; the loss is the sum of two "
    "means, over the real batch plus over the fake batch"
)


def _smoothing_suspects(real: np.ndarray, fake: np.ndarray, a: float) -> dict[str, float]:
    """{mistake: the value it gives} for real_label = a."""
    keras_real, keras_fake = (1 + a) / 2, (1 - a) / 2  # label_smoothing = 1 - a
    return {
        TWO_SIDED: _smoothed(real, fake, a, 1.0 - a),
        KERAS_SMOOTHING.format(real=keras_real, fake=keras_fake): _smoothed(
            real, fake, keras_real, keras_fake
        ),
        LABEL_FLIPPED.format(a=a): _smoothed(real, fake, 1.0 - a),
        FAKE_ONLY: _smoothed(real, fake, 1.0, 1.0 - a),
        HALF_TERM: float(np.mean(a * _softplus(-real)) + np.mean(_softplus(fake))),
        SCALED_LOGITS: float(np.mean(_softplus(-a * real)) + np.mean(_softplus(fake))),
        SMOOTH_SIGMOID_TWICE: _smoothed(_sigmoid(real), _sigmoid(fake), a),
        UNSMOOTHED: _smoothed(real, fake, 1.0),
        SUMMED: float(np.sum(_bce(real, a)) + np.sum(_bce(fake, 0.0))),
        BOTH_TOGETHER: float(np.mean(np.concatenate([_bce(real, a), _bce(fake, 0.0)]))),
    }


def _logits(values) -> tf.Tensor:
    return tf.constant(np.asarray(values, dtype="float32").reshape(-1, 1))  # (batch, 1)


def check_smoothed_discriminator_loss(smoothed_discriminator_loss: Callable[..., object]) -> None:
    real, fake = np.array([2.0, -1.0]), np.array([0.5, -3.0])
    what = "smoothed_discriminator_loss(real_logits=[2, -1], fake_logits=[0.5, -3])"
    value = _number(smoothed_discriminator_loss(_logits(real), _logits(fake)), what)
    _expect_value(value, _smoothed(real, fake, 0.9), what, _smoothing_suspects(real, fake, 0.9))

    what = what[:-1] + ", real_label=0.8)"
    value = _number(smoothed_discriminator_loss(_logits(real), _logits(fake), real_label=0.8), what)
    suspects = _smoothing_suspects(real, fake, 0.8)
    suspects["real_label was ignored: the loss used 0.9 whatever real_label is"] = _smoothed(
        real, fake, 0.9
    )
    _expect_value(value, _smoothed(real, fake, 0.8), what, suspects)

    rng = np.random.default_rng()
    real, fake = rng.normal(0.0, 3.0, size=(2, 16)).astype("float32")
    expected = float(np.mean(reference.discriminator_loss(real, fake, "non-saturating")))
    what = "smoothed_discriminator_loss with real_label=1 (no smoothing: lesson 05's loss)"
    value = smoothed_discriminator_loss(_logits(real), _logits(fake), real_label=1.0)
    expect_close(_number(value, what), expected, what, rtol=1e-5, atol=1e-6)

    for shape in [(16, 1), (16,)]:
        what = f"smoothed_discriminator_loss on random logits of shape {shape}"
        value = smoothed_discriminator_loss(
            tf.constant(real.reshape(shape)), tf.constant(fake.reshape(shape))
        )
        expect_close(_number(value, what), _smoothed(real, fake, 0.9), what, rtol=1e-5, atol=1e-6)

    real, fake = rng.normal(0.0, 2.0, size=8), rng.normal(0.0, 2.0, size=5)
    what = "smoothed_discriminator_loss with 8 real and 5 fake logits"
    try:
        value = _number(smoothed_discriminator_loss(_logits(real), _logits(fake)), what)
    except (ValueError, tf.errors.InvalidArgumentError) as error:
        raise GradeFailure(
            f"{what} raised {type(error).__name__}; average each batch on its own, then add "
            "the two means."
        ) from None
    _expect_value(value, _smoothed(real, fake, 0.9), what, _smoothing_suspects(real, fake, 0.9))

    real, fake = np.array([-HUGE, HUGE]), np.array([HUGE, -HUGE])
    what = "smoothed_discriminator_loss with very large logits (real [-1e4, 1e4], fake [1e4, -1e4])"
    value = _number(smoothed_discriminator_loss(_logits(real), _logits(fake)), what)
    expected = _smoothed(real, fake, 0.9)
    expect(
        np.isfinite(value) and np.isclose(value, expected, rtol=1e-4),
        f"{what} should be {expected:.6g}, got {value:.6g}: with very large logits "
        "log(sigmoid(t)) underflows to log(0) = -inf, and clipping the probability caps the "
        "loss. Compute it from the logits: -log D = softplus(-t), -log(1 - D) = softplus(t).",
    )

    # d/dt of a softplus(-t) + (1 - a) softplus(t) is sigmoid(t) - a: zero where D(x) = a.
    real, fake = np.array([np.log(9.0), -2.0, 0.0, 3.0]), np.array([3.0, -0.5, 0.0])
    what = "the gradient of smoothed_discriminator_loss with respect to the logits"
    variables = [tf.Variable(_logits(v)) for v in (real, fake)]
    with tf.GradientTape() as tape:
        loss = smoothed_discriminator_loss(*variables)
    expect(tf.is_tensor(loss), f"{what}: {NO_GRADIENT} (it returned a {type(loss).__name__}).")
    gradients = tape.gradient(loss, variables)
    expect(all(g is not None for g in gradients), f"{what}: {NO_GRADIENT}.")
    grad_real, grad_fake = (np.asarray(g, dtype=np.float64).ravel() for g in gradients)
    expect_close(
        grad_real,
        (_sigmoid(real) - 0.9) / len(real),
        f"{what} (real logits [log 9, -2, 0, 3]; zero at log 9, where D(x) = 0.9)",
        rtol=1e-4,
        atol=1e-7,
    )
    expect_close(grad_fake, _sigmoid(fake) / len(fake), f"{what} (fake logits)", rtol=1e-4)


@pytest.mark.exercise("lesson07.interpolation_weights")
def test_interpolation_weights(answers):
    check_interpolation_weights(answers.interpolation_weights)


@pytest.mark.exercise("lesson07.gradient_penalty")
def test_gradient_penalty(answers):
    check_gradient_penalty(answers.gradient_penalty)


@pytest.mark.exercise("lesson07.mixture_modes")
def test_mixture_modes(answers):
    check_mixture_modes(answers.mixture_modes)


@pytest.mark.exercise("lesson07.smoothed_discriminator_loss")
def test_smoothed_discriminator_loss(answers):
    check_smoothed_discriminator_loss(answers.smoothed_discriminator_loss)
