# Your answers. Generated from solutions/lesson08.py by `gancourse make-exercises`:
# replace each `# YOUR CODE HERE` block, then run `gancourse grade`.
"""Lesson 08 exercises: the conditional generator's input, and how often a classifier agrees
with the class the generator was asked for.

`join_label` is the first step of G(z, y): write it with `keras.ops`, never NumPy, so that
gradients flow through it to z and to the embedding's weights, and so that it also works on
`keras.Input` tensors, inside a functional model. `class_accuracy_and_confidence` is plain
NumPy. Check your answers with `gancourse grade lesson08`.

- conditional GANs: Mirza & Osindero 2014, https://arxiv.org/abs/1411.1784 (section 4.1 joins
  a one-hot code of the label to z; the course's generator joins a learned embedding)
- class accuracy of generated samples: Odena et al. 2017 (AC-GAN),
  https://arxiv.org/abs/1610.09585, section 4.1
"""

import numpy as np
from keras import ops


def join_label(z, labels, embedding):
    """The conditional generator's input: z and the label's learned embedding, side by side.

    `z` is a float32 tensor (batch, latent_dim), `labels` an int tensor (batch,) of class
    indices in [0, num_classes), and `embedding` a `keras.layers.Embedding(num_classes, e)`
    layer: `embedding(labels)` gives one learned vector per example, shape (batch, e).
    Returns the float32 tensor (batch, latent_dim + e) whose row i is z[i] followed by the
    embedding of labels[i]: z first, as in the Concatenate layer "noise_and_label" of
    `gancourse.models.build_conditional_dcgan_generator`. Use the embedding layer given (not a
    one-hot code, not the raw integer), and `keras.ops`, so that it also works on
    `keras.Input` tensors and training updates the embedding.
    """
    # YOUR CODE HERE
    # HINT: call the layer on the labels; ops.concatenate joins a list of tensors along an axis:
    # HINT: which axis holds each example's numbers, and which holds the examples?
    raise NotImplementedError("join_label is not implemented yet: write it in exercises/lesson08.py")


def class_accuracy_and_confidence(probabilities, labels, threshold=0.9):
    """How often a classifier agrees with the classes a conditional generator was asked for.

    `probabilities` is a float array (n, k): a classifier's class probabilities for n generated
    samples (each row sums to 1); `labels` an int array (n,): the class each sample was asked
    for. Returns (accuracy, confident), two floats in [0, 1]:
    - accuracy: the share of ALL n samples whose most likely class (the argmax of its row, a
      tie going to the lower index as np.argmax does) is the asked class;
    - confident: the share of ALL n samples whose ASKED class has probability strictly above
      `threshold` (whatever the most likely class is).
    As `gancourse.metrics.class_accuracy` (its `.accuracy` and `.confident`).
    """
    # YOUR CODE HERE
    # HINT: probabilities[np.arange(n), labels] picks one entry per row: each sample's
    # HINT: probability of its asked class.
    raise NotImplementedError("class_accuracy_and_confidence is not implemented yet: write it in exercises/lesson08.py")
