"""A small English grammar the course defines: a text corpus whose quality can be checked exactly.

Sentences are drawn from a probabilistic context-free grammar (PCFG; Booth & Thompson 1973,
https://doi.org/10.1109/T-C.1973.223746) with subject-verb number agreement, adjectives,
prepositional phrases and relative clauses, some of them nested::

    the cat sleeps.
    many lazy dogs that the child follows chase a bird.
    every robot that helps the farmers waits near some horses.

Because the rules are known, :func:`is_grammatical` decides for any sentence whether the grammar
can derive it. Real text has no such oracle; here it is the ground truth against which BLEU,
ROUGE and Self-BLEU are judged in lesson 11. An agreement error across a relative clause ("the
cat that chases the dogs sleep.") leaves every short n-gram plausible, yet the grammar rejects it.

The sampler follows :mod:`gancourse.toy_data`: ``sample_sentences(n, rng)`` with a seeded
:class:`numpy.random.Generator`. Sentences are text in the corpus's format: lower-case words
separated by single spaces, a full stop attached to the last word (see
:func:`gancourse.text_generation.tokenize`).
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .text_generation import detokenize, tokenize
from .validation import check_int, check_rng

__all__ = ["DEFAULT_MAX_DEPTH", "RULES", "START", "WORDS", "is_grammatical", "sample_sentences"]

START = "S"
DEFAULT_MAX_DEPTH = 9  # levels of the derivation tree: two nested relative clauses at most

# Each symbol's expansions with their weights (probability = weight / sum of the weights).
# "_sg"/"_pl": singular/plural, so the verb agrees with its subject; "RC": relative clause,
# either "that" + a verb phrase (the noun is its subject) or "that" + a subject + a
# transitive verb (the noun is its object). Symbols that are neither keys here nor in WORDS
# ("that", ".") are words themselves.
RULES: dict[str, tuple[tuple[tuple[str, ...], float], ...]] = {
    "S": ((("NP_sg", "VP_sg", "."), 1.0), (("NP_pl", "VP_pl", "."), 1.0)),
    "NP_sg": ((("Det_sg", "Nom_sg"), 3.0), (("Det_sg", "Nom_sg", "RC_sg"), 1.0)),
    "NP_pl": ((("Det_pl", "Nom_pl"), 3.0), (("Det_pl", "Nom_pl", "RC_pl"), 1.0)),
    "Nom_sg": ((("N_sg",), 4.0), (("Adj", "Nom_sg"), 1.0)),
    "Nom_pl": ((("N_pl",), 4.0), (("Adj", "Nom_pl"), 1.0)),
    "RC_sg": (
        (("that", "VP_sg"), 2.0),
        (("that", "NP_sg", "Vt_sg"), 1.0),
        (("that", "NP_pl", "Vt_pl"), 1.0),
    ),
    "RC_pl": (
        (("that", "VP_pl"), 2.0),
        (("that", "NP_sg", "Vt_sg"), 1.0),
        (("that", "NP_pl", "Vt_pl"), 1.0),
    ),
    "VP_sg": (
        (("Vi_sg",), 2.0),
        (("Vi_sg", "PP"), 1.0),
        (("Vt_sg", "NP_sg"), 2.0),
        (("Vt_sg", "NP_pl"), 2.0),
    ),
    "VP_pl": (
        (("Vi_pl",), 2.0),
        (("Vi_pl", "PP"), 1.0),
        (("Vt_pl", "NP_sg"), 2.0),
        (("Vt_pl", "NP_pl"), 2.0),
    ),
    "PP": ((("P", "NP_sg"), 1.0), (("P", "NP_pl"), 1.0)),
}

# Word classes; a word is drawn uniformly from its class. No word starts with a vowel, so
# "a" is always right (never "an").
WORDS: dict[str, tuple[str, ...]] = {
    "Det_sg": ("the", "a", "every", "this"),
    "Det_pl": ("the", "some", "many", "these"),
    "N_sg": ("cat", "dog", "bird", "child", "teacher", "farmer", "robot", "horse"),
    "N_pl": ("cats", "dogs", "birds", "children", "teachers", "farmers", "robots", "horses"),
    "Adj": ("small", "big", "happy", "quiet", "lazy", "clever"),
    "Vi_sg": ("sleeps", "runs", "sings", "waits", "laughs"),
    "Vi_pl": ("sleep", "run", "sing", "wait", "laugh"),
    "Vt_sg": ("sees", "chases", "likes", "follows", "helps"),
    "Vt_pl": ("see", "chase", "like", "follow", "help"),
    "P": ("near", "with", "behind"),
}


# ## Sampling


@functools.cache
def _min_heights() -> dict[str, float]:
    """The height of each symbol's shortest derivation tree: 1 for a word class, 1 + the
    tallest part of the shortest expansion for a rule (a word itself counts 0)."""
    heights = dict.fromkeys(RULES, math.inf) | dict.fromkeys(WORDS, 1.0)
    for _ in RULES:  # each pass settles at least one more symbol (Bellman-Ford style)
        for symbol, expansions in RULES.items():
            heights[symbol] = min(_height(expansion, heights) for expansion, _ in expansions)
    return heights


def _height(expansion: tuple[str, ...], heights: dict[str, float]) -> float:
    return 1 + max(heights.get(part, 0.0) for part in expansion)


@functools.cache
def _expansions(symbol: str, depth: int) -> tuple[tuple[tuple[str, ...], ...], list[float]]:
    """The expansions of ``symbol`` that fit in ``depth`` levels, and their cumulative weights."""
    allowed = [
        (expansion, weight)
        for expansion, weight in RULES[symbol]
        if _height(expansion, _min_heights()) <= depth
    ]
    cumulative = list(np.cumsum([weight for _, weight in allowed]))
    return tuple(expansion for expansion, _ in allowed), cumulative


def _derive(symbol: str, depth: int, rng: np.random.Generator, out: list[str]) -> None:
    """Append the words of one random derivation of ``symbol`` (at most ``depth`` levels)."""
    if symbol in WORDS:
        choices = WORDS[symbol]
        out.append(choices[int(rng.random() * len(choices))])
    elif symbol not in RULES:
        out.append(symbol)
    else:
        expansions, cumulative = _expansions(symbol, depth)
        pick = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
        for part in expansions[pick]:
            _derive(part, depth - 1, rng, out)


def sample_sentences(
    n: int, rng: np.random.Generator, *, max_depth: int = DEFAULT_MAX_DEPTH
) -> list[str]:
    """``n`` random sentences of the grammar (repeats possible, as in real text).

    Each symbol is expanded with the probabilities of :data:`RULES`, renormalised over the
    expansions that still fit in the remaining depth, so every derivation tree has at most
    ``max_depth`` levels (the shortest sentence needs 4).

    Args:
        n: the number of sentences, >= 1.
        rng: a :class:`numpy.random.Generator`, e.g. ``np.random.default_rng(0)``.
        max_depth: the most levels of a derivation tree.

    Returns:
        A list of ``n`` strings such as ``"the small cat sleeps."``.
    """
    n = check_int(n, "n")
    rng = check_rng(rng)
    max_depth = check_int(max_depth, "max_depth", minimum=int(_min_heights()[START]))
    sentences = []
    for _ in range(n):
        words: list[str] = []
        _derive(START, max_depth, rng, words)
        sentences.append(detokenize(words))
    return sentences


# ## Recognising


def is_grammatical(sentence: str) -> bool:
    """True when the grammar derives ``sentence`` (any depth), after :func:`tokenize`.

    A memoised top-down recogniser: for each symbol and start position it finds every position
    where a derivation of the symbol can end; the sentence is grammatical when one derivation of
    the start symbol ends exactly at its last token. (The grammar has no left recursion, so the
    search terminates.) Case and spacing count: "The cat sleeps." and "the cat sleeps ." are
    judged on their tokens, so the first fails (capital T) and the second passes.
    """
    if not isinstance(sentence, str):
        raise TypeError(f"sentence must be a string, got {type(sentence).__name__}.")
    tokens = tuple(tokenize(sentence))
    return len(tokens) in _ends(tokens, START, 0, {})


def _ends(tokens: Sequence[str], symbol: str, start: int, memo: dict[Any, frozenset[int]]):
    """Every position where a derivation of ``symbol`` starting at ``start`` can end."""
    key = (symbol, start)
    if key not in memo:
        if symbol in RULES:
            ends: set[int] = set()
            for expansion, _ in RULES[symbol]:
                positions = {start}
                for part in expansion:
                    positions = {end for p in positions for end in _ends(tokens, part, p, memo)}
                ends |= positions
        else:
            matches = WORDS.get(symbol, (symbol,))
            ends = {start + 1} if start < len(tokens) and tokens[start] in matches else set()
        memo[key] = frozenset(ends)
    return memo[key]
