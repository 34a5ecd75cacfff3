"""A small word-level text generator, an n-gram baseline, and what they share: tokens, a
vocabulary and sampling with a temperature.

- Text format: words and punctuation marks (:func:`tokenize`); :func:`detokenize` writes
  tokens back as text, with no space before a punctuation mark.
- :class:`Vocabulary`: tokens <-> integer ids; ids 0, 1, 2 are ``<pad>``, ``<bos>`` (begin
  of sentence) and ``<eos>`` (end of sentence).
- :func:`build_text_generator`: a GRU language model (Cho et al. 2014,
  https://arxiv.org/abs/1406.1078) that reads token ids and gives logits for the next token;
  :func:`train_text_generator` fits it by teacher forcing (cross-entropy of each next token).
- :class:`NgramModel`: the classic baseline, an order-k Markov chain whose next-token
  probabilities are counts in the training sentences (Shannon 1948,
  https://doi.org/10.1002/j.1538-7305.1948.tb01338.x). Unsmoothed: it only continues contexts
  it has seen, which is all that sampling from it ever needs.
- :func:`sample_text`: draws sentences from either model, one token at a time, from
  softmax(logits / temperature). Temperature trades quality for diversity (Caccia et al. 2018,
  https://arxiv.org/abs/1811.02549, compare text generators along that whole curve).

Keras is imported only by the functions that need it, so the tokenizer, the vocabulary and the
n-gram model load in an instant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .validation import check_int, check_learning_rate, check_positive

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import keras

__all__ = [
    "BOS",
    "BOS_ID",
    "EOS",
    "EOS_ID",
    "PAD",
    "PAD_ID",
    "NgramModel",
    "Vocabulary",
    "build_text_generator",
    "detokenize",
    "sample_text",
    "temperature_probabilities",
    "tokenize",
    "train_text_generator",
]

PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"
PAD_ID, BOS_ID, EOS_ID = 0, 1, 2
DEFAULT_MAX_LENGTH = 40  # tokens a sampled sentence may have, its end mark included

_TOKEN = re.compile(r"\w+|[^\w\s]")  # a run of letters/digits/_, or one punctuation mark
_SPACE_BEFORE_MARK = re.compile(r" ([.,;:!?])")


# ## Tokens


def tokenize(text: str) -> list[str]:
    """Split text into words and punctuation marks: ``"the cat sleeps."`` -> ``["the", "cat",
    "sleeps", "."]``. Case is kept; every other character (spaces) separates tokens."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}.")
    return _TOKEN.findall(text)


def detokenize(tokens: Sequence[str]) -> str:
    """Tokens back to text: joined by single spaces, none before ``. , ; : ! ?``.

    ``detokenize(tokenize(s)) == s`` for text in that format, such as the toy grammar's.
    """
    if isinstance(tokens, str):
        raise TypeError("tokens must be a list of strings, got a single string.")
    return _SPACE_BEFORE_MARK.sub(r"\1", " ".join(tokens))


def _check_sentences(sentences: Sequence[str], name: str) -> list[str]:
    if isinstance(sentences, str):
        raise TypeError(f"{name} must be a list of sentences, got a single string.")
    sentences = list(sentences)
    if not sentences:
        raise ValueError(f"{name} is empty; give at least one sentence.")
    for i, sentence in enumerate(sentences):
        if not isinstance(sentence, str):
            raise TypeError(f"{name}[{i}] must be a string, got {type(sentence).__name__}.")
    return sentences


class Vocabulary:
    """Tokens <-> integer ids. ``tokens[:3]`` are ``<pad>``, ``<bos>``, ``<eos>``; words follow.

    >>> vocabulary = Vocabulary.from_sentences(["the cat sleeps.", "the dogs run."])
    >>> vocabulary.encode(["the cat sleeps."])  # <bos> the cat sleeps . <eos>
    array([[1, 8, 4, 7, 3, 2]], dtype=int32)
    """

    def __init__(self, tokens: Sequence[str]) -> None:
        tokens = tuple(tokens)
        if tokens[:3] != (PAD, BOS, EOS):
            raise ValueError(f"tokens must start with {PAD}, {BOS}, {EOS}; got {tokens[:3]}.")
        if len(set(tokens)) != len(tokens):
            raise ValueError("tokens must not repeat.")
        self.tokens = tokens
        self._ids = {token: i for i, token in enumerate(tokens)}

    @classmethod
    def from_sentences(cls, sentences: Sequence[str]) -> Vocabulary:
        """Every token of ``sentences`` (sorted), after the three special tokens."""
        sentences = _check_sentences(sentences, "sentences")
        words = sorted({token for sentence in sentences for token in tokenize(sentence)})
        return cls((PAD, BOS, EOS, *words))

    @property
    def size(self) -> int:
        """The number of tokens, special tokens included."""
        return len(self.tokens)

    def __repr__(self) -> str:
        return f"Vocabulary({self.size} tokens: {', '.join(self.tokens[3:13])}, ...)"

    def encode(self, sentences: Sequence[str], length: int | None = None) -> np.ndarray:
        """Sentences -> int32 ids, shape (n, length): ``<bos>``, the tokens, ``<eos>``, then
        ``<pad>`` (0) up to ``length`` (default: the longest sentence + 2).

        Raises ValueError for a word that is not in the vocabulary, an empty sentence, or a
        sentence that does not fit in ``length``.
        """
        sentences = _check_sentences(sentences, "sentences")
        rows = []
        for i, sentence in enumerate(sentences):
            tokens = tokenize(sentence)
            if not tokens:
                raise ValueError(f"sentences[{i}] has no tokens: {sentence!r}.")
            unknown = [token for token in tokens if token not in self._ids]
            if unknown:
                raise ValueError(
                    f"sentences[{i}] has words that are not in the vocabulary: {unknown}. "
                    "Build the vocabulary from text that contains them."
                )
            rows.append([BOS_ID, *(self._ids[token] for token in tokens), EOS_ID])
        longest = max(len(row) for row in rows)
        length = longest if length is None else check_int(length, "length", minimum=3)
        if longest > length:
            raise ValueError(f"a sentence needs {longest} ids with its marks; length is {length}.")
        ids = np.full((len(rows), length), PAD_ID, dtype=np.int32)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
        return ids

    def decode(self, ids: ArrayLike) -> list[str]:
        """int ids, shape (n, length) -> n sentences. A leading ``<bos>`` is skipped; a row
        ends at its first ``<eos>`` or ``<pad>`` (or at its last id)."""
        ids = np.asarray(ids)
        if ids.ndim != 2 or ids.dtype.kind not in "iu":
            raise ValueError(
                f"ids must be integers of shape (n, length), got {ids.shape} {ids.dtype}."
            )
        if ids.size and (ids.min() < 0 or ids.max() >= self.size):
            raise ValueError(f"ids must lie in [0, {self.size - 1}] for this vocabulary.")
        sentences = []
        for row in ids.tolist():
            row = row[1:] if row[:1] == [BOS_ID] else row
            words = []
            for i in row:
                if i in (EOS_ID, PAD_ID):
                    break
                if i == BOS_ID:
                    raise ValueError(f"{BOS} may only come first in a row of ids.")
                words.append(self.tokens[i])
            sentences.append(detokenize(words))
        return sentences


# ## The GRU language model


def build_text_generator(
    vocabulary_size: int, *, embedding_dim: int = 32, units: int = 128
) -> keras.Model:
    """A GRU language model: (batch, time) int token ids -> (batch, time, vocabulary_size)
    float32 logits, where position t scores the token that follows tokens 0..t.

    Embedding -> GRU (causal: position t sees only tokens up to t) -> Dense logits (softmax at
    sampling time, :func:`sample_text`). Named "gru_language_model".
    """
    import keras

    check_positive(vocabulary_size=vocabulary_size, embedding_dim=embedding_dim, units=units)
    if vocabulary_size < 4:
        raise ValueError(
            f"vocabulary_size counts 3 special tokens and >= 1 word, got {vocabulary_size}."
        )
    tokens = keras.Input(shape=(None,), dtype="int32", name="tokens")  # (batch, time)
    h = keras.layers.Embedding(vocabulary_size, embedding_dim, name="embedding")(tokens)
    h = keras.layers.GRU(units, return_sequences=True, name="gru")(h)  # (batch, time, units)
    logits = keras.layers.Dense(vocabulary_size, name="logits")(h)  # (batch, time, vocabulary)
    return keras.Model(tokens, logits, name="gru_language_model")


def _teacher_forcing(
    vocabulary: Vocabulary, sentences: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs (ids without the last), targets (ids shifted by one) and weights (0 on padding)."""
    ids = vocabulary.encode(sentences)  # (n, length)
    targets = ids[:, 1:]
    return ids[:, :-1], targets, (targets != PAD_ID).astype(np.float32)


def train_text_generator(
    model: keras.Model,
    vocabulary: Vocabulary,
    sentences: Sequence[str],
    *,
    epochs: int,
    batch_size: int = 64,
    learning_rate: float = 3e-3,
    validation_sentences: Sequence[str] | None = None,
    verbose: int | str = 2,
) -> keras.callbacks.History:
    """Fit ``model`` to predict each next token of ``sentences`` (teacher forcing, Adam).

    The loss is the cross-entropy in nats per real token (padding has weight 0), so
    ``exp(loss)`` is the perplexity. ``verbose=2`` prints one line per epoch; 0 is silent.
    Returns Keras' ``History`` ("loss", and "val_loss" with ``validation_sentences``).
    """
    import keras

    check_positive(epochs=epochs, batch_size=batch_size)
    learning_rate = check_learning_rate(learning_rate)
    outputs = model.output_shape[-1]
    if outputs != vocabulary.size:
        raise ValueError(
            f"the model gives {outputs} logits per position but the vocabulary has "
            f"{vocabulary.size} tokens; build it with build_text_generator(vocabulary.size)."
        )
    x, y, weights = _teacher_forcing(vocabulary, sentences)
    validation = None
    if validation_sentences is not None:
        validation = _teacher_forcing(vocabulary, validation_sentences)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction="mean_with_sample_weight"
        ),
    )
    return model.fit(
        x,
        y,
        sample_weight=weights,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation,
        shuffle=True,
        verbose=verbose,
    )


# ## The n-gram baseline


class NgramModel:
    """An order-``k`` Markov chain over tokens, P(next | the k - 1 tokens before), by counting.

    ``order=1`` ignores the context (a bag of words), 2 is a bigram model, 3 a trigram model.
    The context before the first word is ``k - 1`` copies of ``<bos>``. Probabilities are the
    raw relative frequencies of the training sentences (no smoothing): a continuation never seen
    gets probability 0, and a context never seen cannot be continued (ValueError).

    :meth:`predict_on_batch` is named and shaped like the Keras model's method (see
    :func:`build_text_generator`), so :func:`sample_text` takes either model.
    """

    def __init__(self, vocabulary: Vocabulary, sentences: Sequence[str], order: int = 2) -> None:
        self.vocabulary = vocabulary
        self.order = check_int(order, "order")
        if vocabulary.size ** (self.order - 1) >= 2**62:
            raise ValueError(f"order {order} is too high for {vocabulary.size} tokens.")
        ids = vocabulary.encode(sentences)  # (n, length)
        keys, targets = self._context_keys(ids[:, :-1]), ids[:, 1:]
        real = targets != PAD_ID
        self._keys, rows = np.unique(keys[real], return_inverse=True)  # sorted seen contexts
        counts = np.zeros((len(self._keys), vocabulary.size))
        np.add.at(counts, (rows, targets[real]), 1.0)
        with np.errstate(divide="ignore"):  # log(0) = -inf: never seen after this context
            self._log_probabilities = np.log(counts / counts.sum(axis=1, keepdims=True))

    def __repr__(self) -> str:
        return f"NgramModel(order={self.order}, {len(self._keys)} contexts)"

    def _context_keys(self, ids: np.ndarray) -> np.ndarray:
        """(batch, time) ids -> (batch, time) int64: the k - 1 ids ending at each position,
        as one number in base vocabulary.size."""
        batch, time = ids.shape
        padded = np.concatenate([np.full((batch, self.order - 1), BOS_ID), ids], axis=1)
        keys = np.zeros((batch, time), dtype=np.int64)
        for i in range(1, self.order):  # oldest context token first
            keys = keys * self.vocabulary.size + padded[:, i : i + time]
        return keys

    def predict_on_batch(self, ids: ArrayLike) -> np.ndarray:
        """(batch, time) int ids -> (batch, time, vocabulary.size) float64 logits: at position
        t, the log-probabilities of the token after it (-inf for probability 0)."""
        ids = np.asarray(ids)
        if ids.ndim != 2 or ids.dtype.kind not in "iu":
            raise ValueError(f"ids must be integers of shape (batch, time), got {ids.shape}.")
        keys = self._context_keys(ids)
        rows = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        unseen = self._keys[rows] != keys
        if unseen.any():
            b, t = np.argwhere(unseen)[0]
            start = max(0, t - self.order + 2)
            context = [self.vocabulary.tokens[i] for i in ids[b, start : t + 1]]
            raise ValueError(
                f"the context {context} never occurs in the training sentences; an unsmoothed "
                "n-gram model cannot continue it."
            )
        return self._log_probabilities[rows]  # (batch, time, vocabulary)


# ## Sampling


def temperature_probabilities(logits: ArrayLike, temperature: float) -> np.ndarray:
    """softmax(logits / temperature) along the last axis, float64, each row summing to 1.

    ``temperature`` 1 keeps the model's distribution; below 1 sharpens it (towards its most
    likely token), above 1 flattens it (towards uniform over tokens with finite logits). 0 is
    the limit: probability 1 on the largest logit (the first, on ties), i.e. greedy decoding.
    Logits of -inf get probability 0; each row needs at least one finite logit.
    """
    temperature = _check_temperature(temperature)
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim == 0 or logits.shape[-1] == 0:
        raise ValueError(f"logits must have a last axis of tokens, got shape {logits.shape}.")
    if np.isnan(logits).any() or np.isposinf(logits).any():
        raise ValueError("logits contain NaN or +inf.")
    largest = logits.max(axis=-1, keepdims=True)
    if not np.isfinite(largest).all():
        raise ValueError("every row of logits needs at least one finite value.")
    if temperature == 0.0:
        return np.eye(logits.shape[-1])[np.argmax(logits, axis=-1)]
    weights = np.exp((logits - largest) / temperature)  # the largest becomes exp(0) = 1
    return weights / weights.sum(axis=-1, keepdims=True)


def _check_temperature(temperature: Any) -> float:
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.number)):
        raise ValueError(f"temperature must be a number >= 0, got {temperature!r}.")
    if not (np.isfinite(temperature) and temperature >= 0):
        raise ValueError(f"temperature must be a finite number >= 0, got {temperature!r}.")
    return float(temperature)


def sample_text(
    model: keras.Model | NgramModel,
    vocabulary: Vocabulary,
    n: int,
    *,
    temperature: float = 1.0,
    seed: int | None = None,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> list[str]:
    """Draw ``n`` sentences, one token at a time, each from softmax(logits / temperature).

    Every sentence starts from ``<bos>`` and ends when ``<eos>`` is drawn, or is cut after
    ``max_length`` tokens (then it has no end mark). ``<pad>`` and ``<bos>`` are never drawn.

    Args:
        model: the Keras model of :func:`build_text_generator` or an :class:`NgramModel`:
            its ``predict_on_batch`` maps (batch, time) int32 ids to (batch, time,
            vocabulary.size) logits.
        vocabulary: the vocabulary the model was trained with.
        n: the number of sentences.
        temperature: >= 0; see :func:`temperature_probabilities` (0: greedy, every sentence
            the same).
        seed: seeds the draws (``np.random.default_rng(seed)``): the same seed and model give
            the same sentences. The uniform numbers behind the draws do not depend on the
            temperature, so a sweep over temperatures with one seed varies nothing else.
        max_length: the most tokens per sentence.

    Returns:
        ``n`` sentences as text (:func:`detokenize`).
    """
    check_positive(n=n, max_length=max_length)
    temperature = _check_temperature(temperature)
    rng = np.random.default_rng(seed)
    ids = np.full((n, 1), BOS_ID, dtype=np.int32)  # (n, 1 + tokens so far)
    active = np.ones(n, dtype=bool)  # not yet ended
    for _ in range(max_length):
        u = rng.random(n)  # one uniform per sentence and step, whatever the temperature
        logits = np.array(model.predict_on_batch(ids[active]), dtype=np.float64)
        if logits.shape != (active.sum(), ids.shape[1], vocabulary.size):
            raise ValueError(
                f"the model returned logits of shape {logits.shape}; expected (batch, time, "
                f"{vocabulary.size}) for this vocabulary."
            )
        logits = logits[:, -1, :]  # (active, vocabulary): the next token
        logits[:, [PAD_ID, BOS_ID]] = -np.inf
        cumulative = np.cumsum(temperature_probabilities(logits, temperature), axis=1)
        cumulative /= cumulative[:, -1:]  # exactly 1 at the end despite rounding
        # Inverse CDF: the first token whose cumulative probability exceeds u (a token of
        # probability 0 adds nothing to the sum, so it is never chosen).
        drawn = (cumulative <= u[active, None]).sum(axis=1)
        step = np.full(n, PAD_ID, dtype=np.int32)
        step[active] = drawn
        ids = np.concatenate([ids, step[:, None]], axis=1)
        active &= step != EOS_ID
        if not active.any():
            break
    return vocabulary.decode(ids)
