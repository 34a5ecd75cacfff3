"""Class accuracy and intra-class FID for conditional generators: hand-made probability tables
with known answers, intra-class FID against per-class FIDs computed by hand, bad input."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys

import numpy as np
import pytest

from gancourse.metrics import (
    ClassAccuracy,
    FewSamplesWarning,
    IntraClassFID,
    class_accuracy,
    frechet_distance,
    intra_class_fid,
)

# Four generated samples, three classes; class 2 is never asked for.
TABLE = np.array(
    [
        [0.95, 0.03, 0.02],  # asked 0: right and confident
        [0.20, 0.70, 0.10],  # asked 1: right, but 0.7 is below the threshold
        [0.05, 0.90, 0.05],  # asked 0: classified as 1, so wrong
        [0.10, 0.85, 0.05],  # asked 1: right, not confident
    ]
)
ASKED = np.array([0, 1, 0, 1])


# ## Class accuracy ################################################################################


def test_a_hand_made_table_gives_the_known_answers():
    score = class_accuracy(TABLE, ASKED)
    assert score.accuracy == 0.75
    assert score.confident == 0.25
    assert score.per_class[:2] == (0.5, 1.0)
    assert math.isnan(score.per_class[2])  # never asked for
    np.testing.assert_array_equal(score.confusion, [[1, 1, 0], [0, 2, 0], [0, 0, 0]])
    assert score.confusion.dtype.kind == "i"
    assert score.mean_confidence == pytest.approx((0.95 + 0.70 + 0.05 + 0.85) / 4)


def test_the_threshold_is_strict_and_applies_to_the_asked_class():
    exactly = np.array([[0.9, 0.1, 0.0], [0.0, 0.1, 0.9]])
    assert class_accuracy(exactly, [0, 2]).confident == 0.0  # 0.9 is not above 0.9
    assert class_accuracy(exactly, [0, 2], threshold=0.89).confident == 1.0
    # Confident in class 2, but class 1 was asked for: neither right nor confident.
    wrong = class_accuracy(exactly, [0, 1], threshold=0.5)
    assert (wrong.accuracy, wrong.confident) == (0.5, 0.5)


def test_a_tie_goes_to_the_lower_class_as_argmax():
    tied = np.array([[0.5, 0.5], [0.5, 0.5]])
    assert class_accuracy(tied, [0, 1]).per_class == (1.0, 0.0)


def test_integer_labels_of_any_width_and_lists_are_accepted():
    expected = class_accuracy(TABLE, ASKED)
    for labels in (ASKED.astype(np.uint8), ASKED.tolist()):
        score = class_accuracy(TABLE.tolist(), labels)
        assert (score.accuracy, score.confident) == (expected.accuracy, expected.confident)


def test_the_result_is_frozen():
    score = class_accuracy(TABLE, ASKED)
    assert isinstance(score, ClassAccuracy)
    with pytest.raises(dataclasses.FrozenInstanceError):
        score.accuracy = 1.0


@pytest.mark.parametrize(
    ("probabilities", "labels", "match"),
    [
        (TABLE[0], [0], "2-D array of shape"),
        (np.zeros((0, 3)), [], "at least 1 samples"),
        (np.where(TABLE == 0.95, np.nan, TABLE), ASKED, "NaN or infinite"),
        (np.where(TABLE == 0.95, np.inf, TABLE), ASKED, "NaN or infinite"),
        (np.array([[1.2, -0.2], [0.5, 0.5]]), [0, 1], "negative values"),
        (TABLE * 2, ASKED, "must sum to 1"),
        (TABLE, ASKED.astype(float), "integer class indices"),
        (TABLE, ASKED.astype(bool), "integer class indices"),
        (TABLE, ASKED[:3], r"must be 4 integer class indices.*got shape \(3,\)"),
        (TABLE, np.eye(3, dtype=int)[ASKED], "one-hot"),
        (TABLE, [0, 1, 3, 1], r"class indices in \[0, 3\), got values from 0 to 3"),
        (TABLE, [0, -1, 0, 1], r"class indices in \[0, 3\), got values from -1"),
    ],
)
def test_bad_probabilities_or_labels_are_refused(probabilities, labels, match):
    with pytest.raises(ValueError, match=match):
        class_accuracy(probabilities, labels)


@pytest.mark.parametrize("threshold", [-0.1, 1.0, 1.5, math.nan, True, "0.9", None])
def test_a_threshold_outside_zero_to_one_is_refused(threshold):
    with pytest.raises(ValueError, match=r"threshold must be a number in \[0, 1\)"):
        class_accuracy(TABLE, ASKED, threshold=threshold)


# ## Intra-class FID ###############################################################################

DIM = 3
PER_CLASS = 200


def _gaussians(rng, means, scales=None, per_class=PER_CLASS):
    """``per_class`` Gaussian samples around each mean (rows of ``means``), and their labels."""
    scales = np.ones(len(means)) if scales is None else scales
    features = np.concatenate(
        [
            mean + scale * rng.standard_normal((per_class, DIM))
            for mean, scale in zip(means, scales, strict=True)
        ]
    )
    return features, np.repeat(np.arange(len(means)), per_class)


def test_equals_the_mean_of_per_class_fids_and_differs_from_the_pooled_fid():
    rng = np.random.default_rng(0)
    real, real_labels = _gaussians(rng, np.array([[0.0] * DIM, [4.0] * DIM, [8.0] * DIM]))
    # Each generated class is off by a different amount, and in a different way.
    fake, fake_labels = _gaussians(
        rng, np.array([[0.5] * DIM, [4.0] * DIM, [6.0] * DIM]), scales=np.array([1.0, 2.0, 1.0])
    )
    order = rng.permutation(len(fake))  # classes interleaved: selection must go by label
    fake, fake_labels = fake[order], fake_labels[order]

    result = intra_class_fid(real, real_labels, fake, fake_labels)

    by_hand = [frechet_distance(real[real_labels == c], fake[fake_labels == c]) for c in range(3)]
    assert isinstance(result, IntraClassFID)
    assert result.classes == (0, 1, 2)
    assert result.per_class == pytest.approx(by_hand, rel=1e-12)
    assert result.mean == pytest.approx(np.mean(by_hand), rel=1e-12)
    pooled = frechet_distance(real, fake)
    assert abs(pooled - result.mean) > 0.2 * result.mean  # a pooled FID would fail this test


def test_ddof_and_method_are_passed_on():
    rng = np.random.default_rng(1)
    real, labels = _gaussians(rng, np.array([[0.0] * DIM, [3.0] * DIM]))
    fake, _ = _gaussians(rng, np.array([[0.3] * DIM, [3.5] * DIM]))
    for kwargs in ({"ddof": 0}, {"method": "pytorch-fid"}):
        by_hand = [frechet_distance(real[labels == c], fake[labels == c], **kwargs) for c in (0, 1)]
        result = intra_class_fid(real, labels, fake, labels, **kwargs)
        assert result.per_class == pytest.approx(by_hand, rel=1e-9)


def test_identical_features_per_class_give_zero():
    rng = np.random.default_rng(2)
    real, labels = _gaussians(rng, np.array([[0.0] * DIM, [5.0] * DIM, [-5.0] * DIM]))
    order = rng.permutation(len(real))
    result = intra_class_fid(real, labels, real[order], labels[order])
    assert result.mean == pytest.approx(0.0, abs=1e-9)
    assert result.per_class == pytest.approx([0.0] * 3, abs=1e-9)


def test_swapping_two_classes_of_the_fake_set_increases_it_a_lot():
    rng = np.random.default_rng(3)
    means = np.array([[0.0] * DIM, [5.0] * DIM])
    real, real_labels = _gaussians(rng, means)
    fake, fake_labels = _gaussians(rng, means)
    right = intra_class_fid(real, real_labels, fake, fake_labels)
    swapped = intra_class_fid(real, real_labels, fake, 1 - fake_labels)
    assert right.mean < 0.2
    assert swapped.mean > 60.0  # ||mu_0 - mu_1||^2 = 3 x 25 = 75 for each class
    # The pooled sets are the same either way: an unconditional FID cannot see the swap.
    assert frechet_distance(real, fake) < 0.2


def test_classes_are_the_sorted_labels_present_not_a_range():
    rng = np.random.default_rng(4)
    real, labels = _gaussians(rng, np.array([[0.0] * DIM, [3.0] * DIM]))
    fake, _ = _gaussians(rng, np.array([[1.0] * DIM, [3.0] * DIM]))
    named = np.where(labels == 0, 7, 2)  # class 7 is the one that is off
    result = intra_class_fid(real, named, fake, named)
    assert result.classes == (2, 7)
    assert result.per_class[1] > 2.0 > result.per_class[0]


def test_a_class_with_few_samples_warns_and_names_it():
    rng = np.random.default_rng(5)
    real, labels = _gaussians(rng, np.zeros((2, DIM)))
    small = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1])  # class 0: 3 samples of 3 features
    fake = rng.standard_normal((len(small), DIM))
    with pytest.warns(FewSamplesWarning, match="fake_features of class 0 has 3 samples"):
        intra_class_fid(real, labels, fake, small)


FEATURES = np.random.default_rng(6).standard_normal((8, DIM))
LABELS = np.repeat([0, 1], 4)
WITH_NAN = FEATURES.copy()
WITH_NAN[5, 1] = np.nan


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"real_features": FEATURES[:, 0]}, "real_features must be a 2-D array"),
        ({"fake_features": FEATURES[None]}, "fake_features must be a 2-D array"),
        ({"fake_features": WITH_NAN}, "fake_features contains 1 NaN"),
        ({"real_features": FEATURES[:1], "real_labels": [0]}, "at least 2 samples"),
        ({"fake_features": FEATURES[:, :2]}, "3 features per sample but fake_features has 2"),
        ({"real_labels": LABELS[:7]}, r"real_labels must be 8 integer class indices"),
        ({"fake_labels": LABELS.astype(float)}, "fake_labels must be 8 integer class indices"),
        ({"fake_labels": LABELS.astype(bool)}, "fake_labels must be 8 integer class indices"),
        ({"real_labels": LABELS - 1}, "real_labels must be class indices >= 0"),
        ({"fake_labels": np.repeat([0, 2], 4)}, "class 1: 4 real, 0 fake; class 2: 0 real, 4 fake"),
        ({"real_labels": [0, 0, 0, 0, 0, 0, 0, 1]}, "class 1: 1 real, 4 fake"),
        ({"ddof": 2}, "ddof must be 1"),
        ({"method": "sqrtm"}, "method must be one of"),
    ],
)
def test_bad_intra_class_input_is_refused(changes, match):
    arguments = {
        "real_features": FEATURES,
        "real_labels": LABELS,
        "fake_features": FEATURES + 1.0,
        "fake_labels": LABELS,
    }
    keywords = {key: value for key, value in changes.items() if key in ("ddof", "method")}
    arguments.update({key: value for key, value in changes.items() if key not in keywords})
    with pytest.raises(ValueError, match=match):
        intra_class_fid(*arguments.values(), **keywords)


# ## Import ########################################################################################


def test_importing_the_module_does_not_import_tensorflow():
    code = (
        "import sys\n"
        "import gancourse.metrics.conditional\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'TF imported'\n"
        "print('clean')\n"
    )
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert finished.stdout.strip() == "clean", finished.stderr
