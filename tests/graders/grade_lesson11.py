"""Graders for lesson 11 (BLEU's clipped n-gram precision and Self-BLEU).

Hand-worked cases first (Papineni et al.'s "the the the ..." example, a best reference that is
not the first one, bigrams; identical, paraphrased and very short sentences for Self-BLEU),
where a value that matches a known mistake gets a message naming it. Then
``gancourse.metrics`` on fresh random sentences from a small vocabulary, so that n-grams repeat
and clipping matters.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable

import numpy as np
import pytest
import sacrebleu

from gancourse.grading import expect, expect_number, expect_value
from gancourse.metrics import text as reference

LESSON = "lesson11"

PAPINENI_HYPOTHESIS = ["the", "the", "the", "the", "the", "the", "the"]
PAPINENI_REFERENCES = [
    ["the", "cat", "is", "on", "the", "mat"],
    ["there", "is", "a", "cat", "on", "the", "mat"],
]
CAT_SAT = "the cat sat on the mat"
CAT_IS = "the cat is on the mat"
NOT_CLIPPED = (
    "the counts are not clipped: an n-gram of the hypothesis is credited at most as many times "
    "as it occurs in a reference"
)
SUM_CLIP = (
    "clipped by the SUM of an n-gram's counts over the references; clip by the most it occurs "
    "in ONE reference (the max over references)"
)
MIN_OR_DISTINCT = (
    "too little credit: either each distinct n-gram was counted once, or the clip was the min "
    "over the references; credit min(count in hypothesis, max count in one reference)"
)
PER_REFERENCE = (
    "the precision was computed per reference and averaged; clip each n-gram by the max over "
    "the references, then compute one precision"
)
WRONG_DENOMINATOR = (
    "divided by the wrong count: divide by the number of n-grams of the HYPOTHESIS, "
    "len(hypothesis) - n + 1 (not the reference's, and without dropping the last n-gram)"
)
FIRST_REFERENCE = (
    "only one reference counted (or precisions per reference averaged): here the second "
    "reference holds 'a' twice, so 'a' is credited twice"
)


_number = functools.partial(expect_number, finite=True)
_expect_value = functools.partial(expect_value, rtol=1e-9, atol=1e-12)


def _result(function: Callable[..., object], what: str, *args: object) -> float:
    """Call ``function``, check it left its (list) arguments as they were, and that it returned
    one finite number."""
    before = copy.deepcopy(args)
    value = function(*args)
    name = getattr(function, "__name__", "your function")
    expect(
        before == args,
        f"{name} changed the lists it was given; work on copies (e.g. others = sentences[:i] + "
        "sentences[i + 1 :]) instead of removing items from them.",
    )
    return _number(value, what)


def _random_sentence(rng: np.random.Generator, words: list[str], shortest: int) -> list[str]:
    return [str(word) for word in rng.choice(words, size=int(rng.integers(shortest, 13)))]


def check_ngram_precision(ngram_precision: Callable[..., float]) -> None:
    what = (
        "ngram_precision of the paper's example ('the' x 7 against 'the cat is on the mat' and "
        "'there is a cat on the mat', n = 1)"
    )
    value = _result(ngram_precision, what, PAPINENI_HYPOTHESIS, PAPINENI_REFERENCES, 1)
    _expect_value(
        value,
        2 / 7,
        what,
        {
            NOT_CLIPPED: 1.0,
            SUM_CLIP: 3 / 7,
            MIN_OR_DISTINCT: 1 / 7,
            PER_REFERENCE: 1.5 / 7,
            WRONG_DENOMINATOR: 2 / 6,
        },
    )

    what = "ngram_precision of 'a a a b' against 'a b' and 'a a x' (n = 1)"
    value = _result(ngram_precision, what, ["a", "a", "a", "b"], [["a", "b"], ["a", "a", "x"]], 1)
    _expect_value(
        value, 3 / 4, what, {FIRST_REFERENCE: 2 / 4, SUM_CLIP: 1.0, MIN_OR_DISTINCT: 2 / 4}
    )

    hypothesis, references = CAT_IS.split(), [CAT_SAT.split()]
    for n, matched, suspects in [
        (
            2,
            3 / 5,
            {WRONG_DENOMINATOR: 3 / 6, "missed the last bigram " + WRONG_DENOMINATOR: 2 / 4},
        ),
        (3, 1 / 4, {WRONG_DENOMINATOR: 1 / 6}),
        (4, 0.0, {}),
    ]:
        what = f"ngram_precision of '{CAT_IS}' against '{CAT_SAT}' (n = {n})"
        value = _result(ngram_precision, what, hypothesis, references, n)
        _expect_value(value, matched, what, suspects)

    rng = np.random.default_rng()
    for _ in range(40):
        words = ["a", "b", "c", "d"][: int(rng.integers(2, 5))]  # few words: n-grams repeat
        n = int(rng.integers(1, 5))
        hypothesis = _random_sentence(rng, words, shortest=n)
        references = [_random_sentence(rng, words, 1) for _ in range(int(rng.integers(1, 4)))]
        what = (
            f"ngram_precision on random tokens ({hypothesis}, {references}, n={n}; "
            "gancourse.metrics.ngram_precision agrees with sacrebleu's counts)"
        )
        value = _result(ngram_precision, what, hypothesis, references, n)
        _expect_value(value, reference.ngram_precision(hypothesis, references, n), what)


def check_self_bleu(self_bleu: Callable[..., float]) -> None:
    what = f"self_bleu of three copies of '{CAT_SAT}'"
    value = _result(self_bleu, what, [CAT_SAT] * 3)
    _expect_value(value, 100.0, what, {"BLEU is on a 0-100 scale (sacrebleu's .score)": 1.0})

    # n-gram precisions 5/6, 3/5, 1/4 and no 4-gram in common: sacrebleu's exponential
    # smoothing counts 1/(2 * 3) for it. Same length, so no brevity penalty.
    precisions = np.array([5 / 6, 3 / 5, 1 / 4, 1 / 6])
    expected = 100 * np.prod(precisions) ** 0.25
    what = f"self_bleu of ['{CAT_SAT}', '{CAT_IS}'] (each scores {expected:.2f} against the other)"
    value = _result(self_bleu, what, [CAT_SAT, CAT_IS])
    _expect_value(
        value,
        expected,
        what,
        {
            "each sentence was scored with itself among its references; leave it out": 100.0,
            "BLEU is the GEOMETRIC mean of the n-gram precisions, not the arithmetic mean": 100
            * precisions.mean(),
            "no smoothing: one missing 4-gram then makes sentence BLEU 0; use "
            "sacrebleu.sentence_bleu, which smooths": 0.0,
            "BLEU is on a 0-100 scale (sacrebleu's .score)": expected / 100,
            "one corpus BLEU over all the sentences pools their counts; score each sentence "
            "by itself (sentence BLEU) and average the scores": sacrebleu.corpus_bleu(
                [CAT_SAT, CAT_IS], [[CAT_IS, CAT_SAT]]
            ).score,
        },
    )

    sentences = ["a b c d", "a b c d", "w x y z"]
    what = f"self_bleu of {sentences} (100, 100 and 0: the mean is 66.67)"
    value = _result(self_bleu, what, sentences)
    _expect_value(
        value,
        200 / 3,
        what,
        {
            "each sentence was scored with itself among its references; leave it out": 100.0,
            "each pair scored separately and averaged; score each sentence ONCE, with all the "
            "others together as its references": 100 / 3,
        },
    )

    sentences = ["hi there", "hi there", "bye now"]
    what = f"self_bleu of {sentences} (sentences shorter than 4 tokens)"
    value = _result(self_bleu, what, sentences)
    _expect_value(
        value,
        200 / 3,
        what,
        {
            "without the effective order, a sentence with no 4-gram scores 0; "
            "sacrebleu.sentence_bleu uses it by default": 0.0
        },
    )

    sentences = ["the cat sleeps.", "the cat sleeps ."]
    what = (
        f"self_bleu of {sentences}: the same tokens once the full stop is split off, as "
        "sacrebleu's 13a tokeniser does (do not split the text yourself)"
    )
    _expect_value(_result(self_bleu, what, sentences), 100.0, what)

    rng = np.random.default_rng()
    words = ["the", "cat", "dog", "sat", "a", "mat", "mat.", "on"]
    for _ in range(15):
        sentences = [
            " ".join(_random_sentence(rng, words, 1)) for _ in range(int(rng.integers(2, 8)))
        ]
        what = f"self_bleu on random sentences {sentences} (as gancourse.metrics.self_bleu)"
        value = _result(self_bleu, what, sentences)
        _expect_value(value, reference.self_bleu(sentences), what)


@pytest.mark.exercise("lesson11.ngram_precision")
def test_ngram_precision(answers):
    check_ngram_precision(answers.ngram_precision)


@pytest.mark.exercise("lesson11.self_bleu")
def test_self_bleu(answers):
    check_self_bleu(answers.self_bleu)
