"""Graders for lesson 05 (the GAN losses from logits and one alternating training step).

Hand-worked values first (logits 0 mean D = 1/2 everywhere), then ``gancourse.training.losses``
on fresh random logits, gradients through ``tf.GradientTape``, very large logits, and for
``train_step`` a reference step on a copy of the same small networks. Where a wrong value
matches a known mistake (labels swapped, sigmoid applied twice, the other loss...), the message
names it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import keras
import numpy as np
import pytest
import tensorflow as tf

from gancourse.grading import GradeFailure, expect, expect_close, expect_number, expect_value
from gancourse.models.gans import build_mlp_discriminator, build_mlp_generator
from gancourse.training import losses as reference

LESSON = "lesson05"

LOG2 = float(np.log(2.0))
NO_GRADIENT = (
    "gradients do not flow: use keras.ops (or TensorFlow) functions on the logits, not NumPy, "
    "so that tf.GradientTape can differentiate your loss"
)
HUGE = 1e4  # logits of a very confident discriminator: sigmoid(-1e4) is exactly 0 in float32
SUMMED = "summed over the batch instead of averaged (use the mean, so the loss does not grow "
SUMMED += "with the batch size)"
SIGMOID_TWICE = (
    "sigmoid applied to the logits before a from-logits loss (sigmoid twice): the discriminator's "
    "outputs are already logits, pass them on unchanged"
)


def _softplus(t: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, t)  # log(1 + e^t), exact for any t


def _sigmoid(t: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-t))


def _logits(values) -> tf.Tensor:
    return tf.constant(np.asarray(values, dtype="float32").reshape(-1, 1))  # (batch, 1)


_number = functools.partial(expect_number, hint=", the mean over the batch")
_expect_value = functools.partial(  # float32 losses: looser than the default tolerances
    expect_value, rtol=1e-5, atol=1e-6, suspect_rtol=1e-4, suspect_atol=1e-6
)


def _gradients(loss_function: Callable[..., object], values: list[np.ndarray], what: str):
    """Gradients of the loss with respect to each logits array, as float64 arrays."""
    variables = [tf.Variable(np.asarray(v, "float32").reshape(-1, 1)) for v in values]
    with tf.GradientTape() as tape:
        loss = loss_function(*variables)
    expect(tf.is_tensor(loss), f"{what}: {NO_GRADIENT} (it returned a {type(loss).__name__}).")
    gradients = tape.gradient(loss, variables)
    expect(all(g is not None for g in gradients), f"{what}: {NO_GRADIENT}.")
    return [np.asarray(g, dtype=np.float64).ravel() for g in gradients]


def _expect_batch_mean(function: Callable[..., object], arrays: list[np.ndarray], what: str):
    """Repeating every logit three times must not change a mean."""
    once = _number(function(*(_logits(a) for a in arrays)), what)
    thrice = _number(function(*(_logits(np.tile(a, 3)) for a in arrays)), what)
    expect(
        np.isclose(thrice, once, rtol=1e-5, atol=1e-6),
        f"{what} changed from {once:.6g} to {thrice:.6g} when every logit was repeated three "
        f"times: it was {SUMMED}.",
    )


def _expect_huge(value: float, expected: float, what: str) -> None:
    expect(
        np.isfinite(value) and np.isclose(value, expected, rtol=1e-4),
        f"{what} should be {expected:.6g}, got {value:.6g}: with very large logits "
        "log(sigmoid(t)) underflows to log(0) = -inf, and clipping the probability caps the "
        "loss. Compute it from the logits: -log sigmoid(t) = softplus(-t), "
        "-log(1 - sigmoid(t)) = softplus(t).",
    )


# --------------------------------------------------------------------------- discriminator_loss


def _d_value(real: np.ndarray, fake: np.ndarray) -> float:
    return float(np.mean(_softplus(-real)) + np.mean(_softplus(fake)))


def _d_value_from_probabilities(real: np.ndarray, fake: np.ndarray) -> float:
    """Keras' binary cross-entropy with from_logits=False: logits clipped to [eps, 1 - eps]."""
    eps = np.float32(keras.config.epsilon())
    real, fake = (np.clip(t.astype("float32"), eps, 1 - eps) for t in (real, fake))
    return float(np.mean(-np.log(real)) + np.mean(-np.log(1 - fake)))


def _d_suspects(real: np.ndarray, fake: np.ndarray) -> dict[str, float]:
    expected = _d_value(real, fake)
    return {
        "the labels are swapped: real images have label 1 (-log D(x) = softplus(-t)), fakes "
        "label 0 (-log(1 - D(G(z))) = softplus(t))": _d_value(-real, -fake),
        SIGMOID_TWICE: _d_value(_sigmoid(real), _sigmoid(fake)),
        SUMMED: expected * len(real),
        "this is the mean over real and fake logits taken together, half the expected value; "
        "the loss is the sum of the two means, the mean over the real batch plus the mean over "
        "the fake batch": expected / 2,
        "these logits were fed to a loss that expects probabilities (from_logits=False); pass "
        "from_logits=True or use softplus": _d_value_from_probabilities(real, fake),
    }


def check_discriminator_loss(discriminator_loss: Callable[..., object]) -> None:
    what = "discriminator_loss with every logit 0 (D = 1/2 everywhere, 4 real and 4 fake)"
    zeros = np.zeros(4)
    value = _number(discriminator_loss(_logits(zeros), _logits(zeros)), what)
    _expect_value(value, 2 * LOG2, what, _d_suspects(zeros, zeros), formula="2 log 2")

    real, fake = np.array([2.0, -1.0]), np.array([0.5, -3.0])
    what = "discriminator_loss(real_logits=[2, -1], fake_logits=[0.5, -3])"
    value = _number(discriminator_loss(_logits(real), _logits(fake)), what)
    _expect_value(value, _d_value(real, fake), what, _d_suspects(real, fake))

    real, fake = np.array([-HUGE, HUGE]), np.array([HUGE, -HUGE])
    what = "discriminator_loss with very large logits (real [-1e4, 1e4], fake [1e4, -1e4])"
    value = _number(discriminator_loss(_logits(real), _logits(fake)), what)
    _expect_huge(value, _d_value(real, fake), what)

    rng = np.random.default_rng()
    real, fake = rng.normal(0.0, 3.0, size=(2, 16)).astype("float32")
    expected = float(np.mean(reference.discriminator_loss(real, fake, "non-saturating")))
    for shape in [(16, 1), (16,)]:
        what = f"discriminator_loss on random logits of shape {shape}"
        value = discriminator_loss(
            tf.constant(real.reshape(shape)), tf.constant(fake.reshape(shape))
        )
        expect_close(_number(value, what), expected, what, rtol=1e-5, atol=1e-6)

    real, fake = rng.normal(0.0, 2.0, size=8), rng.normal(0.0, 2.0, size=5)
    what = "discriminator_loss with 8 real and 5 fake logits"
    try:
        value = _number(discriminator_loss(_logits(real), _logits(fake)), what)
    except (ValueError, tf.errors.InvalidArgumentError) as error:
        raise GradeFailure(
            f"{what} raised {type(error).__name__}; average each batch on its own, then add "
            "the two means."
        ) from None
    _expect_value(value, _d_value(real, fake), f"{what} (the sum of the two means)")

    _expect_batch_mean(discriminator_loss, [real[:5], fake], "discriminator_loss")

    real, fake = np.array([1.0, -2.0, 0.0]), np.array([3.0, -0.5, 0.0])
    what = "the gradient of discriminator_loss with respect to the logits"
    grad_real, grad_fake = _gradients(discriminator_loss, [real, fake], what)
    expect_close(grad_real, -_sigmoid(-real) / 3, f"{what} (real logits [1, -2, 0])", rtol=1e-4)
    expect_close(grad_fake, _sigmoid(fake) / 3, f"{what} (fake logits [3, -0.5, 0])", rtol=1e-4)


# --------------------------------------------------------------------------- generator_loss


def _g_value(fake: np.ndarray, loss: str) -> float:
    if loss == "minimax":
        return float(np.mean(-_softplus(fake)))  # log(1 - D(G(z)))
    return float(np.mean(_softplus(-fake)))  # -log D(G(z))


def _g_suspects(fake: np.ndarray, loss: str) -> dict[str, float]:
    other = "minimax" if loss == "non-saturating" else "non-saturating"
    formulas = {"minimax": "log(1 - D(G(z)))", "non-saturating": "-log D(G(z))"}
    return {
        f"this is the {other} loss {formulas[other]}; loss={loss!r} asks for the {loss} loss "
        f"{formulas[loss]}": _g_value(fake, other),
        "this is -log(1 - D(G(z))), the fake half of the discriminator's loss; the generator "
        "wants D(G(z)) high": -_g_value(fake, "minimax"),
        "this is log D(G(z)), the sign is flipped": -_g_value(fake, "non-saturating"),
        SIGMOID_TWICE: _g_value(_sigmoid(fake), loss),
        SUMMED: _g_value(fake, loss) * len(fake),
    }


def check_generator_loss(generator_loss: Callable[..., object]) -> None:
    zeros = np.zeros(4)
    for loss, expected, text in [
        (None, LOG2, "log 2"),
        ("non-saturating", LOG2, "log 2"),
        ("minimax", -LOG2, "-log 2"),
    ]:
        called = "generator_loss(logits)" if loss is None else f"generator_loss(logits, {loss!r})"
        what = f"{called} with every logit 0 (D(G(z)) = 1/2)"
        result = (
            generator_loss(_logits(zeros)) if loss is None else generator_loss(_logits(zeros), loss)
        )
        value = _number(result, what)
        suspects = _g_suspects(zeros, loss or "non-saturating")
        _expect_value(value, expected, what, suspects, formula=text)

    fake = np.array([2.0, -1.0])
    for loss in ("non-saturating", "minimax"):
        what = f"generator_loss([2, -1], {loss!r})"
        value = _number(generator_loss(_logits(fake), loss), what)
        _expect_value(value, _g_value(fake, loss), what, _g_suspects(fake, loss))

    try:
        generator_loss(_logits(fake), "hinge")
    except ValueError:
        pass
    else:
        raise GradeFailure(
            "generator_loss(logits, 'hinge') returned a value; any loss name but 'minimax' and "
            "'non-saturating' should raise ValueError."
        )

    fake = np.array([HUGE, -HUGE])
    for loss in ("non-saturating", "minimax"):
        what = f"generator_loss with very large logits [1e4, -1e4], loss={loss!r}"
        value = _number(generator_loss(_logits(fake), loss), what)
        _expect_huge(value, _g_value(fake, loss), what)

    rng = np.random.default_rng()
    fake = rng.normal(0.0, 3.0, size=16).astype("float32")
    for loss in ("non-saturating", "minimax"):
        what = f"generator_loss on random logits, loss={loss!r}"
        expected = float(np.mean(reference.generator_loss(fake, loss)))
        expect_close(_number(generator_loss(_logits(fake), loss), what), expected, what, atol=1e-6)
        _expect_batch_mean(lambda t, loss=loss: generator_loss(t, loss), [fake], what)

    fake = np.array([-8.0, 0.0, 3.0])
    expected_gradients = {"non-saturating": -_sigmoid(-fake) / 3, "minimax": -_sigmoid(fake) / 3}
    for loss, expected in expected_gradients.items():
        what = f"the gradient of generator_loss(logits, {loss!r}) at logits [-8, 0, 3]"
        (gradient,) = _gradients(lambda t, loss=loss: generator_loss(t, loss), [fake], what)
        expect_close(gradient, expected, what, rtol=1e-4, atol=1e-9)


# --------------------------------------------------------------------------- train_step

LATENT_DIM, HIDDEN, BATCH = 8, 16, 6
LEARNING_RATES = {"generator": 0.2, "discriminator": 0.5}
SAME = 1e-3  # relative distance between two weight updates that counts as the same update
ALIKE = 0.05  # ... that identifies a known mistake


def _networks(seed: int) -> tuple[keras.Model, keras.Model]:
    """A small MLP generator and discriminator with weights drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    networks = build_mlp_generator(LATENT_DIM, HIDDEN), build_mlp_discriminator(HIDDEN)
    for network in networks:
        network.set_weights(
            [
                rng.normal(0.0, 1.0 / np.sqrt(w.shape[0]) if w.ndim == 2 else 0.1, w.shape)
                for w in network.get_weights()
            ]
        )
    return networks


def _flat(network: keras.Model) -> np.ndarray:
    return np.concatenate([np.ravel(w) for w in network.get_weights()]).astype(np.float64)


def _sgd_step(network: keras.Model, loss_function: Callable[[], object], rate: float) -> float:
    """One plain gradient-descent step of ``network`` on the loss; returns the loss before it."""
    with tf.GradientTape() as tape:
        loss = loss_function()
    gradients = tape.gradient(loss, network.trainable_variables)
    for variable, gradient in zip(network.trainable_variables, gradients, strict=True):
        variable.assign_sub(rate * gradient)
    return float(loss)


def _d_loss(generator, discriminator, real, z):
    fake = generator(z, training=True)
    per_example = reference.discriminator_loss(
        discriminator(real, training=True), discriminator(fake, training=True)
    )
    return tf.reduce_mean(per_example)


def _g_loss(generator, discriminator, z, loss="non-saturating"):
    fake_logits = discriminator(generator(z, training=True), training=True)
    return tf.reduce_mean(reference.generator_loss(fake_logits, loss))


def _reference_run(seed, real, z, generator_update: str):
    """Weights and losses after a reference step; ``generator_update`` picks G's update:
    "alternating" (the answer), "simultaneous" (against D before its update), "minimax",
    "discriminator's loss" (G descends D's loss)."""
    generator, discriminator = _networks(seed)
    if generator_update == "simultaneous":
        g_loss = _sgd_step(
            generator,
            lambda: _g_loss(generator, discriminator, z),
            LEARNING_RATES["generator"],
        )
    d_loss = _sgd_step(
        discriminator,
        lambda: _d_loss(generator, discriminator, real, z),
        LEARNING_RATES["discriminator"],
    )
    losses = {
        "alternating": lambda: _g_loss(generator, discriminator, z),
        "minimax": lambda: _g_loss(generator, discriminator, z, "minimax"),
        "discriminator's loss": lambda: _d_loss(generator, discriminator, real, z),
    }
    if generator_update in losses:
        g_loss = _sgd_step(generator, losses[generator_update], LEARNING_RATES["generator"])
    return _flat(generator), _flat(discriminator), d_loss, g_loss


class _RecordingSGD(keras.optimizers.SGD):
    """Plain SGD that reports the variables of each of its updates to ``record(role, vars)``.

    (A callback, not a list: Keras would replace a list attribute with a tracked copy.)
    """

    def __init__(self, role: str, record: Callable[[str, list], None]) -> None:
        super().__init__(learning_rate=LEARNING_RATES[role])
        self.role, self.record = role, record

    def apply(self, grads, trainable_variables=None):
        if trainable_variables is not None:
            self.record(self.role, list(trainable_variables))
        return super().apply(grads, trainable_variables)


def _distance(after: np.ndarray, reference_after: np.ndarray, before: np.ndarray) -> float:
    """How far an update lands from the reference update, relative to the reference's size."""
    return float(np.linalg.norm(after - reference_after) / np.linalg.norm(reference_after - before))


def _check_optimizer_use(log: list) -> None:
    """Each optimizer updates its own network, D's once and before G's."""
    roles = [role for role, _ in log]
    touched = {role: set().union(*(t for r, t in log if r == role)) for role in LEARNING_RATES}
    expect(
        not ("generator" in touched["discriminator"] and "discriminator" in touched["generator"]),
        "the two optimizers are swapped: each optimizer updates its own network "
        "(discriminator_optimizer for the discriminator's variables).",
    )
    expect(
        "generator" not in touched["discriminator"],
        "discriminator_optimizer was applied to the generator's variables: each optimizer "
        "updates its own network.",
    )
    expect(
        "discriminator" not in touched["generator"],
        "the discriminator also changed during the generator's step: generator_optimizer was "
        "applied to the discriminator's variables; take G's gradients with respect to "
        "generator.trainable_variables only.",
    )
    for role, then in (("discriminator", "first"), ("generator", "after D's update")):
        expect(
            role in roles,
            f"train_step never applied {role}_optimizer: update the {role} {then}, with its own "
            "optimizer.",
        )
    expect(
        roles.count("discriminator") == 1,
        "discriminator_optimizer was applied more than once: the discriminator also changed "
        "during the generator's step; update D once (k = 1), then only G.",
    )
    expect(
        roles.index("discriminator") < roles.index("generator"),
        "the generator was updated before the discriminator: Algorithm 1 updates D first, then "
        "G against the updated D.",
    )


def check_train_step(train_step: Callable[..., object]) -> None:
    seed = int(np.random.default_rng().integers(1_000_000))
    rng = np.random.default_rng(seed)
    real = rng.uniform(-1.0, 1.0, size=(BATCH, 28, 28, 1)).astype("float32")
    z = rng.normal(size=(BATCH, LATENT_DIM)).astype("float32")
    generator, discriminator = _networks(seed)
    g_before, d_before = _flat(generator), _flat(discriminator)
    owners = {id(v): "generator" for v in generator.trainable_variables}
    owners |= {id(v): "discriminator" for v in discriminator.trainable_variables}
    log: list[tuple[str, set[str]]] = []  # (optimizer, networks whose variables it updated)

    def record(role: str, variables: list) -> None:
        log.append((role, {owners.get(id(v), "other") for v in variables}))

    result = train_step(
        generator,
        discriminator,
        _RecordingSGD("generator", record),
        _RecordingSGD("discriminator", record),
        tf.constant(real),
        tf.constant(z),
    )
    expect(
        isinstance(result, tuple | list) and len(result) == 2,
        f"train_step returned {type(result).__name__}; it should return (d_loss, g_loss).",
    )
    d_loss, g_loss = (
        _number(value, "train_step's " + name)
        for value, name in zip(result, ("d_loss", "g_loss"), strict=True)
    )
    _check_optimizer_use(log)

    g_after, d_after = _flat(generator), _flat(discriminator)
    runs = {
        update: _reference_run(seed, real, z, update)
        for update in ("alternating", "simultaneous", "minimax", "discriminator's loss")
    }
    g_expected, d_expected, d_loss_expected, g_loss_expected = runs["alternating"]
    expect(
        _distance(d_after, d_expected, d_before) < SAME,
        "after train_step the discriminator's weights are not one step of discriminator_optimizer "
        "on discriminator_loss(discriminator(real_images), discriminator(generator(z))) "
        f"(off by {_distance(d_after, d_expected, d_before):.2g} of the step's size). Use the z "
        "given, your discriminator_loss, and D's gradients with respect to "
        "discriminator.trainable_variables.",
    )
    if _distance(g_after, g_expected, g_before) >= SAME:
        mistakes = {
            "simultaneous": "the generator was updated against the discriminator as it was "
            "BEFORE its update (simultaneous updates): compute G's loss after applying D's "
            "update, with the updated discriminator",
            "minimax": "the generator used the minimax loss; train_step uses generator_loss's "
            "default, the non-saturating loss",
            "discriminator's loss": "the generator was updated with the discriminator's loss; "
            "G minimises generator_loss(discriminator(generator(z)))",
        }
        for update, mistake in mistakes.items():
            expect(_distance(g_after, runs[update][0], g_before) >= ALIKE, mistake + ".")
        expect(
            not np.allclose(g_after, g_before),
            "the generator's weights did not change: apply G's gradients with generator_optimizer.",
        )
        raise GradeFailure(
            "after train_step the generator's weights are not one step of generator_optimizer on "
            "generator_loss(updated discriminator(generator(z))) (off by "
            f"{_distance(g_after, g_expected, g_before):.2g} of the step's size). Call "
            "generator(z) inside G's tape and take gradients with respect to "
            "generator.trainable_variables."
        )
    expect(
        np.isclose(d_loss, d_loss_expected, rtol=1e-4, atol=1e-6),
        f"train_step returned d_loss {d_loss:.6g}; the discriminator's loss before its update "
        f"was {d_loss_expected:.6g}.",
    )
    expect(
        np.isclose(g_loss, g_loss_expected, rtol=1e-4, atol=1e-6),
        f"train_step returned g_loss {g_loss:.6g}; the generator's loss through the updated "
        f"discriminator was {g_loss_expected:.6g}.",
    )


@pytest.mark.exercise("lesson05.discriminator_loss")
def test_discriminator_loss(answers):
    check_discriminator_loss(answers.discriminator_loss)


@pytest.mark.exercise("lesson05.generator_loss")
def test_generator_loss(answers):
    check_generator_loss(answers.generator_loss)


@pytest.mark.exercise("lesson05.train_step")
def test_train_step(answers):
    check_train_step(answers.train_step)
