"""Graders for lesson 08 (conditional GANs: the generator's input, class accuracy).

- ``join_label``: random z and embedding weights, labels unsorted with repeats, first with the
  embedding as wide as z (so that adding the two, or stacking them along axis 0, also gives a
  tensor and is recognised), then with the sizes all different; each known mistake (the raw
  integer, a one-hot code, the embedding first, the first label's embedding for all...) is
  named. Then the gradients that reach z and the embedding's weights, and the answer on
  ``keras.Input`` tensors against the "noise_and_label" layer of
  ``gancourse.models.build_conditional_dcgan_generator``.
- ``class_accuracy_and_confidence``: two hand-made sets of exact binary fractions (some asked
  probabilities exactly at the threshold, wrong classes held with confidence, more samples than
  classes) where each known mistake gives its own value, then
  ``gancourse.metrics.class_accuracy`` on fresh random probabilities.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable

import keras
import numpy as np
import pytest
import tensorflow as tf

from gancourse.grading import GradeFailure, expect, expect_close, expect_number, expect_value
from gancourse.metrics import class_accuracy
from gancourse.models import build_conditional_dcgan_generator

LESSON = "lesson08"


def _first_sentence(error: BaseException) -> str:
    """The start of an error's message, for one line of the learner's scoreboard."""
    text = " ".join(str(error).split())
    return text.split(". ")[0][:160]


def _as_array(value: object, what: str) -> np.ndarray:
    expect(value is not None, f"{what} returned None; return the result.")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise GradeFailure(f"{what} returned {type(value).__name__}, not an array.") from None


# --------------------------------------------------------------------------------- join_label

RAW_INTEGER = (
    "the label was joined as one raw integer column: that imposes an order and a scale the "
    "classes do not have (it tells the generator that class 7 lies between 6 and 8, and is "
    "seven times 'more' than class 1). Join the label's learned embedding instead, "
    "embedding(labels), one vector of e numbers per example"
)
ONE_HOT = (
    "a one-hot code of the label was joined (num_classes columns): that is Mirza & Osindero's "
    "input, but this generator learns its own vector per class: use the embedding layer given, "
    "embedding(labels), shape (batch, e)"
)
EMBEDDING_FIRST = (
    "the embedding came first and z second: the generator expects z first, then the label's "
    "embedding (the order of the Concatenate layer 'noise_and_label' of "
    "build_conditional_dcgan_generator), so that the weights of its first layer that read the "
    "noise read the noise"
)
ADDED = (
    "z and the embedding were added, not joined: the sum mixes noise and label into the same "
    "numbers (and fails when e != latent_dim). Join them side by side, ops.concatenate along "
    "the last axis, shape (batch, latent_dim + e)"
)
FIRST_LABEL = (
    "every example got the embedding of the first label: call the layer on the whole labels "
    "tensor, embedding(labels), so that each example gets its own label's vector"
)
AXIS_0 = (
    "the two were stacked along axis 0 (twice as many rows, the batch doubled): join them along "
    "the LAST axis, axis=-1, so that row i holds z[i] and the embedding of labels[i]"
)
NO_GRADIENT = (
    "gradients do not flow through join_label: use keras.ops (ops.concatenate), not NumPy, so "
    "that training can update the generator's embedding (and tf.GradientTape reach z)"
)
SYMBOLIC = (
    "join_label must also work on keras.Input tensors, inside a functional model as "
    "build_conditional_dcgan_generator builds one: use keras.ops (ops.concatenate), which "
    "accept them; NumPy and TensorFlow functions (np.concatenate, tf.concat) do not"
)


class _Case:
    """One call of join_label: random z (batch, latent_dim), the layer Embedding(k, e) with
    random weights, and the given labels (batch,)."""

    def __init__(self, rng: np.random.Generator, latent_dim: int, classes: int, e: int, labels):
        self.labels = np.asarray(labels, dtype=np.int32)  # (batch,)
        self.latent_dim, self.classes, self.e = latent_dim, classes, e
        self.z = rng.normal(0.0, 1.0, (len(self.labels), latent_dim)).astype("float32")
        self.weights = rng.normal(0.0, 1.0, (classes, e)).astype("float32")  # (k, e)
        self.embedding = keras.layers.Embedding(classes, e)
        self.embedding.build()
        self.embedding.set_weights([self.weights])
        self.what = (
            f"join_label(z of shape {self.z.shape}, labels {self.labels.tolist()}, "
            f"Embedding({classes}, {e}))"
        )

    def expected(self) -> np.ndarray:
        return np.concatenate([self.z, self.weights[self.labels]], axis=1)  # (batch, latent + e)

    def suspects(self) -> dict[str, np.ndarray]:
        """{mistake: what it returns}, for the mistakes whose result has no telling shape."""
        z, embedded = self.z, self.weights[self.labels]
        suspects = {
            EMBEDDING_FIRST: np.concatenate([embedded, z], axis=1),
            FIRST_LABEL: np.concatenate([z, np.repeat(embedded[:1], len(z), axis=0)], axis=1),
        }
        if self.e == self.latent_dim:
            suspects[ADDED] = z + embedded
            suspects[AXIS_0] = np.concatenate([z, embedded], axis=0)
        return suspects


def _call_join(join_label, case: _Case, z, labels):
    """The learner's answer, with a shape error explained."""
    try:
        return join_label(z, labels, case.embedding)
    except (ValueError, TypeError, IndexError, tf.errors.InvalidArgumentError) as error:
        raise GradeFailure(
            f"{case.what} raised {type(error).__name__}: {_first_sentence(error)}. Here z is "
            f"{case.z.shape} and embedding(labels) is ({len(case.z)}, {case.e}): join them side "
            f"by side along the last axis, ops.concatenate([z, embedding(labels)], axis=-1), "
            f"shape ({len(case.z)}, {case.latent_dim + case.e})."
        ) from None


def _check_join_case(join_label, case: _Case) -> None:
    what = case.what
    answer = _as_array(
        _call_join(join_label, case, tf.constant(case.z), tf.constant(case.labels)), what
    )
    expected = case.expected()
    if answer.shape == expected.shape and np.allclose(answer, expected, rtol=1e-5, atol=1e-6):
        return
    mistakes = [
        mistake
        for mistake, wrong in case.suspects().items()
        if answer.shape == wrong.shape and np.allclose(answer, wrong, rtol=1e-5, atol=1e-6)
    ]
    if mistakes:
        raise GradeFailure(f"{what} is wrong: {'; or: '.join(mistakes)}.")
    batch, latent_dim = expected.shape[0], case.latent_dim
    if answer.shape == (batch, latent_dim + 1):
        raise GradeFailure(f"{what} has shape {answer.shape}: {RAW_INTEGER}.")
    if answer.shape == (batch, latent_dim + case.classes):
        raise GradeFailure(f"{what} has shape {answer.shape}: {ONE_HOT}.")
    expect(
        answer.shape == expected.shape,
        f"{what} has shape {answer.shape}; expected {expected.shape}, (batch, latent_dim + e): "
        "z and the embedding side by side.",
    )
    expect_close(
        answer[:, :latent_dim],
        case.z,
        f"{what}: the first latent_dim = {latent_dim} columns (z itself, unchanged)",
        rtol=1e-5,
        atol=1e-6,
    )
    expect(
        np.allclose(answer[:, latent_dim:], expected[:, latent_dim:], rtol=1e-5, atol=1e-6),
        f"{what}: the last e = {case.e} columns are not the vectors of the embedding layer given: "
        "call that layer, embedding(labels) (a new Embedding layer has its own random weights).",
    )


def _check_join_gradients(join_label, case: _Case) -> None:
    """The gradients of sum(join_label(...) * w) reach z (as w's first columns) and the
    embedding's weights (w's last columns, added up per class)."""
    what = f"tf.GradientTape over {case.what}"
    w = np.random.default_rng(1).normal(0.0, 1.0, case.expected().shape).astype("float32")
    z = tf.Variable(case.z)
    with tf.GradientTape() as tape:
        joined = _call_join(join_label, case, z, tf.constant(case.labels))
        expect(
            tf.is_tensor(joined),
            f"{what}: {NO_GRADIENT} (it returned {type(joined).__name__}, not a tensor).",
        )
        loss = tf.reduce_sum(tf.cast(joined, "float32") * w)
    to_z, to_weights = tape.gradient(loss, [z, case.embedding.embeddings])
    expect(
        to_weights is not None,
        f"{what}: {NO_GRADIENT}. No gradient reaches the embedding's weights, so the generator "
        "could never learn what each class should look like.",
    )
    expect(to_z is not None, f"{what}: {NO_GRADIENT}. No gradient reaches z.")
    expect_close(tf.convert_to_tensor(to_z), w[:, : case.latent_dim], f"{what}, to z", rtol=1e-5)
    per_class = np.zeros((case.classes, case.e))
    np.add.at(per_class, case.labels, w[:, case.latent_dim :])  # each row to its label's vector
    expect_close(
        tf.convert_to_tensor(to_weights),
        per_class,
        f"{what}, to the embedding's weights",
        rtol=1e-5,
        atol=1e-6,
    )


def check_join_label(join_label: Callable[..., object]) -> None:
    rng = np.random.default_rng()
    # The embedding as wide as z (e = latent_dim = 3): adding, or stacking along axis 0, gives a
    # tensor too. Then every size different: batch 6, latent_dim 4, 7 classes, e = 2.
    _check_join_case(join_label, _Case(rng, 3, 4, 3, [2, 0, 3, 2, 1]))
    case = _Case(rng, 4, 7, 2, [5, 1, 6, 1, 0, 3])
    _check_join_case(join_label, case)
    _check_join_gradients(join_label, case)

    # On keras.Input tensors, against the course's generator: its own embedding layer, and the
    # output of its layer "noise_and_label", on fresh random noise and labels.
    latent_dim, e = 8, 5
    generator = build_conditional_dcgan_generator(10, latent_dim, 4, embedding_dim=e)
    z_input, labels_input = keras.Input((latent_dim,)), keras.Input((), dtype="int32")
    what = f"join_label on keras.Input tensors z {(None, latent_dim)} and labels (None,)"
    try:
        joined = join_label(z_input, labels_input, generator.get_layer("label_embedding"))
    except Exception as error:  # NumPy's and TensorFlow's errors on symbolic tensors vary
        raise GradeFailure(
            f"{what} raised {type(error).__name__}: {_first_sentence(error)}. {SYMBOLIC}."
        ) from None
    expect(
        isinstance(joined, keras.KerasTensor),
        f"{what} returned a {type(joined).__name__}, not a Keras tensor: {SYMBOLIC}.",
    )
    expect(
        tuple(joined.shape) == (None, latent_dim + e),
        f"{what} has shape {tuple(joined.shape)}; expected (None, {latent_dim + e}).",
    )
    mine = keras.Model([z_input, labels_input], joined)
    reference = keras.Model(generator.inputs, generator.get_layer("noise_and_label").output)
    z = rng.normal(0.0, 1.0, (16, latent_dim)).astype("float32")
    labels = rng.integers(0, 10, 16).astype("int32")
    expect_close(
        mine([z, labels]),
        reference([z, labels]),
        f"{what}, as a model, against the layer 'noise_and_label' of "
        "build_conditional_dcgan_generator",
        rtol=1e-6,
    )


# ------------------------------------------------------------------ class_accuracy_and_confidence

COUNTS = "this is a count, not a share: divide by the number of samples"
MEAN_PROBABILITY = (
    "this is the mean probability of the asked class: the accuracy is the share of samples "
    "whose MOST LIKELY class (the argmax of the row) is the asked class"
)
MAX_PROBABILITY = (
    "the confidence was read from each sample's largest probability: use the probability of the "
    "ASKED class, probabilities[np.arange(n), labels] (a sample the classifier is sure belongs to "
    "another class is not confident about the asked one)"
)
AT_THRESHOLD = (
    "a probability equal to the threshold was counted: confident means STRICTLY above it (>, not "
    ">=)"
)
AMONG_CORRECT = (
    "the confident share was taken among the correctly classified samples only: divide by ALL "
    "the samples"
)
ONLY_CORRECT = (
    "a sample was counted as confident only when it was also classified correctly: count every "
    "sample whose asked class has probability above the threshold, whatever its argmax (with a "
    "threshold below 1/2 the two differ)"
)
COLUMNS = (
    "probabilities[:, labels] picks every asked column for every sample, an (n, n) table: pick "
    "one entry per sample, probabilities[np.arange(n), labels]"
)
IGNORED_THRESHOLD = "threshold was ignored: the share used 0.9 whatever threshold is"
AXIS = (
    "probabilities has one row per sample and one column per class: take each sample's argmax "
    "over the classes (axis=1) and its asked probability, probabilities[np.arange(n), labels], "
    "both of shape (n,)"
)


def _agreement(probabilities: np.ndarray, labels: np.ndarray, threshold: float) -> dict:
    """The key's (accuracy, confident) and {mistake: value} for each number."""
    n = len(labels)
    predicted = probabilities.argmax(axis=1)
    asked = probabilities[np.arange(n), labels]
    correct, sure = predicted == labels, asked > threshold
    accuracy, confident = float(np.mean(correct)), float(np.mean(sure))
    accuracy_suspects = {COUNTS: float(np.sum(correct)), MEAN_PROBABILITY: float(np.mean(asked))}
    confident_suspects = {
        COUNTS: float(np.sum(sure)),
        MAX_PROBABILITY: float(np.mean(probabilities.max(axis=1) > threshold)),
        AT_THRESHOLD: float(np.mean(asked >= threshold)),
        ONLY_CORRECT: float(np.mean(correct & sure)),
        COLUMNS: float(np.mean(probabilities[:, labels] > threshold)),
    }
    if np.any(correct):
        confident_suspects[AMONG_CORRECT] = float(np.mean(sure[correct]))
    if threshold != 0.9:
        confident_suspects[IGNORED_THRESHOLD] = float(np.mean(asked > 0.9))
    return {
        "accuracy": (accuracy, accuracy_suspects),
        "confident": (confident, confident_suspects),
    }


def _shares(value: object, what: str) -> tuple[float, float]:
    expect(
        isinstance(value, tuple | list) and len(value) == 2,
        f"{what} returned {type(value).__name__} {value!r}; return a pair (accuracy, confident).",
    )
    return (
        expect_number(value[0], f"{what}[0] (the accuracy)", finite=True),
        expect_number(value[1], f"{what}[1] (the confident share)", finite=True),
    )


_expect_share = functools.partial(expect_value, rtol=1e-9, atol=1e-12, suspect_atol=1e-12)


def _check_agreement_case(answer, probabilities, labels, threshold, what: str) -> None:
    copies = probabilities.copy(), labels.copy()
    arguments = () if threshold is None else (threshold,)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = answer(probabilities, labels, *arguments)
    except (ValueError, IndexError) as error:
        raise GradeFailure(
            f"{what} raised {type(error).__name__}: {_first_sentence(error)}. Here {AXIS}."
        ) from None
    expect(
        np.array_equal(probabilities, copies[0]) and np.array_equal(labels, copies[1]),
        f"{what} changed its arguments in place; compute new arrays.",
    )
    accuracy, confident = _shares(value, what)
    key = _agreement(probabilities, labels, 0.9 if threshold is None else threshold)
    expected, suspects = key["accuracy"]
    _expect_share(accuracy, expected, f"{what}: the accuracy", suspects)
    expected, suspects = key["confident"]
    _expect_share(confident, expected, f"{what}: the confident share", suspects)


# Exact binary fractions, so that a probability equal to the threshold is exactly equal.
SAMPLES_1 = np.array(
    [
        [0.875, 0.0625, 0.0625, 0.0],  # asked 0: right, confident
        [0.0, 0.125, 0.75, 0.125],  # asked 2: right, exactly at the threshold
        [0.0625, 0.75, 0.0625, 0.125],  # asked 1: right, exactly at the threshold
        [0.8125, 0.0, 0.0625, 0.125],  # asked 3: wrong, and sure of class 0
        [0.25, 0.375, 0.25, 0.125],  # asked 2: wrong
        [0.625, 0.25, 0.125, 0.0],  # asked 0: right, not confident
    ]
)
LABELS_1 = np.array([0, 2, 1, 3, 2, 0])
SAMPLES_2 = np.array(  # threshold 3/8, below 1/2: a confident sample may be classified wrong
    [
        [0.5, 0.4375, 0.0625, 0.0],  # asked 1: wrong, confident
        [0.375, 0.25, 0.25, 0.125],  # asked 0: right, exactly at the threshold
        [0.125, 0.0625, 0.0625, 0.75],  # asked 3: right, confident
        [0.34375, 0.28125, 0.125, 0.25],  # asked 2: wrong
        [0.0625, 0.875, 0.0625, 0.0],  # asked 1: right, confident
        [0.3125, 0.125, 0.375, 0.1875],  # asked 2: right, exactly at the threshold
        [0.25, 0.3125, 0.4375, 0.0],  # asked 0: wrong, sure enough of class 2
    ]
)
LABELS_2 = np.array([1, 0, 3, 2, 1, 2, 0])


def _random_probabilities(rng: np.random.Generator, n: int, k: int) -> tuple[np.ndarray, ...]:
    """Softmax of spread-out logits (many rows above 0.9), and labels that agree with the
    argmax about 70% of the time."""
    logits = rng.normal(0.0, 3.0, (n, k))
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    labels = np.where(rng.random(n) < 0.7, probabilities.argmax(axis=1), rng.integers(0, k, n))
    return probabilities, labels


def check_class_accuracy_and_confidence(
    class_accuracy_and_confidence: Callable[..., object],
) -> None:
    answer = class_accuracy_and_confidence
    what = "class_accuracy_and_confidence on 6 hand-made samples of 4 classes, threshold=0.75"
    _check_agreement_case(answer, SAMPLES_1, LABELS_1, 0.75, what)
    what = "class_accuracy_and_confidence on 7 hand-made samples of 4 classes, threshold=0.375"
    _check_agreement_case(answer, SAMPLES_2, LABELS_2, 0.375, what)

    # Fresh random cases against gancourse.metrics.class_accuracy, the default threshold first.
    rng = np.random.default_rng()
    for n, k, threshold in [(200, 10, None), (150, 3, 0.5), (40, 40, 0.2), (1, 5, 0.0)]:
        probabilities, labels = _random_probabilities(rng, n, k)
        used = 0.9 if threshold is None else threshold
        reference = class_accuracy(probabilities, labels, threshold=used)
        key = _agreement(probabilities, labels, used)
        assert (reference.accuracy, reference.confident) == (
            key["accuracy"][0],
            key["confident"][0],
        )  # the grader's own check
        shown = "the default threshold" if threshold is None else f"threshold={threshold}"
        what = f"class_accuracy_and_confidence on {n} random samples of {k} classes, {shown}"
        _check_agreement_case(answer, probabilities, labels, threshold, what)


@pytest.mark.exercise("lesson08.join_label")
def test_join_label(answers):
    check_join_label(answers.join_label)


@pytest.mark.exercise("lesson08.class_accuracy_and_confidence")
def test_class_accuracy_and_confidence(answers):
    check_class_accuracy_and_confidence(answers.class_accuracy_and_confidence)
