"""gancourse.toy_grammar: a well-formed grammar, sampler probabilities against closed forms,
every sample grammatical, the recogniser against an independent rule and hand-worked cases."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gancourse import toy_grammar
from gancourse.text_generation import tokenize
from gancourse.toy_grammar import RULES, START, WORDS, is_grammatical, sample_sentences


def _words_of(*classes: str) -> tuple[str, ...]:
    return tuple(word for name in classes for word in WORDS[name])


def test_the_grammar_is_well_formed():
    literal_words = {"that", "."}
    for symbol, expansions in RULES.items():
        assert expansions, symbol
        for expansion, weight in expansions:
            assert weight > 0, symbol
            for part in expansion:
                assert part in RULES or part in WORDS or part in literal_words, (symbol, part)
    assert all(WORDS.values())
    assert START in RULES
    # "a" is right before every word that can follow it (no "an" needed).
    assert not any(word[0] in "aeiou" for word in _words_of("Adj", "N_sg"))


def test_the_grammar_has_no_left_recursion():
    # The recogniser needs it: no symbol may derive itself as its own first part.
    def first_parts(symbol: str, seen: tuple[str, ...]) -> None:
        for expansion, _ in RULES.get(symbol, ()):
            head = expansion[0]
            assert head not in seen, f"left recursion: {' -> '.join((*seen, head))}"
            first_parts(head, (*seen, head))

    for symbol in RULES:
        first_parts(symbol, (symbol,))


def test_every_sample_is_grammatical_and_in_the_documented_format():
    sentences = sample_sentences(2_000, np.random.default_rng(0))
    assert len(sentences) == 2_000 and all(isinstance(s, str) for s in sentences)
    assert all(is_grammatical(s) for s in sentences)
    assert all(s.endswith(".") and " ." not in s and s == s.lower() for s in sentences)
    lengths = [len(tokenize(s)) for s in sentences]
    assert min(lengths) == 4 and 7 < np.mean(lengths) < 9
    assert len(set(sentences)) > 1_500  # varied, with some repeats as in real text


def test_sampling_probabilities_match_closed_forms():
    n = 20_000
    sentences = sample_sentences(n, np.random.default_rng(1))
    tolerance = 4.5 * np.sqrt(0.25 / n)  # 4.5 standard errors of a share
    # The shortest sentence "Det N Vi ." needs: no relative clause (3/4), no adjective (4/5),
    # an intransitive verb without a prepositional phrase (2/7).
    shortest = np.mean([len(tokenize(s)) == 4 for s in sentences])
    assert shortest == pytest.approx(3 / 4 * 4 / 5 * 2 / 7, abs=tolerance)
    # A singular subject (1/2) then "every", one of its 4 determiners.
    assert np.mean([s.startswith("every ") for s in sentences]) == pytest.approx(
        1 / 8, abs=tolerance
    )
    # "the" opens singular and plural subjects alike: 1/4 of each.
    assert np.mean([s.startswith("the ") for s in sentences]) == pytest.approx(1 / 4, abs=tolerance)


def test_max_depth_bounds_the_derivation():
    shortest = sample_sentences(300, np.random.default_rng(2), max_depth=4)
    assert all(len(tokenize(s)) == 4 for s in shortest)  # Det N V . only
    assert len(set(shortest)) > 100
    deeper = sample_sentences(300, np.random.default_rng(2), max_depth=5)
    assert max(len(tokenize(s)) for s in deeper) > 4
    # A prepositional phrase needs 5 levels under S (VP -> Vi PP, PP -> P NP, NP -> Det Nom,
    # Nom -> N, N -> word): it fits at depth 6, not 5.
    prepositions = set(WORDS["P"])
    assert not any(prepositions.intersection(tokenize(s)) for s in deeper)
    six = sample_sentences(300, np.random.default_rng(2), max_depth=6)
    assert any(prepositions.intersection(tokenize(s)) for s in six)


def test_the_same_seed_gives_the_same_sentences():
    first = sample_sentences(50, np.random.default_rng(3))
    assert first == sample_sentences(50, np.random.default_rng(3))
    assert first != sample_sentences(50, np.random.default_rng(4))


def test_every_four_token_sentence_is_judged_by_the_agreement_rule():
    # An independent statement of the grammar's rules for "Det N V .": the determiner fits
    # the noun's number ("the" fits both), the verb agrees with the noun and is intransitive.
    numbers = {word: "sg" for word in _words_of("Det_sg", "N_sg", "Vi_sg", "Vt_sg")}
    numbers |= {word: "pl" for word in _words_of("Det_pl", "N_pl", "Vi_pl", "Vt_pl")}
    numbers["the"] = "both"
    determiners = set(_words_of("Det_sg", "Det_pl"))
    nouns = _words_of("N_sg", "N_pl")
    verbs = _words_of("Vi_sg", "Vi_pl", "Vt_sg", "Vt_pl")
    intransitive = set(_words_of("Vi_sg", "Vi_pl"))
    judged = 0
    for det, noun, verb in itertools.product(sorted(determiners), nouns, verbs):
        expected = (
            numbers[det] in ("both", numbers[noun])
            and numbers[verb] == numbers[noun]
            and verb in intransitive
        )
        assert is_grammatical(f"{det} {noun} {verb}.") == expected, (det, noun, verb)
        judged += 1
    assert judged == 7 * 16 * 20


@pytest.mark.parametrize(
    "sentence",
    [
        "the cat sleeps.",
        "the cats sleep.",
        "a small happy dog runs near the children.",
        "many lazy dogs that the child follows chase a bird.",
        "every robot that helps the farmers waits behind some horses.",
        "the cat that chases the dogs sleeps.",
        "the cats that the dog that sings sees laugh.",
        "this bird sees these teachers that wait with a horse.",
        "the cat sleeps .",  # spacing is not judged: the same tokens
    ],
)
def test_grammatical_sentences_are_accepted(sentence):
    assert is_grammatical(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "the cat sleep.",  # subject-verb agreement
        "the cat that chases the dogs sleep.",  # agreement across a relative clause
        "the cats that the dog see laugh.",  # agreement inside an object relative clause
        "a cats sleep.",  # determiner and noun
        "the cat chases.",  # a transitive verb without its object
        "the cat sleeps the dog.",  # an intransitive verb with an object
        "the cat sleeps",  # no full stop
        "the cat sleeps. the dog runs.",  # two sentences
        "the cat sleeps..",
        "The cat sleeps.",  # case counts
        "the unicorn sleeps.",  # not a word of the grammar
        "cat the sleeps.",
        "the cat that sleeps.",  # a noun phrase is not a sentence
        "",
    ],
)
def test_ungrammatical_sentences_are_rejected(sentence):
    assert not is_grammatical(sentence)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: sample_sentences(0, np.random.default_rng(0)), ValueError, "n must be"),
        (lambda: sample_sentences(3, 0), TypeError, "numpy.random.Generator"),
        (
            lambda: sample_sentences(3, np.random.default_rng(0), max_depth=3),
            ValueError,
            "max_depth must be an integer >= 4",
        ),
        (lambda: is_grammatical(["the", "cat"]), TypeError, "sentence must be a string"),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_module_exports_what_it_documents():
    assert set(toy_grammar.__all__) <= set(dir(toy_grammar))
