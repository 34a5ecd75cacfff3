"""Lesson 08's scores: DigitJudge on stand-in generators with known answers, and the callback
that scores a conditional GAN while it trains."""

import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from gancourse import data, pixels
from gancourse.conditional_scores import DigitJudge, ScoreDuringTraining
from gancourse.metrics import FewSamplesWarning
from gancourse.training import make_conditional_dcgan, train


@pytest.fixture(scope="module")
def digits():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mnist = data.load_mnist()
    return mnist


class _Stand_in:
    """A 'generator' that hands back real test digits of class f(asked), in order."""

    def __init__(self, digits, relabel):
        self.num_classes = 10
        self.generator_optimizer = SimpleNamespace(iterations=np.int64(7))
        self._pools = {c: digits.x_test[digits.y_test == c] for c in range(10)}
        self._relabel = relabel

    def generate(self, *, labels, seed):
        rng = np.random.default_rng(seed)
        picked = [
            self._pools[self._relabel(c)][rng.integers(len(self._pools[self._relabel(c)]))]
            for c in labels
        ]
        return pixels.to_float(np.stack(picked))[..., None]


def _judge(digits, per_class=150):
    return DigitJudge(digits.x_train, digits.y_train, per_class=per_class, value_range=(-1, 1))


def test_real_digits_of_the_asked_class_obey_and_swapped_ones_do_not(digits):
    judge = _judge(digits)
    obeying = judge.score(_Stand_in(digits, lambda c: c))
    swapped = judge.score(_Stand_in(digits, lambda c: (c + 1) % 10))
    assert obeying.steps == 7
    assert obeying.accuracy.accuracy > 0.95 and obeying.accuracy.confident > 0.85
    assert swapped.accuracy.accuracy < 0.05
    # The swapped digits are real digits, each class drawn as often: only a per-class FID sees it.
    assert swapped.intra_fid.mean > 5 * obeying.intra_fid.mean
    assert np.argmax(swapped.accuracy.confusion[3]) == 4  # asked for 3, seen as 4
    assert len(judge.asked) == 1500 and np.bincount(judge.asked).tolist() == [150] * 10


def test_the_judge_refuses_a_gan_of_other_classes(digits):
    stand_in = _Stand_in(digits, lambda c: c)
    stand_in.num_classes = 5
    with pytest.raises(ValueError, match="10 classes but the GAN has num_classes=5"):
        _judge(digits).score(stand_in)


def test_scores_are_recorded_every_few_epochs_and_after_the_last(digits):
    gan = make_conditional_dcgan(filters=4, latent_dim=8, precision="float32")
    images = pixels.to_float(digits.x_train[:64])[..., None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FewSamplesWarning)  # 3 samples per class, 128 features
        scores = ScoreDuringTraining(_judge(digits, per_class=3), every=2)
        train(
            gan,
            (images, digits.y_train[:64]),
            epochs=3,
            batch_size=32,
            live=False,
            progress=False,
            callbacks=[scores],
        )
    assert [score.steps for score in scores.scores] == [4, 6]  # after epochs 2 and 3
    assert all(0.0 <= score.accuracy.accuracy <= 1.0 for score in scores.scores)
