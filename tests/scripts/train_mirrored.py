"""Train a small GAN on 1 device or on the CPU split into N logical devices; print JSON.

``train_mirrored.py REPLICAS [conditional] [average]``: "conditional" trains a conditional GAN
(labels embedded and joined to both networks' inputs; no batch norm, whose per-replica
statistics would differ from one device's); "average" keeps a moving average of the
generator's weights (``ema_decay``) and prints its weights too.

Run by tests/test_training_distributed.py in a fresh process, because the CPU can be split
only before TensorFlow starts using it.
"""

import json
import sys

import numpy as np

from gancourse.training import devices

replicas = int(sys.argv[1])
conditional, average = "conditional" in sys.argv[2:], "average" in sys.argv[2:]
if replicas > 1:
    devices.split_cpu(replicas)

import keras  # noqa: E402

from gancourse.data import make_pipeline  # noqa: E402
from gancourse.models import gans  # noqa: E402
from gancourse.models.conditional_gans import label_input  # noqa: E402
from gancourse.training import GAN  # noqa: E402


def _with_labels(network: keras.Model) -> keras.Model:
    """``network`` taking [input, labels]: each label's embedding (10 -> 4) joins the input."""
    inputs, labels = keras.Input(network.input_shape[1:]), label_input()
    flat = keras.layers.Flatten()(inputs)
    embedded = keras.layers.Embedding(10, 4)(labels)
    size = int(np.prod(network.input_shape[1:]))
    joined = keras.layers.Dense(size)(keras.layers.Concatenate()([flat, embedded]))
    joined = keras.layers.Reshape(network.input_shape[1:])(joined)
    return keras.Model([inputs, labels], network(joined))


strategy = devices.make_strategy("mirrored" if replicas > 1 else "default")
with strategy.scope():
    keras.utils.set_random_seed(0)
    generator, discriminator = gans.build_mlp_generator(16, 32), gans.build_mlp_discriminator(32)
    if conditional:
        generator, discriminator = _with_labels(generator), _with_labels(discriminator)
    gan = GAN(
        generator,
        discriminator,
        seed=3,
        num_classes=10 if conditional else None,
        ema_decay=0.9 if average else None,
    )
    gan.compile()
images = np.random.default_rng(0).uniform(-1, 1, (256, 28, 28, 1)).astype("float32")
labels = np.arange(256) % 10 if conditional else None
data = make_pipeline(images, labels, batch_size=64, shuffle=False)
history = gan.fit(data, epochs=3, verbose=0)
print(
    json.dumps(
        {
            "replicas": strategy.num_replicas_in_sync,
            "history": history.history,
            "generator_weights": [float(np.sum(w)) for w in gan.generator.get_weights()],
            "steps": int(gan.generator_optimizer.iterations.numpy()),
            "sampler_weights": [float(np.sum(w)) for w in gan.sampler.get_weights()],
        }
    )
)
