"""Text metrics: BLEU and ROUGE (through sacrebleu and rouge-score), Self-BLEU, n-gram precision.

- BLEU (Papineni et al. 2002, https://aclanthology.org/P02-1040/) is computed by sacrebleu
  (Post 2018, https://arxiv.org/abs/1804.08771), corpus-level, on its 0-100 scale. A BLEU number
  means little without its settings (tokeniser, casing, smoothing): the result carries
  sacrebleu's signature; print it beside the score.
- ROUGE (Lin 2004, https://aclanthology.org/W04-1013/) is computed by Google's rouge-score, on
  a 0-1 scale, averaged over the hypotheses.
- Self-BLEU (Zhu et al. 2018, Texygen, https://arxiv.org/abs/1802.01886) measures how alike
  generated sentences are (high = low diversity); see :func:`self_bleu` for its definition here.
- :func:`ngram_precision` is BLEU's clipped ("modified") n-gram precision, written out for
  teaching; sacrebleu computes the same counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import sacrebleu

from ..validation import check_int

__all__ = ["BleuResult", "RougeScore", "bleu", "ngram_precision", "rouge", "self_bleu"]


@dataclass(frozen=True)
class BleuResult:
    """A corpus BLEU score from sacrebleu.

    Attributes:
        score: BLEU in [0, 100].
        precisions: the modified n-gram precisions for n = 1..4, in percent.
        brevity_penalty: in (0, 1]; below 1 when the hypotheses are shorter than the references.
        signature: sacrebleu's signature of the settings, e.g.
            ``nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0``.
    """

    score: float
    precisions: tuple[float, ...]
    brevity_penalty: float
    signature: str


class RougeScore(NamedTuple):
    """Mean ROUGE precision, recall and F-measure over the hypotheses, each in [0, 1]."""

    precision: float
    recall: float
    fmeasure: float


def _sentences(values: Sequence[str], name: str, minimum: int = 1) -> list[str]:
    """A list of at least ``minimum`` strings, or a clear TypeError/ValueError."""
    if isinstance(values, str):
        raise TypeError(f"{name} must be a list of sentences, got a single string.")
    values = list(values)
    if len(values) < minimum:
        raise ValueError(f"{name} must hold at least {minimum} sentence(s), got {len(values)}.")
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise TypeError(f"{name}[{i}] must be a string, got {type(value).__name__}.")
    return values


def _reference_sets(references: Sequence[str | Sequence[str]], count: int) -> list[list[str]]:
    """One list of reference strings per hypothesis (a plain string is one reference)."""
    if isinstance(references, str):
        raise TypeError("references must be a list (one entry per hypothesis), got a string.")
    references = list(references)
    if len(references) != count:
        raise ValueError(
            f"there are {count} hypotheses but {len(references)} references; give one entry "
            "(a string, or a list of strings) per hypothesis."
        )
    return [
        [entry] if isinstance(entry, str) else _sentences(entry, f"references[{i}]")
        for i, entry in enumerate(references)
    ]


def bleu(
    hypotheses: Sequence[str],
    references: Sequence[str | Sequence[str]],
    *,
    tokenize: str = "13a",
    lowercase: bool = False,
) -> BleuResult:
    """Corpus BLEU by sacrebleu (its defaults: 13a tokeniser, 'exp' smoothing, n-grams to 4).

    Args:
        hypotheses: the generated sentences (detokenised text).
        references: one entry per hypothesis: a reference string, or a list of reference
            strings (the number may vary between hypotheses).
        tokenize: a sacrebleu tokeniser name ("13a", "none", "intl", ...).
        lowercase: case-insensitive BLEU.

    Returns:
        A :class:`BleuResult` (score in [0, 100], with sacrebleu's signature).
    """
    hypotheses = _sentences(hypotheses, "hypotheses")
    reference_sets = _reference_sets(references, len(hypotheses))
    most = max(len(refs) for refs in reference_sets)
    # sacrebleu takes reference "streams" (the k-th reference of every hypothesis); None marks
    # a hypothesis with fewer references.
    streams = [[refs[k] if k < len(refs) else None for refs in reference_sets] for k in range(most)]
    metric = sacrebleu.BLEU(tokenize=tokenize, lowercase=lowercase)
    result = metric.corpus_score(hypotheses, streams)
    return BleuResult(
        score=float(result.score),
        precisions=tuple(float(p) for p in result.precisions),
        brevity_penalty=float(result.bp),
        signature=str(metric.get_signature()),
    )


def rouge(
    hypotheses: Sequence[str],
    references: Sequence[str | Sequence[str]],
    *,
    rouge_types: Sequence[str] = ("rouge1", "rouge2", "rougeL"),
    use_stemmer: bool = False,
) -> dict[str, RougeScore]:
    """ROUGE by rouge-score, averaged over the hypotheses.

    With several references for one hypothesis, the one with the best F-measure counts
    (rouge-score's ``score_multi``).

    Args:
        hypotheses: the generated sentences.
        references: one entry per hypothesis: a string, or a list of strings.
        rouge_types: rouge-score names ("rouge1", "rouge2", "rougeL", "rougeLsum", ...).
        use_stemmer: apply the Porter stemmer before matching (rouge-score's option).

    Returns:
        ``{rouge_type: RougeScore(precision, recall, fmeasure)}``, each value in [0, 1].
    """
    from rouge_score import rouge_scorer  # imported here: it loads NLTK (about a second)

    hypotheses = _sentences(hypotheses, "hypotheses")
    reference_sets = _reference_sets(references, len(hypotheses))
    rouge_types = _sentences(rouge_types, "rouge_types")
    scorer = rouge_scorer.RougeScorer(rouge_types, use_stemmer=use_stemmer)
    scores = [
        scorer.score_multi(refs, hyp) for hyp, refs in zip(hypotheses, reference_sets, strict=True)
    ]
    return {
        name: RougeScore(*np.mean([tuple(score[name]) for score in scores], axis=0).tolist())
        for name in rouge_types
    }


def self_bleu(
    sentences: Sequence[str], *, max_ngram_order: int = 4, tokenize: str = "13a"
) -> float:
    """Self-BLEU: how much each generated sentence repeats the others (lower = more diverse).

    Definition used here: each sentence is scored by *sentence-level* BLEU (sacrebleu's
    ``sentence_score``: its default 'exp' smoothing and effective order) with all the other
    sentences as its references, and the scores are averaged. Sentence-level, as in Texygen,
    where Self-BLEU was defined, because each sentence has its own reference set; corpus BLEU
    would pool n-gram counts over sentences and let long sentences dominate. Smoothing keeps
    a short sentence without a matching 4-gram from scoring 0. Cost: O(n^2) sentence pairs.

    Args:
        sentences: at least 2 generated sentences.
        max_ngram_order: the longest n-gram (4 for BLEU-4; papers also report orders 2, 3, 5).
        tokenize: a sacrebleu tokeniser name.

    Returns:
        Self-BLEU in [0, 100]; 100 when all sentences are identical.
    """
    sentences = _sentences(sentences, "sentences", minimum=2)
    order = check_int(max_ngram_order, "max_ngram_order")
    metric = sacrebleu.BLEU(tokenize=tokenize, effective_order=True, max_ngram_order=order)
    scores = [
        metric.sentence_score(sentence, sentences[:i] + sentences[i + 1 :]).score
        for i, sentence in enumerate(sentences)
    ]
    return float(np.mean(scores))


def _tokens(values: Sequence[str], name: str) -> list[str]:
    if isinstance(values, str):
        raise TypeError(f"{name} must be a list of tokens (e.g. sentence.split()), got a string.")
    values = list(values)
    if not all(isinstance(token, str) for token in values):
        raise TypeError(f"{name} must be a list of str tokens.")
    return values


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def ngram_precision(
    hypothesis_tokens: Sequence[str],
    reference_tokens: Sequence[str] | Sequence[Sequence[str]],
    n: int,
) -> float:
    """Clipped ("modified") n-gram precision of BLEU (Papineni et al. 2002, section 2.1).

    Each n-gram of the hypothesis counts as matched at most as many times as it occurs in the
    single reference where it occurs most often; the sum of these clipped counts is divided
    by the number of n-grams in the hypothesis. "the the the" against "the cat" scores 1/3
    for n = 1, not 3/3.

    Args:
        hypothesis_tokens: the hypothesis as a list of tokens, at least ``n`` of them.
        reference_tokens: one reference as a list of tokens, or a list of such lists.
        n: the n-gram length, >= 1.

    Returns:
        The precision, a float in [0, 1].
    """
    n = check_int(n, "n")
    hypothesis = _tokens(hypothesis_tokens, "hypothesis_tokens")
    if len(hypothesis) < n:
        raise ValueError(
            f"the hypothesis has {len(hypothesis)} tokens, so no {n}-gram; it needs at least {n}."
        )
    if isinstance(reference_tokens, str):
        raise TypeError("reference_tokens must be a list of tokens, or a list of token lists.")
    references = list(reference_tokens)
    if not references:
        raise ValueError("reference_tokens is empty: give at least one reference.")
    if all(isinstance(token, str) for token in references):
        references = [references]  # a single reference
    most_in_one_reference: Counter[tuple[str, ...]] = Counter()
    for i, reference in enumerate(references):
        most_in_one_reference |= _ngrams(_tokens(reference, f"reference_tokens[{i}]"), n)
    hypothesis_counts = _ngrams(hypothesis, n)
    clipped = hypothesis_counts & most_in_one_reference  # min(count, max count in a reference)
    return clipped.total() / hypothesis_counts.total()
