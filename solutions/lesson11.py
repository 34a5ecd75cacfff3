"""Lesson 11 exercises: BLEU's clipped n-gram precision, and Self-BLEU.

A sentence for `ngram_precision` is a list of tokens, e.g. `"the cat sat".split()`; for
`self_bleu` it is plain text. Check your answers with `gancourse grade lesson11`.
"""

from collections import Counter

import numpy as np
import sacrebleu


def ngram_precision(hypothesis: list[str], references: list[list[str]], n: int) -> float:
    """BLEU's modified (clipped) n-gram precision of one hypothesis, a float in [0, 1].

    Papineni et al. 2002, section 2.1 (https://aclanthology.org/P02-1040/). An n-gram is n
    consecutive tokens. Each n-gram of the hypothesis is credited at most as many times as it
    occurs in the ONE reference where it occurs most often; the credited total is divided by
    the number of n-grams in the hypothesis (it has at least n tokens).

    The paper's example: the hypothesis "the the the the the the the" against the references
    "the cat is on the mat" and "there is a cat on the mat" scores 2/7 for n = 1: "the" occurs
    7 times in the hypothesis but at most twice in one reference.
    """

    # BEGIN SOLUTION
    # HINT: Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)) counts n-grams.
    # HINT: the clip of an n-gram is the max over the references of its count in each one.
    def count_ngrams(tokens: list[str]) -> Counter:
        return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))

    counts = count_ngrams(hypothesis)
    most_in_one_reference: Counter = Counter()
    for reference in references:
        for ngram, count in count_ngrams(reference).items():
            most_in_one_reference[ngram] = max(most_in_one_reference[ngram], count)
    credited = sum(min(count, most_in_one_reference[ngram]) for ngram, count in counts.items())
    return credited / sum(counts.values())
    # END SOLUTION


def self_bleu(sentences: list[str]) -> float:
    """Self-BLEU of generated sentences in [0, 100]: how much they repeat each other.

    Zhu et al. 2018, Texygen (https://arxiv.org/abs/1802.01886). Score each sentence by
    sentence-level BLEU with all the OTHER sentences as its references, then average the scores.
    High means alike (100 when all are the same sentence), low means diverse. Use sacrebleu's
    sentence BLEU with its defaults, `sacrebleu.sentence_bleu(hypothesis, references).score`
    (13a tokeniser, exponential smoothing, effective order), so that your number equals
    `gancourse.metrics.self_bleu`. There are at least 2 sentences.
    """
    # BEGIN SOLUTION
    # HINT: which sentences are the references of sentence i? Not sentence i itself: what
    # HINT: would every score be if it were? Then average the per-sentence scores.
    scores = [
        sacrebleu.sentence_bleu(sentence, sentences[:i] + sentences[i + 1 :]).score
        for i, sentence in enumerate(sentences)
    ]
    return float(np.mean(scores))
    # END SOLUTION
