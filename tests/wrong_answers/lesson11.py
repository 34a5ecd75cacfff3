"""Plausible wrong answers to lesson 11, each with a phrase its grader's message must contain."""

from collections import Counter

import numpy as np
import sacrebleu


def _ngrams(tokens, n):
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _best_reference_counts(references, n):
    most = Counter()
    for reference in references:
        most |= _ngrams(reference, n)  # Counter union: the max count
    return most


def precision_unclipped(hypothesis, references, n):
    counts = _ngrams(hypothesis, n)
    seen = _best_reference_counts(references, n)
    return sum(count for ngram, count in counts.items() if ngram in seen) / counts.total()


def precision_clipped_by_the_sum(hypothesis, references, n):
    counts = _ngrams(hypothesis, n)
    summed = sum((_ngrams(reference, n) for reference in references), Counter())
    return sum(min(c, summed[g]) for g, c in counts.items()) / counts.total()


def precision_clipped_by_the_min(hypothesis, references, n):
    counts = _ngrams(hypothesis, n)
    fewest = _ngrams(references[0], n)
    for reference in references[1:]:
        fewest &= _ngrams(reference, n)  # Counter intersection: the min count
    return sum(min(c, fewest[g]) for g, c in counts.items()) / counts.total()


def precision_of_distinct_ngrams(hypothesis, references, n):
    counts = _ngrams(hypothesis, n)
    seen = _best_reference_counts(references, n)
    return len(set(counts) & set(seen)) / counts.total()


def precision_over_the_reference_length(hypothesis, references, n):
    counts = _ngrams(hypothesis, n)
    clipped = counts & _best_reference_counts(references, n)
    return clipped.total() / max(len(references[0]) - n + 1, 1)


def precision_over_the_number_of_tokens(hypothesis, references, n):
    clipped = _ngrams(hypothesis, n) & _best_reference_counts(references, n)
    return clipped.total() / len(hypothesis)


def precision_missing_the_last_ngram(hypothesis, references, n):
    counts = Counter(tuple(hypothesis[i : i + n]) for i in range(len(hypothesis) - n))
    clipped = counts & _best_reference_counts(references, n)
    return clipped.total() / max(counts.total(), 1)


def precision_against_the_first_reference(hypothesis, references, n):
    counts = _ngrams(hypothesis, n)
    return (counts & _ngrams(references[0], n)).total() / counts.total()


def precision_averaged_over_references(hypothesis, references, n):
    counts = _ngrams(hypothesis, n)
    return np.mean([(counts & _ngrams(r, n)).total() / counts.total() for r in references])


def _others(sentences, i):
    return sentences[:i] + sentences[i + 1 :]


def self_bleu_including_itself(sentences):
    return np.mean([sacrebleu.sentence_bleu(s, sentences).score for s in sentences])


def self_bleu_pairwise(sentences):
    return np.mean(
        [
            np.mean([sacrebleu.sentence_bleu(s, [other]).score for other in _others(sentences, i)])
            for i, s in enumerate(sentences)
        ]
    )


def self_bleu_arithmetic_mean_of_precisions(sentences):
    scores = []
    for i, s in enumerate(sentences):
        result = sacrebleu.sentence_bleu(s, _others(sentences, i))
        scores.append(result.bp * np.mean(result.precisions))
    return np.mean(scores)


def self_bleu_on_a_0_1_scale(sentences):
    return (
        np.mean(
            [
                sacrebleu.sentence_bleu(s, _others(sentences, i)).score
                for i, s in enumerate(sentences)
            ]
        )
        / 100
    )


def self_bleu_without_effective_order(sentences):
    metric = sacrebleu.BLEU(effective_order=False)
    return np.mean(
        [metric.sentence_score(s, _others(sentences, i)).score for i, s in enumerate(sentences)]
    )


def self_bleu_without_smoothing(sentences):
    metric = sacrebleu.BLEU(smooth_method="none", effective_order=True)
    return np.mean(
        [metric.sentence_score(s, _others(sentences, i)).score for i, s in enumerate(sentences)]
    )


def self_bleu_split_on_spaces(sentences):
    metric = sacrebleu.BLEU(tokenize="none", effective_order=True)
    return np.mean(
        [metric.sentence_score(s, _others(sentences, i)).score for i, s in enumerate(sentences)]
    )


def self_bleu_pooled_corpus_bleu(sentences):
    # One corpus BLEU over all sentences: counts pooled, so long sentences weigh more.
    others = [_others(sentences, i) for i in range(len(sentences))]
    streams = [[refs[k] for refs in others] for k in range(len(sentences) - 1)]
    return sacrebleu.corpus_bleu(sentences, streams).score


def self_bleu_best_single_reference(sentences):
    return np.mean(
        [
            max(sacrebleu.sentence_bleu(s, [other]).score for other in _others(sentences, i))
            for i, s in enumerate(sentences)
        ]
    )


def self_bleu_removing_from_the_list(sentences):
    scores = []
    for i in range(len(sentences)):
        sentence = sentences.pop(i)  # the others are what is left
        scores.append(sacrebleu.sentence_bleu(sentence, sentences).score)
        sentences.append(sentence)  # put back, but at the end
    return np.mean(scores)


WRONG_ANSWERS = [
    ("ngram_precision", precision_unclipped, "not clipped"),
    ("ngram_precision", precision_clipped_by_the_sum, "SUM"),
    ("ngram_precision", precision_clipped_by_the_min, "min over the references"),
    ("ngram_precision", precision_of_distinct_ngrams, "distinct n-gram"),
    ("ngram_precision", precision_over_the_reference_length, "wrong count"),
    ("ngram_precision", precision_over_the_number_of_tokens, "number of n-grams of the HYPOTHESIS"),
    ("ngram_precision", precision_missing_the_last_ngram, "dropping the last"),
    ("ngram_precision", precision_against_the_first_reference, "only one reference"),
    ("ngram_precision", precision_averaged_over_references, "per reference and averaged"),
    ("self_bleu", self_bleu_including_itself, "itself among its references"),
    ("self_bleu", self_bleu_pairwise, "each pair scored separately"),
    ("self_bleu", self_bleu_arithmetic_mean_of_precisions, "GEOMETRIC mean"),
    ("self_bleu", self_bleu_on_a_0_1_scale, "0-100 scale"),
    ("self_bleu", self_bleu_without_effective_order, "effective order"),
    ("self_bleu", self_bleu_without_smoothing, "no smoothing"),
    ("self_bleu", self_bleu_split_on_spaces, "13a tokeniser"),
    ("self_bleu", self_bleu_pooled_corpus_bleu, "pools their counts"),
    ("self_bleu", self_bleu_best_single_reference, "random sentences"),
    ("self_bleu", self_bleu_removing_from_the_list, "changed the lists"),
]
