"""The DCGAN benchmark's smallest path runs (untimed), so bench/bench_dcgan.py cannot rot."""

import math
import types

import numpy as np
import pytest


@pytest.fixture(scope="module")
def bench(load_bench):
    return load_bench("bench_dcgan")


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
        "gancourse fp32, no files",
    ]
    for speed in speeds:
        assert set(speed.losses) == {"g_loss", "d_loss"}
        assert all(math.isfinite(value) for value in speed.losses.values()), speed
        assert len(speed.per_round) == 1 and speed.median > 0 and speed.median_cpu > 0
    assert speeds[1].precision == "float32"
    # the engine runs kept their files: a sample grid per epoch and a checkpoint
    assert len(list((tmp_path / "fp32" / "samples").glob("epoch_*.png"))) == 2
    assert list((tmp_path / "default" / "checkpoints").glob("ckpt-2*"))

    text = bench.speed_report(speeds, images=len(images), epochs=1, batch_size=16)
    assert "ratio gancourse fp32 / anchor:" in text
    assert "ratio gancourse default / anchor:" in text
    ratios = bench.ratios(speeds)
    assert set(bench.TARGETS) < set(ratios)
    assert all(math.isfinite(r) and r > 0 for r in ratios.values())


@pytest.mark.parametrize("default", ["mixed_bfloat16", "float32"])
def test_quality_comparison_runs_on_a_tiny_input(bench, monkeypatch, default):
    # The machine's default precision is forced, so both paths run on every CPU (bfloat16 is
    # emulated, slowly, where the CPU has no bfloat16 instructions).
    monkeypatch.setenv("GANCOURSE_PRECISION", default)
    # 200 noise images: more than the classifier's 128 features, so FID's covariance is full rank
    images = np.random.default_rng(1).uniform(-1, 1, (200, 28, 28, 1)).astype("float32")
    held_out = np.random.default_rng(2).integers(0, 256, (200, 28, 28), dtype=np.uint8)
    quality = bench.compare_precisions_with_digit_classifier(
        images, held_out, epochs=1, seeds=(0,), samples=150, batch_size=100
    )
    runs = [(q.name, q.precision, q.seed) for q in quality]
    if default == "float32":  # nothing to compare: one run per seed, labelled as it ran
        assert runs == [("real training digits", "-", None), ("make_dcgan()", "float32", 0)]
    else:
        assert runs == [
            ("real training digits", "-", None),
            ("make_dcgan(precision=float32)", "float32", 0),
            ("make_dcgan()", "mixed_bfloat16", 0),
        ]
    for q in quality:
        assert 0.0 <= q.confident_share <= 1.0 and math.isfinite(q.fid) and q.fid > -1e-6
    text = bench.quality_report(quality)
    if default == "float32":
        assert "no change of precision to judge" in text and "PASS" not in text
    else:
        assert "quality unchanged" in text and ("PASS" in text or "FAIL" in text)


@pytest.mark.parametrize(
    ("default_precision", "default_target", "default_passes"),
    [("mixed_bfloat16", 1.5, False), ("float32", 0.95, True)],
)
def test_default_is_held_to_float32s_target_only_where_it_runs_float32(
    bench, default_precision, default_target, default_passes
):
    def speed(name, precision, rate):
        return bench.Speed(name, precision, [rate], [rate], {})

    speeds = [
        speed("TF tutorial train_step (anchor)", "float32", 100.0),
        speed("gancourse fp32", "float32", 120.0),
        speed("gancourse default", default_precision, 120.0),  # 1.2x: short of 1.5x
    ]
    assert bench.targets(speeds) == {"gancourse fp32": 0.95, "gancourse default": default_target}
    met = bench.targets_met(speeds)
    assert met == {"gancourse fp32": True, "gancourse default": default_passes}
    text = bench.speed_report(speeds, images=10, epochs=1)
    assert f"(target >= {default_target:.2f}x" in text


def _quality(bench, fp32, default):
    """Quality rows from {seed: (share, fid)} for each precision, after a real-digit row."""
    rows = [bench.Quality("real", "-", None, 0, 0.98, 1.0)]
    for precision, scores in (("float32", fp32), ("mixed_bfloat16", default)):
        rows += [bench.Quality(precision, precision, s, 5, *scores[s]) for s in scores]
    return rows


def test_quality_change_is_default_minus_float32_beside_the_float32_seed_spread(bench):
    rows = _quality(bench, {0: (0.50, 30.0), 1: (0.40, 34.0)}, {0: (0.60, 28.0), 1: (0.44, 36.0)})
    change = bench.quality_change(rows)
    assert change == pytest.approx({"share": 0.07, "fid": 0.0, "seed_share": 0.1, "seed_fid": 4.0})
    assert bench.quality_unchanged(change)


@pytest.mark.parametrize(
    "default",
    [
        {0: (0.30, 30.0), 1: (0.40, 34.0)},  # share down 0.15, more than the seed spread 0.1
        {0: (0.50, 36.0), 1: (0.40, 38.0)},  # FID up 5, more than the seed spread 4
    ],
)
def test_quality_worse_than_the_seed_spread_fails(bench, default):
    rows = _quality(bench, {0: (0.50, 30.0), 1: (0.40, 34.0)}, default)
    assert not bench.quality_unchanged(bench.quality_change(rows))
    assert "FAIL" in bench.quality_report(rows)


def test_quality_change_refuses_unpaired_seeds(bench):
    rows = _quality(bench, {0: (0.5, 30.0), 1: (0.4, 34.0)}, {0: (0.6, 28.0)})
    with pytest.raises(ValueError, match="seed by seed"):
        bench.quality_change(rows)


def test_scaling_report_fits_fixed_and_per_image_seconds(bench):
    # seconds per epoch = 0.5 + 1.5 per 1,000 images, exactly
    rows = [
        bench.ScalingRow("default", n, 256, 0.5 + 1.5 * n / 1000, 1.0) for n in (1000, 2000, 4000)
    ]
    rows.append(bench.ScalingRow("default", 4000, 64, 9.0, 17.5))
    text = bench.scaling_report(rows)
    assert "s/epoch = 0.50 + 1.50 per 1,000 images" in text
    assert "   4000     64     9.00     444       17.50" in text


def test_speed_only_settles_for_the_speed_rounds(bench, monkeypatch):
    ran = []
    monkeypatch.setattr(bench, "run", lambda settings, directory: ran.append(settings) or True)
    assert bench.main(["--rounds", "2", "--speed-only"]) == 0
    assert bench.main(["--rounds", "2"]) == 0
    speed_only, full = ran
    assert speed_only.rounds == full.rounds == 2
    assert speed_only.seeds == () and not speed_only.scaling_sizes
    assert not speed_only.scaling_batch_sizes
    assert full.seeds and full.scaling_sizes and full.scaling_batch_sizes


def test_run_without_seeds_trains_no_quality_runs(bench, monkeypatch, tmp_path):
    trained = []
    digits = np.zeros((8, 28, 28), np.uint8)
    fake_mnist = types.SimpleNamespace(x_train=digits, x_test=digits, source="eight blank digits")
    monkeypatch.setattr(bench, "load_mnist", lambda: fake_mnist)
    monkeypatch.setattr(bench, "measure_speed", lambda *a, **k: [])
    monkeypatch.setattr(bench, "speed_report", lambda *a, **k: "speed")
    monkeypatch.setattr(bench, "targets_met", lambda speeds: {"fp32": True})
    monkeypatch.setattr(
        bench, "compare_precisions_with_digit_classifier", lambda *a, **k: trained.append(k)
    )
    settings = bench.Settings(
        rounds=1, images=8, seeds=(), scaling_sizes=(), scaling_batch_sizes=()
    )
    assert bench.run(settings, tmp_path, out=lambda text: None)
    assert trained == []
