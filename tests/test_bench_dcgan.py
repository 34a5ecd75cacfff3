"""The DCGAN benchmark's smallest path runs (untimed), so bench/bench_dcgan.py cannot rot."""

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_dcgan.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_dcgan", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_tutorial_models_have_the_tutorials_parameter_counts(bench):
    # TensorFlow DCGAN tutorial: generator 2,330,944 parameters, discriminator 212,865.
    assert bench.tutorial_generator().count_params() == 2_330_944
    assert bench.tutorial_discriminator().count_params() == 212_865


def test_smallest_speed_run_gives_finite_losses_and_both_ratios(bench, tmp_path):
    # 40 images in batches of 16: two full batches and a short one, so the last-batch path runs.
    images = np.random.default_rng(0).uniform(-1, 1, (40, 28, 28, 1)).astype("float32")
    speeds = bench.measure_speed(images, rounds=1, epochs=1, batch_size=16, directory=tmp_path)

    assert [s.name for s in speeds] == [
        "TF tutorial train_step (anchor)",
        "gancourse fp32",
        "gancourse default",
    ]
    for speed in speeds:
        assert set(speed.losses) == {"g_loss", "d_loss"}
        assert all(math.isfinite(value) for value in speed.losses.values()), speed
        assert len(speed.per_round) == 1 and speed.median > 0
    assert speeds[1].precision == "float32"
    # the engine runs kept their files: a sample grid per epoch and a checkpoint
    assert len(list((tmp_path / "fp32" / "samples").glob("epoch_*.png"))) == 2
    assert list((tmp_path / "default" / "checkpoints").glob("ckpt-2*"))

    text = bench.speed_report(speeds, images=len(images), epochs=1, batch_size=16)
    assert "ratio gancourse fp32 / anchor:" in text
    assert "ratio gancourse default / anchor:" in text
    ratios = bench.ratios(speeds)
    assert set(ratios) == set(bench.TARGETS)
    assert all(math.isfinite(r) and r > 0 for r in ratios.values())


def test_quality_change_is_default_minus_float32_and_seed_spread(bench):
    q = bench.Quality
    runs = [
        q("f", "float32", 0, 1, 0.50, 30.0),
        q("d", "mixed_bfloat16", 0, 1, 0.60, 28.0),
        q("f", "float32", 1, 1, 0.40, 34.0),
        q("d", "mixed_bfloat16", 1, 1, 0.44, 36.0),
    ]
    change = bench.quality_change(runs)
    assert change == pytest.approx({"share": 0.07, "fid": 0.0, "seed_share": 0.1, "seed_fid": 4.0})
