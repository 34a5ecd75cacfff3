"""Plausible wrong answers to lesson 08, each with a phrase its grader's message must contain."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

# --------------------------------------------------------------------------------- join_label


def join_raw_integer(z, labels, embedding):
    return ops.concatenate([z, ops.cast(labels[:, None], "float32")], axis=-1)


def join_one_hot(z, labels, embedding):
    return ops.concatenate([z, ops.one_hot(labels, embedding.input_dim)], axis=-1)


def join_embedding_first(z, labels, embedding):
    return ops.concatenate([embedding(labels), z], axis=-1)


def join_added(z, labels, embedding):
    return z + embedding(labels)  # runs only when e == latent_dim


def join_in_numpy(z, labels, embedding):
    return np.concatenate([np.asarray(z), np.asarray(embedding(labels))], axis=-1)


def join_first_label_for_all(z, labels, embedding):
    first = embedding(labels[:1])  # (1, e)
    return ops.concatenate([z, ops.repeat(first, ops.shape(z)[0], axis=0)], axis=-1)


def join_along_axis_0(z, labels, embedding):
    return ops.concatenate([z, embedding(labels)], axis=0)


def join_with_a_new_embedding(z, labels, embedding):
    fresh = keras.layers.Embedding(embedding.input_dim, embedding.output_dim)
    return ops.concatenate([z, fresh(labels)], axis=-1)


def join_with_tf_concat(z, labels, embedding):
    # Right on tensors, but TensorFlow functions refuse keras.Input tensors.
    return tf.concat([z, embedding(labels)], axis=-1)


# ------------------------------------------------------------------ class_accuracy_and_confidence


def _asked(probabilities, labels):
    return probabilities[np.arange(len(labels)), labels]


def agree_confidence_from_max(probabilities, labels, threshold=0.9):
    accuracy = np.mean(probabilities.argmax(axis=1) == labels)
    return float(accuracy), float(np.mean(probabilities.max(axis=1) > threshold))


def agree_at_threshold(probabilities, labels, threshold=0.9):
    accuracy = np.mean(probabilities.argmax(axis=1) == labels)
    return float(accuracy), float(np.mean(_asked(probabilities, labels) >= threshold))


def agree_argmax_wrong_axis(probabilities, labels, threshold=0.9):
    accuracy = np.mean(probabilities.argmax(axis=0) == labels)
    return float(accuracy), float(np.mean(_asked(probabilities, labels) > threshold))


def agree_counts(probabilities, labels, threshold=0.9):
    correct = probabilities.argmax(axis=1) == labels
    return int(np.sum(correct)), int(np.sum(_asked(probabilities, labels) > threshold))


def agree_accuracy_as_mean_probability(probabilities, labels, threshold=0.9):
    asked = _asked(probabilities, labels)
    return float(np.mean(asked)), float(np.mean(asked > threshold))


def agree_confident_among_correct(probabilities, labels, threshold=0.9):
    correct = probabilities.argmax(axis=1) == labels
    confident = _asked(probabilities, labels)[correct] > threshold
    return float(np.mean(correct)), float(np.mean(confident))


def agree_confident_only_if_correct(probabilities, labels, threshold=0.9):
    correct = probabilities.argmax(axis=1) == labels
    confident = correct & (_asked(probabilities, labels) > threshold)
    return float(np.mean(correct)), float(np.mean(confident))


def agree_columns_of_labels(probabilities, labels, threshold=0.9):
    accuracy = np.mean(probabilities.argmax(axis=1) == labels)
    return float(accuracy), float(np.mean(probabilities[:, labels] > threshold))


def agree_fixed_threshold(probabilities, labels, threshold=0.9):
    accuracy = np.mean(probabilities.argmax(axis=1) == labels)
    return float(accuracy), float(np.mean(_asked(probabilities, labels) > 0.9))


WRONG_ANSWERS = [
    ("join_label", join_raw_integer, "raw integer"),
    ("join_label", join_one_hot, "use the embedding layer given"),
    ("join_label", join_embedding_first, "expects z first"),
    ("join_label", join_added, "added, not joined"),
    ("join_label", join_in_numpy, "gradients do not flow"),
    ("join_label", join_first_label_for_all, "embedding of the first label"),
    ("join_label", join_along_axis_0, "stacked along axis 0"),
    ("join_label", join_with_a_new_embedding, "not the vectors of the embedding layer given"),
    ("join_label", join_with_tf_concat, "keras.Input tensors"),
    ("class_accuracy_and_confidence", agree_confidence_from_max, "largest probability"),
    ("class_accuracy_and_confidence", agree_at_threshold, "STRICTLY above"),
    ("class_accuracy_and_confidence", agree_argmax_wrong_axis, "(axis=1)"),
    ("class_accuracy_and_confidence", agree_counts, "a count, not a share"),
    ("class_accuracy_and_confidence", agree_accuracy_as_mean_probability, "mean probability"),
    ("class_accuracy_and_confidence", agree_confident_among_correct, "divide by ALL"),
    ("class_accuracy_and_confidence", agree_confident_only_if_correct, "whatever its argmax"),
    ("class_accuracy_and_confidence", agree_columns_of_labels, "probabilities[:, labels]"),
    ("class_accuracy_and_confidence", agree_fixed_threshold, "threshold was ignored"),
]
