"""Text metrics: hand-worked BLEU and ROUGE, Self-BLEU, n-gram precision vs sacrebleu, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import sacrebleu

from gancourse.metrics import bleu, ngram_precision, rouge, self_bleu

HYPOTHESIS = "the cat is on the mat"
REFERENCE = "the cat sat on the mat"


def test_bleu_hand_worked_case():
    result = bleu([HYPOTHESIS], [REFERENCE])
    # Matches / n-grams for n = 1..4: 5/6, 3/5, 1/4, 0/3; sacrebleu's 'exp' smoothing turns the
    # zero into 1 / (2 * 3). Same length, so no brevity penalty: BLEU = geometric mean.
    precisions = [5 / 6, 3 / 5, 1 / 4, 1 / 6]
    assert result.score == pytest.approx(100 * np.prod(precisions) ** 0.25, rel=1e-12)
    assert result.precisions == pytest.approx([100 * p for p in precisions])
    assert result.brevity_penalty == 1.0
    assert result.signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")


def test_bleu_with_a_varying_number_of_references():
    hypotheses = [HYPOTHESIS, "a dog barks at the moon", "hello"]
    references = [[REFERENCE, "a cat is on a mat"], "the dog barks at the moon", ["hello there"]]
    result = bleu(hypotheses, references)
    streams = [
        [REFERENCE, "the dog barks at the moon", "hello there"],
        ["a cat is on a mat", None, None],
    ]
    assert result.score == pytest.approx(sacrebleu.corpus_bleu(hypotheses, streams).score)
    assert "nrefs:var" in result.signature
    assert result.score > bleu(hypotheses, [REFERENCE, references[1], "hello there"]).score


def test_bleu_options_reach_sacrebleu():
    assert bleu(["The Cat sat on the Mat"], [REFERENCE], lowercase=True).score == pytest.approx(100)
    assert bleu(["The Cat sat on the Mat"], [REFERENCE]).score < 100.0
    assert "tok:none" in bleu(["a b"], ["a b"], tokenize="none").signature


def test_rouge_hand_worked_case_and_mean_over_hypotheses():
    scores = rouge([HYPOTHESIS, REFERENCE], [REFERENCE, REFERENCE])
    # Pair 1: unigrams 5 of 6 shared; bigrams 3 of 5 (the cat, on the, the mat); longest common
    # subsequence "the cat on the mat" (5 of 6). Pair 2 is identical: 1 everywhere.
    assert scores["rouge1"] == pytest.approx(((5 / 6 + 1) / 2,) * 3)
    assert scores["rouge2"] == pytest.approx(((3 / 5 + 1) / 2,) * 3)
    assert scores["rougeL"] == pytest.approx(((5 / 6 + 1) / 2,) * 3)
    assert scores["rouge1"].fmeasure == scores["rouge1"][2]


def test_rouge_takes_the_best_reference_and_the_stemmer_option():
    best = rouge([HYPOTHESIS], [["completely different words", REFERENCE]], rouge_types=["rouge1"])
    assert best["rouge1"].fmeasure == pytest.approx(5 / 6)
    stemmed = rouge(["cats running"], ["cat runs"], rouge_types=["rouge1"], use_stemmer=True)
    assert stemmed["rouge1"].fmeasure == pytest.approx(1.0)
    assert rouge(["cats running"], ["cat runs"], rouge_types=["rouge1"])["rouge1"].fmeasure == 0.0


def test_self_bleu_identical_sentences_score_100():
    assert self_bleu(["the cat sat on the mat"] * 4) == pytest.approx(100.0)
    assert self_bleu(["hi", "hi"]) == pytest.approx(100.0)  # shorter than 4 tokens: effective order


def test_self_bleu_is_mean_sentence_bleu_against_the_others():
    sentences = [
        "the cat sat on the mat",
        "the dog sat on the log",
        "a bird flew over the house",
        "the cat sat on the log today",
    ]
    expected = np.mean(
        [
            sacrebleu.sentence_bleu(s, sentences[:i] + sentences[i + 1 :]).score
            for i, s in enumerate(sentences)
        ]
    )
    value = self_bleu(sentences)
    assert value == pytest.approx(expected, rel=1e-12)
    assert 0.0 < value < 100.0
    assert self_bleu(sentences, max_ngram_order=2) > value  # shorter n-grams match more often


def test_ngram_precision_clips_counts():
    # "the" occurs 3 times in the hypothesis but at most once in a reference: 1/3, not 3/3.
    assert ngram_precision(["the", "the", "the"], ["the", "cat"], 1) == pytest.approx(1 / 3)
    two_refs = [["the", "cat"], ["the", "the", "dog"]]  # best single reference holds "the" twice
    assert ngram_precision(["the", "the", "the"], two_refs, 1) == pytest.approx(2 / 3)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_ngram_precision_matches_sacrebleu_counts(seed, n):
    rng = np.random.default_rng(seed)
    vocabulary = ["a", "b", "c", "d"]  # small, so n-grams repeat and clipping matters
    hypothesis = list(rng.choice(vocabulary, size=12))
    references = [list(rng.choice(vocabulary, size=int(rng.integers(5, 15)))) for _ in range(2)]
    result = sacrebleu.BLEU(tokenize="none").corpus_score(
        [" ".join(hypothesis)], [[" ".join(ref)] for ref in references]
    )
    expected = result.counts[n - 1] / result.totals[n - 1]
    assert ngram_precision(hypothesis, references, n) == expected


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: bleu([], []), ValueError, "at least 1 sentence"),
        (lambda: bleu(["a", "b"], ["a"]), ValueError, "2 hypotheses but 1 references"),
        (lambda: bleu("a cat", ["a cat"]), TypeError, "list of sentences, not|single string"),
        (lambda: bleu(["a"], [["x", 3]]), TypeError, r"references\[0\]\[1\] must be a string"),
        (lambda: bleu(["a"], [[]]), ValueError, r"references\[0\] must hold at least 1"),
        (lambda: rouge(["a"], ["a", "b"]), ValueError, "1 hypotheses but 2 references"),
        (lambda: rouge([], []), ValueError, "at least 1 sentence"),
        (lambda: rouge(["a"], ["a"], rouge_types=["rougeX"]), ValueError, "Invalid rouge type"),
        (lambda: self_bleu(["only one"]), ValueError, "at least 2 sentence"),
        (lambda: self_bleu(["a", "b"], max_ngram_order=0), ValueError, "max_ngram_order"),
        (lambda: ngram_precision(["a"], ["a"], 2), ValueError, "1 tokens, so no 2-gram"),
        (lambda: ngram_precision(["a"], ["a"], 0), ValueError, "n must be an integer >= 1"),
        (lambda: ngram_precision(["a"], [], 1), ValueError, "reference_tokens is empty"),
        (lambda: ngram_precision("a b", ["a"], 1), TypeError, "list of tokens"),
        (lambda: ngram_precision(["a"], "a", 1), TypeError, "list of tokens"),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
