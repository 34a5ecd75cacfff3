"""Train a small GAN on 1 device or on the CPU split into N logical devices; print JSON.

Run by tests/test_training_distributed.py in a fresh process, because the CPU can be split
only before TensorFlow starts using it.
"""

import json
import sys

import numpy as np

from gancourse.training import devices

replicas = int(sys.argv[1])
if replicas > 1:
    devices.split_cpu(replicas)

import keras  # noqa: E402

from gancourse.data import make_pipeline  # noqa: E402
from gancourse.models import gans  # noqa: E402
from gancourse.training import GAN  # noqa: E402

strategy = devices.make_strategy("mirrored" if replicas > 1 else "default")
with strategy.scope():
    keras.utils.set_random_seed(0)
    gan = GAN(gans.build_mlp_generator(16, 32), gans.build_mlp_discriminator(32), seed=3)
    gan.compile()
images = np.random.default_rng(0).uniform(-1, 1, (256, 28, 28, 1)).astype("float32")
history = gan.fit(make_pipeline(images, batch_size=64, shuffle=False), epochs=3, verbose=0)
print(
    json.dumps(
        {
            "replicas": strategy.num_replicas_in_sync,
            "history": history.history,
            "generator_weights": [float(np.sum(w)) for w in gan.generator.get_weights()],
            "steps": int(gan.generator_optimizer.iterations.numpy()),
        }
    )
)
