"""gancourse.text_generation: tokens and vocabulary round trips, temperature against closed
forms, n-gram counts and sampling frequencies by hand, the GRU's shapes, causality and
training, seeded sampling, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from gancourse import text_generation as tg
from gancourse.text_generation import (
    BOS_ID,
    EOS_ID,
    PAD_ID,
    NgramModel,
    Vocabulary,
    build_text_generator,
    detokenize,
    sample_text,
    temperature_probabilities,
    tokenize,
    train_text_generator,
)
from gancourse.toy_grammar import sample_sentences

# ## Tokens and the vocabulary


def test_tokenize_splits_words_and_marks_and_detokenize_undoes_it():
    assert tokenize("the cat sleeps.") == ["the", "cat", "sleeps", "."]
    assert tokenize("  Hello,world!  ") == ["Hello", ",", "world", "!"]
    assert tokenize("") == []
    assert detokenize(["the", "cat", ",", "a", "dog", "."]) == "the cat, a dog."
    for sentence in sample_sentences(200, np.random.default_rng(0)):
        assert detokenize(tokenize(sentence)) == sentence


def test_vocabulary_puts_special_tokens_first_and_sorts_the_words():
    vocabulary = Vocabulary.from_sentences(["the cat sleeps.", "the dogs run."])
    assert vocabulary.tokens == (
        "<pad>", "<bos>", "<eos>", ".", "cat", "dogs", "run", "sleeps", "the"
    )  # fmt: skip
    assert vocabulary.size == 9
    assert (PAD_ID, BOS_ID, EOS_ID) == (0, 1, 2)
    assert "9 tokens" in repr(vocabulary)


def test_encode_marks_pads_and_decodes_back():
    vocabulary = Vocabulary.from_sentences(["the cat sleeps.", "the dogs run."])
    ids = vocabulary.encode(["the cat sleeps.", "the dogs run.", "the cat."])
    assert ids.dtype == np.int32
    np.testing.assert_array_equal(
        ids,
        [
            [BOS_ID, 8, 4, 7, 3, EOS_ID],
            [BOS_ID, 8, 5, 6, 3, EOS_ID],
            [BOS_ID, 8, 4, 3, EOS_ID, PAD_ID],
        ],
    )
    assert vocabulary.decode(ids) == ["the cat sleeps.", "the dogs run.", "the cat."]
    assert vocabulary.encode(["the cat."], length=8).shape == (1, 8)
    assert vocabulary.decode([[8, 4, 3]]) == ["the cat."]  # no marks: the whole row
    assert vocabulary.decode([[BOS_ID, 8, PAD_ID, 4]]) == ["the"]  # ends at padding


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda v: v.encode(["the unicorn sleeps."]),
            ValueError,
            r"not in the vocabulary.*unicorn",
        ),
        (lambda v: v.encode(["the cat.", "  "]), ValueError, r"sentences\[1\] has no tokens"),
        (lambda v: v.encode(["the cat sleeps."], length=4), ValueError, "needs 6 ids"),
        (lambda v: v.encode("the cat."), TypeError, "single string"),
        (lambda v: v.encode([]), ValueError, "empty"),
        (lambda v: v.encode(["the cat.", 3]), TypeError, r"sentences\[1\] must be a string"),
        (lambda v: v.decode([1, 4]), ValueError, r"shape \(n, length\)"),
        (lambda v: v.decode([[1, 99]]), ValueError, "must lie in"),
        (lambda v: v.decode([[1, 4, 1]]), ValueError, "may only come first"),
        (lambda v: v.decode([[1.0, 4.0]]), ValueError, "integers"),
        (lambda v: Vocabulary(["a", "b", "c"]), ValueError, "must start with"),
        (lambda v: Vocabulary(["<pad>", "<bos>", "<eos>", "a", "a"]), ValueError, "not repeat"),
        (lambda v: tokenize(3), TypeError, "text must be a string"),
        (lambda v: detokenize("a b"), TypeError, "single string"),
    ],
)
def test_vocabulary_bad_input(call, error, message):
    vocabulary = Vocabulary.from_sentences(["the cat sleeps.", "the dogs run."])
    with pytest.raises(error, match=message):
        call(vocabulary)


# ## Temperature


def test_temperature_one_is_the_softmax_and_rows_sum_to_one():
    logits = np.random.default_rng(0).normal(size=(5, 7)) * 3
    probabilities = temperature_probabilities(logits, 1.0)
    np.testing.assert_allclose(probabilities, special.softmax(logits, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(
        temperature_probabilities(logits, 0.5), special.softmax(2 * logits, axis=-1), rtol=1e-12
    )
    np.testing.assert_allclose(temperature_probabilities(logits, 2.5).sum(axis=-1), 1.0)
    # Adding a constant to a row changes nothing; huge logits do not overflow.
    np.testing.assert_allclose(
        temperature_probabilities(logits + 1000.0, 1.0), probabilities, rtol=1e-12
    )


def test_temperature_spreads_or_sharpens_the_distribution():
    logits = np.random.default_rng(1).normal(size=(20, 10))
    temperatures = [0.1, 0.3, 0.5, 1.0, 2.0, 5.0, 50.0]
    entropies = [
        special.entr(temperature_probabilities(logits, t)).sum(axis=-1) for t in temperatures
    ]
    assert np.all(np.diff(entropies, axis=0) > 0)  # entropy grows with the temperature
    np.testing.assert_allclose(temperature_probabilities(logits, 1e6), 0.1, atol=1e-5)
    greedy = temperature_probabilities(logits, 0)
    np.testing.assert_array_equal(greedy, np.eye(10)[logits.argmax(axis=-1)])
    np.testing.assert_allclose(temperature_probabilities(logits, 1e-3), greedy, atol=1e-12)


def test_minus_infinity_gets_zero_probability_at_every_temperature():
    logits = np.array([[0.0, -np.inf, 1.0], [-np.inf, -np.inf, 5.0]])
    for temperature in (0, 0.5, 1.0, 100.0):
        probabilities = temperature_probabilities(logits, temperature)
        assert probabilities[0, 1] == 0.0 and probabilities[1, 2] == 1.0
    assert temperature_probabilities(logits, 1e9)[0] == pytest.approx([0.5, 0.0, 0.5])


@pytest.mark.parametrize(
    ("logits", "temperature", "message"),
    [
        ([[0.0, 1.0]], -0.5, "finite number >= 0"),
        ([[0.0, 1.0]], np.inf, "finite number >= 0"),
        ([[0.0, 1.0]], True, "a number >= 0"),
        ([[0.0, 1.0]], "1", "a number >= 0"),
        ([[0.0, np.nan]], 1.0, "NaN or \\+inf"),
        ([[0.0, np.inf]], 1.0, "NaN or \\+inf"),
        ([[-np.inf, -np.inf]], 1.0, "at least one finite"),
        (np.zeros((2, 0)), 1.0, "last axis of tokens"),
        (3.0, 1.0, "last axis of tokens"),
    ],
)
def test_temperature_bad_input(logits, temperature, message):
    with pytest.raises(ValueError, match=message):
        temperature_probabilities(logits, temperature)


# ## The n-gram baseline

SKEWED = ["a b."] * 3 + ["a c."]  # after "a": "b" 3 times out of 4


def _probability(model: NgramModel, context: list[str], token: str) -> float:
    vocabulary = model.vocabulary
    ids = np.array([[BOS_ID, *(vocabulary.tokens.index(t) for t in context)]])
    logits = model.predict_on_batch(ids)[0, -1]
    return float(np.exp(logits[vocabulary.tokens.index(token)]))


def test_ngram_probabilities_are_relative_frequencies():
    vocabulary = Vocabulary.from_sentences(SKEWED)
    bigram = NgramModel(vocabulary, SKEWED, order=2)
    assert _probability(bigram, [], "a") == 1.0  # every sentence starts with "a"
    assert _probability(bigram, ["a"], "b") == pytest.approx(3 / 4)
    assert _probability(bigram, ["a"], "c") == pytest.approx(1 / 4)
    assert _probability(bigram, ["a"], "a") == 0.0
    assert _probability(bigram, ["a", "b", "."], "<eos>") == 1.0
    # A unigram model ignores the context: 4 "a", 3 "b", 1 "c", 4 ".", 4 <eos> out of 16.
    unigram = NgramModel(vocabulary, SKEWED, order=1)
    for context in ([], ["a"], ["a", "b"]):
        assert _probability(unigram, context, "b") == pytest.approx(3 / 16)
        assert _probability(unigram, context, "<eos>") == pytest.approx(4 / 16)
    # A trigram model's first context is <bos> <bos>; then <bos> a.
    corpus = ["a b.", "b a."]
    trigram = NgramModel(Vocabulary.from_sentences(corpus), corpus, order=3)
    assert _probability(trigram, [], "a") == pytest.approx(1 / 2)
    assert _probability(trigram, ["a"], "b") == 1.0
    assert _probability(trigram, ["b"], "a") == 1.0
    assert "order=3" in repr(trigram)


def test_ngram_logits_have_the_keras_shape_and_unseen_contexts_are_refused():
    vocabulary = Vocabulary.from_sentences(SKEWED)
    bigram = NgramModel(vocabulary, SKEWED, order=2)
    ids = vocabulary.encode(["a b.", "a c."])[:, :-1]  # (2, 4): <bos> a x .
    logits = bigram.predict_on_batch(ids)
    assert logits.shape == (2, 4, vocabulary.size) and logits.dtype == np.float64
    np.testing.assert_allclose(np.exp(logits).sum(axis=-1), 1.0)
    with pytest.raises(ValueError, match=r"context \['a', 'a'\] never occurs"):
        NgramModel(vocabulary, SKEWED, order=3).predict_on_batch([[BOS_ID, 4, 4]])
    with pytest.raises(ValueError, match="shape \\(batch, time\\)"):
        bigram.predict_on_batch([1, 2])
    with pytest.raises(ValueError, match="order must be an integer >= 1"):
        NgramModel(vocabulary, SKEWED, order=0)
    with pytest.raises(ValueError, match="too high"):
        NgramModel(vocabulary, SKEWED, order=40)


@pytest.mark.parametrize(
    ("temperature", "expected"),
    [(1.0, 3 / 4), (0.5, 9 / 10), (2.0, np.sqrt(3) / (np.sqrt(3) + 1)), (0.0, 1.0)],
)
def test_sampled_frequencies_follow_the_tempered_probabilities(temperature, expected):
    # After "a", P(b) = 3/4; at temperature T it becomes 3^(1/T) / (3^(1/T) + 1).
    vocabulary = Vocabulary.from_sentences(SKEWED)
    bigram = NgramModel(vocabulary, SKEWED, order=2)
    n = 4_000
    samples = sample_text(bigram, vocabulary, n, temperature=temperature, seed=0)
    assert set(samples) <= {"a b.", "a c."}
    share = np.mean([s == "a b." for s in samples])
    assert share == pytest.approx(expected, abs=4.5 * np.sqrt(expected * (1 - expected) / n))


def test_a_long_context_ngram_copies_its_training_sentences():
    corpus = sample_sentences(30, np.random.default_rng(5))
    vocabulary = Vocabulary.from_sentences(corpus)
    copier = NgramModel(vocabulary, corpus, order=8)
    samples = sample_text(copier, vocabulary, 200, seed=1)
    assert set(samples) <= set(corpus)
    assert len(set(samples)) > 10


# ## Sampling


def test_sampling_is_seeded_and_temperature_zero_is_greedy():
    corpus = sample_sentences(500, np.random.default_rng(6))
    vocabulary = Vocabulary.from_sentences(corpus)
    trigram = NgramModel(vocabulary, corpus, order=3)
    first = sample_text(trigram, vocabulary, 30, seed=7)
    assert first == sample_text(trigram, vocabulary, 30, seed=7)
    assert first != sample_text(trigram, vocabulary, 30, seed=8)
    greedy = sample_text(trigram, vocabulary, 5, temperature=0, seed=9)
    assert len(set(greedy)) == 1 and greedy == sample_text(trigram, vocabulary, 5, temperature=0)
    hot = sample_text(trigram, vocabulary, 300, temperature=3.0, seed=7)
    cold = sample_text(trigram, vocabulary, 300, temperature=0.3, seed=7)
    assert len(set(hot)) > len(set(cold))


def test_max_length_cuts_unfinished_sentences():
    vocabulary = Vocabulary.from_sentences(SKEWED)
    bigram = NgramModel(vocabulary, SKEWED, order=2)
    assert set(sample_text(bigram, vocabulary, 20, max_length=2, seed=0)) <= {"a b", "a c"}
    assert set(sample_text(bigram, vocabulary, 20, max_length=4, seed=0)) <= {"a b.", "a c."}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be a positive integer"),
        ({"max_length": 0}, "max_length must be a positive integer"),
        ({"temperature": -1.0}, "temperature"),
    ],
)
def test_sampling_bad_input(kwargs, message):
    vocabulary = Vocabulary.from_sentences(SKEWED)
    bigram = NgramModel(vocabulary, SKEWED, order=2)
    with pytest.raises(ValueError, match=message):
        sample_text(bigram, vocabulary, **{"n": 3, **kwargs})


# ## The GRU language model


def test_the_gru_gives_causal_logits_of_the_documented_shape():
    model = build_text_generator(11, embedding_dim=4, units=8)
    assert model.name == "gru_language_model"
    ids = np.random.default_rng(0).integers(3, 11, size=(2, 6)).astype("int32")
    logits = np.asarray(model(ids))
    assert logits.shape == (2, 6, 11) and logits.dtype == np.float32
    changed = ids.copy()
    changed[:, 4] = 3 if ids[0, 4] != 3 else 4
    after = np.asarray(model(changed))
    np.testing.assert_allclose(after[:, :4], logits[:, :4], rtol=1e-6)  # the past is untouched
    assert not np.allclose(after[:, 4:], logits[:, 4:])


def test_the_gru_learns_and_samples_reproducibly():
    import keras

    keras.utils.set_random_seed(0)
    corpus = ["the cat sleeps.", "the dogs run."] * 32
    vocabulary = Vocabulary.from_sentences(corpus)
    model = build_text_generator(vocabulary.size, embedding_dim=8, units=16)
    history = train_text_generator(
        model,
        vocabulary,
        corpus,
        epochs=25,
        batch_size=16,
        learning_rate=2e-2,
        validation_sentences=["the cat sleeps."],
        verbose=0,
    )
    losses = history.history["loss"]
    assert np.all(np.isfinite(losses)) and "val_loss" in history.history
    # Two equally likely sentences of 4 tokens + <eos>: only the second token is uncertain,
    # so the best loss is log(2) / 5 nats per token.
    assert losses[-1] < losses[0] / 4 and losses[-1] == pytest.approx(np.log(2) / 5, abs=0.05)
    samples = sample_text(model, vocabulary, 40, temperature=0.5, seed=3)
    assert set(samples) == set(corpus)
    assert samples == sample_text(model, vocabulary, 40, temperature=0.5, seed=3)
    assert sample_text(model, vocabulary, 2, temperature=0)[0] in corpus


def test_the_gru_bad_input():
    vocabulary = Vocabulary.from_sentences(SKEWED)
    model = build_text_generator(vocabulary.size + 1, embedding_dim=4, units=4)
    with pytest.raises(ValueError, match="vocabulary has 7 tokens"):
        train_text_generator(model, vocabulary, SKEWED, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"logits of shape \(3, 1, 8\)"):
        sample_text(model, vocabulary, 3)
    right = build_text_generator(vocabulary.size, embedding_dim=4, units=4)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        train_text_generator(right, vocabulary, SKEWED, epochs=1, learning_rate=0)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        train_text_generator(right, vocabulary, SKEWED, epochs=0)
    with pytest.raises(ValueError, match="3 special tokens"):
        build_text_generator(3)
    with pytest.raises(ValueError, match="units must be a positive integer"):
        build_text_generator(10, units=0)


def test_module_exports_what_it_documents():
    assert set(tg.__all__) <= set(dir(tg))
