"""MirroredStrategy on this CPU split into 2 logical devices trains like one device."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).parent / "scripts" / "train_mirrored.py"
# Each replica gets half of each batch and its slice of the same noise; the gradients are summed
# across replicas, so only float32 summation order differs: agreement to ~1e-6 relative.
TOLERANCE = 1e-4


def _run(replicas: int, *mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(replicas), *mode],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "mode",
    [(), ("conditional",), ("average",)],
    ids=["unconditional", "conditional", "generator-average"],
)
def test_two_logical_devices_give_the_same_losses_and_weights_as_one(mode):
    one, two = _run(1, *mode), _run(2, *mode)
    assert (one["replicas"], two["replicas"]) == (1, 2)
    assert one["steps"] == two["steps"] == 12
    for name, values in one["history"].items():
        np.testing.assert_allclose(two["history"][name], values, rtol=TOLERANCE, atol=1e-6)
    for weights in ("generator_weights", "sampler_weights"):
        np.testing.assert_allclose(two[weights], one[weights], rtol=TOLERANCE, atol=1e-4)
    # with ema_decay the samples come from the average, which lags behind G
    assert (one["sampler_weights"] != one["generator_weights"]) == ("average" in mode)
